#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: RBM Send Message vs n8n's HTTP Request node, in a real n8n 2.40.7 (Node 24)
 * against the RBM emulator answering every send after a fixed latency (no faults). One
 * `n8n execute` process per measurement, run one after another on this machine.
 *
 *   node bench/bench.js [--latency 50] [--items 10000] [--items-c1 2000] [--rss-items 100000]
 *                       [--concurrency 1,8,32,64] [--skip-rss] [--wait-idle false] [--out bench]
 *                       [--run-timeout 3600] [--strict] [--fail <run id>,…]
 *
 * Writes <out>/results.json and <out>/chart.svg, prints the tables, and refreshes the tables in
 * bench/README.md (only when <out> is bench/ itself). Needs `npm run build` first. See
 * bench/README.md for what each number means.
 *
 * A run that fails (non-zero exit, timeout, no run summary, workflow error) does not stop the
 * bench: its row is reported with `ok: false` and `error` in results.json and as FAILED in the
 * tables; targets that depend on it are NOT MEASURED. Exit code 0 unless `--strict` and a run
 * failed. `--fail <ids>` makes those runs' workflows throw (to check that reporting).
 *
 * Structure: plan() lists the runs (one spec each), main() measures them, buildRow() turns one
 * spec + its measurement into one results row, summarize() adds the cross-row figures and the
 * targets, and the TABLES definitions (a column list + which rows) render them.
 */
const fs = require('node:fs');
const path = require('node:path');

const lib = require('./lib');
const { log, round, table } = lib;

const DEFAULTS = {
	latency: 50,
	items: 10000,
	itemsC1: 2000,
	rssItems: 100000,
	// 64 is reported, not held to a target (the targets are for C ≤ 32).
	concurrency: [1, 8, 32, 64],
	skipRss: false,
	waitIdle: true,
	out: path.join(__dirname),
	updateReadme: true,
	// Seconds one `n8n execute` may take before it is killed and its row reported as FAILED.
	runTimeout: 3600,
	// Exit non-zero if any run failed.
	strict: false,
	// Comma-separated run ids (noop, ours-c32, http-batch10, …) whose workflow is made to throw.
	fail: '',
};

const TARGETS = {
	ratioToIdeal: 0.9,
	ratioToHttpRequestNode: 1.5,
	cpuMsPerItemAboveNoOp: 0.5,
	rssRatioToNoOp: 1.5,
	tokenGrants: 1,
};

const HTTP_SETTINGS = [
	{ id: 'http-default', batchSize: 0, setting: 'default (no batching)' },
	{ id: 'http-batch10', batchSize: 10, setting: 'batching 10, interval 0' },
	{ id: 'http-batch32', batchSize: 32, setting: 'batching 32, interval 0' },
];

/**
 * The measured runs, in the order they run. Each spec: id (the key in results.measurements),
 * kind (noop | ours | http | rss-noop | rss-ours), transport, items, concurrency or HTTP setting,
 * workflow() building its n8n workflow, and measure options. A new transport or setting is a new
 * spec here plus, if it needs its own figures, a branch in buildRow().
 */
function plan(args, { emulator, key }) {
	const N = args.items;
	const transport = 'http';
	const specs = [{ id: 'noop', kind: 'noop', transport, items: N, workflow: () => lib.noopWorkflow(N) }];
	for (const C of args.concurrency) {
		const items = C === 1 ? Math.min(args.itemsC1, N) : N;
		specs.push({ id: `ours-c${C}`, kind: 'ours', transport, concurrency: C, items, workflow: () => lib.oursWorkflow(items, { concurrency: C }) });
	}
	for (const s of HTTP_SETTINGS) {
		specs.push({ ...s, kind: 'http', transport, items: N, workflow: () => lib.httpWorkflow(N, { emulatorUrl: emulator.url, key, batchSize: s.batchSize }) });
	}
	if (!args.skipRss) {
		// Memory samples every 250 ms tell live data from garbage awaiting V8's next major GC.
		const extraEnv = { RBM_BENCH_MEMORY_MS: '250' };
		specs.push({ id: 'noop-rss', kind: 'rss-noop', transport, items: args.rssItems, extraEnv, workflow: () => lib.noopWorkflow(args.rssItems) });
		specs.push({ id: 'ours-rss', kind: 'rss-ours', transport, concurrency: 32, items: args.rssItems, extraEnv, workflow: () => lib.oursWorkflow(args.rssItems, { concurrency: 32 }) });
	}
	return specs;
}

/** --fail: the workflow's Contacts Code node throws before any item exists. */
function forceFailure(wf, id) {
	const contacts = wf.nodes.find((n) => n.name === 'Contacts');
	contacts.parameters.jsCode = `throw new Error(${JSON.stringify(`forced failure of run ${id} (--fail)`)});\n${contacts.parameters.jsCode}`;
	return wf;
}

