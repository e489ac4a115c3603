/**
 * Campaigns in n8n's queue mode, with the pattern of examples/campaign-queue.json: the start
 * workflow cuts the contact list into chunks in a data table, a supervisor (Schedule Trigger) sends
 * each chunk to the chunk workflow's production webhook, so each chunk is its own execution on
 * whichever worker is free, and it sends again any chunk whose lease ran out without "done" (its
 * execution failed, or its worker died: n8n does not re-run those). Message ids are campaign +
 * phone, so what a re-sent chunk already delivered is answered 409 and nobody is messaged twice.
 *
 * One cluster for the whole file (main, one webhook process, workers; PostgreSQL, Redis), the
 * emulator reconfigured per phase:
 *   1. 20,000 messages, 5 % of sends answered 429 or 503: each phone accepted exactly once.
 *   2. 20,000 messages, one of the two workers killed with SIGKILL mid-run: the campaign completes
 *      itself, each phone exactly once.
 *   3. latency-bound (L = 500 ms): one worker, then two: msg/s ratio ≥ 1.6.
 *   4. an agent quota at a quarter of what the workers can send: goodput ≥ 0.9 × quota, 429s ≤ 5 %
 *      after the first seconds, no chunk failed.
 *   5. the RBM Trigger behind two webhook processes with the claim of examples/trigger-redis-claim.json
 *      (n8n's Redis node, Increment + Expire on the event id, in the queue's Redis, database 1, then
 *      an If node): 500 pushes, each delivered to both → 1,000 executions, exactly 500 past the
 *      claim (one Mark as Read per push at the emulator); events the trigger does not listen to
 *      start none; a workflow saved with the removed Redis redelivery filter loads, runs as memory
 *      and leaves Redis alone; its answer times and throughput next to n8n's own Webhook node on the
 *      same processes.
 * A summary of the figures is printed at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import type { RbmEmulator } from '../../emulator';
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
const LEASE_SECONDS = 40;
const phoneOf = (i: number) => `+4477009${String(i).padStart(5, '0')}`;
const phones = (n: number) => Array.from({ length: n }, (_, i) => phoneOf(i));

const cluster = new QueueCluster();
let emulator: RbmEmulator;
let webhookBase = '';
let webhook2Base = '';
const workers: N8nProcess[] = [];
const summary: Record<string, unknown> = {};

/** The campaign's chunk rows by status, read from n8n's own data table in PostgreSQL. */
function chunkStatus(campaign: string): Record<string, number> {
	const tableId = cluster.services.sql(`SELECT id FROM data_table WHERE name = 'rbm_campaign_chunks'`).trim();
	if (!tableId) return {};
	const rows = cluster.services.sql(`SELECT status, count(*) FROM "data_table_user_${tableId}" WHERE campaign = '${campaign}' GROUP BY status`);
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
	samples: Array<{ t: number; accepted: number; refused: number; requests: number }>;
}

/**
 * Starts a campaign through the start workflow's webhook and waits until RBM accepted a message for
 * every phone and every chunk row says done (no human step in between). `during` runs once, when
 * `atAccepted` messages were accepted.
 */
