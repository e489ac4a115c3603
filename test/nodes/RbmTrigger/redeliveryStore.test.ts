/**
 * The trigger's redelivery filter. Redis: a real redis-server on 127.0.0.1 (with a password) and
 * two trigger "processes" — two copies of the node's modules, each with its own module state and
 * so its own Redis client — behind two webhook hosts with the same workflow and node ids, as n8n's
 * webhook processes in queue mode. Memory: the default, per process, bounded.
 */
import { Redis } from 'ioredis';
import type { IDataObject } from 'n8n-workflow';

import type { WebhookEventInput } from '../../../emulator';
import { buildEnvelope } from '../../../emulator';
import { RbmTrigger } from '../../../nodes/RbmTrigger/RbmTrigger.node';
import { DEFAULT_KEY_PREFIX, DEFAULT_TTL_SECONDS, MemoryFilter } from '../../../nodes/RbmTrigger/redeliveryStore';
import type { RedisServer } from '../../helpers/redisServer';
import { freePort, startRedisServer } from '../../helpers/redisServer';
import type { WebhookHost } from '../../helpers/webhookHost';
import { hostWebhook, postJson } from '../../helpers/webhookHost';

type NodeModule = typeof import('../../../nodes/RbmTrigger/RbmTrigger.node');
type StoreModule = typeof import('../../../nodes/RbmTrigger/redeliveryStore');

const TOKEN = ['client', 'token', 'for', 'redelivery'].join('-');
const PASSWORD = ['redis', 'secret', 'for', 'tests', '7c1e'].join('-');
const NODE_ID = 'trigger-redelivery';
const REDIS = { redeliveryStore: 'redis' };

let server: RedisServer;
let admin: Redis;
const processes: StoreModule[] = [];
const hosts: WebhookHost[] = [];

beforeAll(async () => {
	server = await startRedisServer(PASSWORD);
	admin = new Redis({ host: server.host, port: server.port, password: PASSWORD });
});
afterEach(async () => {
	await Promise.all(hosts.splice(0).map(async (h) => await h.close()));
});
afterAll(async () => {
	await Promise.all(processes.map(async (p) => await p.closeRedisClients()));
	await admin?.quit();
	await server?.stop();
});

/** One n8n "process": its own copy of the node and of the store module (its own client cache). */
function newProcess(): NodeModule['RbmTrigger'] {
	let node: NodeModule | undefined;
	jest.isolateModules(() => {
		node = require('../../../nodes/RbmTrigger/RbmTrigger.node') as NodeModule;
		processes.push(require('../../../nodes/RbmTrigger/redeliveryStore') as StoreModule);
	});
	return node!.RbmTrigger;
}

interface Hosted {
	host: WebhookHost;
	workflowId: string;
}

async function host(Trigger: NodeModule['RbmTrigger'], workflowId: string, parameters: IDataObject = REDIS, redis: IDataObject = { host: server.host, port: server.port, password: PASSWORD, database: 0, ssl: false }): Promise<Hosted> {
	const h = await hostWebhook(new Trigger(), {
		parameters: { clientToken: TOKEN, events: ['text', 'DELIVERED'], ...parameters },
		credentialsByType: { redis },
		workflowId,
		nodeId: NODE_ID,
	});
	hosts.push(h);
	return { host: h, workflowId };
}

/** Two processes serving the same workflow's trigger. */
async function twoProcesses(parameters: IDataObject = REDIS): Promise<[WebhookHost, WebhookHost, string]> {
	const workflowId = `wf-${Date.now()}-${Math.random()}`;
	const [a, b] = await Promise.all([host(newProcess(), workflowId, parameters), host(newProcess(), workflowId, parameters)]);
	return [a.host, b.host, workflowId];
}

/** A signed push, as bytes that can be delivered again unchanged. */
function push(messageId: string, over: Partial<WebhookEventInput> = {}): { body: unknown; headers: Record<string, string> } {
	const { body, headers } = buildEnvelope({ type: 'text', phoneNumber: '+16505550123', agentId: 'welcome-bot', text: `hello ${messageId}`, messageId, ...over }, TOKEN);
	return { body: JSON.parse(body) as unknown, headers };
}

const deliver = async (h: WebhookHost, p: { body: unknown; headers: Record<string, string> }) => await postJson(h.url, p.body, p.headers);
/** A 503 that names Redis's host:port and none of the secrets. */
function expectUnavailable(r: { status: number; body: string }, port: number, ...secrets: string[]) {
	expect(r.status).toBe(503);
	expect(r.body).toContain(`Redis at 127.0.0.1:${port} did not answer`);
	expect(r.body).toContain('event not acknowledged, RBM will deliver it again');
	for (const secret of secrets) expect(r.body).not.toContain(secret);
}

const executions = (...hs: WebhookHost[]) => hs.flatMap((h) => h.started.map((s) => s[0][0].json.messageId as string));