async function main() {
	const args = lib.parseArgs(process.argv.slice(2), DEFAULTS);
	const started = Date.now();
	const forcedFailures = new Set(String(args.fail || '').split(',').map((s) => s.trim()).filter(Boolean));
	await lib.waitUntilIdle({ wait: args.waitIdle });

	const { startEmulator } = lib.requireEmulator();
	const emulator = await startEmulator({
		host: '127.0.0.1',
		port: 0,
		seed: 1,
		deliveryDelayMs: 50,
		faults: { 'agentMessages.create': { latencyMs: args.latency } },
	});
	const key = emulator.createServiceAccountKey();
	let results;
	let instance;
	try {
		instance = await lib.setupN8n({ emulator, keyJson: JSON.stringify(key) });
		const specs = plan(args, { emulator, key });
		const unknown = [...forcedFailures].filter((id) => !specs.some((s) => s.id === id));
		if (unknown.length) throw new Error(`--fail: no run ${unknown.join(', ')} (runs: ${specs.map((s) => s.id).join(', ')})`);

		/** One measured execution, never throwing: a failed run is a measurement with ok: false. */
		const step = async (spec) => {
			const wf = forcedFailures.has(spec.id) ? forceFailure(spec.workflow(), spec.id) : spec.workflow();
			log(`${spec.id}: ${wf.name} …`);
			const cpu0 = process.cpuUsage();
			let m;
			try {
				m = await lib.measure(instance, emulator, wf, { extraEnv: spec.extraEnv, timeoutMs: args.runTimeout * 1000 });
			} catch (error) {
				m = { workflow: wf.name, ok: false, failure: `could not run: ${error.message}`, error: error.message };
			}
			const cpu1 = process.cpuUsage(cpu0);
			m.emulatorCpuMs = Math.round((cpu1.user + cpu1.system) / 1000);
			if (!m.ok) {
				log(`${spec.id}: FAILED: ${m.failure}`);
			} else {
				log(
					`${spec.id}: node ${m.nodeMs} ms (${round((m.outputs[0] / m.nodeMs) * 1000)} msg/s), accepted ${m.accepted}, in flight ≤ ${m.maxInFlight}, ` +
						`n8n CPU ${Math.round(m.cpuMs)} ms, max RSS ${m.maxRssMiB} MiB, token grants ${m.tokenGrants}, wall ${Math.round(m.wallMs / 1000)} s`,
				);
			}
			return m;
		};

		// Warm-up (not measured): file cache, the task runner's first start, JIT of the emulator.
		const warm = await step({ id: 'warmup', workflow: () => lib.oursWorkflow(200, { concurrency: 32 }) });
		if (!warm.ok) log('warm-up failed; measuring anyway');

		const measurements = {};
		for (const spec of specs) measurements[spec.id] = await step(spec);

		results = summarize({ args, specs, measurements, instance, totalMs: Date.now() - started });
		write(args, results);
	} finally {
		if (instance) instance.cleanup();
		await emulator.close();
	}
	if (results.failedRuns.length) {
		log(`${results.failedRuns.length} run(s) FAILED: ${results.failedRuns.join(', ')}${args.strict ? ' (--strict: exit code 1)' : ' (exit code 0; --strict makes this an error)'}`);
		if (args.strict) process.exitCode = 1;
	}
}

const msgPerSecOf = (m) => (m.outputs[0] / m.nodeMs) * 1000;
const firstLine = (text) => String(text ?? '').split('\n')[0].slice(0, 500);

/**
 * One results row from one run: `spec` (from plan()), `m` (its measurement from lib.measure) and
 * `ctx` (what rows are compared with: latency, the NoOp baseline, the HTTP Request node's best
 * row per transport). A failed run gives the row's identity fields, `ok: false` and `error`.
 * New per-row fields go here.
 */
