#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:trigger`: how fast RBM Trigger takes pushes, next to n8n's own Webhook node on the
 * same n8n process (one `n8n start`, SQLite, the package installed from its packed tarball). A
 * 10k-message campaign brings 20k+ DELIVERED/READ events, and Google slows every agent of a partner
 * while a webhook answers slowly, so the answer time matters as much as the rate.
 *
 *   node bench/trigger.js [--pushes 2000] [--parallel 16] [--rounds 2] [--out bench/trigger-results.json]
 *                         [--n8n-env N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true,…] [--with-credential false]
 *
 * Three workloads, each `--pushes` POSTs with `--parallel` in flight, alternated `--rounds` times:
 *   - webhookNode: n8n's Webhook node (respond immediately, no data) → NoOp;
 *   - rbmTrigger: signed RBM pushes (text messages) → NoOp: one execution each;
 *   - rbmTriggerUnselected: signed DELIVERED events the trigger does not listen to: answered 200,
 *     no execution.
 * Reported: pushes per second, answer time p50/p95/p99 (ms), and the RBM Trigger's rate as a share
 * of the Webhook node's (target ≥ 0.9). Queue mode's figures (two webhook processes) are printed by
 * `npm run test:queue`.
 */
const fs = require('node:fs');
const path = require('node:path');

const lib = require('./lib');
const { log, round, runtime } = lib;

const DEFAULTS = { pushes: 2000, parallel: 16, rounds: 2, waitIdle: true, withCredential: true, n8nEnv: '', out: path.join(__dirname, 'trigger-results.json') };
const CLIENT_TOKEN = 'bench-webhook-client-token';

function workflows(args) {
	const trigger = {
		id: 'rbmBenchTrigger1',
		name: 'bench: RBM Trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 't1', name: 'RBM Trigger', type: 'n8n-nodes-rbm.rbmTrigger', typeVersion: 1.1, position: [0, 0], webhookId: 'rbm-bench-trigger', parameters: { clientToken: CLIENT_TOKEN, events: ['text'] }, ...(args.withCredential ? { credentials: { rbmApi: { id: lib.CREDENTIAL.id, name: lib.CREDENTIAL.name } } } : {}) },
			{ id: 't2', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'RBM Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	};
	const plain = {
		id: 'rbmBenchWebhook1',
		name: 'bench: Webhook node',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'p1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'rbm-bench-plain', parameters: { httpMethod: 'POST', path: 'rbm-bench-plain', responseMode: 'onReceived', responseData: 'noData', options: {} } },
			{ id: 'p2', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	};
	return [trigger, plain];
}

/** Posts every request with `parallel` in flight; rate and answer-time quantiles. */
async function deliver(requests, parallel, postJson) {
	const times = [];
	const statuses = {};
	let next = 0;
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < requests.length) {
				const r = requests[next++];
				const t = process.hrtime.bigint();
				const answer = await postJson(r.url, r.body, r.headers, 30_000);
				times.push(Number(process.hrtime.bigint() - t) / 1e6);
				statuses[answer.status] = (statuses[answer.status] || 0) + 1;
			}
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	times.sort((a, b) => a - b);
	const at = (q) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))], 1);
	return { pushes: requests.length, perSecond: round(requests.length / seconds, 0), p50ms: at(0.5), p95ms: at(0.95), p99ms: at(0.99), statuses };
}

