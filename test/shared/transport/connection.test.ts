/**
 * The RBM transport's kept-alive connections (nodes/shared/transport/connection.ts: Node's global
 * fetch), measured at the network level: connections counted by a recording proxy on 127.0.0.1 in
 * front of the emulator. Each test gets its own proxy (its own origin), so connections kept alive
 * by an earlier test never count. Proxies (NODE_USE_ENV_PROXY) are proved in real n8n on Node 24:
 * test/e2e/proxy.test.ts (Node 20's fetch has no proxy support).
 */
import type { Capture } from '../../helpers/capture';
import { startCapture } from '../../helpers/capture';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { runNode } from '../../helpers/workflow';
import { ConnectionError, IDLE_MS, keepAliveSender } from '../../../nodes/shared/transport/connection';

let fx: EmulatorFixture;
let capture: Capture;
beforeAll(async () => {
	fx = await emulatorWithCredential({ deliveryDelayMs: 60_000, faults: { 'agentMessages.create': { latencyMs: 5 } } });
});
afterAll(async () => {
	await fx.emulator.close();
});
beforeEach(async () => {
	capture = await startCapture(fx.emulator.url);
	fx.emulator.reset();
});
afterEach(async () => {
	await capture.close();
});

const contacts = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => ({ phone: `+1650555${String(1000 + offset + i)}`, name: 'X' }));
const send = (items: Array<{ phone: string; name: string }>, concurrency: number) =>
	runNode({ items, parameters: textParams({ options: { concurrency } }), credentials: { ...fx.credentials, baseUrl: `${capture.url}/{region}` } });

describe('kept-alive connections to the RBM host', () => {
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
		await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
		// Closed after IDLE_MS idle; the proxy sees the close a little later, later still on a loaded
		// machine: poll for it (bounded: 100 checks, ≥ 10 s) instead of one look at IDLE_MS + 1 s.
		let open = await capture.openConnections();
		for (let k = 0; k < 100 && open > 0; k++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			open = await capture.openConnections();
		}
		expect(open).toBe(0);
	});

	test('no leak across executions: after 100 executions the open sockets are bounded by the concurrency', async () => {
		for (let i = 0; i < 100; i++) await send(contacts(3, i * 3), 2);
		expect(fx.emulator.stats().accepted).toBe(300);
		expect(await capture.openConnections()).toBeLessThanOrEqual(2);
		expect(capture.connections()).toBeLessThanOrEqual(2);
		// 100 executions: ~3 s on an idle machine, several times that on a loaded one; the suite's
		// 30 s is a budget for one execution's worth of work, not for a hundred.
	}, 120_000);
});

describe('network failures carry a code request.ts can report and retry on', () => {
	test('a closed port: ECONNREFUSED', async () => {
		const url = capture.url;
		await capture.close();
		const error = await keepAliveSender({ url: `${url}/x`, method: 'GET' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ConnectionError);
		expect((error as ConnectionError).code).toBe('ECONNREFUSED');
		capture = await startCapture(fx.emulator.url);
	});

	test('no answer within the timeout: ETIMEDOUT', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 2_000 } } });
		const error = await keepAliveSender({ url: `${capture.url}/global/v1/phones/+16505550001/agentMessages?messageId=t1&agentId=a`, method: 'POST', body: {}, timeout: 200 }).catch((e: unknown) => e);
		expect((error as ConnectionError).code).toBe('ETIMEDOUT');
		expect((error as ConnectionError).message).toBe('no answer within 200 ms');
	});

	test('a cancelled execution: ABORTED at once', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 2_000 } } });
		const controller = new AbortController();
		const started = Date.now();
		const pending = keepAliveSender({ url: `${capture.url}/global/v1/phones/+16505550002/agentMessages?messageId=t2&agentId=a`, method: 'POST', body: {}, abortSignal: controller.signal }).catch((e: unknown) => e);
		controller.abort();
		expect(((await pending) as ConnectionError).code).toBe('ABORTED');
		expect(Date.now() - started).toBeLessThan(1_000);
	});
});