async function runCampaign(campaign: string, count: number, { chunkSize = 500, timeoutMs = 6 * 60_000, atAccepted, during }: { chunkSize?: number; timeoutMs?: number; atAccepted?: number; during?: () => Promise<void> } = {}): Promise<CampaignResult> {
	const started = Date.now();
	const r = await post(`${webhookBase}/webhook/rbm-campaign-start`, { campaign, text: `Spring sale (${campaign}): 20 % off until Sunday`, agentId: AGENT, phones: phones(count), chunkSize });
	expect(r.status).toBe(200);
	const samples: CampaignResult['samples'] = [];
	let firstAt = 0;
	let lastAt = 0;
	let fired = false;
	const deadline = started + timeoutMs;
	let lastLog = 0;
	for (;;) {
		const s = emulator.stats();
		const now = Date.now();
		const refused = (s.quotaLimited[AGENT] ?? 0) + (s.faultsInjected['429'] ?? 0);
		samples.push({ t: now, accepted: s.accepted, refused, requests: s.requests['agentMessages.create'] ?? 0 });
		if (s.accepted > 0 && !firstAt) firstAt = now;
		if (s.accepted < count) lastAt = now;
		if (!fired && during && atAccepted !== undefined && s.accepted >= atAccepted) {
			fired = true;
			await during();
		}
		if (now - lastLog > 10_000) {
			lastLog = now;
			log(`${campaign}: accepted ${s.accepted}/${count}, chunks ${JSON.stringify(chunkStatus(campaign))}`);
		}
		if (s.accepted >= count && (chunkStatus(campaign).done ?? 0) === Math.ceil(count / chunkSize)) break;
		if (now > deadline) {
			log(cluster.tails());
			throw new Error(`${campaign}: ${s.accepted} of ${count} accepted after ${timeoutMs / 1000} s; chunks ${JSON.stringify(chunkStatus(campaign))}`);
		}
		await sleep(250);
	}
	// a moment more: a message sent twice would show now
	await sleep(3000);
	const s = emulator.stats();
	const perPhone = new Map<string, number>();
	for (const m of Object.values(s.messages)) if (m.agentId === AGENT) perPhone.set(m.phoneNumber, (perPhone.get(m.phoneNumber) ?? 0) + 1);
	const result: CampaignResult = {
		seconds: Math.round((Date.now() - started) / 100) / 10,
		accepted: s.accepted,
		phones: perPhone.size,
		twice: [...perPhone.values()].filter((n) => n > 1).length,
		resent409: s.duplicates,
		requests: s.requests['agentMessages.create'] ?? 0,
		refused429: (s.quotaLimited[AGENT] ?? 0) + (s.faultsInjected['429'] ?? 0),
		injected: s.faultsInjected,
		tokenGrants: s.tokenGrants,
		chunks: chunkStatus(campaign),
		msgPerSecond: Math.round((count / Math.max(0.001, (lastAt - firstAt) / 1000)) * 10) / 10,
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

beforeAll(async () => {
	await cluster.setUp();
	emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 7, deliveryDelayMs: 600_000, unreachable: [] });
	const webhookPort = await freePort();
	webhookBase = `http://127.0.0.1:${webhookPort}`;
	const webhook2Port = await freePort();
	webhook2Base = `http://127.0.0.1:${webhook2Port}`;

	// The example workflows as a user imports them; the supervisor pointed at the webhook process,
	// ticking every 2 s with a 40 s lease (the example: 10 s, 120 s).
	const start = example('campaign-queue.json');
	const settings = nodeOf(start, 'Supervisor settings').parameters as { assignments: { assignments: Array<{ name: string; value: unknown }> } };
	const set = (name: string, value: unknown) => (settings.assignments.assignments.find((a) => a.name === name)!.value = value);
	set('chunkWebhookUrl', `${webhookBase}/webhook/rbm-campaign-chunk`);
	set('leaseSeconds', LEASE_SECONDS);
	set('maxChunksInFlight', 8);
	nodeOf(start, 'Every 10 seconds').parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 2 }] };
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

	// main: editor, triggers (the supervisor's schedule); production webhooks only on the webhook process
	await cluster.start('main', 'start', { env: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } });
	// webhook processes as README recommends for RBM Trigger traffic: n8n 2.40 otherwise sets up an
	// expression isolate for every request to any trigger but its own Webhook node
	const lazyIsolate = { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };
	await cluster.start('webhook-1', 'webhook', { port: webhookPort, env: lazyIsolate });
	await cluster.start('webhook-2', 'webhook', { port: webhook2Port, env: lazyIsolate });
	for (const name of ['worker-1', 'worker-2']) workers.push(await cluster.start(name, 'worker', { args: ['--concurrency=2'] }));
	// a chunk that does not exist: the chunk workflow takes nothing and ends
	await waitForWebhook(`${webhookBase}/webhook/rbm-campaign-chunk`, { campaign: 'probe', chunk: -1 });
	await waitForWebhook(`${webhook2Base}/webhook/rbm-campaign-chunk`, { campaign: 'probe', chunk: -1 });
}, 10 * 60_000);

afterAll(async () => {
	log(`summary\n${JSON.stringify(summary, null, 2)}`);
	await emulator?.close();
	await cluster.stop();
}, 3 * 60_000);

