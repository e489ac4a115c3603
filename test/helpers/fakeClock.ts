/**
 * A faked wall clock for child processes: libfaketime (Debian package `faketime`, installed with
 * apt-get when missing and running as root, as CI runs; otherwise a clear error), preloaded into
 * the process with FAKETIME="@<instant>" — the clock starts at that instant when the process starts
 * and runs on at normal speed. Monotonic clocks are left alone (FAKETIME_DONT_FAKE_MONOTONIC=1) so
 * Node's timers and libuv's event loop behave.
 *
 * And the RBM emulator in a child process under such a clock: its HTTPS certificate is made valid
 * from a day before its start to 30 days after (emulator/tls.ts), and it checks the JWT's iat/exp
 * against its clock (emulator/tokens.ts), so an n8n at a faked instant needs an emulator at the same
 * faked instant (the in-process one runs at the real clock: n8n would see an expired or not yet
 * valid certificate, and the emulator would reject n8n's token request as expired).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { EmulatorStats } from '../../emulator/types';

const CANDIDATES = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'];

function findLibrary(): string | undefined {
	const listed = spawnSync('dpkg', ['-L', 'libfaketime'], { encoding: 'utf8' });
	const fromDpkg = listed.status === 0 ? listed.stdout.split('\n').find((line) => /\/libfaketime\.so\.1$/.test(line)) : undefined;
	return [fromDpkg, ...CANDIDATES].find((p): p is string => !!p && existsSync(p));
}

/** The path of libfaketime.so.1; installs Debian's `faketime` when missing and running as root. */
export function libfaketime(log: (m: string) => void = (m) => process.stderr.write(`[faketime] ${m}\n`)): string {
	let lib = findLibrary();
	if (lib) return lib;
	if (!process.getuid || process.getuid() !== 0) {
		throw new Error('libfaketime is not installed: apt-get install faketime (these tests run n8n under a faked clock)');
	}
	log('installing faketime with apt-get');
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'faketime']]) {
		const r = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
	}
	lib = findLibrary();
	if (!lib) throw new Error('apt-get installed faketime but libfaketime.so.1 is not where dpkg -L libfaketime says');
	return lib;
}

/** Environment that starts a process's wall clock at `instant` (ISO 8601 UTC, e.g. 2026-03-08T06:30:00Z). */
export function fakeClockEnv(instant: string): Record<string, string> {
	const t = new Date(instant);
	if (Number.isNaN(t.getTime()) || !instant.endsWith('Z')) throw new Error(`fakeClockEnv: not an ISO 8601 UTC instant: ${instant}`);
	// libfaketime reads "@YYYY-MM-DD hh:mm:ss" in the process's TZ: make that UTC for the whole process.
	return { LD_PRELOAD: libfaketime(), FAKETIME: `@${t.toISOString().slice(0, 19).replace('T', ' ')}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' };
}

/** The emulator in a child process (its built CLI, dist/emulator/cli.js) under `env`; admin calls over its HTTPS. */
export interface EmulatorProcess {
	url: string;
	caFile: string;
	keyJson: string;
	stats(): Promise<EmulatorStats>;
	output(): string;
	close(): Promise<void>;
}

/** HTTPS to the emulator's admin routes from this (real-clock) process: its certificate is valid only at the faked time, so it is not verified here. */
function admin(url: string, method: string): Promise<any> {
	return new Promise((resolvePromise, reject) => {
		const req = request(url, { method, rejectUnauthorized: false, timeout: 10_000 }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (c: string) => (text += c));
			res.on('end', () => (res.statusCode === 200 ? resolvePromise(JSON.parse(text)) : reject(new Error(`${method} ${url}: ${res.statusCode} ${text.slice(0, 500)}`))));
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timed out`)));
		req.on('error', reject);
		req.end();
	});
}

async function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((done) => child.once('exit', () => done()));
}

export async function startEmulatorProcess(env: Record<string, string>, args: string[] = []): Promise<EmulatorProcess> {
	const cli = resolve(__dirname, '..', '..', 'dist', 'emulator', 'cli.js');
	if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build first (npm run test:e2e does)`);
	const dir = mkdtempSync(join(tmpdir(), 'rbm-emulator-'));
	const caFile = join(dir, 'ca.pem');
	const keyFile = join(dir, 'key.json');
	const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', '0', '--ca-file', caFile, '--write-key', keyFile, ...args], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
	const close = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		await exited(child);
		rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 30_000;
	let url: string | undefined;
	while (!(url = /listening on (https:\/\/\S+)/.exec(output)?.[1]) || !/service-account key .* written to/.test(output)) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await close();
			throw new Error(`the emulator did not start: ${output.slice(-2000)}`);
		}
		await new Promise((done) => setTimeout(done, 50));
	}
	return {
		url,
		caFile,
		keyJson: readFileSync(keyFile, 'utf8'),
		stats: async () => (await admin(`${url}/_emulator/stats`, 'GET')) as EmulatorStats,
		output: () => output,
		close,
	};
}
