/**
 * A throwaway redis-server for tests: 127.0.0.1 only, on a free port, in its own temporary folder,
 * no persistence (`--save '' --appendonly no`), with a password. Debian's binary, installed with
 * apt-get when missing (as root, as CI runs); otherwise a clear error.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RedisServer {
	host: string;
	port: number;
	password: string;
	stop(): Promise<void>;
}

/** Debian's redis-server; installed with apt-get when missing and running as root (CI), else a clear error. */
export function redisServerBinary(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { ensureRedisServer } = require('../../scripts/queue-services.js') as { ensureRedisServer(log: (m: string) => void): string };
	return ensureRedisServer((m) => process.stderr.write(`[redis] ${m}\n`));
}

/** A port nothing listens on right now (the OS's pick on 127.0.0.1). */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

/** Starts redis-server on `port` (default: a free one); resolves once it accepts connections. */
export async function startRedisServer(password: string, port?: number): Promise<RedisServer> {
	const binary = redisServerBinary();
	port ??= await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-redis-'));
	const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', password], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		await exited(child);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 15_000;
	while (!/Ready to accept connections/.test(output)) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${output.slice(-1000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return { host: '127.0.0.1', port, password, stop };
}
