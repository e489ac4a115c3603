/**
 * The trigger's redelivery filter: this process's memory, per trigger node, bounded. Two trigger
 * "processes" are two copies of the node's modules (each with its own module state, so its own
 * memory), behind two webhook hosts with the same workflow and node ids, as n8n's webhook processes
 * in queue mode.
 *
 * Redelivery Filter › Redis was removed (the package connects to no service but RBM): a node saved
 * with it, its TTL and key prefix and a Redis credential, runs as memory and never opens a
 * connection: the "Redis" here is a plain TCP listener on 127.0.0.1 that counts connections, or a
 * port nothing listens on.
 */
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import type { WebhookEventInput } from '../../../emulator';
import { buildEnvelope } from '../../../emulator';
import { RbmTrigger } from '../../../nodes/RbmTrigger/RbmTrigger.node';
import { MemoryFilter } from '../../../nodes/RbmTrigger/redeliveryStore';
import type { WebhookHost } from '../../helpers/webhookHost';
import { hostWebhook, postJson } from '../../helpers/webhookHost';

type NodeModule = typeof import('../../../nodes/RbmTrigger/RbmTrigger.node');

const TOKEN = ['client', 'token', 'for', 'redelivery'].join('-');
const PASSWORD = ['redis', 'secret', 'for', 'tests', '7c1e'].join('-');
const NODE_ID = 'trigger-redelivery';
/** What a node saved with the removed Redis filter has in its parameters. */
const OLD_REDIS = { redeliveryStore: 'redis', redeliveryTtl: 3600, redeliveryKeyPrefix: 'old-prefix:' };

const hosts: WebhookHost[] = [];
afterEach(async () => {
	await Promise.all(hosts.splice(0).map(async (h) => await h.close()));
});

/** One n8n "process": its own copy of the node and of the filter module (its own memory). */
function newProcess(): NodeModule['RbmTrigger'] {
	let node: NodeModule | undefined;
	jest.isolateModules(() => {
		node = require('../../../nodes/RbmTrigger/RbmTrigger.node') as NodeModule;
	});
	return node!.RbmTrigger;
}

async function host(Trigger: NodeModule['RbmTrigger'], workflowId: string, parameters: IDataObject = {}, redis?: IDataObject): Promise<WebhookHost> {
	const h = await hostWebhook(new Trigger(), {
		parameters: { clientToken: TOKEN, events: ['text', 'DELIVERED'], ...parameters },
		credentialsByType: redis ? { redis } : undefined,
		workflowId,
		nodeId: NODE_ID,
	});
	hosts.push(h);
	return h;
}

/** A signed push, as bytes that can be delivered again unchanged. */
function push(messageId: string, over: Partial<WebhookEventInput> = {}): { body: unknown; headers: Record<string, string> } {
	const { body, headers } = buildEnvelope({ type: 'text', phoneNumber: '+16505550123', agentId: 'welcome-bot', text: `hello ${messageId}`, messageId, ...over }, TOKEN);
	return { body: JSON.parse(body) as unknown, headers };
}

const deliver = async (h: WebhookHost, p: { body: unknown; headers: Record<string, string> }) => await postJson(h.url, p.body, p.headers);
const executions = (...hs: WebhookHost[]) => hs.flatMap((h) => h.started.map((s) => s[0][0].json.messageId as string));