function buildRow(spec, m, ctx) {
	const L = ctx.latencyMs;
	const identity =
		spec.kind === 'http'
			? { id: spec.id, transport: spec.transport, setting: spec.setting, batchSize: spec.batchSize, latencyMs: L, items: spec.items }
			: { id: spec.id, transport: spec.transport, concurrency: spec.concurrency, latencyMs: L, items: spec.items };
	if (!m || !m.ok) return { ...identity, ok: false, error: (m && m.failure) || 'not run' };

	const msgPerSec = msgPerSecOf(m);
	const noop = ctx.noopFor(spec);
	const cpuPerItem = noop && noop.ok ? (m.cpuMs - noop.cpuMs) / m.outputs[0] : null;
	const emulatorMsgPerSec = m.acceptSpanMs > 0 ? round(((m.accepted - 1) / m.acceptSpanMs) * 1000) : null;

	if (spec.kind === 'http') {
		return {
			...identity,
			ok: true,
			items: m.outputs[0],
			msgPerSec: round(msgPerSec),
			emulatorMsgPerSec,
			nodeMs: m.nodeMs,
			accepted: m.accepted,
			maxInFlight: m.maxInFlight,
			cpuMsPerItemAboveNoOp: round(cpuPerItem, 3),
			tokenGrants: m.tokenGrants,
			best: false, // set by summarize() once every HTTP row is built
		};
	}
	if (spec.kind === 'ours') {
		const C = spec.concurrency;
		const best = ctx.httpBestFor(spec.transport);
		const ideal = C / (L / 1000);
		const ratioToIdeal = msgPerSec / ideal;
		const row = {
			...identity,
			ok: true,
			msgPerSec: round(msgPerSec),
			idealMsgPerSec: round(ideal),
			ratioToIdeal: round(ratioToIdeal, 3),
			emulatorMsgPerSec,
			nodeMs: m.nodeMs,
			accepted: m.accepted,
			maxInFlight: m.maxInFlight,
			tokenGrants: m.tokenGrants,
			cpuMsPerItemAboveNoOp: round(cpuPerItem, 3),
			httpRequestNodeMsgPerSec: best ? best.msgPerSec : null,
			ratioToHttpRequestNode: best ? round(msgPerSec / best.msgPerSec, 2) : null,
			target: C <= 32 ? { ratioToIdeal: TARGETS.ratioToIdeal, pass: ratioToIdeal >= TARGETS.ratioToIdeal } : { ratioToIdeal: null, pass: null, note: 'reported, no target above C = 32' },
		};
		if (row.target.pass === false) {
			if (cpuPerItem === null) {
				row.target.why = `per-request overhead beyond the ${L} ms server latency of ${round((C * 1000) / msgPerSec - L, 1)} ms (CPU not known: the NoOp run failed)`;
			} else {
				// CPU-bound if the node's CPU per item at the ideal rate needs more than one core.
				const needed = cpuPerItem * ideal;
				row.target.why =
					needed > 1000 * 0.9
						? `CPU-bound: ${round(cpuPerItem, 2)} ms CPU/item above NoOp × ${round(ideal)} msg/s ideal = ${round(needed / 1000, 2)} cores, but n8n runs the node on one JS thread (≤ 1 core); during the node's run n8n used ≈ ${round((m.cpuMs - noop.cpuMs) / m.nodeMs, 2)} cores above NoOp`
						: `not CPU-bound (${round(cpuPerItem, 2)} ms/item × ${round(ideal)} msg/s = ${round(needed / 1000, 2)} core): per-request overhead beyond the ${L} ms server latency of ${round((C * 1000) / msgPerSec - L, 1)} ms`;
			}
		}
		return row;
	}
	// noop, rss-noop, rss-ours: the raw figures summarize() combines.
	return { ...identity, ok: true, msgPerSec: m.outputs[0] ? round(msgPerSec) : null, nodeMs: m.nodeMs, accepted: m.accepted, tokenGrants: m.tokenGrants, cpuMs: round(m.cpuMs, 0), maxRssMiB: m.maxRssMiB };
}

/** true if every check passed, false if one failed, null if one could not be evaluated. */
function verdict(passes) {
	if (passes.some((p) => p === false)) return false;
	if (passes.some((p) => p === null || p === undefined)) return null;
	return true;
}

function notMeasured(target, because) {
	return { target, value: null, pass: null, notMeasured: true, why: `not measured: ${because}` };
}

