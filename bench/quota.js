#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:quota`: RBM Send Message sending into an agent's quota, as two n8n workers would.
 * The emulator runs in quota mode (agentQuotaPerSecond = Q: a token bucket per agent, 429 with
 * Retry-After beyond it); two n8n instances (two user folders, two `n8n execute` processes at
 * once, like two queue-mode workers each running a chunk) send N messages each for the same agent
 * at Concurrency C, together able to send far above Q (C / L each).
 *
 *   node bench/quota.js [--quota 100] [--items 3000] [--concurrency 32] [--latency 50]
 *                       [--workers 2] [--warmup-s 3] [--out bench/quota-results.json]
 *
 * Reported (and checked against the targets of the queue-mode issue): goodput (messages RBM
 * accepted per second, whole run and after the warm-up) as a share of Q; 429s as a share of all
 * requests after the warm-up; items failed; messages accepted twice. The emulator is sampled every
 * 250 ms from this process.
 */
const fs = require('node:fs');
const path = require('node:path');

const lib = require('./lib');
const { log, round } = lib;

const DEFAULTS = { quota: 100, items: 3000, concurrency: 32, latency: 50, workers: 2, warmupS: 3, waitIdle: true, out: path.join(__dirname, 'quota-results.json') };
const TARGETS = { goodputShareOfQuota: 0.9, throttledShareAfterWarmup: 0.05 };

async function main() {
	const args = lib.parseArgs(process.argv.slice(2), DEFAULTS);
	await lib.waitUntilIdle({ wait: args.waitIdle });
	const { startEmulator } = lib.requireEmulator();
	const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 1, deliveryDelayMs: 60_000, agentQuotaPerSecond: args.quota, faults: { 'agentMessages.create': { latencyMs: args.latency } } });
	const key = emulator.createServiceAccountKey();
	const instances = [];
	try {
		for (let w = 0; w < args.workers; w++) instances.push(await lib.setupN8n({ emulator, keyJson: JSON.stringify(key) }));
		emulator.reset();
		const samples = [];
		const sample = () => {
			const s = emulator.stats();
			samples.push({ t: Date.now(), accepted: s.accepted, requests: s.requests['agentMessages.create'] || 0, throttled: Object.values(s.quotaLimited).reduce((a, b) => a + b, 0) });
		};
		sample();
		const timer = setInterval(sample, 250);
		const started = Date.now();
		log(`${args.workers} × ${args.items} messages at C=${args.concurrency}, L=${args.latency} ms, into an agent quota of ${args.quota}/s …`);
		const runs = await Promise.all(
			instances.map(async (instance) => await lib.measure(instance, emulator, lib.oursWorkflow(args.items, { concurrency: args.concurrency, options: { maxRetries: 10 } }), { reset: false, timeoutMs: 30 * 60 * 1000 })),
		);
		clearInterval(timer);
		sample();
		const wallS = (Date.now() - started) / 1000;
		const stats = emulator.stats();
		const accepted = stats.accepted;
		const total = args.workers * args.items;
		const failedRuns = runs.filter((m) => !m.ok).map((m) => m.failure);
		const itemsOut = runs.reduce((sum, m) => sum + (m.ok ? m.outputs[0] : 0), 0);
		const acceptTimes = Object.values(stats.messages).map((m) => Date.parse(m.acceptedAt)).sort((a, b) => a - b);
		const spanS = (acceptTimes[acceptTimes.length - 1] - acceptTimes[0]) / 1000;
		const goodput = (accepted - 1) / spanS;
		// after the warm-up, up to the last accept
		const from = acceptTimes[0] + args.warmupS * 1000;
		const to = acceptTimes[acceptTimes.length - 1];
		const at = (t) => samples.reduce((best, s) => (s.t <= t ? s : best), samples[0]);
		const a = at(from);
		const b = at(to + 250);
		const steadyGoodput = (b.accepted - a.accepted) / ((b.t - a.t) / 1000);
		const throttledShare = (b.throttled - a.throttled) / Math.max(1, b.requests - a.requests);
		// accepted and refused per second, from the first accept (what the two runs did over time)
		const perSecond = [];
		for (let t = acceptTimes[0]; t <= to + 1000; t += 1000) {
			const x = at(t);
			const y = at(t + 1000);
			perSecond.push({ second: perSecond.length, accepted: y.accepted - x.accepted, refused: y.throttled - x.throttled });
		}
		const result = {
			generatedAt: new Date().toISOString(),
			quotaPerSecond: args.quota,
			workers: args.workers,
			itemsPerWorker: args.items,
			concurrency: args.concurrency,
			latencyMs: args.latency,
			wallSeconds: round(wallS, 1),
			accepted,
			expected: total,
			duplicates: stats.duplicates,
			itemsOut,
			failedRuns,
			requests: stats.requests['agentMessages.create'] || 0,
			throttled: Object.values(stats.quotaLimited).reduce((x, y) => x + y, 0),
			tokenGrants: stats.tokenGrants,
			goodputPerSecond: round(goodput, 1),
			goodputShareOfQuota: round(goodput / args.quota, 3),
			afterWarmup: { fromSecond: args.warmupS, goodputPerSecond: round(steadyGoodput, 1), goodputShareOfQuota: round(steadyGoodput / args.quota, 3), throttledShareOfRequests: round(throttledShare, 3) },
			targets: {
				goodput: { target: `≥ ${TARGETS.goodputShareOfQuota} × quota (after the first ${args.warmupS} s)`, pass: steadyGoodput >= TARGETS.goodputShareOfQuota * args.quota },
				throttled: { target: `≤ ${TARGETS.throttledShareAfterWarmup * 100} % of requests answered 429 after the first ${args.warmupS} s`, pass: throttledShare <= TARGETS.throttledShareAfterWarmup },
				noneLostOrTwice: { target: 'every message accepted exactly once, no item failed', pass: accepted === total && stats.duplicates === 0 && itemsOut === total && failedRuns.length === 0 },
			},
			perSecond,
			machine: lib.machineInfo(),
		};
		fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
		log(
			`accepted ${accepted}/${total} (duplicates ${stats.duplicates}, items out ${itemsOut}, failed runs ${failedRuns.length}), ${result.requests} requests, ${result.throttled} answered 429, ` +
				`goodput ${result.goodputPerSecond}/s = ${result.goodputShareOfQuota} × quota; after ${args.warmupS} s: ${result.afterWarmup.goodputPerSecond}/s = ${result.afterWarmup.goodputShareOfQuota} × quota, ` +
				`429s ${round(throttledShare * 100, 1)} % of requests; token grants ${stats.tokenGrants}`,
		);
		log(`per second (accepted/refused): ${perSecond.map((p) => `${p.accepted}/${p.refused}`).join(' ')}`);
		for (const [name, t] of Object.entries(result.targets)) log(`${t.pass ? 'PASS' : 'FAIL'} ${name}: ${t.target}`);
		log(`wrote ${args.out}`);
	} finally {
		for (const instance of instances) instance.cleanup();
		await emulator.close();
	}
}

main().catch((error) => {
	console.error(`bench:quota failed: ${error.stack || error.message}`);
	process.exit(1);
});