describe('Redis: one execution per push across processes', () => {
	test('the same push delivered to two processes at once starts one execution; the other gets 200 duplicate ignored', async () => {
		const [a, b] = await twoProcesses();
		const p = push('MxShared-1');
		const answers = await Promise.all([deliver(a, p), deliver(b, p)]);
		expect(answers.map((r) => r.status)).toEqual([200, 200]);
		expect(answers.map((r) => r.body).sort()).toEqual(['', 'duplicate ignored']);
		expect(executions(a, b)).toEqual(['MxShared-1']);
		// Later redeliveries, to either process, start nothing either.
		expect(await deliver(a, p)).toEqual({ status: 200, body: 'duplicate ignored' });
		expect(await deliver(b, p)).toEqual({ status: 200, body: 'duplicate ignored' });
		expect(executions(a, b)).toHaveLength(1);
	});

	test('500 distinct pushes, each delivered to both processes concurrently: exactly 500 executions, on one connection per process', async () => {
		const connections = async () => String(await admin.client('LIST')).split('\n').filter((line) => line.includes('name=n8n-rbm-redelivery')).length;
		const before = await connections();
		const [a, b] = await twoProcesses();
		// Both clients connected first, and the two deliveries of each push in alternating order, so
		// that both processes win some of the races.
		await Promise.all([deliver(a, push('MxWarm-a')), deliver(b, push('MxWarm-b'))]);
		const ids = Array.from({ length: 500 }, (_v, i) => `MxBurst-${i}`);
		const answers = await Promise.all(ids.flatMap((id, i) => {
			const p = push(id);
			return i % 2 ? [deliver(a, p), deliver(b, p)] : [deliver(b, p), deliver(a, p)];
		}));
		expect(answers.filter((r) => r.status !== 200)).toEqual([]);
		expect(answers.filter((r) => r.body === 'duplicate ignored')).toHaveLength(500);
		const started = executions(a, b).filter((id) => id.startsWith('MxBurst-'));
		expect(started).toHaveLength(500);
		expect(new Set(started)).toEqual(new Set(ids));
		expect(a.started.length).toBeGreaterThan(1);
		expect(b.started.length).toBeGreaterThan(1);
		// Each process made one connection for all its pushes.
		expect((await connections()) - before).toBe(2);
	});

	test('each claimed id expires: TTL set, > 0 and ≤ the configured seconds; the key is prefix + workflow:node:id', async () => {
		const workflowId = `wf-ttl-${Date.now()}`;
		const configured = await host(newProcess(), workflowId, { ...REDIS, redeliveryTtl: 3600, redeliveryKeyPrefix: 'test-prefix:' });
		const byDefault = await host(newProcess(), `${workflowId}-default`);
		expect((await deliver(configured.host, push('MxTtl-1'))).status).toBe(200);
		expect((await deliver(byDefault.host, push('MxTtl-2'))).status).toBe(200);

		const ttl = await admin.ttl(`test-prefix:${workflowId}:${NODE_ID}:MxTtl-1`);
		expect(ttl).toBeGreaterThan(0);
		expect(ttl).toBeLessThanOrEqual(3600);
		const ttlDefault = await admin.ttl(`${DEFAULT_KEY_PREFIX}${workflowId}-default:${NODE_ID}:MxTtl-2`);
		expect(ttlDefault).toBeGreaterThan(DEFAULT_TTL_SECONDS - 60);
		expect(ttlDefault).toBeLessThanOrEqual(DEFAULT_TTL_SECONDS);
		expect(DEFAULT_TTL_SECONDS).toBe(604_800);
	});

	test('pushes that start nothing claim nothing: an event type not selected, a bad signature', async () => {
		const [a, , workflowId] = await twoProcesses();
		expect(await deliver(a, push('MxTyping', { type: 'IS_TYPING', eventId: 'EvTyping' }))).toEqual({ status: 200, body: 'event type not selected' });
		const forged = push('MxForged', { signature: 'invalid' });
		expect((await deliver(a, forged)).status).toBe(403);
		expect(await admin.keys(`${DEFAULT_KEY_PREFIX}${workflowId}:*`)).toEqual([]);
	});
});