function summarize({ args, specs, measurements, instance, totalMs }) {
	const L = args.latency;
	const N = args.items;
	const specOf = (id) => specs.find((s) => s.id === id);
	const noopId = { noop: 'noop', ours: 'noop', http: 'noop', 'rss-noop': null, 'rss-ours': 'noop-rss' };
	const httpBest = {};
	const ctx = {
		latencyMs: L,
		noopFor: (spec) => (noopId[spec.kind] ? measurements[noopId[spec.kind]] : undefined),
		httpBestFor: (transport) => httpBest[transport],
	};
	const rowOf = (spec) => buildRow(spec, measurements[spec.id], ctx);

	// HTTP Request rows first: ours rows are compared with the best of them (per transport).
	const httpRequestNode = specs.filter((s) => s.kind === 'http').map(rowOf);
	for (const h of httpRequestNode.filter((x) => x.ok)) {
		if (!httpBest[h.transport] || h.msgPerSec > httpBest[h.transport].msgPerSec) httpBest[h.transport] = h;
	}
	for (const h of Object.values(httpBest)) h.best = true;
	const best = httpBest.http;
	const bestM = best && measurements[best.id];
	const entries = specs.filter((s) => s.kind === 'ours').map(rowOf);
	const noop = measurements.noop;
	const noopRow = rowOf(specOf('noop'));

	const ours32 = entries.find((e) => e.concurrency === 32) || entries[entries.length - 1];
	const ours32M = ours32 && measurements[ours32.id];
	const cpuAbove = (m) => (noop && noop.ok && m && m.ok ? (m.cpuMs - noop.cpuMs) / m.outputs[0] : null);
	const oursCpu = ours32 && ours32.ok ? cpuAbove(ours32M) : null;
	const httpCpu = best ? cpuAbove(bestM) : null;

	let rss = null;
	if (!args.skipRss) {
		const noopBig = measurements['noop-rss'];
		const oursBig = measurements['ours-rss'];
		if (noopBig && noopBig.ok && oursBig && oursBig.ok) {
			rss = {
				items: args.rssItems,
				ok: true,
				noopMaxRssMiB: noopBig.maxRssMiB,
				oursMaxRssMiB: oursBig.maxRssMiB,
				ratio: oursBig.maxRssMiB / noopBig.maxRssMiB,
				oursMsgPerSec: round(msgPerSecOf(oursBig)),
				// The run data is no longer read from n8n's printed output, so it cannot be cut short.
				runDataPrintTruncated: false,
				noopMemory: lib.memorySummary(noopBig.memory),
				oursMemory: lib.memorySummary(oursBig.memory),
			};
		} else {
			const failed = ['noop-rss', 'ours-rss'].filter((id) => !(measurements[id] && measurements[id].ok));
			rss = { items: args.rssItems, ok: false, error: failed.map((id) => `${id}: ${firstLine(measurements[id] && measurements[id].failure)}`).join('; ') };
		}
	}

	const failedRuns = specs.filter((s) => !(measurements[s.id] && measurements[s.id].ok)).map((s) => s.id);
	const failedNote = (ids) => `${ids.filter((id) => failedRuns.includes(id)).join(', ')} FAILED`;

	// Targets.
	const ratioValues = entries
		.filter((e) => e.concurrency <= 32)
		.map((e) => (e.ok ? { concurrency: e.concurrency, ratio: e.ratioToIdeal, pass: e.target.pass, why: e.target.why } : { concurrency: e.concurrency, ratio: null, pass: null, why: `not measured: run ${e.id} FAILED` }));
	const targets = {
		ratioToIdeal: { target: `≥ ${TARGETS.ratioToIdeal} × C/L for every C ≤ 32`, pass: verdict(ratioValues.map((v) => v.pass)), values: ratioValues },
	};
	if (ratioValues.some((v) => v.ratio === null)) targets.ratioToIdeal.notMeasured = true;

	const ratioTarget = `at C=32 ≥ ${TARGETS.ratioToHttpRequestNode} × the HTTP Request node's best`;
	if (!ours32 || !ours32.ok || !best) {
		targets.ratioToHttpRequestNode = notMeasured(ratioTarget, failedNote([ours32 && ours32.id, ...(best ? [] : httpRequestNode.map((h) => h.id))]));
	} else {
		const oursRate = msgPerSecOf(ours32M);
		targets.ratioToHttpRequestNode = { target: ratioTarget, value: round(oursRate / best.msgPerSec, 2), pass: oursRate >= TARGETS.ratioToHttpRequestNode * best.msgPerSec };
		if (!targets.ratioToHttpRequestNode.pass) {
			const idealAt = (ours32.concurrency * 1000) / L;
			const needed = TARGETS.ratioToHttpRequestNode * best.msgPerSec;
			const above = entries.filter((e) => e.ok && e.concurrency > 32);
			targets.ratioToHttpRequestNode.why =
				(idealAt < needed
					? `out of reach at C = ${ours32.concurrency}, L = ${L} ms: with ${ours32.concurrency} requests in flight and ${L} ms per answer no sender can exceed C/L = ${round(idealAt)} msg/s, ` +
						`below ${TARGETS.ratioToHttpRequestNode} × ${best.msgPerSec} = ${round(needed)} msg/s; the HTTP Request node has no bound (${best.maxInFlight} requests in flight) and is CPU-bound instead`
					: ours32.target.why
						? ours32.target.why
						: `${best.msgPerSec} msg/s for the HTTP Request node`) +
				above.map((e) => `; at C = ${e.concurrency} (reported, no target): ${e.msgPerSec} msg/s = ${e.ratioToHttpRequestNode}× the HTTP Request node`).join('');
		}
	}

	const cpuTarget = `≤ ${TARGETS.cpuMsPerItemAboveNoOp} ms CPU per item above NoOp (ours, C=32)`;
	if (oursCpu === null) {
		targets.cpuMsPerItemAboveNoOp = notMeasured(cpuTarget, failedNote(['noop', ours32 && ours32.id]));
	} else {
		targets.cpuMsPerItemAboveNoOp = { target: cpuTarget, value: round(oursCpu, 3), pass: oursCpu <= TARGETS.cpuMsPerItemAboveNoOp };
		if (!targets.cpuMsPerItemAboveNoOp.pass) {
			targets.cpuMsPerItemAboveNoOp.why = `our node spends ${round(oursCpu, 2)} ms of n8n's CPU per item (HTTP Request node: ${httpCpu === null ? 'not measured' : `${round(httpCpu, 2)} ms`}); run \`node bench/profile.js\` for where it goes`;
		}
	}

	if (!rss) targets.rssRatioToNoOp = { target: 'skipped (--skip-rss)', pass: null };
	else if (!rss.ok) targets.rssRatioToNoOp = notMeasured(`peak RSS ≤ ${TARGETS.rssRatioToNoOp} × NoOp at ${rss.items} items`, failedNote(['noop-rss', 'ours-rss']));
	else {
		targets.rssRatioToNoOp = { target: `peak RSS ≤ ${TARGETS.rssRatioToNoOp} × NoOp at ${rss.items} items`, value: round(rss.ratio, 2), pass: rss.ratio <= TARGETS.rssRatioToNoOp };
		if (!targets.rssRatioToNoOp.pass) {
			const o = rss.oursMemory;
			const n = rss.noopMemory;
			targets.rssRatioToNoOp.why =
				`${rss.oursMaxRssMiB} MiB vs ${rss.noopMaxRssMiB} MiB` +
				(o && n
					? `: the live heap of our run (lowest V8 heap in use after a major GC, second half of the run) is ${o.liveHeapMiB} MiB; ` +
						`the heap in use climbs to ${o.maxHeapUsedMiB} MiB between major GCs (NoOp: ${n.maxHeapUsedMiB} MiB), i.e. garbage from the per-request ` +
						`allocations of n8n's HTTP helper (a new agent, socket and axios request per call) that V8 lets grow to a multiple of the live heap ` +
						`before collecting; the NoOp run lasts milliseconds and never accumulates any. At peak RSS: heap ${o.atPeakRss.heapUsed}/${o.atPeakRss.heapTotal} MiB used/reserved, ` +
						`buffers ${o.atPeakRss.arrayBuffers} MiB (NoOp: ${n.atPeakRss.heapUsed}/${n.atPeakRss.heapTotal}, ${n.atPeakRss.arrayBuffers}); both peaks are at the end, while \`n8n execute\` prints the run data`
					: '');
		}
	}

	const tokenGrants = entries
		.filter((e) => e.ok)
		.map((e) => e.tokenGrants)
		.concat(measurements['ours-rss'] && measurements['ours-rss'].ok ? [measurements['ours-rss'].tokenGrants] : []);
	targets.tokenGrants = { target: 'exactly 1 token grant per n8n execution of our node', value: tokenGrants, pass: tokenGrants.length ? tokenGrants.every((g) => g === TARGETS.tokenGrants) : null };
	if (!tokenGrants.length) Object.assign(targets.tokenGrants, { notMeasured: true, why: 'not measured: every run of our node FAILED' });

	const rt = lib.runtime;
	return {
		generatedAt: new Date().toISOString(),
		latencyMs: L,
		itemsDefault: N,
		entries,
		httpRequestNode,
		httpRequestNodeBest: best ? { setting: best.setting, msgPerSec: best.msgPerSec } : null,
		noop: noopRow,
		cpuMsPerItemAboveNoOp: {
			ours: round(oursCpu, 3),
			oursConcurrency: ours32 ? ours32.concurrency : null,
			httpRequestNode: round(httpCpu, 3),
			httpRequestNodeSetting: best ? best.setting : null,
			items: N,
			noopCpuMs: noop && noop.ok ? Math.round(noop.cpuMs) : null,
		},
		rss: rss && rss.ok
			? { items: rss.items, noopMaxRssMiB: rss.noopMaxRssMiB, oursMaxRssMiB: rss.oursMaxRssMiB, oursMsgPerSec: rss.oursMsgPerSec, runDataPrintTruncated: rss.runDataPrintTruncated, noopMemory: rss.noopMemory, oursMemory: rss.oursMemory }
			: rss,
		rssRatioToNoOp: rss && rss.ok ? round(rss.ratio, 2) : null,
		tokenGrants: { perRun: tokenGrants, allExactlyOne: tokenGrants.length > 0 && tokenGrants.every((g) => g === 1) },
		targets,
		allTargetsPass: Object.values(targets).every((t) => t.pass === true || (t.pass === null && !t.notMeasured)),
		failedRuns,
		allRunsOk: failedRuns.length === 0,
		machine: lib.machineInfo(),
		versions: { node: rt.NODE_VERSION, benchDriverNode: process.versions.node, n8n: rt.N8N_VERSION, package: instance.packageVersion },
		method: {
			msgPerSec: "items out of the send node / that node's run time in n8n's run data (runData.Send[0].startTime → + executionTime)",
			cpu: 'user+system CPU of the `n8n execute` main process (process.cpuUsage() at exit, preload scripts/bench-cpu-preload.js) minus the NoOp workflow on the same items',
			rss: 'process.resourceUsage().maxRSS of the `n8n execute` main process',
			httpRequestNode: 'Code node signs the JWT (node:crypto) → HTTP Request node exchanges it once at the emulator token_uri → HTTP Request node 4.2 POSTs each message with Authorization from an expression and a random messageId',
			n8nSettings: 'EXECUTIONS_DATA_SAVE_ON_SUCCESS=none (run data not written to SQLite), task runners internal, SQLite',
			resultCollection:
				"n8n external hook workflow.postExecute (EXTERNAL_HOOK_FILES=bench/n8n-run-summary-hook.js) writes a summary of the finished run (per node and run: startTime, executionTime, items per output; the workflow error) to a file, in the n8n main process, before `n8n execute` prints and exits; n8n's stdout goes to a file and is not parsed",
			failedRuns: 'a run with a non-zero exit, a timeout, no run summary or a workflow error is reported (ok: false, error) and the bench goes on; targets depending on it are not measured',
		},
		measurements: Object.fromEntries(
			Object.entries(measurements).map(([k, m]) => [
				k,
				m.ok
					? { ok: true, workflow: m.workflow, nodeMs: m.nodeMs, wallMs: m.wallMs, outputs: m.outputs, accepted: m.accepted, requests: m.requests, maxInFlight: m.maxInFlight, peakRequestsPerSecond: m.peakRequestsPerSecond, tokenGrants: m.tokenGrants, cpuMs: round(m.cpuMs, 0), runnerCpuMs: round(m.runnerCpuMs, 0), emulatorCpuMs: m.emulatorCpuMs, maxRssMiB: m.maxRssMiB }
					: { ok: false, workflow: m.workflow, error: m.failure, detail: typeof m.error === 'string' ? m.error.slice(0, 3000) : m.error, exitCode: m.exitCode, timedOut: m.timedOut, wallMs: m.wallMs, accepted: m.accepted, requests: m.requests, tokenGrants: m.tokenGrants, emulatorCpuMs: m.emulatorCpuMs },
			]),
		),
		totalSeconds: Math.round(totalMs / 1000),
	};
}

