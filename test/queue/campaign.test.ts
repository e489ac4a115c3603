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
 *   5. the RBM Trigger behind two webhook processes with its Redis redelivery filter (n8n's Redis
 *      credential, the queue's Redis, database 1): 500 pushes, each delivered to both → exactly
 *      500 executions; events the trigger does not listen to start none; its answer times and
 *      throughput next to n8n's own Webhook node on the same processes.
 * A summary of the figures is printed at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RbmEmulator } from '../../emulator';
import { startEmulator } from '../../emulator';
import { buildEnvelope, postJson } from '../../emulator/webhooks';
import type { N8nProcess } from './cluster';
import { freePort, log, post, QueueCluster, sleep, waitForWebhook } from './cluster';

interface WorkflowJson {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
}

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const example = (file: string) => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as WorkflowJson;
const nodeOf = (workflow: WorkflowJson, name: string) => {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`${workflow.id} has no node "${name}"`);
	return node;
};

const AGENT = 'queue-agent';
const CLIENT_TOKEN = 'queue-webhook-client-token';
const TRIGGER_WORKFLOW = 'rbmQueueTrigger1';
const PLAIN_WORKFLOW = 'rbmQueuePlainWh1';

/** RBM Trigger (text messages only, Redis redelivery filter) → NoOp. */
const triggerWorkflow = {
	id: TRIGGER_WORKFLOW,
	name: 'RBM replies (queue mode, Redis redelivery filter)',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 't1', name: 'RBM Trigger', type: 'n8n-nodes-rbm.rbmTrigger', typeVersion: 1.1, position: [0, 0], webhookId: 'rbm-queue-trigger', parameters: { clientToken: CLIENT_TOKEN, events: ['text'], redeliveryStore: 'redis' }, credentials: { rbmApi: { id: 'rbm-emulator', name: 'RBM Emulator' }, redis: { id: 'queueRedis000001', name: 'Redis (queue, db 1)' } } },
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

	const keyJson = JSON.stringify(emulator.createServiceAccountKey());
	const { host: redisHost, port: redisPort } = cluster.services.redis;
	await cluster.importCredentials([
		{ id: 'rbm-emulator', name: 'RBM Emulator', type: 'rbmApi', data: { serviceAccountJson: keyJson, region: 'global', baseUrl: `${emulator.url}/{region}` } },
		// n8n's built-in Redis credential: the queue's Redis, another database than Bull's
		{ id: 'queueRedis000001', name: 'Redis (queue, db 1)', type: 'redis', data: { host: redisHost, port: redisPort, database: 1, password: '', ssl: false } },
	]);
	await cluster.importAndPublish([chunk, start, triggerWorkflow, plainWorkflow]);

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

	test('RBM Trigger behind two webhook processes, Redis redelivery filter: 500 pushes each delivered to both → exactly 500 executions', async () => {
		const triggerPath = '/webhook/rbm-queue-trigger/webhook';
		const executions = (workflowId: string) => Number(cluster.services.sql(`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${workflowId}'`).trim());
		/** Posts `bodies` (each to every base in `targets`) with 16 requests at once; answer times in ms. */
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
		/**
		 * Executions the webhook processes started for a workflow: in queue mode a webhook process
		 * writes the execution's row before it queues it, so the rows count what was started, done
		 * or not. Waits until `expected` are there, then a moment more (a second one would show).
		 */
		const waitForExecutions = async (workflowId: string, expected: number) => {
			const deadline = Date.now() + 60_000;
			while (executions(workflowId) < expected && Date.now() < deadline) await sleep(250);
			await sleep(3000);
			return executions(workflowId);
		};
		const push = (k: number, type: 'text' | 'DELIVERED' = 'text') => buildEnvelope({ type, phoneNumber: phoneOf(k), agentId: AGENT, text: `reply ${k}`, messageId: `queue-push-${type}-${k}`, eventId: `queue-event-${type}-${k}` }, CLIENT_TOKEN);
		// the trigger's production webhook is live on both processes (a probe push starts one execution)
		for (const base of [webhookBase, webhook2Base]) {
			const deadline = Date.now() + 60_000;
			const env = push(99_999);
			let probe = await postJson(`${base}${triggerPath}`, env.body, env.headers);
			while (probe.status === 404 && Date.now() < deadline) {
				await sleep(500);
				probe = await postJson(`${base}${triggerPath}`, env.body, env.headers);
			}
			expect(probe).toMatchObject({ status: 200 });
		}
		const baseline = await waitForExecutions(TRIGGER_WORKFLOW, 1);
		expect(baseline).toBe(1);

		// 500 pushes, each to both webhook processes at the same moment
		const requests = Array.from({ length: 500 }, (_, k) => push(k)).flatMap((env) => [
			{ url: `${webhookBase}${triggerPath}`, ...env },
			{ url: `${webhook2Base}${triggerPath}`, ...env },
		]);
		const twice = await deliver(requests);
		expect(twice.answers.every((a) => a.status === 200)).toBe(true);
		const started = twice.answers.filter((a) => a.body === '').length;
		const ignored = twice.answers.filter((a) => a.body.includes('duplicate ignored')).length;
		const executed = (await waitForExecutions(TRIGGER_WORKFLOW, baseline + 500)) - baseline;
		log(`trigger: ${requests.length} deliveries in ${twice.perSecond}/s: ${started} started, ${ignored} duplicate ignored, ${executed} executions`);

		// events the workflow does not listen to (DELIVERED): answered 200, no execution
		const unselected = await deliver(Array.from({ length: 200 }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}${triggerPath}`, ...push(k, 'DELIVERED') })));
		expect(unselected.answers.every((a) => a.status === 200)).toBe(true);
		const afterUnselected = (await waitForExecutions(TRIGGER_WORKFLOW, baseline + 500)) - baseline;

		// throughput on the same two webhook processes: RBM Trigger (distinct pushes) and n8n's Webhook
		// node, 300 each, alternated twice (the queue's backlog grows as they run)
		const plainBody = push(20_000).body;
		const rbmRuns: Array<Awaited<ReturnType<typeof deliver>>> = [];
		const plainRuns: Array<Awaited<ReturnType<typeof deliver>>> = [];
		for (let round = 0; round < 2; round++) {
			plainRuns.push(await deliver(Array.from({ length: 300 }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}/webhook/rbm-queue-plain`, body: plainBody, headers: { 'Content-Type': 'application/json' } }))));
			rbmRuns.push(await deliver(Array.from({ length: 300 }, (_, k) => ({ url: `${k % 2 ? webhook2Base : webhookBase}${triggerPath}`, ...push(10_000 + round * 1000 + k) }))));
		}
		for (const [name, runs] of [['RBM Trigger', rbmRuns], ['Webhook node', plainRuns]] as const) log(`${name}: ${runs.map((r) => `${r.perSecond}/s p50 ${r.p50} ms p95 ${r.p95} ms`).join('; ')}`);
		const best = (runs: typeof rbmRuns) => runs.reduce((x, y) => (y.perSecond > x.perSecond ? y : x));
		const rbm = best(rbmRuns);
		const plain = best(plainRuns);
		expect(rbmRuns.every((r) => r.answers.every((a) => a.status === 200 && a.body === ''))).toBe(true);
		expect(plainRuns.every((r) => r.answers.every((a) => a.status === 200))).toBe(true);
		summary.trigger = {
			pushesDeliveredTwice: { deliveries: requests.length, started, duplicateIgnored: ignored, executions: executed },
			unselectedEvents: { deliveries: 200, executions: afterUnselected - executed },
			throughput300x2: {
				rbmTrigger: { perSecond: rbm.perSecond, p50ms: rbm.p50, p95ms: rbm.p95, p99ms: rbm.p99 },
				webhookNode: { perSecond: plain.perSecond, p50ms: plain.p50, p95ms: plain.p95, p99ms: plain.p99 },
				ratio: Math.round((rbm.perSecond / plain.perSecond) * 100) / 100,
			},
		};
		expect(started).toBe(500);
		expect(ignored).toBe(500);
		expect(executed).toBe(500);
		expect(afterUnselected).toBe(500);
	});
});
