'use strict';
/**
 * PostgreSQL and Redis for n8n's queue mode (`npm run test:queue`), from Debian's packages, on
 * 127.0.0.1: each in its own temporary folder and on a free port, stopped and removed by stop()
 * (also when a test fails: the caller's finally). Installed with apt-get when missing (CI runs as
 * root). PostgreSQL refuses to run as root, so it runs as the `postgres` user Debian's package
 * creates, with its socket in its own folder.
 *
 *   const services = await startQueueServices({ log });
 *   services.postgres → { host, port, database, user, password }; services.redis → { host, port }
 *   services.sql('SELECT …') → psql's unaligned output
 *   await services.stop();
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('./n8n-runtime.js');

/** The newest PostgreSQL server binaries Debian installed, or undefined. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

const redisBin = () => ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((f) => fs.existsSync(f));

/** apt-get install of what is missing (postgresql, redis-server); an error says what to do when that is not possible. */
function ensurePackages(log, { postgres = true, redis = true } = {}) {
	const missing = [...(postgres && !postgresBin() ? ['postgresql'] : []), ...(redis && !redisBin() ? ['redis-server'] : [])];
	if (missing.length === 0) return;
	if (process.getuid && process.getuid() !== 0) throw new Error(`this needs ${missing.join(' and ')} from Debian: run \`apt-get install -y ${missing.join(' ')}\` as root`);
	log(`installing ${missing.join(', ')} from Debian's packages (apt-get) …`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
		const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 10 * 60 * 1000 });
		if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
	}
	if ((postgres && !postgresBin()) || (redis && !redisBin())) throw new Error(`apt-get installed ${missing.join(', ')} but the binaries are not where Debian puts them`);
}

/** Runs a command as the postgres user (PostgreSQL will not run as root); throws with its output on failure. */
function asPostgres(command, args, { cwd } = {}) {
	const asRoot = process.getuid && process.getuid() === 0;
	const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { cwd, encoding: 'utf8' }) : spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
	return r.stdout;
}

async function waitFor(what, check, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function startQueueServices({ log = () => undefined } = {}) {
	ensurePackages(log);
	const bin = postgresBin();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-queue-services-'));
	fs.chmodSync(root, 0o755);
	const pgDir = path.join(root, 'postgres');
	fs.mkdirSync(pgDir);
	const stops = [];
	const stop = async () => {
		for (const s of stops.reverse()) {
			try {
				await s();
			} catch (error) {
				log(`stopping: ${error.message}`);
			}
		}
		fs.rmSync(root, { recursive: true, force: true });
	};
	try {
		// PostgreSQL: its own cluster, trust auth on 127.0.0.1 only, socket in its folder.
		if (process.getuid && process.getuid() === 0) spawnSync('chown', ['-R', 'postgres:postgres', pgDir]);
		const pgPort = await runtime.freePort();
		const data = path.join(pgDir, 'data');
		const password = 'n8n-queue-test';
		asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-instructions'], { cwd: pgDir });
		asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(pgDir, 'postgres.log'), '-w', '-t', '60', '-o', `-p ${pgPort} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start'], { cwd: pgDir });
		stops.push(async () => asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], { cwd: pgDir }));
		asPostgres(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'n8n', 'n8n'], { cwd: pgDir });
		log(`PostgreSQL ${path.basename(path.dirname(bin))} on 127.0.0.1:${pgPort}`);

		// Redis: no persistence, loopback only.
		const redisPort = await runtime.freePort();
		const redisDir = path.join(root, 'redis');
		fs.mkdirSync(redisDir);
		const redis = spawn(redisBin(), ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir, '--protected-mode', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let redisOut = '';
		redis.stdout.on('data', (c) => (redisOut += c));
		redis.stderr.on('data', (c) => (redisOut += c));
		stops.push(async () => {
			if (redis.exitCode === null) {
				redis.kill('SIGTERM');
				await new Promise((resolve) => redis.once('exit', resolve));
			}
		});
		await waitFor('Redis', () => /Ready to accept connections/.test(redisOut) || redis.exitCode !== null);
		if (redis.exitCode !== null) throw new Error(`redis-server exited (${redis.exitCode}): ${redisOut.slice(-1000)}`);
		log(`Redis on 127.0.0.1:${redisPort}`);

		return {
			postgres: { host: '127.0.0.1', port: pgPort, database: 'n8n', user: 'n8n', password },
			redis: { host: '127.0.0.1', port: redisPort },
			/** Runs SQL on n8n's database (psql, unaligned, tuples only); returns its output. */
			sql: (query) => asPostgres(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'n8n', '-d', 'n8n', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query], { cwd: pgDir }),
			/** n8n's queue-mode environment for these services (every process needs it). */
			n8nEnv: () => ({
				EXECUTIONS_MODE: 'queue',
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(pgPort),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'n8n',
				DB_POSTGRESDB_PASSWORD: password,
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
			}),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startQueueServices, postgresBin, redisBin };