const pf = (p) => (p === null ? 'skipped' : p ? 'PASS' : 'FAIL');
const targetResult = (t) => (t.notMeasured ? 'NOT MEASURED' : pf(t.pass));

/**
 * The tables: a title-less header row from `columns` (header, value(row); `key: true` columns
 * identify the row and are printed for FAILED rows too) over `rows(results)`. A second table for
 * another transport is one more entry with its own row filter.
 */
const TABLES = [
	{
		name: 'ours',
		rows: (r) => r.entries,
		columns: [
			{ header: 'C', key: true, value: (e) => e.concurrency },
			{ header: 'items', key: true, value: (e) => e.items },
			{ header: 'ours msg/s', value: (e) => e.msgPerSec },
			{ header: 'ideal C/L', value: (e) => e.idealMsgPerSec },
			{ header: 'ratio to ideal (≥ 0.9)', value: (e) => `${e.ratioToIdeal} ${e.target.pass === null ? '(no target)' : pf(e.target.pass)}` },
			{ header: 'HTTP Request best msg/s', value: (e) => e.httpRequestNodeMsgPerSec },
			{ header: 'ours / HTTP best', value: (e) => e.ratioToHttpRequestNode },
			{ header: 'in flight ≤', value: (e) => e.maxInFlight },
			{ header: 'token grants', value: (e) => e.tokenGrants },
			{ header: 'CPU ms/item > NoOp', value: (e) => e.cpuMsPerItemAboveNoOp },
		],
	},
	{
		name: 'httpRequestNode',
		rows: (r) => r.httpRequestNode,
		columns: [
			{ header: 'HTTP Request node setting', key: true, value: (h) => `${h.setting}${h.best ? ' (best)' : ''}` },
			{ header: 'items', key: true, value: (h) => h.items },
			{ header: 'msg/s', value: (h) => h.msgPerSec },
			{ header: 'in flight ≤', value: (h) => h.maxInFlight },
			{ header: 'CPU ms/item > NoOp', value: (h) => h.cpuMsPerItemAboveNoOp },
		],
	},
];