/** A TCP listener on 127.0.0.1 that counts the connections it gets (and says nothing back). */
async function listener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
	let count = 0;
	const sockets: Socket[] = [];
	const server: Server = createServer((socket) => {
		count++;
		sockets.push(socket);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		connections: () => count,
		close: async () => {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A port nothing listens on: a listener's, once it is closed. */
async function closedPort(): Promise<number> {
	const l = await listener();
	await l.close();
	return l.port;
}

describe('memory (the default and the only store)', () => {
	test('a redelivery to the same process is answered 200 duplicate ignored and starts nothing', async () => {
		const h = await host(newProcess(), `wf-once-${Date.now()}`);
		const p = push('MxOnce');
		expect(await deliver(h, p)).toEqual({ status: 200, body: '' });
		expect(await deliver(h, p)).toEqual({ status: 200, body: 'duplicate ignored' });
		expect(executions(h)).toEqual(['MxOnce']);
	});

	test('two processes do not share it: each starts the push (why queue mode claims ids with n8n\'s Redis node)', async () => {
		const workflowId = `wf-memory-${Date.now()}`;
		const [a, b] = await Promise.all([host(newProcess(), workflowId, { redeliveryStore: 'memory' }), host(newProcess(), workflowId)]);
		const p = push('MxMemory');
		for (const h of [a, b]) expect(await deliver(h, p)).toEqual({ status: 200, body: '' });
		expect(await deliver(a, p)).toEqual({ status: 200, body: 'duplicate ignored' });
		expect(executions(a, b)).toEqual(['MxMemory', 'MxMemory']);
	});

	test('pushes that start nothing claim nothing: an event type not selected, a bad signature', async () => {
		const h = await host(newProcess(), `wf-unclaimed-${Date.now()}`);
		const typing = push('MxTyping', { type: 'IS_TYPING', eventId: 'EvTyping' });
		expect(await deliver(h, typing)).toEqual({ status: 200, body: 'event type not selected' });
		expect((await deliver(h, push('MxForged', { signature: 'invalid' }))).status).toBe(403);
		// Neither id was taken: the same ids, signed and of a selected type, start their executions.
		expect(await deliver(h, push('MxForged'))).toEqual({ status: 200, body: '' });
		expect(await deliver(h, push('MxTyping', { type: 'DELIVERED', eventId: 'EvTyping' }))).toEqual({ status: 200, body: '' });
		expect(h.started).toHaveLength(2);
	});

	test('bounded per scope: the oldest ids go first; scopes are apart', () => {
		const filter = new MemoryFilter(3);
		for (const id of ['1', '2', '3', '4']) expect(filter.claim('s', id)).toBe('first');
		expect(filter.claim('s', '4')).toBe('duplicate');
		expect(filter.claim('s', '1')).toBe('first');
		expect(filter.claim('other', '4')).toBe('first');
	});
});

describe('a node saved with the removed Redis filter runs as memory and never connects to Redis', () => {
	test('its Redis credential points at a listener: 20 pushes, each delivered twice, to two processes → one execution per process per push, 0 connections', async () => {
		const redis = await listener();
		try {
			const credential = { host: '127.0.0.1', port: redis.port, password: PASSWORD, database: 1, ssl: false };
			const workflowId = `wf-old-redis-${Date.now()}`;
			const [a, b] = await Promise.all([host(newProcess(), workflowId, OLD_REDIS, credential), host(newProcess(), workflowId, OLD_REDIS, credential)]);
			const ids = Array.from({ length: 20 }, (_v, i) => `MxOld-${i}`);
			const answers = await Promise.all(ids.flatMap((id) => [a, a, b, b].map(async (h) => await deliver(h, push(id)))));
			expect(answers.filter((r) => r.status !== 200)).toEqual([]);
			// Per process: the first delivery starts the workflow, the second is a duplicate (memory).
			expect(answers.filter((r) => r.body === '')).toHaveLength(40);
			expect(answers.filter((r) => r.body === 'duplicate ignored')).toHaveLength(40);
			expect(executions(a).sort()).toEqual([...ids].sort());
			expect(executions(b).sort()).toEqual([...ids].sort());
			expect(redis.connections()).toBe(0);
			// The log says once per process (not per push) what the node does now, without secrets.
			for (const h of [a, b]) {
				expect(h.warnings).toHaveLength(1);
				expect(h.warnings[0]).toMatch(/Redelivery Filter › Redis was removed; this node keeps event IDs in this process's memory/);
				expect(h.warnings[0]).not.toContain(PASSWORD);
			}
		} finally {
			await redis.close();
		}
	});

	test('its Redis credential points at a closed port: 200, never 503, and at once', async () => {
		const port = await closedPort();
		const h = await host(newProcess(), `wf-old-redis-down-${Date.now()}`, OLD_REDIS, { host: '127.0.0.1', port, password: PASSWORD, database: 0 });
		const started = Date.now();
		const p = push('MxOldDown');
		expect(await deliver(h, p)).toEqual({ status: 200, body: '' });
		expect(await deliver(h, p)).toEqual({ status: 200, body: 'duplicate ignored' });
		// The old filter gave up on an unreachable Redis after about 2 s; memory answers at once.
		expect(Date.now() - started).toBeLessThan(1500);
		expect(executions(h)).toEqual(['MxOldDown']);
	});

	test('no Redis credential selected any more: the push still starts its execution', async () => {
		const h = await host(newProcess(), `wf-old-redis-no-credential-${Date.now()}`, OLD_REDIS);
		expect(await deliver(h, push('MxOldNoCredential'))).toEqual({ status: 200, body: '' });
		expect(executions(h)).toEqual(['MxOldNoCredential']);
	});
});

describe('the node\'s description', () => {
	test('Events Google Sends Twice (was Redelivery Filter): memory by default; the Redis option kept for saved workflows, offered only to a node that has it, with a notice', () => {
		const { properties, credentials } = new RbmTrigger().description;
		const option = properties.find((p) => p.name === 'redeliveryStore');
		expect(option).toMatchObject({ displayName: 'Events Google Sends Twice', type: 'options', default: 'memory' });
		const options = (option?.options ?? []) as Array<{ name: string; value: string; displayOptions?: unknown }>;
		expect(options.map((o) => o.value)).toEqual(['memory', 'redis']);
		expect(options[0].displayOptions).toBeUndefined();
		// n8n 2.x's editor lists an option only where its displayOptions match the node's values.
		expect(options[1]).toMatchObject({ name: expect.stringMatching(/^Redis \(Removed/), displayOptions: { show: { redeliveryStore: ['redis'] } } });
		const notice = properties.find((p) => p.name === 'redisRemovedNotice');
		expect(notice).toMatchObject({ type: 'notice', displayOptions: { show: { redeliveryStore: ['redis'] } } });
		expect(notice?.displayName).toMatch(/memory/);
		expect(notice?.displayName).toContain('trigger-redis-claim.json');
		// Its TTL and key prefix are gone (n8n ignores saved parameters a node no longer has), and
		// so is the Redis credential.
		const names = properties.map((p) => p.name);
		expect(names).not.toContain('redeliveryTtl');
		expect(names).not.toContain('redeliveryKeyPrefix');
		expect((credentials ?? []).map((c) => c.name)).toEqual(['rbmApi']);
	});
});