async function main() {
	const args = lib.parseArgs(process.argv.slice(2), DEFAULTS);
	await lib.waitUntilIdle({ wait: args.waitIdle });
	const { startEmulator } = lib.requireEmulator();
	const { buildEnvelope, postJson } = require(path.join(lib.REPO_DIR, 'dist', 'emulator', 'webhooks.js'));
	const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
	const extraEnv = Object.fromEntries(args.n8nEnv.split(',').filter(Boolean).map((kv) => kv.split('=', 2)));
	const instance = await lib.setupN8n({ emulator, keyJson: JSON.stringify(emulator.createServiceAccountKey()), extraEnv });
	let n8n;
	try {
		for (const wf of workflows(args)) {
			await runtime.importWorkflow(instance.userFolder, wf, instance.env);
			const published = await runtime.runN8n(['publish:workflow', `--id=${wf.id}`], instance.env);
			if (published.code !== 0) throw new Error(`publish:workflow ${wf.id} failed: ${published.stderr || published.stdout}`);
		}
		n8n = await runtime.startN8n(instance.userFolder, { port: await runtime.freePort(), env: instance.env });
		const triggerUrl = `${n8n.url}/webhook/rbm-bench-trigger/webhook`;
		const plainUrl = `${n8n.url}/webhook/rbm-bench-plain`;
		let seq = 0;
		const push = (type) => {
			const k = seq++;
			return { url: triggerUrl, ...buildEnvelope({ type, phoneNumber: `+1650555${String(k % 10000).padStart(4, '0')}`, agentId: 'bench-agent', text: `reply ${k}`, messageId: `bench-${type}-${k}`, eventId: `bench-event-${type}-${k}` }, CLIENT_TOKEN) };
		};
		// both webhooks live (a production webhook registers a moment after start-up)
		const deadline = Date.now() + 60_000;
		for (const probe of [() => push('text'), () => ({ url: plainUrl, body: '{}', headers: { 'Content-Type': 'application/json' } })]) {
			const r = probe();
			while ((await postJson(r.url, r.body, r.headers)).status === 404) {
				if (Date.now() > deadline) throw new Error(`${r.url} not live after 60 s`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}
		const plainBody = push('text').body;
		const make = {
			webhookNode: () => Array.from({ length: args.pushes }, () => ({ url: plainUrl, body: plainBody, headers: { 'Content-Type': 'application/json' } })),
			rbmTrigger: () => Array.from({ length: args.pushes }, () => push('text')),
			rbmTriggerUnselected: () => Array.from({ length: args.pushes }, () => push('DELIVERED')),
		};
		// warm-up: 200 of each, not counted
		for (const build of Object.values(make)) await deliver(build().slice(0, 200), args.parallel, postJson);
		const runs = { webhookNode: [], rbmTrigger: [], rbmTriggerUnselected: [] };
		for (let round_ = 0; round_ < args.rounds; round_++) {
			for (const [name, build] of Object.entries(make)) {
				const r = await deliver(build(), args.parallel, postJson);
				runs[name].push(r);
				log(`round ${round_ + 1} ${name}: ${r.perSecond}/s, p50 ${r.p50ms} ms, p95 ${r.p95ms} ms, p99 ${r.p99ms} ms, statuses ${JSON.stringify(r.statuses)}`);
			}
		}
		const best = (name) => runs[name].reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
		const result = {
			generatedAt: new Date().toISOString(),
			n8n: '2.40.7 (one process, `n8n start`, SQLite, successful executions not saved)',
			n8nEnv: extraEnv,
			pushes: args.pushes,
			parallel: args.parallel,
			rounds: args.rounds,
			best: { webhookNode: best('webhookNode'), rbmTrigger: best('rbmTrigger'), rbmTriggerUnselected: best('rbmTriggerUnselected') },
			all: runs,
			machine: lib.machineInfo(),
		};
		result.rbmTriggerShareOfWebhookNode = round(result.best.rbmTrigger.perSecond / result.best.webhookNode.perSecond, 2);
		result.target = { rbmTriggerShareOfWebhookNode: '≥ 0.9', pass: result.rbmTriggerShareOfWebhookNode >= 0.9 };
		fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
		log(`RBM Trigger ${result.best.rbmTrigger.perSecond}/s vs Webhook node ${result.best.webhookNode.perSecond}/s: ${result.rbmTriggerShareOfWebhookNode} × (target ≥ 0.9, ${result.target.pass ? 'PASS' : 'FAIL'}); unselected events ${result.best.rbmTriggerUnselected.perSecond}/s`);
		log(`wrote ${args.out}`);
	} finally {
		if (n8n) await n8n.stop();
		await emulator.close();
		instance.cleanup();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