/** A table of result rows; a FAILED row shows its key columns and FAILED. null values print as "-". */
function renderRows(columns, rows) {
	const out = [columns.map((c) => c.header)];
	for (const row of rows) {
		let failedShown = false;
		out.push(
			columns.map((c) => {
				if (c.key || row.ok) {
					const v = c.value(row);
					return v === null || v === undefined ? '-' : v;
				}
				if (failedShown) return '';
				failedShown = true;
				return 'FAILED';
			}),
		);
	}
	return table(out);
}

function renderTable(r) {
	const t = r.targets;
	const value = (x, fmt) => (x.notMeasured || x.value === null || x.value === undefined ? '-' : fmt(x.value));
	const targetRows = [
		['target', 'value', 'result'],
		[t.ratioToIdeal.target, t.ratioToIdeal.values.map((v) => `C=${v.concurrency}: ${v.ratio === null ? 'FAILED' : v.ratio}`).join(', '), targetResult(t.ratioToIdeal)],
		[t.ratioToHttpRequestNode.target, value(t.ratioToHttpRequestNode, (v) => `${v}×`), targetResult(t.ratioToHttpRequestNode)],
		[t.cpuMsPerItemAboveNoOp.target, value(t.cpuMsPerItemAboveNoOp, (v) => `${v} ms (HTTP Request node: ${r.cpuMsPerItemAboveNoOp.httpRequestNode === null ? '-' : `${r.cpuMsPerItemAboveNoOp.httpRequestNode} ms`})`), targetResult(t.cpuMsPerItemAboveNoOp)],
		[t.rssRatioToNoOp.target, r.rss && r.rss.oursMaxRssMiB !== undefined ? `${t.rssRatioToNoOp.value}× (${r.rss.oursMaxRssMiB} vs ${r.rss.noopMaxRssMiB} MiB)` : '-', targetResult(t.rssRatioToNoOp)],
		[t.tokenGrants.target, t.tokenGrants.value.join(', ') || '-', targetResult(t.tokenGrants)],
	];
	const whys = [];
	for (const v of t.ratioToIdeal.values) if (v.why) whys.push(`- C=${v.concurrency} below 0.9 × ideal: ${v.why}`);
	for (const [k, v] of Object.entries(t)) if (k !== 'ratioToIdeal' && v.why) whys.push(`- ${k}: ${v.why}`);
	const failed = r.failedRuns.map((id) => `- ${id}: ${firstLine(r.measurements[id] && r.measurements[id].error)}`);
	const m = r.machine;
	return [
		`Latency L = ${r.latencyMs} ms; machine: ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}; n8n ${r.versions.n8n} on Node ${r.versions.node}; n8n-nodes-rbm ${r.versions.package}; ${r.generatedAt}`,
		...TABLES.flatMap((def) => ['', renderRows(def.columns, def.rows(r))]),
		'',
		table(targetRows),
		...(failed.length ? ['', 'FAILED runs (reported, not measured):', ...failed] : []),
		...(whys.length ? ['', 'Missed targets:', ...whys] : []),
	].join('\n');
}