describe('Redis cannot answer: 503 (RBM delivers again later), naming host:port, never the password', () => {
	test('nothing listens at the credential\'s host:port', async () => {
		const port = await freePort();
		const down = await host(newProcess(), 'wf-down', REDIS, { host: '127.0.0.1', port, password: PASSWORD, database: 0 });
		const started = Date.now();
		const r = await deliver(down.host, push('MxDown-1'));
		expect(Date.now() - started).toBeLessThan(10_000);
		expectUnavailable(r, port, PASSWORD);
		expect(r.body).toMatch(/ECONNREFUSED/);
		expect(down.host.warnings.join('\n')).toContain(`127.0.0.1:${port}`);
		expect(down.host.warnings.join('\n')).not.toContain(PASSWORD);
		expect(down.host.started).toHaveLength(0);
	});

	test('Redis chosen but no Redis credential selected', async () => {
		const h = await hostWebhook(new RbmTrigger(), { parameters: { clientToken: TOKEN, events: ['text'], ...REDIS }, nodeId: NODE_ID });
		hosts.push(h);
		const r = await deliver(h, push('MxNoCredential'));
		expect(r.status).toBe(503);
		expect(r.body).toMatch(/redelivery filter unavailable: Node does not have any credentials set/);
		expect(h.started).toHaveLength(0);
	});

	test('a wrong password', async () => {
		const wrong = `${PASSWORD}-but-wrong`;
		const h = await host(newProcess(), 'wf-wrong-password', REDIS, { host: server.host, port: server.port, password: wrong, database: 0 });
		const r = await deliver(h.host, push('MxWrongPassword'));
		expectUnavailable(r, server.port, wrong, PASSWORD);
		expect(h.host.started).toHaveLength(0);
	});

	test('a Redis that stops after the client connected; the push is delivered again when it is back', async () => {
		let other = await startRedisServer(PASSWORD);
		try {
			const { port } = other;
			const h = await host(newProcess(), 'wf-stops', REDIS, { host: other.host, port, password: PASSWORD, database: 0 });
			expect((await deliver(h.host, push('MxBefore'))).status).toBe(200);
			await other.stop();
			const whileDown = push('MxWhileDown');
			expectUnavailable(await deliver(h.host, whileDown), port, PASSWORD);
			expect(executions(h.host)).toEqual(['MxBefore']);
			// Redis back (empty: no persistence) on the same port: RBM's redelivery starts the workflow.
			other = await startRedisServer(PASSWORD, port);
			expect(await deliver(h.host, whileDown)).toEqual({ status: 200, body: '' });
			expect(executions(h.host)).toEqual(['MxBefore', 'MxWhileDown']);
		} finally {
			await other.stop();
		}
	});

	test('a claim whose answer comes too late is taken back, so the redelivery starts the execution', async () => {
		const [a, , workflowId] = await twoProcesses();
		const key = `${DEFAULT_KEY_PREFIX}${workflowId}:${NODE_ID}:MxLate`;
		// Writes wait 3 s on the server: the claim's SET outlives the client's 2 s command timeout.
		await admin.client('PAUSE', 3000, 'WRITE');
		const paused = Date.now();
		const r = await deliver(a, push('MxLate'));
		expect(r.status).toBe(503);
		expect(r.body).toMatch(/timed out/i);
		await new Promise((resolve) => setTimeout(resolve, paused + 3500 - Date.now()));
		// The SET ran when the pause ended, and the release right after it.
		expect(await admin.exists(key)).toBe(0);
		expect((await deliver(a, push('MxLate'))).status).toBe(200);
		expect(executions(a)).toEqual(['MxLate']);
	});
});

describe('memory (the default)', () => {
	test('two processes do not share it: each starts the push (why queue mode needs Redis)', async () => {
		const workflowId = `wf-memory-${Date.now()}`;
		const [a, b] = await Promise.all([host(newProcess(), workflowId, { redeliveryStore: 'memory' }), host(newProcess(), workflowId, {})]);
		const p = push('MxMemory');
		for (const h of [a, b]) expect(await deliver(h.host, p)).toEqual({ status: 200, body: '' });
		expect(await deliver(a.host, p)).toEqual({ status: 200, body: 'duplicate ignored' });
		expect(executions(a.host, b.host)).toEqual(['MxMemory', 'MxMemory']);
	});

	test('bounded per scope: the oldest ids go first; scopes are apart', async () => {
		const filter = new MemoryFilter(3);
		for (const id of ['1', '2', '3', '4']) expect(await filter.claim('s', id)).toBe('first');
		expect(await filter.claim('s', '4')).toBe('duplicate');
		expect(await filter.claim('s', '1')).toBe('first');
		expect(await filter.claim('other', '4')).toBe('first');
	});
});

describe('the node\'s description', () => {
	test('Redelivery Filter: memory by default, Redis with n8n\'s built-in Redis credential', () => {
		const { properties, credentials } = new RbmTrigger().description;
		const option = properties.find((p) => p.name === 'redeliveryStore');
		expect(option).toMatchObject({ displayName: 'Redelivery Filter', type: 'options', default: 'memory' });
		expect(option?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['memory', 'redis']);
		expect(properties.find((p) => p.name === 'redeliveryTtl')).toMatchObject({ default: 604_800, displayOptions: { show: { redeliveryStore: ['redis'] } } });
		expect(properties.find((p) => p.name === 'redeliveryKeyPrefix')).toMatchObject({ default: 'n8n-rbm:redelivery:' });
		expect(credentials).toContainEqual(expect.objectContaining({ name: 'redis', displayOptions: { show: { redeliveryStore: ['redis'] } } }));
	});
});
