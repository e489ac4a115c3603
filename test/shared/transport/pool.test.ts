/**
 * The RBM transport's keep-alive pools (nodes/shared/transport/pool.ts), measured at the network
 * level: connections counted by a recording proxy on 127.0.0.1 in front of the emulator, and a
 * CONNECT proxy on 127.0.0.1 for HTTPS_PROXY / NO_PROXY.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

import { closePools, IDLE_MS, openPools } from '../../../nodes/shared/transport/pool';
import type { Capture } from '../../helpers/capture';
import { startCapture } from '../../helpers/capture';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
let capture: Capture;
beforeAll(async () => {
	fx = await emulatorWithCredential({ deliveryDelayMs: 60_000, faults: { 'agentMessages.create': { latencyMs: 5 } } });
	capture = await startCapture(fx.emulator.url);
});
afterAll(async () => {
	await closePools();
	await capture.close();
	await fx.emulator.close();
});
beforeEach(async () => {
	await closePools();
	capture.clear();
	fx.emulator.reset();
});

const contacts = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => ({ phone: `+1650555${String(1000 + offset + i)}`, name: 'X' }));
const send = (items: Array<{ phone: string; name: string }>, concurrency: number) =>
	runNode({ items, parameters: textParams({ options: { concurrency } }), credentials: { ...fx.credentials, baseUrl: `${capture.url}/{region}` } });

describe('keep-alive pools for the RBM host', () => {
	test('a campaign of 60 messages at concurrency 4 opens at most 4 connections, not 60', async () => {
		const r = await send(contacts(60), 4);
		expect(r.outputs[0]).toHaveLength(60);
		expect(capture.requests.filter((q) => q.method === 'POST')).toHaveLength(60);
		expect(capture.connections()).toBeGreaterThanOrEqual(1);
		expect(capture.connections()).toBeLessThanOrEqual(4);
	});

	test('the next execution reuses the open connections; idle ones close after IDLE_MS', async () => {
		await send(contacts(8), 2);
		const afterFirst = capture.connections();
		await send(contacts(8, 100), 2);
		expect(capture.connections()).toBe(afterFirst);
		expect(await capture.openConnections()).toBeGreaterThan(0);
		await new Promise((resolve) => setTimeout(resolve, IDLE_MS + 1000));
		expect(await capture.openConnections()).toBe(0);
	});

	test('no leak across executions: after 100 executions the open sockets are bounded by the concurrency', async () => {
		for (let i = 0; i < 100; i++) await send(contacts(3, i * 3), 2);
		expect(fx.emulator.stats().accepted).toBe(300);
		expect(await capture.openConnections()).toBeLessThanOrEqual(2);
		expect(capture.connections()).toBeLessThanOrEqual(2);
		const sockets = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
		await closePools();
		expect(openPools().size).toBe(0);
		// closing the pool leaves none of its sockets behind
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length).toBeLessThan(sockets);
		expect(await capture.openConnections()).toBe(0);
	});
});

/** A forward proxy that only tunnels (CONNECT), as tinyproxy or squid do for HTTPS; logs each CONNECT. */
async function connectProxy(): Promise<{ url: string; log: string[]; close(): Promise<void> }> {
	const log: string[] = [];
	const server = http.createServer((_req, res) => res.writeHead(405).end());
	server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		log.push(`CONNECT ${req.url}`);
		const [host, port] = String(req.url).split(':');
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		log,
		close: () => new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		}),
	};
}

describe('proxies as n8n picks them (HTTP_PROXY / HTTPS_PROXY / NO_PROXY)', () => {
	const saved = { ...process.env };
	afterEach(async () => {
		for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']) {
			if (saved[name] === undefined) delete process.env[name];
			else process.env[name] = saved[name];
		}
		await closePools();
	});

	test('HTTP_PROXY: the token grant and the sends go through the proxy', async () => {
		const proxy = await connectProxy();
		try {
			delete process.env.NO_PROXY;
			delete process.env.no_proxy;
			process.env.HTTP_PROXY = proxy.url;
			const r = await send(contacts(3, 500), 2);
			expect(r.error).toBeUndefined();
			expect(r.outputs[0]).toHaveLength(3);
			expect(proxy.log).toContain(`CONNECT ${new URL(capture.url).host}`);
			expect(proxy.log.length).toBeLessThanOrEqual(3); // token endpoint + at most 2 send connections
		} finally {
			await proxy.close();
		}
	});

	test('NO_PROXY: a listed host is reached directly', async () => {
		const proxy = await connectProxy();
		try {
			process.env.HTTP_PROXY = proxy.url;
			process.env.NO_PROXY = '127.0.0.1';
			const r = await send(contacts(2, 600), 1);
			expect(r.outputs[0]).toHaveLength(2);
			expect(proxy.log).toEqual([]);
		} finally {
			await proxy.close();
		}
	});
});