function renderSvg(r) {
	const W = 760;
	const H = 420;
	const pad = { l: 70, r: 20, t: 50, b: 80 };
	const groups = r.entries.map((e) => ({ label: `C = ${e.concurrency}`, bars: [{ v: e.ok ? e.msgPerSec : null, cls: 'ours', name: 'RBM Send Message' }], ideal: C_L(e, r.latencyMs), sub: `${e.items} items` }));
	if (r.httpRequestNode.length) {
		groups.push({ label: 'HTTP Request node', bars: r.httpRequestNode.map((h) => ({ v: h.ok ? h.msgPerSec : null, cls: 'http', name: h.batchSize ? `batch ${h.batchSize}` : 'default' })), sub: `${r.itemsDefault} items` });
	}
	const maxV = Math.max(1, ...groups.flatMap((g) => [...g.bars.map((b) => b.v || 0), g.ideal || 0])) * 1.1;
	const plotW = W - pad.l - pad.r;
	const plotH = H - pad.t - pad.b;
	const y = (v) => pad.t + plotH - (v / maxV) * plotH;
	const gw = plotW / groups.length;
	const step = niceStep(maxV);
	const parts = [];
	parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
	parts.push('<style>.ours{fill:#1a73e8}.http{fill:#9aa0a6}.ideal{stroke:#d93025;stroke-width:2;stroke-dasharray:6 3}.grid{stroke:#e0e0e0}.lbl{fill:#202124}.val{fill:#202124;font-size:11px}.failed{fill:#d93025;font-size:11px;font-weight:bold}</style>');
	parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
	parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" class="lbl">Messages per second into RBM (emulator, ${r.latencyMs} ms latency), n8n ${r.versions.n8n}</text>`);
	for (let v = 0; v <= maxV; v += step) {
		parts.push(`<line class="grid" x1="${pad.l}" x2="${W - pad.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`);
		parts.push(`<text x="${pad.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="lbl">${v}</text>`);
	}
	parts.push(`<text transform="translate(18 ${pad.t + plotH / 2}) rotate(-90)" text-anchor="middle" class="lbl">msg/s</text>`);
	groups.forEach((g, gi) => {
		const x0 = pad.l + gi * gw;
		const bw = Math.min(60, (gw * 0.7) / g.bars.length);
		const start = x0 + (gw - bw * g.bars.length) / 2;
		g.bars.forEach((b, bi) => {
			const x = start + bi * bw;
			if (b.v === null) {
				parts.push(`<text class="failed" x="${(x + bw / 2).toFixed(1)}" y="${(pad.t + plotH - 6).toFixed(1)}" text-anchor="middle"><title>${b.name}: run FAILED</title>FAILED</text>`);
			} else {
				parts.push(`<rect class="${b.cls}" x="${(x + 2).toFixed(1)}" y="${y(b.v).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${(pad.t + plotH - y(b.v)).toFixed(1)}"><title>${b.name}: ${b.v} msg/s</title></rect>`);
				parts.push(`<text class="val" x="${(x + bw / 2).toFixed(1)}" y="${(y(b.v) - 4).toFixed(1)}" text-anchor="middle">${Math.round(b.v)}</text>`);
			}
			if (g.bars.length > 1) parts.push(`<text class="val" x="${(x + bw / 2).toFixed(1)}" y="${pad.t + plotH + 14}" text-anchor="middle">${b.name}</text>`);
		});
		if (g.ideal) {
			parts.push(`<line class="ideal" x1="${(x0 + gw * 0.12).toFixed(1)}" x2="${(x0 + gw * 0.88).toFixed(1)}" y1="${y(g.ideal).toFixed(1)}" y2="${y(g.ideal).toFixed(1)}"><title>ideal C/L = ${g.ideal} msg/s</title></line>`);
			parts.push(`<text class="val" x="${(x0 + gw * 0.88).toFixed(1)}" y="${(y(g.ideal) - 4).toFixed(1)}" text-anchor="end" fill="#d93025">ideal ${Math.round(g.ideal)}</text>`);
		}
		parts.push(`<text class="lbl" x="${(x0 + gw / 2).toFixed(1)}" y="${pad.t + plotH + (g.bars.length > 1 ? 30 : 18)}" text-anchor="middle" font-weight="bold">${g.label}</text>`);
		parts.push(`<text class="val" x="${(x0 + gw / 2).toFixed(1)}" y="${pad.t + plotH + (g.bars.length > 1 ? 44 : 32)}" text-anchor="middle">${g.sub}</text>`);
	});
	const ly = H - 16;
	parts.push(`<rect class="ours" x="${pad.l}" y="${ly - 10}" width="12" height="12"/><text class="lbl" x="${pad.l + 16}" y="${ly}">RBM Send Message (n8n-nodes-rbm)</text>`);
	parts.push(`<rect class="http" x="${pad.l + 230}" y="${ly - 10}" width="12" height="12"/><text class="lbl" x="${pad.l + 246}" y="${ly}">n8n HTTP Request node 4.2</text>`);
	parts.push(`<line class="ideal" x1="${pad.l + 430}" x2="${pad.l + 460}" y1="${ly - 4}" y2="${ly - 4}"/><text class="lbl" x="${pad.l + 466}" y="${ly}">ideal C / L</text>`);
	parts.push('</svg>');
	return `${parts.join('\n')}\n`;
}

