/**
 * Campaigns in n8n's queue mode, with the pattern of examples/campaign-queue.json: the start
 * workflow checks the request and cuts the contact list into chunks in a data table, a supervisor
 * (Schedule Trigger) sends each chunk to the chunk workflow's production webhook, so each chunk is
 * its own execution on whichever worker is free, and it sends again any chunk whose lease ran out
 * without "done" (its execution failed, or its worker died: n8n does not re-run those). A chunk
 * renews its lease after every batch it sends. Message ids are campaign + phone, so what a re-sent
 * chunk already delivered is answered 409 and nobody is messaged twice.
 *
 * The examples run as they ship (the supervisor every 10 s, a 30 s lease, 8 chunks in flight),
 * except for what a user sets: the chunk URL (a relay in this process in front of the webhook
 * process, which can answer for a campaign as a mistyped URL does) and a 15 s retention.
 *
 * One cluster for the whole file (main, webhook processes, workers; PostgreSQL, Redis), the
 * emulator reconfigured per phase. Sizes are the CI sizes; RBM_QUEUE_FULL=1 runs the bench sizes
 * in brackets (what this file ran before CI had to stay under 20 minutes: the same assertions).
 * Cases 2 to 5 mostly wait for the supervisor's ticks, a lease and a retention: they run side by
 * side, each on its own campaign and phones.
 *   1. 4,000 messages in 16 chunks [10,000 in 20], 5 % of sends answered 429 or 503: each phone
 *      accepted exactly once, one token per worker.
 *   2. the start webhook answers 400 with the reason for requests it cannot take, and 200 with the
 *      counts once the chunks are saved.
 *   3. a chunk URL that fails on a campaign's first dispatch blocks the campaign: its rows say
 *      "blocked" with the reason, the supervisor's execution fails with it, nothing is retried;
 *      the campaign (40 phones in 2 chunks [1,000]) started again after the fix resumes and
 *      completes.
 *   4. a chunk that sends for longer than its lease (500 phones at 700 ms each) keeps it: taken
 *      once, no 409.
 *   5. a finished campaign's rows (10 phones in 2 chunks): phones cleared at once, deleted the
 *      retention after it ended.
 *   6. 6,000 messages [20,000], one of the two workers killed with SIGKILL mid-run (at 1,000
 *      [6,000] accepted, when both hold chunks): the campaign completes itself, each phone exactly once; the time from
 *      the kill to completion is logged.
 *   7. latency-bound (L = 500 ms): 800 messages in 8 chunks [1,600], one worker, then two: msg/s
 *      ratio ≥ 1.6.
 *   8. an agent quota at a quarter of what the workers can send, 8,000 messages: goodput ≥ 0.9 ×
 *      quota, 429s ≤ 5 % after the first seconds, no chunk failed.
 *   9. the RBM Trigger behind two webhook processes with the claim of examples/trigger-redis-claim.json
 *      (n8n's Redis node, Increment + Expire on the event id, in the queue's Redis, database 1, then
 *      an If node): 250 pushes [500], each delivered to both → 500 executions, exactly 250 past the
 *      claim (one Mark as Read per push at the emulator); events the trigger does not listen to
 *      start none; a workflow saved with the removed Redis redelivery filter loads, runs as memory
 *      and leaves Redis alone; its answer times and throughput next to n8n's own Webhook node on the
 *      same processes (150 requests [300] each, twice).
 * A summary of the figures is printed at the end.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, request } from 'node:http';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import type { EmulatorStats, RbmEmulator } from '../../emulator';
import { startEmulator } from '../../emulator';
import { buildEnvelope, postJson } from '../../emulator/webhooks';
import type { N8nProcess } from './cluster';
import { freePort, log, post, QueueCluster, sleep, waitForWebhook } from './cluster';

interface WorkflowJson {
	id: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }>; webhookId?: string }>;
}

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const example = (file: string) => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as WorkflowJson;
const nodeOf = (workflow: WorkflowJson, name: string) => {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`${workflow.id} has no node "${name}"`);
	return node;
};
/** Points every node's credential of `type` at the one this cluster imported (what a user picks in the editor). */
const useCredential = (workflow: WorkflowJson, type: string, credential: { id: string; name: string }) => {
	for (const node of workflow.nodes) if (node.credentials?.[type]) node.credentials[type] = { ...credential };
	return workflow;
};

const AGENT = 'queue-agent';
const CLIENT_TOKEN = 'queue-webhook-client-token';
const LEGACY_WORKFLOW = 'rbmQueueTrigger1';
const PLAIN_WORKFLOW = 'rbmQueuePlainWh1';
/** n8n's built-in Redis credential: the queue's Redis, another database than Bull's. */
const REDIS_CREDENTIAL = { id: 'queueRedis000001', name: 'Redis (queue, db 1)' };
const REDIS_DB = 1;

/**
 * A workflow saved before Redelivery Filter › Redis was removed: the option, its TTL and key
 * prefix, and the Redis credential, as they were stored. RBM Trigger (text messages only) → NoOp.
 */