describe('a campaign across queue-mode workers (examples/campaign-queue.json)', () => {
	test('20,000 messages, 5 % of sends answered 429 or 503: each phone accepted exactly once, one token per worker', async () => {
		emulator.reset();
		emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 20, rate429: 0.025, rate503: 0.025, retryAfterSeconds: 1 } } });
		const r = await runCampaign('faults', 20_000);
		summary.faults = { seconds: r.seconds, accepted: r.accepted, twice: r.twice, injected: r.injected, resent409: r.resent409, tokenGrants: r.tokenGrants, chunks: r.chunks };
		expectExactlyOnce(r, 20_000);
		expect((r.injected['429'] ?? 0) + (r.injected['503'] ?? 0)).toBeGreaterThan(0.03 * 20_000);
		// one grant per worker process: each minted its token once, main and the webhook process none
		expect(r.tokenGrants).toBe(2);
	});

	test('20,000 messages, a worker killed with SIGKILL mid-run: the campaign completes itself, each phone exactly once', async () => {
		emulator.reset();
		emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 20 } } });
		const victim = workers[1];
		const r = await runCampaign('kill', 20_000, {
			atAccepted: 6000,
			during: async () => cluster.kill(victim),
		});
		const failed = cluster.services.sql(`SELECT count(*) FROM execution_entity WHERE status IN ('error', 'crashed') AND "workflowId" = 'rbmQueueChunk001'`).trim();
		summary.killedWorker = { seconds: r.seconds, accepted: r.accepted, twice: r.twice, resent409: r.resent409, tokenGrants: r.tokenGrants, chunks: r.chunks, chunkExecutionsFailedOrCrashed: Number(failed) };
		expectExactlyOnce(r, 20_000);
		// the dead worker's chunk (taken, or still in its hands in the queue) was sent again by the
		// supervisor once its lease ran out; what it had already sent was answered 409 (0 when it died
		// before sending any)
		const tableId = cluster.services.sql(`SELECT id FROM data_table WHERE name = 'rbm_campaign_chunks'`).trim();
		const maxAttempts = Number(cluster.services.sql(`SELECT max(attempts) FROM "data_table_user_${tableId}" WHERE campaign = 'kill'`).trim());
		(summary.killedWorker as Record<string, unknown>).maxAttemptsOfAChunk = maxAttempts;
		expect(maxAttempts).toBeGreaterThanOrEqual(2);
		// tokens are cached per process: no new grant after the first phase
		expect(r.tokenGrants).toBe(0);
		workers.splice(1, 1);
	});

	test('latency-bound (L = 500 ms): two workers deliver ≥ 1.6 × one worker’s messages per second', async () => {
		emulator.reset();
		emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 500 } } });
		// 8 chunks of 200 at Concurrency 10 and 500 ms: 10 s a chunk, 2 at once a worker
		const one = await runCampaign('scale-one-worker', 1600, { chunkSize: 200 });
		workers.push(await cluster.start('worker-3', 'worker', { args: ['--concurrency=2'] }));
		emulator.reset();
		const two = await runCampaign('scale-two-workers', 1600, { chunkSize: 200 });
		const ratio = Math.round((two.msgPerSecond / one.msgPerSecond) * 100) / 100;
		summary.scaling = { latencyMs: 500, oneWorkerMsgPerSecond: one.msgPerSecond, twoWorkersMsgPerSecond: two.msgPerSecond, ratio };
		expectExactlyOnce(one, 1600);
		expectExactlyOnce(two, 1600);
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

	test('RBM Trigger behind two webhook processes, the Redis claim of examples/trigger-redis-claim.json: 500 pushes each delivered to both → exactly 500 past the claim', async () => {
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

			// 500 pushes, each to both webhook processes at the same moment. Each process's memory
			// sees each push once, so both start an execution: 1,000 executions race to the claim.
			const BURST = 500;
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
			// What a claim costs in Redis (README quotes it): MEMORY USAGE of each key, on average.
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
			// above: trigger → NoOp) and n8n's Webhook node (→ NoOp), 300 each, alternated twice (the
			// queue's backlog grows as they run)
			const plainBody = push(20_000).body;
			const rbmRuns: Array<Awaited<ReturnType<typeof deliver>>> = [];
			const plainRuns: Array<Awaited<ReturnType<typeof deliver>>> = [];
			for (let round = 0; round < 2; round++) {
				plainRuns.push(await deliver(Array.from({ length: 300 }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}/webhook/rbm-queue-plain`, body: plainBody, headers: { 'Content-Type': 'application/json' } }))));
				rbmRuns.push(await deliver(Array.from({ length: 300 }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}${legacyPath}`, ...push(10_000 + round * 1000 + k) }))));
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
				throughput300x2: {
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