/** Ideal C/L of an ours row (also for a FAILED row, which has no idealMsgPerSec). */
function C_L(e, latencyMs) {
	return e.idealMsgPerSec || round(e.concurrency / (latencyMs / 1000));
}

function niceStep(max) {
	const raw = max / 6;
	const mag = 10 ** Math.floor(Math.log10(raw));
	for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * mag) return m * mag;
	return 10 * mag;
}

function write(args, results) {
	const out = path.resolve(args.out);
	fs.mkdirSync(out, { recursive: true });
	const text = renderTable(results);
	results.table = text;
	fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
	fs.writeFileSync(path.join(out, 'chart.svg'), renderSvg(results));
	console.log(`\n${text}\n`);
	console.log(`wrote ${path.join(out, 'results.json')} and ${path.join(out, 'chart.svg')} (bench took ${results.totalSeconds} s)`);
	// Only a run writing to bench/ itself refreshes bench/README.md (not a --out elsewhere).
	const readme = path.join(__dirname, 'README.md');
	if (args.updateReadme && out === path.resolve(__dirname) && fs.existsSync(readme)) {
		const md = fs.readFileSync(readme, 'utf8');
		const start = '<!-- bench:results:start -->';
		const end = '<!-- bench:results:end -->';
		const i = md.indexOf(start);
		const j = md.indexOf(end);
		if (i >= 0 && j > i) {
			fs.writeFileSync(readme, `${md.slice(0, i + start.length)}\n\n\`\`\`text\n${text}\n\`\`\`\n\n${md.slice(j)}`);
			console.log(`updated the results table in ${readme}`);
		}
	} else if (args.updateReadme) {
		console.log(`bench/README.md not updated (--out ${out} is not ${path.resolve(__dirname)})`);
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`bench failed: ${error.stack || error.message}`);
		process.exit(1);
	});
}

module.exports = { renderTable, renderSvg, buildRow, summarize, plan, TABLES, TARGETS };