const legacyWorkflow = {
	id: LEGACY_WORKFLOW,
	name: 'RBM replies (queue mode, saved with the removed Redis redelivery filter)',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 't1',
			name: 'RBM Trigger',
			type: 'n8n-nodes-rbm.rbmTrigger',
			typeVersion: 1.1,
			position: [0, 0],
			webhookId: 'rbm-queue-trigger',
			parameters: { clientToken: CLIENT_TOKEN, events: ['text'], redeliveryStore: 'redis', redeliveryTtl: 604_800, redeliveryKeyPrefix: 'n8n-rbm:redelivery:' },
			credentials: { rbmApi: { id: 'rbm-emulator', name: 'RBM Emulator' }, redis: REDIS_CREDENTIAL },
		},
		{ id: 't2', name: 'Reply', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	],
	connections: { 'RBM Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
};
/** n8n's own Webhook node → NoOp: the yardstick for the trigger's throughput. */
const plainWorkflow = {
	id: PLAIN_WORKFLOW,
	name: 'Plain webhook (queue mode yardstick)',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 'p1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'rbm-queue-plain', parameters: { httpMethod: 'POST', path: 'rbm-queue-plain', responseMode: 'onReceived', responseData: 'noData', options: {} } },
		{ id: 'p2', name: 'Reply', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	],
	connections: { Webhook: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
};
/** examples/trigger-redis-claim.json: RBM Trigger → Claim event ID (Redis) → First delivery? (If) → Mark as read. */
const claimExample = example('trigger-redis-claim.json');
const CLAIM_WORKFLOW = claimExample.id;
/** Supervisor settings as examples/campaign-queue.json ships them. */
const SHIPPED = Object.fromEntries(
	(nodeOf(example('campaign-queue.json'), 'Supervisor settings').parameters as { assignments: { assignments: Array<{ name: string; value: unknown }> } }).assignments.assignments.map((a) => [a.name, a.value]),
) as Record<string, unknown>;
/** How often the supervisor ticks, as shipped. */
const TICK_SECONDS = (nodeOf(example('campaign-queue.json'), 'Every 10 seconds').parameters as { rule: { interval: Array<{ secondsInterval: number }> } }).rule.interval[0].secondsInterval;
/** What this file sets instead of the shipped 168 h, so a finished campaign's rows go within the run. */
const RETENTION_SECONDS = 15;
/**
 * RBM_QUEUE_FULL=1: the bench sizes (what this file ran before; the big runs belong to a bench).
 * The CI sizes prove the same: the fault case still has both workers take several chunks each, the
 * kill still lands while both workers hold chunks (each takes 2 at the first tick), the
 * latency-bound case still has 4 rounds of chunks on one worker and 2 on two. The quota case keeps
 * its 8,000: with 4,000 its goodput after the first 3 s was 0.91, 0.90 and 0.90 × the quota in
 * three runs (0.94 to 0.99 with 8,000): the chunks' starts weigh twice as much in a window half as
 * long, and the bound is 0.9.
 */
const FULL = process.env.RBM_QUEUE_FULL === '1';
const SIZES = FULL
	? { faults: 10_000, faultsChunk: 500, blocked: 1000, kill: 20_000, killAt: 6000, scale: 1600, scaleChunk: 200, burst: 500, throughput: 300 }
	: { faults: 4000, faultsChunk: 250, blocked: 40, kill: 6000, killAt: 1000, scale: 800, scaleChunk: 100, burst: 250, throughput: 150 };
const n = (x: number) => x.toLocaleString('en-US');
/** Phone prefixes of the campaigns that run side by side (cases 2 to 5): each counts only its own. */
const PREFIX = { checked: '4477011', blocked: '4477012', longChunk: '4477013', retention: '4477014' };
const phoneOf = (i: number, prefix = '4477009') => `+${prefix}${String(i).padStart(5, '0')}`;
const phones = (n: number, prefix?: string) => Array.from({ length: n }, (_, i) => phoneOf(i, prefix));

const cluster = new QueueCluster();
let emulator: RbmEmulator;
let webhookBase = '';
let webhook2Base = '';
const workers: N8nProcess[] = [];
const summary: Record<string, unknown> = {};
let relay: ChunkRelay;

/**
 * The supervisor's chunk URL in this file: a relay to the webhook process that, for the campaigns
 * in `misrouted`, asks for a webhook path nobody registered, so n8n answers what a mistyped
 * chunkWebhookUrl gets (404 "The requested webhook … is not registered").
 */
interface ChunkRelay {
	url: string;
	misrouted: Set<string>;
	close(): Promise<void>;
}

async function startChunkRelay(target: () => string): Promise<ChunkRelay> {
	const misrouted = new Set<string>();
	const server = createServer((req, res) => {
		const parts: Buffer[] = [];
		req.on('data', (part: Buffer) => parts.push(part));
		req.on('end', () => {
			const body = Buffer.concat(parts);
			let campaign = '';
			try {
				campaign = String((JSON.parse(body.toString('utf8')) as { campaign?: unknown }).campaign);
			} catch {
				// not JSON: relayed as it is
			}
			const path = misrouted.has(campaign) ? '/webhook/rbm-campaign-chunk-mistyped' : '/webhook/rbm-campaign-chunk';
			const forward = request(`${target()}${path}`, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } }, (answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			forward.on('error', (error) => res.writeHead(502).end(error.message));
			forward.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}/webhook/rbm-campaign-chunk`, misrouted, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) };
}

const tableId = () => cluster.services.sql(`SELECT id FROM data_table WHERE name = 'rbm_campaign_chunks'`).trim();

interface ChunkRow {
	chunk: number;
	status: string;
	attempts: number;
	phones: string;
	reason: string;
	finishedAt: number;
	campaignFinishedAt: number;
}

/** The campaign's chunk rows, read from n8n's own data table in PostgreSQL. */
function chunkRows(campaign: string): ChunkRow[] {
	const id = tableId();
	if (!id) return [];
	const json = cluster.services
		.sql(
			`SELECT json_agg(json_build_object('chunk', chunk, 'status', status, 'attempts', attempts, 'phones', phones, 'reason', reason, 'finishedAt', "finishedAt", 'campaignFinishedAt', "campaignFinishedAt") ORDER BY chunk) FROM "data_table_user_${id}" WHERE campaign = '${campaign}'`,
		)
		.trim();
	return json ? (JSON.parse(json) as ChunkRow[]) : [];
}

/** Polls `check` every 500 ms until it returns a value other than undefined; throws after `timeoutMs`. */
async function waitUntil<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
		await sleep(500);
	}
}

/** Phones of this agent the emulator accepted a message for (only those starting +prefix, when given), with how many each. */
function acceptedPerPhone(prefix?: string, stats: EmulatorStats = emulator.stats()): Map<string, number> {
	const perPhone = new Map<string, number>();
	for (const m of Object.values(stats.messages))
		if (m.agentId === AGENT && (!prefix || m.phoneNumber.startsWith(`+${prefix}`))) perPhone.set(m.phoneNumber, (perPhone.get(m.phoneNumber) ?? 0) + 1);
	return perPhone;
}

/** Messages to phones starting +prefix: how many the emulator accepted, and how many sends of them it answered 409. */
function acceptedOf(stats: EmulatorStats, prefix: string): { accepted: number; duplicates: number } {
	let accepted = 0;
	let duplicates = 0;
	for (const m of Object.values(stats.messages))
		if (m.agentId === AGENT && m.phoneNumber.startsWith(`+${prefix}`)) {
			accepted++;
			duplicates += m.count - 1;
		}
	return { accepted, duplicates };
}

/** The campaign's chunk rows by status, read from n8n's own data table in PostgreSQL. */
function chunkStatus(campaign: string): Record<string, number> {
	const id = tableId();
	if (!id) return {};
	const rows = cluster.services.sql(`SELECT status, count(*) FROM "data_table_user_${id}" WHERE campaign = '${campaign}' GROUP BY status`);
	return Object.fromEntries(
		rows
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((line) => line.split('|'))
			.map(([status, count]) => [status, Number(count)]),
	);
}

interface CampaignResult {
	seconds: number;
	accepted: number;
	phones: number;
	twice: number;
	resent409: number;
	requests: number;
	refused429: number;
	injected: Record<string, number>;
	tokenGrants: number;
	chunks: Record<string, number>;
	/** Messages accepted per second, from the first accepted to the last. */
	msgPerSecond: number;
	/** When every phone was accepted and every chunk row said done (epoch ms). */
	completedAt: number;
	samples: Array<{ t: number; accepted: number; refused: number; requests: number }>;
}

/**
 * Starts a campaign through the start workflow's webhook and waits until RBM accepted a message for
 * every phone and every chunk row says done (no human step in between). `during` runs once, when
 * `atAccepted` messages were accepted. With `prefix` (a campaign running beside others) its phones
 * start with it and accepted, phones, twice and 409s count only them; without, the emulator was
 * reset for this campaign alone and they count everything.
 */
async function runCampaign(
	campaign: string,
	count: number,
	{ chunkSize = 500, timeoutMs = 6 * 60_000, atAccepted, during, prefix }: { chunkSize?: number; timeoutMs?: number; atAccepted?: number; during?: () => Promise<void>; prefix?: string } = {},
): Promise<CampaignResult> {
	const started = Date.now();
	const mine = (s: EmulatorStats) => (prefix ? acceptedOf(s, prefix) : { accepted: s.accepted, duplicates: s.duplicates });
	const r = await post(`${webhookBase}/webhook/rbm-campaign-start`, { campaign, text: `Spring sale (${campaign}): 20 % off until Sunday`, agentId: AGENT, phones: phones(count, prefix), chunkSize });
	expect({ status: r.status, json: r.json }).toEqual({ status: 200, json: { campaign, phones: count, chunks: Math.ceil(count / chunkSize), newChunks: Math.ceil(count / chunkSize), resumed: 0 } });
	const samples: CampaignResult['samples'] = [];
	let firstAt = 0;
	let lastAt = 0;
	let fired = false;
	let completedAt = 0;
	const deadline = started + timeoutMs;
	let lastLog = 0;
	for (;;) {
		const s = emulator.stats();
		const { accepted } = mine(s);
		const now = Date.now();
		const refused = (s.quotaLimited[AGENT] ?? 0) + (s.faultsInjected['429'] ?? 0);
		samples.push({ t: now, accepted, refused, requests: s.requests['agentMessages.create'] ?? 0 });
		if (accepted > 0 && !firstAt) firstAt = now;
		if (accepted < count) lastAt = now;
		if (!fired && during && atAccepted !== undefined && accepted >= atAccepted) {
			fired = true;
			await during();
		}
		if (now - lastLog > 10_000) {
			lastLog = now;
			log(`${campaign}: accepted ${accepted}/${count}, chunks ${JSON.stringify(chunkStatus(campaign))}`);
		}
		if (accepted >= count && (chunkStatus(campaign).done ?? 0) === Math.ceil(count / chunkSize)) {
			completedAt = Date.now();
			break;
		}
		if (now > deadline) {
			log(cluster.tails());
			throw new Error(`${campaign}: ${accepted} of ${count} accepted after ${timeoutMs / 1000} s; chunks ${JSON.stringify(chunkStatus(campaign))}`);
		}
		await sleep(250);
	}
	// a moment more: a message sent twice would show now
	await sleep(3000);
	const s = emulator.stats();
	const perPhone = acceptedPerPhone(prefix, s);
	const { accepted, duplicates } = mine(s);
	const result: CampaignResult = {
		seconds: Math.round((Date.now() - started) / 100) / 10,
		accepted,
		phones: perPhone.size,
		twice: [...perPhone.values()].filter((k) => k > 1).length,
		resent409: duplicates,
		requests: s.requests['agentMessages.create'] ?? 0,
		refused429: (s.quotaLimited[AGENT] ?? 0) + (s.faultsInjected['429'] ?? 0),
		injected: s.faultsInjected,
		tokenGrants: s.tokenGrants,
		chunks: chunkStatus(campaign),
		msgPerSecond: Math.round((count / Math.max(0.001, (lastAt - firstAt) / 1000)) * 10) / 10,
		completedAt,
		samples,
	};
	const { samples: _samples, ...shown } = result;
	log(`${campaign}: ${JSON.stringify(shown)}`);
	return result;
}

/** Each phone accepted exactly once: none lost, none twice. */
function expectExactlyOnce(result: CampaignResult, count: number): void {
	expect(result.accepted).toBe(count);
	expect(result.phones).toBe(count);
	expect(result.twice).toBe(0);
}

/**
 * Cases 2 to 5 mostly wait (for ticks, a 30 s lease, the retention): the long chunk of case 4 and
 * the small campaign of case 5 start with whichever of them runs first and go on in the background
 * beside cases 2 and 3, each campaign on its own phones; each case awaits its own. The
 * emulator's latency (700 ms, for the long chunk) is for everyone: case 3's resumed chunks are
 * sent with it too.
 */
let waitingCases: { longChunk: Promise<CampaignResult>; retention: Promise<{ done: ChunkRow[]; ended: number; gone: number }> } | undefined;
function startWaitingCases(): NonNullable<typeof waitingCases> {
	if (!waitingCases) {
		emulator.reset();
		emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 700 } } });
		const retention = async () => {
			const campaign = 'retention';
			const r = await post(`${webhookBase}/webhook/rbm-campaign-start`, { campaign, agentId: AGENT, text: 'Spring sale: 20 % off until Sunday', phones: phones(10, PREFIX.retention), chunkSize: 5 });
			if (r.status !== 200) throw new Error(`${campaign}: the start webhook answered ${r.status} ${r.text}`);
			const done = await waitUntil('the retention campaign’s chunks done', () => {
				const rows = chunkRows(campaign);
				return rows.length === 2 && rows.every((row) => row.status === 'done') ? rows : undefined;
			}, 90_000);
			const ended = await waitUntil('the campaign marked ended', () => chunkRows(campaign)[0]?.campaignFinishedAt || undefined, (2 * TICK_SECONDS + 10) * 1000);
			const gone = await waitUntil('the campaign’s rows deleted', () => (chunkRows(campaign).length === 0 ? Date.now() : undefined), (RETENTION_SECONDS + 2 * TICK_SECONDS + 20) * 1000);
			return { done, ended, gone };
		};
		waitingCases = { longChunk: runCampaign('long-chunk', 500, { chunkSize: 500, prefix: PREFIX.longChunk }), retention: retention() };
		// awaited by their own cases; a failure is reported there, not as an unhandled rejection
		for (const p of Object.values(waitingCases)) p.catch(() => undefined);
	}
	return waitingCases;
}

beforeAll(async () => {
	await cluster.setUp();
	emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 7, deliveryDelayMs: 600_000, unreachable: [] });
	const webhookPort = await freePort();
	webhookBase = `http://127.0.0.1:${webhookPort}`;
	const webhook2Port = await freePort();
	webhook2Base = `http://127.0.0.1:${webhook2Port}`;

	// The example workflows as a user imports them, with the settings a user must set: the chunk
	// URL (the relay in front of the webhook process) and, for this run, a 15 s retention.
	relay = await startChunkRelay(() => webhookBase);
	const start = example('campaign-queue.json');
	const settings = nodeOf(start, 'Supervisor settings').parameters as { assignments: { assignments: Array<{ id: string; name: string; value: unknown; type: string }> } };
	const set = (name: string, value: unknown) => {
		const assignment = settings.assignments.assignments.find((a) => a.name === name);
		if (assignment) assignment.value = value;
		else settings.assignments.assignments.push({ id: `test-${name}`, name, value, type: typeof value });
	};
	set('chunkWebhookUrl', relay.url);
	set('retentionHours', RETENTION_SECONDS / 3600);
	const chunk = example('campaign-queue-chunk.json');
	// The claim pattern as it ships; only its Redis credential is the cluster's.
	const claim = useCredential(claimExample, 'redis', REDIS_CREDENTIAL);

	const keyJson = JSON.stringify(emulator.createServiceAccountKey());
	const { host: redisHost, port: redisPort } = cluster.services.redis;
	await cluster.importCredentials([
		// the webhook client token in the credential, where the claim example's trigger reads it
		{ id: 'rbm-emulator', name: 'RBM Emulator', type: 'rbmApi', data: { serviceAccountJson: keyJson, region: 'global', baseUrl: `${emulator.url}/{region}`, webhookClientToken: CLIENT_TOKEN } },
		{ ...REDIS_CREDENTIAL, type: 'redis', data: { host: redisHost, port: redisPort, database: REDIS_DB, password: '', ssl: false } },
	]);
	await cluster.importAndPublish([chunk, start, claim, legacyWorkflow, plainWorkflow]);

	// webhook processes as docs/trigger.md recommends for RBM Trigger traffic: n8n 2.40 otherwise sets up an
	// expression isolate for every request to any trigger but its own Webhook node
	const lazyIsolate = { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };
	// the imports migrated the database: the five processes start side by side
	const started = await Promise.all([
		// main: editor, triggers (the supervisor's schedule); production webhooks only on the webhook process
		cluster.start('main', 'start', { env: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } }),
		cluster.start('webhook-1', 'webhook', { port: webhookPort, env: lazyIsolate }),
		cluster.start('webhook-2', 'webhook', { port: webhook2Port, env: lazyIsolate }),
		...['worker-1', 'worker-2'].map((name) => cluster.start(name, 'worker', { args: ['--concurrency=2'] })),
	]);
	workers.push(...started.slice(3));
	// a chunk that does not exist: the chunk workflow takes nothing and ends
	await Promise.all([webhookBase, webhook2Base].map(async (base) => await waitForWebhook(`${base}/webhook/rbm-campaign-chunk`, { campaign: 'probe', chunk: -1 })));
	// the supervisor's first tick has created the chunk table. Main starts beside the others, so its
	// first tick can fall on the first campaign's start: n8n's Data Table "Create If Not Exists" is a
	// look-up then a create, and the start workflow and the supervisor both create the table, so one
	// of the two would fail on a fresh database (a race of the example, not what this file tests)
	await waitUntil('the supervisor’s first tick created the chunk table', () => tableId() || undefined, (2 * TICK_SECONDS + 60) * 1000);
}, 10 * 60_000);

afterAll(async () => {
	log(`summary\n${JSON.stringify(summary, null, 2)}`);
	await emulator?.close();
	await relay?.close();
	await cluster.stop();
}, 3 * 60_000);

describe('a campaign across queue-mode workers (examples/campaign-queue.json)', () => {
	test(`${n(SIZES.faults)} messages (${SIZES.faults / SIZES.faultsChunk} chunks over both workers), 5 % of sends answered 429 or 503: each phone accepted exactly once, one token per worker`, async () => {
		emulator.reset();
		emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 20, rate429: 0.025, rate503: 0.025, retryAfterSeconds: 1 } } });
		const count = SIZES.faults;
		const r = await runCampaign('faults', count, { chunkSize: SIZES.faultsChunk });
		summary.faults = { seconds: r.seconds, accepted: r.accepted, twice: r.twice, injected: r.injected, resent409: r.resent409, tokenGrants: r.tokenGrants, chunks: r.chunks };
		expectExactlyOnce(r, count);
		expect((r.injected['429'] ?? 0) + (r.injected['503'] ?? 0)).toBeGreaterThan(0.03 * count);
		// one grant per worker process: each minted its token once, main and the webhook process none
		expect(r.tokenGrants).toBe(2);
	});

	test('the start webhook answers 400 with the reason for a request it cannot take, saving nothing; 200 with the counts once the chunks are saved', async () => {
		// beside the long chunk and the retention campaign (its 3 phones sent at their 700 ms)
		startWaitingCases();
		const startUrl = `${webhookBase}/webhook/rbm-campaign-start`;
		const good = { campaign: 'checked', agentId: AGENT, text: 'Spring sale: 20 % off until Sunday', phones: phones(3, PREFIX.checked) };
		const { agentId: _agentId, ...noAgent } = good;
		const { phones: _phones, ...noPhones } = good;
		const refused: Array<[string, unknown, RegExp]> = [
			['an empty object', {}, /^"campaign" must be a non-empty string.*; "agentId" must be.*; "text" must be.*; "phones" must be a non-empty list/],
			['a body that is not an object', 'campaign=checked', /^the body must be a JSON object/],
			['no campaign id', { ...good, campaign: ' ' }, /^"campaign" must be a non-empty string, the campaign id .*; got " "$/],
			['no agent', noAgent, /^"agentId" must be a non-empty string, your RBM agent's id; got nothing$/],
			['an empty text', { ...good, text: '' }, /^"text" must be a non-empty string; got ""$/],
			['a text longer than RBM takes', { ...good, text: 'x'.repeat(3073) }, /^"text" has 3073 characters; RBM takes at most 3072$/],
			['no phones', noPhones, /^"phones" must be a non-empty list of phone numbers, e\.g\. \["\+16505551234"\]; got nothing$/],
			['an empty list of phones', { ...good, phones: [] }, /^"phones" must be a non-empty list .*; got \[\]$/],
			['phones as one string', { ...good, phones: '+447701100000' }, /^"phones" must be a non-empty list .*; got "\+447701100000"$/],
			['phones that are not strings', { ...good, phones: ['+447701100000', 447701100001, ''] }, /^"phones" must hold phone numbers as strings: 2 do not \(phones\[1\] is 447701100001, phones\[2\] is ""\)$/],
			['a chunk size of 0', { ...good, chunkSize: 0 }, /^"chunkSize" must be a whole number from 1 to 5000 \(500 when left out\); got 0$/],
		];
		const answers = [];
		for (const [what, body, reason] of refused) {
			const r = await post(startUrl, body);
			answers.push({ what, status: r.status, error: (r.json as { error?: string } | undefined)?.error });
			expect({ what, status: r.status }).toEqual({ what, status: 400 });
			expect({ what, error: (r.json as { error?: string }).error }).toEqual({ what, error: expect.stringMatching(reason) });
		}
		summary.startRefused = answers.map((a) => `${a.what}: ${a.status} ${a.error}`);
		// nothing was saved for the refused requests
		expect(chunkRows('checked')).toEqual([]);
		// a good request: 200 once its rows are in the table, and sent
		const ok = await post(startUrl, { ...good, chunkSize: 2 });
		expect({ status: ok.status, json: ok.json }).toEqual({ status: 200, json: { campaign: 'checked', phones: 3, chunks: 2, newChunks: 2, resumed: 0 } });
		expect(chunkRows('checked').map((row) => [row.chunk, row.status, JSON.parse(row.phones)])).toEqual([
			[0, 'pending', good.phones.slice(0, 2)],
			[1, 'pending', good.phones.slice(2)],
		]);
		await waitUntil('the checked campaign done', () => (chunkStatus('checked').done === 2 ? true : undefined), 60_000);
		// every refused body held phones of this prefix too: none of them was sent
		expect([...acceptedPerPhone(PREFIX.checked)].sort()).toEqual(good.phones.map((phone) => [phone, 1]));
		// the same campaign again: nothing new
		const again = await post(startUrl, { ...good, chunkSize: 2 });
		expect({ status: again.status, json: again.json }).toEqual({ status: 200, json: { campaign: 'checked', phones: 3, chunks: 2, newChunks: 0, resumed: 0 } });
	});

	test('a chunk URL that fails on a campaign’s first dispatch blocks the campaign with the reason (data table and a failed execution), retries nothing; started again, it resumes', async () => {
		startWaitingCases();
		const campaign = 'blocked-url';
		// 2 chunks of 20 [500]: the resumed chunks are sent at the long chunk's 700 ms beside it
		const list = phones(SIZES.blocked, PREFIX.blocked);
		relay.misrouted.add(campaign);
		const startedAt = Date.now();
		const r = await post(`${webhookBase}/webhook/rbm-campaign-start`, { campaign, agentId: AGENT, text: 'Spring sale: 20 % off until Sunday', phones: list, chunkSize: SIZES.blocked / 2 });
		expect(r.status).toBe(200);
		const blocked = await waitUntil('the campaign blocked', () => {
			const rows = chunkRows(campaign);
			return rows.length === 2 && rows.every((row) => row.status === 'blocked') ? rows : undefined;
		}, (2 * TICK_SECONDS + 20) * 1000);
		const blockedAfter = Math.round((Date.now() - startedAt) / 1000);
		const reason = blocked[0].reason;
		log(`${campaign}: blocked after ${blockedAfter} s: ${reason}`);
		expect(blocked.map((row) => row.reason)).toEqual([reason, reason]);
		expect(reason).toContain(`Campaign "${campaign}" blocked: its first chunk could not be handed to the chunk workflow at ${relay.url} (it answered 404: The requested webhook "POST rbm-campaign-chunk-mistyped" is not registered.)`);
		expect(reason).toContain('Set chunkWebhookUrl in Supervisor settings');
		// the supervisor's execution failed with the same reason: it is in the executions list
		const failedRuns = () =>
			Number(
				cluster.services
					.sql(
						`SELECT count(*) FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = 'rbmQueueCampaign' AND e.status = 'error' AND d.data LIKE '%its first chunk could not be handed to the chunk workflow%' AND d.data LIKE '%${campaign}%'`,
					)
					.trim(),
			);
		// the rows are written before that execution ends and is saved: wait for it (bounded)
		await waitUntil('the failed supervisor execution saved', () => (failedRuns() >= 1 ? true : undefined), 30_000);
		expect(failedRuns()).toBe(1);
		// no retry: two more ticks later the rows are as they were, nothing was sent, no new error
		await sleep(2 * TICK_SECONDS * 1000 + 2000);
		expect(chunkRows(campaign)).toEqual(blocked);
		expect(failedRuns()).toBe(1);
		expect(acceptedPerPhone(PREFIX.blocked).size).toBe(0);
		// fixed (the relay passes it on now) and started again: it resumes and completes, each phone once
		relay.misrouted.delete(campaign);
		const resumed = await post(`${webhookBase}/webhook/rbm-campaign-start`, { campaign, agentId: AGENT, text: 'Spring sale: 20 % off until Sunday', phones: list, chunkSize: SIZES.blocked / 2 });
		expect({ status: resumed.status, json: resumed.json }).toEqual({ status: 200, json: { campaign, phones: SIZES.blocked, chunks: 2, newChunks: 0, resumed: 2 } });
		await waitUntil('the resumed campaign done', () => (chunkStatus(campaign).done === 2 ? true : undefined), 90_000);
		const perPhone = acceptedPerPhone(PREFIX.blocked);
		expect(perPhone.size).toBe(SIZES.blocked);
		expect([...perPhone.values()].every((n) => n === 1)).toBe(true);
		summary.blocked = { blockedAfterSeconds: blockedAfter, reason, supervisorExecutionsFailed: failedRuns(), afterRestart: chunkStatus(campaign) };
	});

	test('a chunk that sends for longer than its lease (500 phones at 700 ms, shipped 30 s lease) renews it: taken once, no 409', async () => {
		const lease = SHIPPED.leaseSeconds as number;
		expect(lease).toBeLessThanOrEqual(30);
		const campaign = 'long-chunk';
		const r = await startWaitingCases().longChunk;
		const sendingSeconds = (r.samples[r.samples.length - 1].t - r.samples.find((s) => s.accepted > 0)!.t) / 1000;
		const rows = chunkRows(campaign);
		summary.longChunk = { leaseSeconds: lease, sendingSeconds, attempts: rows.map((row) => row.attempts), resent409: r.resent409 };
		log(`${campaign}: one chunk sent for ${sendingSeconds} s with a ${lease} s lease; attempts ${rows.map((row) => row.attempts).join(',')}, ${r.resent409} answers 409`);
		expectExactlyOnce(r, 500);
		expect(sendingSeconds).toBeGreaterThan(lease);
		expect(rows.map((row) => [row.status, row.attempts])).toEqual([['done', 1]]);
		expect(r.resent409).toBe(0);
	});

	test('a finished campaign’s rows: phones cleared when each chunk is done, all rows deleted the retention after the campaign ended', async () => {
		const campaign = 'retention';
		const { done, ended, gone } = await startWaitingCases().retention;
		expect(done.map((row) => [row.status, row.phones, row.finishedAt > 0])).toEqual([
			['done', '', true],
			['done', '', true],
		]);
		const keptSeconds = Math.round((gone - ended) / 100) / 10;
		summary.retention = { retentionSeconds: RETENTION_SECONDS, deletedSecondsAfterEnd: keptSeconds };
		log(`${campaign}: ended, rows deleted ${keptSeconds} s later (retention ${RETENTION_SECONDS} s, a tick every ${TICK_SECONDS} s)`);
		expect(keptSeconds).toBeGreaterThanOrEqual(RETENTION_SECONDS);
		expect(keptSeconds).toBeLessThanOrEqual(RETENTION_SECONDS + TICK_SECONDS + 10);
	});

	test(`${n(SIZES.kill)} messages, a worker killed with SIGKILL mid-run: the campaign completes itself, each phone exactly once`, async () => {
		emulator.reset();
		emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 20 } } });
		const victim = workers[1];
		const lease = SHIPPED.leaseSeconds as number;
		let killedAt = 0;
		let leasedAtKill: number[] = [];
		const r = await runCampaign('kill', SIZES.kill, {
			atAccepted: SIZES.killAt,
			during: async () => {
				cluster.kill(victim);
				killedAt = Date.now();
				// the chunks in someone's hands at that moment: the dead worker's are among them
				leasedAtKill = chunkRows('kill')
					.filter((row) => row.status === 'dispatched' || row.status === 'sending')
					.map((row) => row.chunk);
			},
		});
		const rows = chunkRows('kill');
		// when the last of those was done: the dead worker's, once their lease ran out and the
		// supervisor handed them to the other worker
		const recoveredAt = Math.max(...rows.filter((row) => leasedAtKill.includes(row.chunk)).map((row) => row.finishedAt));
		const killToRecovered = Math.round((recoveredAt - killedAt) / 100) / 10;
		const killToCompletion = Math.round((r.completedAt - killedAt) / 100) / 10;
		const maxAttempts = Math.max(...rows.map((row) => row.attempts));
		const failed = cluster.services.sql(`SELECT count(*) FROM execution_entity WHERE status IN ('error', 'crashed') AND "workflowId" = 'rbmQueueChunk001'`).trim();
		summary.killedWorker = {
			settings: { leaseSeconds: lease, tickSeconds: TICK_SECONDS, maxChunksInFlight: SHIPPED.maxChunksInFlight },
			seconds: r.seconds,
			killToCompletionSeconds: killToCompletion,
			killToLastHeldChunkDoneSeconds: killToRecovered,
			chunksHeldAtKill: leasedAtKill.length,
			accepted: r.accepted,
			twice: r.twice,
			resent409: r.resent409,
			tokenGrants: r.tokenGrants,
			chunks: r.chunks,
			maxAttemptsOfAChunk: maxAttempts,
			chunkExecutionsFailedOrCrashed: Number(failed),
		};
		log(`kill: from the SIGKILL to completion ${killToCompletion} s; to the last chunk held at the kill done ${killToRecovered} s (lease ${lease} s, a tick every ${TICK_SECONDS} s)`);
		expectExactlyOnce(r, SIZES.kill);
		// the dead worker's chunks (taken, or still in its hands in the queue) were sent again by the
		// supervisor once their lease ran out; what it had already sent was answered 409 (0 when it
		// died before sending any), within a lease, a tick and the time to send a chunk after the kill
		expect(maxAttempts).toBeGreaterThanOrEqual(2);
		expect(killToRecovered).toBeLessThanOrEqual(lease + 2 * TICK_SECONDS + 30);
		// tokens are cached per process: no new grant after the first phase
		expect(r.tokenGrants).toBe(0);
		workers.splice(1, 1);
	});

	test('latency-bound (L = 500 ms): two workers deliver ≥ 1.6 × one worker’s messages per second', async () => {
		emulator.reset();
		emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 500 } } });
		// 8 chunks of 100 [200] at Concurrency 10 and 500 ms: 5 s [10 s] a chunk, 2 at once a worker:
		// 4 rounds on one worker, 2 on two (all 8 are dispatched at one tick: 8 in flight as shipped)
		const one = await runCampaign('scale-one-worker', SIZES.scale, { chunkSize: SIZES.scaleChunk });
		workers.push(await cluster.start('worker-3', 'worker', { args: ['--concurrency=2'] }));
		emulator.reset();
		const two = await runCampaign('scale-two-workers', SIZES.scale, { chunkSize: SIZES.scaleChunk });
		const ratio = Math.round((two.msgPerSecond / one.msgPerSecond) * 100) / 100;
		summary.scaling = { latencyMs: 500, oneWorkerMsgPerSecond: one.msgPerSecond, twoWorkersMsgPerSecond: two.msgPerSecond, ratio };
		expectExactlyOnce(one, SIZES.scale);
		expectExactlyOnce(two, SIZES.scale);
		expect(ratio).toBeGreaterThanOrEqual(1.6);
	});

	test('an agent quota at a quarter of what two workers can send: goodput ≥ 0.9 × quota, 429s ≤ 5 % after the first seconds, nothing failed', async () => {
		const quota = 200;
		emulator.reset();
		// 4 chunks at once (2 workers × 2), each able to send 10 / 50 ms = 200/s: 4 × the quota
		emulator.configure({ agentQuotaPerSecond: quota, faults: { 'agentMessages.create': { latencyMs: 50 } } });
		const count = 8000;
		const r = await runCampaign('quota', count, { chunkSize: 500 });
		emulator.configure({ agentQuotaPerSecond: 0 });
		// after the first 3 s of sending
		const first = r.samples.find((s) => s.accepted > 0)!;
		const warm = r.samples.find((s) => s.t >= first.t + 3000) ?? first;
		const done = r.samples.find((s) => s.accepted >= count) ?? r.samples[r.samples.length - 1];
		const goodput = (done.accepted - warm.accepted) / ((done.t - warm.t) / 1000);
		const refusedShare = (done.refused - warm.refused) / Math.max(1, done.requests - warm.requests);
		summary.quota = {
			quotaPerSecond: quota,
			goodputPerSecond: Math.round(goodput),
			goodputShareOfQuota: Math.round((goodput / quota) * 100) / 100,
			refused429ShareAfter3s: Math.round(refusedShare * 1000) / 1000,
			refused429Total: r.refused429,
			requests: r.requests,
			chunks: r.chunks,
		};
		expectExactlyOnce(r, count);
		expect(r.chunks).toEqual({ done: count / 500 });
		expect(goodput).toBeGreaterThanOrEqual(0.9 * quota);
		expect(refusedShare).toBeLessThanOrEqual(0.05);
	});

	test(`RBM Trigger behind two webhook processes, the Redis claim of examples/trigger-redis-claim.json: ${SIZES.burst} pushes each delivered to both → exactly ${SIZES.burst} past the claim`, async () => {
		emulator.reset();
		emulator.configure({ agentQuotaPerSecond: 0, faults: {} });
		const claimPath = `/webhook/${nodeOf(claimExample, 'RBM Trigger').webhookId}/webhook`;
		const legacyPath = '/webhook/rbm-queue-trigger/webhook';
		const redis = new Redis({ ...cluster.services.redis, db: REDIS_DB, lazyConnect: true, maxRetriesPerRequest: 1 });
		try {
			/** Execution rows of a workflow by status: in queue mode a webhook process writes the row before it queues the execution. */
			const byStatus = (workflowId: string): Record<string, number> =>
				Object.fromEntries(
					cluster.services
						.sql(`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${workflowId}' GROUP BY status`)
						.trim()
						.split('\n')
						.filter(Boolean)
						.map((line) => line.split('|'))
						.map(([status, count]) => [status, Number(count)]),
				);
			const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
			const FINISHED = ['success', 'error', 'crashed', 'canceled'];
			const finished = (counts: Record<string, number>) => FINISHED.reduce((n, status) => n + (counts[status] ?? 0), 0);
			/**
			 * Waits (at most `timeoutMs`) until `expected` executions of the workflow exist and have
			 * ended, then a moment more (one too many would show); returns the rows by status.
			 */
			const waitForFinished = async (workflowId: string, expected: number, timeoutMs = 4 * 60_000) => {
				const deadline = Date.now() + timeoutMs;
				let counts = byStatus(workflowId);
				let lastLog = Date.now();
				while ((total(counts) < expected || finished(counts) < total(counts)) && Date.now() < deadline) {
					await sleep(500);
					counts = byStatus(workflowId);
					if (Date.now() - lastLog > 10_000) {
						lastLog = Date.now();
						log(`${workflowId}: executions ${JSON.stringify(counts)} (waiting for ${expected} ended)`);
					}
				}
				await sleep(3000);
				return byStatus(workflowId);
			};
			/** Posts the requests with 16 at once; answer times in ms. */
			const deliver = async (requests: Array<{ url: string; body: string; headers: Record<string, string> }>) => {
				const times: number[] = [];
				const answers: Array<{ status: number; body: string }> = [];
				let next = 0;
				const started = Date.now();
				await Promise.all(
					Array.from({ length: 16 }, async () => {
						while (next < requests.length) {
							const r = requests[next++];
							const t = Date.now();
							answers.push(await postJson(r.url, r.body, r.headers, 30_000));
							times.push(Date.now() - t);
						}
					}),
				);
				const seconds = (Date.now() - started) / 1000;
				times.sort((a, b) => a - b);
				const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
				return { answers, perSecond: Math.round(requests.length / seconds), p50: at(0.5), p95: at(0.95), p99: at(0.99) };
			};
			const push = (k: number, type: 'text' | 'DELIVERED' = 'text') => buildEnvelope({ type, phoneNumber: phoneOf(k), agentId: AGENT, text: `reply ${k}`, messageId: `queue-push-${type}-${k}`, eventId: `queue-event-${type}-${k}` }, CLIENT_TOKEN);
			/** Both workflows' production webhooks are live on both processes: a DELIVERED push, which neither listens to, is answered 200 and starts nothing. */
			for (const base of [webhookBase, webhook2Base]) {
				for (const webhookPath of [claimPath, legacyPath]) {
					const deadline = Date.now() + 60_000;
					const probe = push(99_999, 'DELIVERED');
					let r = await postJson(`${base}${webhookPath}`, probe.body, probe.headers);
					while (r.status === 404 && Date.now() < deadline) {
						await sleep(500);
						r = await postJson(`${base}${webhookPath}`, probe.body, probe.headers);
					}
					expect(r).toEqual({ status: 200, body: 'event type not selected' });
				}
			}
			expect(byStatus(CLAIM_WORKFLOW)).toEqual({});

			// 250 pushes [500], each to both webhook processes at the same moment. Each process's memory
			// sees each push once, so both start an execution: 500 [1,000] executions race to the claim.
			const BURST = SIZES.burst;
			const requests = Array.from({ length: BURST }, (_, k) => push(k)).flatMap((env) => [
				{ url: `${webhookBase}${claimPath}`, ...env },
				{ url: `${webhook2Base}${claimPath}`, ...env },
			]);
			const twice = await deliver(requests);
			expect(twice.answers.filter((a) => a.status !== 200)).toEqual([]);
			const started = twice.answers.filter((a) => a.body === '').length;
			const executions = await waitForFinished(CLAIM_WORKFLOW, 2 * BURST);
			// Past the claim: the Mark as Read after the If's true branch, one READ event per execution
			// that got through, counted by the emulator (what RBM would have received).
			const reads = emulator.stats().events.filter((e) => e.eventType === 'READ' && e.agentId === AGENT && typeof e.messageId === 'string' && e.messageId.startsWith('queue-push-text-'));
			const readMessages = new Set(reads.map((e) => e.messageId));
			// The claims in Redis: one key per push, counted to 2 (both deliveries), 7 days to live.
			const keys = await redis.keys(`n8n-rbm:claim:${CLAIM_WORKFLOW}:*`);
			const values = keys.length ? await redis.mget(...keys) : [];
			const ttls = await Promise.all(keys.map(async (key) => await redis.ttl(key)));
			// What a claim costs in Redis (docs/queue-mode.md quotes it): MEMORY USAGE of each key, on average.
			const usage = await Promise.all(keys.map(async (key) => Number(await redis.call('MEMORY', 'USAGE', key))));
			const bytesPerKey = Math.round(usage.reduce((a, b) => a + b, 0) / Math.max(1, usage.length));
			log(`claim: ${requests.length} deliveries at ${twice.perSecond}/s: ${started} started, executions ${JSON.stringify(executions)}, ${reads.length} past the claim (${readMessages.size} messages), ${keys.length} claim keys`);

			// events the workflow does not listen to (DELIVERED): answered 200, no execution
			const unselected = await deliver(Array.from({ length: 200 }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}${claimPath}`, ...push(k, 'DELIVERED') })));
			expect(unselected.answers.every((a) => a.status === 200 && a.body === 'event type not selected')).toBe(true);
			const afterUnselected = await waitForFinished(CLAIM_WORKFLOW, 2 * BURST, 10_000);

			// A workflow saved with the removed Redis redelivery filter (and its Redis credential) was
			// imported and published with the others, and runs as memory: one push to both processes
			// starts one execution on each, a redelivery to one of them is a duplicate there, and no
			// key is written to Redis.
			const old = push(30_000);
			const legacyAnswers = [
				await postJson(`${webhookBase}${legacyPath}`, old.body, old.headers),
				await postJson(`${webhook2Base}${legacyPath}`, old.body, old.headers),
				await postJson(`${webhookBase}${legacyPath}`, old.body, old.headers),
			];
			const legacyExecutions = await waitForFinished(LEGACY_WORKFLOW, 2, 60_000);
			const legacyKeys = await redis.keys('n8n-rbm:redelivery:*');

			// throughput on the same two webhook processes: RBM Trigger (distinct pushes, the workflow
			// above: trigger → NoOp) and n8n's Webhook node (→ NoOp), 150 [300] each, alternated twice
			// (the queue's backlog grows as they run)
			const TP = SIZES.throughput;
			const plainBody = push(20_000).body;
			const rbmRuns: Array<Awaited<ReturnType<typeof deliver>>> = [];
			const plainRuns: Array<Awaited<ReturnType<typeof deliver>>> = [];
			for (let round = 0; round < 2; round++) {
				plainRuns.push(await deliver(Array.from({ length: TP }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}/webhook/rbm-queue-plain`, body: plainBody, headers: { 'Content-Type': 'application/json' } }))));
				rbmRuns.push(await deliver(Array.from({ length: TP }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}${legacyPath}`, ...push(10_000 + round * 1000 + k) }))));
			}
			for (const [name, runs] of [['RBM Trigger', rbmRuns], ['Webhook node', plainRuns]] as const) log(`${name}: ${runs.map((r) => `${r.perSecond}/s p50 ${r.p50} ms p95 ${r.p95} ms`).join('; ')}`);
			const best = (runs: typeof rbmRuns) => runs.reduce((x, y) => (y.perSecond > x.perSecond ? y : x));
			const rbm = best(rbmRuns);
			const plain = best(plainRuns);
			summary.trigger = {
				claimPushesDeliveredTwice: {
					deliveries: requests.length,
					started,
					executions,
					pastTheClaim: reads.length,
					distinctMessagesPastTheClaim: readMessages.size,
					claimKeys: keys.length,
					claimCounts: [...new Set(values)],
					ttlSeconds: { min: Math.min(...ttls), max: Math.max(...ttls) },
					redisBytesPerKey: bytesPerKey,
				},
				unselectedEvents: { deliveries: 200, executions: total(afterUnselected) - total(executions) },
				savedWithRemovedRedisFilter: { answers: legacyAnswers.map((a) => `${a.status} ${a.body || '(empty)'}`), executions: legacyExecutions, redeliveryKeys: legacyKeys.length },
				[`throughput${TP}x2`]: {
					rbmTrigger: { perSecond: rbm.perSecond, p50ms: rbm.p50, p95ms: rbm.p95, p99ms: rbm.p99 },
					webhookNode: { perSecond: plain.perSecond, p50ms: plain.p50, p95ms: plain.p95, p99ms: plain.p99 },
					ratio: Math.round((rbm.perSecond / plain.perSecond) * 100) / 100,
				},
			};

			expect(started).toBe(2 * BURST);
			expect(executions).toEqual({ success: 2 * BURST });
			expect(reads).toHaveLength(BURST);
			expect(readMessages).toEqual(new Set(Array.from({ length: BURST }, (_, k) => `queue-push-text-${k}`)));
			expect(keys).toHaveLength(BURST);
			expect(new Set(values)).toEqual(new Set(['2']));
			expect(Math.min(...ttls)).toBeGreaterThan(604_800 - 600);
			expect(Math.max(...ttls)).toBeLessThanOrEqual(604_800);
			expect(afterUnselected).toEqual(executions);
			expect(legacyAnswers).toEqual([
				{ status: 200, body: '' },
				{ status: 200, body: '' },
				{ status: 200, body: 'duplicate ignored' },
			]);
			expect(legacyExecutions).toEqual({ success: 2 });
			expect(legacyKeys).toEqual([]);
			expect(rbmRuns.every((r) => r.answers.every((a) => a.status === 200 && a.body === ''))).toBe(true);
			expect(plainRuns.every((r) => r.answers.every((a) => a.status === 200))).toBe(true);
		} finally {
			redis.disconnect();
		}
	});
});
