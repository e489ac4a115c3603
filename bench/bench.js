#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: RBM Send Message vs n8n's HTTP Request node, in a real n8n 2.40.7 (Node 24)
 * against the RBM emulator answering every send after a fixed server time L (no faults). One
 * `n8n execute` process per measurement, run one after another on this machine.
 *
 * Two transports, each its own emulator instance (and its own rbmApi credential and key):
 *  - https (default, the targets): TLS with the emulator's own CA (trusted by n8n through
 *    NODE_EXTRA_CA_CERTS) behind its RTT relay, RTT = --rtt ms: a new TCP connection costs 1 RTT,
 *    a TLS 1.3 handshake 1 RTT, each request 1 RTT, plus L at the server;
 *  - http: plain HTTP, no relay (RTT ≈ 0): the reference the tables before TLS were measured on.
 *
 *   node bench/bench.js [--latency 50] [--rtt 20] [--transports https,http] [--items 10000]
 *                       [--items-c1 2000] [--http-items-tls 3000] [--rss-items 100000]
 *                       [--concurrency 1,8,32,64] [--http-settings default,batch10,batch32]
 *                       [--skip-rss] [--skip-floor] [--noop-runs 3] [--wait-idle false] [--out bench] [--run-timeout 3600]
 *                       [--strict] [--fail <run id>,…]
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
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const lib = require('./lib');
const { log, round, table } = lib;

const DEFAULTS = {
	// Server time L: ms the emulator waits before answering each send.
	latency: 50,
	// Round-trip time the RTT relay adds in front of the HTTPS emulator (the plain one has none).
	rtt: 20,
	// Which transports to measure, in this order: https (the targets) and/or http (plain, reference).
	transports: ['https', 'http'],
	items: 10000,
	itemsC1: 2000,
	// Items for the HTTP Request node over HTTPS: it opens one TLS connection per item, and at 10,000
	// items its runs die ("connection closed unexpectedly", bench/README.md); 3,000 complete. Its CPU
	// per item is taken against a NoOp run of the same size, measured in the same bench.
	httpItemsTls: 3000,
	// Which HTTP Request node settings to measure (ids without the transport: default, batch10, batch32).
	httpSettings: ['default', 'batch10', 'batch32'],
	rssItems: 100000,
	concurrency: [1, 8, 32, 64],
	skipRss: false,
	// NoOp baselines are measured this many times; the median CPU is used.
	noopRuns: 3,
	// Skip the floor runs (a bare fetch client on our transport, no n8n: what any Node sender gets here;
	// the throughput target is a ratio to it, so --skip-floor leaves that target NOT MEASURED).
	skipFloor: false,
	waitIdle: true,
	out: path.join(__dirname),
	updateReadme: true,
	// Seconds one `n8n execute` may take before it is killed and its row reported as FAILED.
	runTimeout: 3600,
	// Exit non-zero if any run failed.
	strict: false,
	// Comma-separated run ids (noop, https-ours-c32, http-httpreq-batch10, …) whose workflow is made to throw.
	fail: '',
};

/** The transport the targets are for; the other one is reported only. */
const TARGET_TRANSPORT = 'https';

const TRANSPORTS = {
	https: { label: 'HTTPS', tls: true },
	http: { label: 'plain HTTP', tls: false },
};

const TARGETS = {
	// ours over TLS at these C: msg/s ≥ 0.9 × the bare fetch client's (the floor run, same C,
	// messages and emulator). The ratio to C/(L+RTT) is reported for every C, without a target.
	ratioToFloor: 0.9,
	ratioToFloorAtConcurrency: [32, 64],
	// TLS handshakes ≤ C per run (ours over TLS, every C measured; reconnects reported)
	tlsHandshakesPerConnectionSlot: 1,
	// the CPU and HTTP Request node comparisons are made at this C (the fastest row, the one the
	// HTTP Request node comparison is about; n8n's background CPU per item is smallest there)
	compareAtConcurrency: 64,
	cpuMsPerItemAboveNoOp: 0.6,
	ratioToHttpRequestNode: 2,
	cpuRatioToHttpRequestNode: 0.1,
	rssRatioToNoOp: 1.5,
	tokenGrants: 1,
};

const HTTP_SETTINGS = [
	{ id: 'httpreq-default', batchSize: 0, setting: 'default (no batching)' },
	{ id: 'httpreq-batch10', batchSize: 10, setting: 'batching 10, interval 0' },
	{ id: 'httpreq-batch32', batchSize: 32, setting: 'batching 32, interval 0' },
];

/**
 * The measured runs, in the order they run. Each spec: id (the key in results.measurements),
 * kind (noop | ours | http | rss-noop | rss-ours), transport (https | http; null for the NoOp runs,
 * which send nothing), items, concurrency or HTTP setting, workflow() building its n8n workflow,
 * and measure options. `transports` maps each measured transport to its emulator, key and
 * credential. A new transport or setting is a new spec here plus, if it needs its own figures, a
 * branch in buildRow().
 */
function plan(args, transports) {
	const N = args.items;
	// One NoOp baseline for both transports: it sends nothing.
	const specs = [{ id: 'noop', kind: 'noop', transport: null, items: N, workflow: () => lib.noopWorkflow(N) }];
	const settings = HTTP_SETTINGS.filter((s) => args.httpSettings.includes(s.id.replace(/^httpreq-/, '')));
	// Every other run size gets its own NoOp baseline: CPU per item above NoOp compares equal sizes.
	const sizes = new Set();
	for (const transport of args.transports) {
		if (args.concurrency.includes(1)) sizes.add(Math.min(args.itemsC1, N));
		if (settings.length) sizes.add(httpItemsFor(args, transport));
	}
	for (const n of [...sizes].filter((n) => n !== N).sort((a, b) => a - b)) specs.push({ id: `noop-${n}`, kind: 'noop', transport: null, items: n, workflow: () => lib.noopWorkflow(n) });
	for (const transport of args.transports) {
		const { emulator, key, credential } = transports[transport];
		for (const C of args.concurrency) {
			const items = C === 1 ? Math.min(args.itemsC1, N) : N;
			specs.push({ id: `${transport}-ours-c${C}`, kind: 'ours', transport, concurrency: C, items, workflow: () => lib.oursWorkflow(items, { concurrency: C, credential }) });
		}
		const httpItems = httpItemsFor(args, transport);
		for (const s of settings) {
			specs.push({ ...s, id: `${transport}-${s.id}`, kind: 'http', transport, items: httpItems, workflow: () => lib.httpWorkflow(httpItems, { emulatorUrl: emulator.url, key, batchSize: s.batchSize }) });
		}
	}
	// The floor: a bare fetch client (no n8n) on the target transport and our node's transport (Node's
	// global fetch, one timer turn after each body), same messages and C (C = 1 is left out: at 14
	// msg/s it would add minutes and say nothing the C = 8 row does not).
	if (transports[TARGET_TRANSPORT] && !args.skipFloor) {
		for (const C of args.concurrency.filter((c) => c > 1)) specs.push({ id: `${TARGET_TRANSPORT}-floor-c${C}`, kind: 'floor', transport: TARGET_TRANSPORT, concurrency: C, items: N });
	}
	if (!args.skipRss && transports[TARGET_TRANSPORT]) {
		// Memory samples every 250 ms tell live data from garbage awaiting V8's next major GC.
		const extraEnv = { RBM_BENCH_MEMORY_MS: '250' };
		const { credential } = transports[TARGET_TRANSPORT];
		specs.push({ id: 'noop-rss', kind: 'rss-noop', transport: null, items: args.rssItems, extraEnv, workflow: () => lib.noopWorkflow(args.rssItems) });
		specs.push({ id: `${TARGET_TRANSPORT}-ours-rss`, kind: 'rss-ours', transport: TARGET_TRANSPORT, concurrency: 32, items: args.rssItems, extraEnv, workflow: () => lib.oursWorkflow(args.rssItems, { concurrency: 32, credential }) });
	}
	return specs;
}

/** Items of the HTTP Request node's runs over this transport (--http-items-tls over TLS, else --items). */
function httpItemsFor(args, transport) {
	return TRANSPORTS[transport].tls ? Math.min(args.httpItemsTls, args.items) : args.items;
}

/** --fail: the workflow's Contacts Code node throws before any item exists. */
function forceFailure(wf, id) {
	const contacts = wf.nodes.find((n) => n.name === 'Contacts');
	contacts.parameters.jsCode = `throw new Error(${JSON.stringify(`forced failure of run ${id} (--fail)`)});\n${contacts.parameters.jsCode}`;
	return wf;
}

/** The soft limit on open files of this process (`ulimit -n`), or null if unknown. */
function openFileLimit() {
	try {
		const v = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
		return v === 'unlimited' ? Infinity : Number(v) || null;
	} catch {
		return null;
	}
}

async function main() {
	const args = lib.parseArgs(process.argv.slice(2), DEFAULTS);
	const started = Date.now();
	const forcedFailures = new Set(String(args.fail || '').split(',').map((s) => s.trim()).filter(Boolean));
	const unknownTransports = args.transports.filter((t) => !TRANSPORTS[t]);
	if (unknownTransports.length || args.transports.length === 0) throw new Error(`--transports: ${unknownTransports.join(', ') || '(none)'} (known: ${Object.keys(TRANSPORTS).join(', ')})`);
	if (!(args.rtt >= 0)) throw new Error(`--rtt must be ≥ 0 ms (got ${args.rtt})`);
	await lib.waitUntilIdle({ wait: args.waitIdle });

	const fdLimit = openFileLimit();
	// The HTTP Request node opens one connection per item with (nearly) all items in flight; over the
	// RTT relay each costs this process 3 descriptors (relay client side, relay → server, server side).
	if (args.transports.includes('https') && args.rtt > 0 && fdLimit !== null && 3 * args.items + 500 > fdLimit) {
		log(`WARNING: ulimit -n is ${fdLimit}; the HTTP Request node over HTTPS may hold up to ${args.items} connections at once, 3 descriptors each in this process (RTT relay + server): its runs may fail with reset connections (raise the limit, or lower --items)`);
	}

	const { startEmulator } = lib.requireEmulator();
	/** transport → { emulator, key, credential, rttMs } */
	const transports = {};
	let results;
	let instance;
	try {
		for (const transport of args.transports) {
			const tls = TRANSPORTS[transport].tls;
			const emulator = await startEmulator({
				host: '127.0.0.1',
				port: 0,
				seed: 1,
				deliveryDelayMs: 50,
				faults: { 'agentMessages.create': { latencyMs: args.latency } },
				...(tls ? { tls: true, rttMs: args.rtt } : {}),
			});
			const rttMs = tls ? args.rtt : 0;
			transports[transport] = { emulator, key: emulator.createServiceAccountKey(), credential: { id: `rbm-bench-${transport}`, name: `RBM bench emulator (${transport})` }, rttMs };
			log(`${transport} emulator: ${emulator.url}${rttMs ? ` (RTT relay ${rttMs} ms in front of ${emulator.directUrl})` : ''}${emulator.caFile ? `, CA ${emulator.caFile} (made in ${Math.round(emulator.tlsGenerationMs || 0)} ms)` : ''}`);
		}
		const tlsEmulator = Object.values(transports).find((t) => t.emulator.caFile);
		instance = await lib.setupN8n({
			credentials: Object.values(transports).map((t) => ({ ...t.credential, emulator: t.emulator, keyJson: JSON.stringify(t.key) })),
			// every n8n process trusts the HTTPS emulator's CA, as users trust a corporate CA
			extraEnv: tlsEmulator ? { NODE_EXTRA_CA_CERTS: tlsEmulator.emulator.caFile } : {},
		});
		const specs = plan(args, transports);
		if (!args.skipRss && !transports[TARGET_TRANSPORT]) log(`RSS runs skipped: they run over ${TARGET_TRANSPORT} only (--transports ${args.transports.join(',')})`);
		const unknown = [...forcedFailures].filter((id) => !specs.some((s) => s.id === id));
		if (unknown.length) throw new Error(`--fail: no run ${unknown.join(', ')} (runs: ${specs.map((s) => s.id).join(', ')})`);
		// The NoOp runs send nothing: any emulator will do for their (empty) counts.
		const emulatorFor = (spec) => (spec.transport ? transports[spec.transport] : Object.values(transports)[0]).emulator;

		/** One measured execution, never throwing: a failed run is a measurement with ok: false. */
		const step = async (spec) => {
			if (spec.kind === 'floor') {
				log(`${spec.id}: bare fetch client, C=${spec.concurrency}, ${spec.items} messages …`);
				const t = transports[spec.transport];
				const m = await lib.measureFloor(t.emulator, t.key, { items: spec.items, concurrency: spec.concurrency, timeoutMs: args.runTimeout * 1000 });
				log(m.ok ? `${spec.id}: ${round(m.msgPerSec)} msg/s, ${round(m.cpuMsPerItem, 3)} ms CPU per message, ${m.tlsHandshakes} TLS handshakes` : `${spec.id}: FAILED: ${m.failure}`);
				return m;
			}
			const wf = forcedFailures.has(spec.id) ? forceFailure(spec.workflow(), spec.id) : spec.workflow();
			log(`${spec.id}: ${wf.name} …`);
			const cpu0 = process.cpuUsage();
			let m;
			try {
				m = await lib.measure(instance, emulatorFor(spec), wf, { extraEnv: spec.extraEnv, timeoutMs: args.runTimeout * 1000 });
			} catch (error) {
				m = { workflow: wf.name, ok: false, failure: `could not run: ${error.message}`, error: error.message };
			}
			const cpu1 = process.cpuUsage(cpu0);
			// The emulator (and its RTT relay) run in this process: its CPU during the run.
			m.emulatorCpuMs = Math.round((cpu1.user + cpu1.system) / 1000);
			if (!m.ok) {
				log(`${spec.id}: FAILED: ${m.failure}`);
			} else {
				log(
					`${spec.id}: node ${m.nodeMs} ms (${round((m.outputs[0] / m.nodeMs) * 1000)} msg/s), accepted ${m.accepted}, in flight ≤ ${m.maxInFlight}, ` +
						`connections ${m.connections}, TLS handshakes ${m.tlsHandshakes}, n8n CPU ${Math.round(m.cpuMs)} ms, max RSS ${m.maxRssMiB} MiB, token grants ${m.tokenGrants}, wall ${Math.round(m.wallMs / 1000)} s`,
				);
			}
			return m;
		};

		// Warm-up per transport (not measured): file cache, the task runner's first start, JIT of the emulator and relay.
		for (const transport of args.transports) {
			const warm = await step({ id: `${transport}-warmup`, transport, workflow: () => lib.oursWorkflow(200, { concurrency: 32, credential: transports[transport].credential }) });
			if (!warm.ok) log(`${transport} warm-up failed; measuring anyway`);
		}

		const measurements = {};
		for (const spec of specs) {
			if (spec.kind !== 'noop' || args.noopRuns <= 1) {
				measurements[spec.id] = await step(spec);
				continue;
			}
			// A NoOp run is mostly n8n's start-up, whose CPU varies by ±1 s here from run to run: the
			// baseline is the median of --noop-runs runs (all of them listed in results.json).
			const runs = [];
			for (let k = 0; k < args.noopRuns; k++) runs.push(await step(spec));
			const ok = runs.filter((r) => r.ok).sort((a, b) => a.cpuMs - b.cpuMs);
			measurements[spec.id] = ok.length ? { ...ok[Math.floor((ok.length - 1) / 2)], cpuMsRuns: runs.map((r) => (r.ok ? Math.round(r.cpuMs) : null)) } : runs[0];
		}

		results = summarize({ args, specs, measurements, instance, totalMs: Date.now() - started, fdLimit });
		write(args, results);
	} finally {
		if (instance) instance.cleanup();
		for (const t of Object.values(transports)) await t.emulator.close();
	}
	if (results.failedRuns.length) {
		log(`${results.failedRuns.length} run(s) FAILED: ${results.failedRuns.join(', ')}${args.strict ? ' (--strict: exit code 1)' : ' (exit code 0; --strict makes this an error)'}`);
		if (args.strict) process.exitCode = 1;
	}
}

const msgPerSecOf = (m) => (m.outputs[0] / m.nodeMs) * 1000;
const firstLine = (text) => String(text ?? '').split('\n')[0].slice(0, 500);

/** TLS handshakes allowed for ours at concurrency C in one run: C (one per connection of the pool). */
function tlsHandshakesMax(C) {
	return TARGETS.tlsHandshakesPerConnectionSlot * C;
}

/** Why an ours row is below its ideal C/(L+RTT) (or its floor): CPU-bound, or per-request overhead beyond L + RTT. */
function idealWhy({ C, L, rtt, msgPerSec, ideal, cpuPerItem, m, noop }) {
	const beyond = `${round((C * 1000) / msgPerSec - L - rtt, 1)} ms per request beyond the ${L} ms server time${rtt ? ` + ${rtt} ms RTT` : ''}`;
	if (cpuPerItem === null) return `${beyond} (CPU not known: the NoOp run failed)`;
	// CPU-bound if the node's CPU per item at the ideal rate needs more than one core.
	const needed = cpuPerItem * ideal;
	return needed > 1000 * 0.9
		? `CPU-bound: ${round(cpuPerItem, 2)} ms CPU/item above NoOp × ${round(ideal)} msg/s ideal = ${round(needed / 1000, 2)} cores, but n8n runs the node on one JS thread (≤ 1 core); during the node's run n8n used ≈ ${round((m.cpuMs - noop.cpuMs) / m.nodeMs, 2)} cores above NoOp`
		: `not CPU-bound (${round(cpuPerItem, 2)} ms/item × ${round(ideal)} msg/s = ${round(needed / 1000, 2)} core): ${beyond}`;
}

/**
 * One results row from one run: `spec` (from plan()), `m` (its measurement from lib.measure) and
 * `ctx` (what rows are compared with: latency, each transport's RTT, the NoOp baseline, the HTTP
 * Request node's best row per transport). A failed run gives the row's identity fields,
 * `ok: false` and `error`. New per-row fields go here.
 */
function buildRow(spec, m, ctx) {
	const L = ctx.latencyMs;
	const rtt = spec.transport ? ctx.rttFor(spec.transport) : null;
	const identity =
		spec.kind === 'http'
			? { id: spec.id, transport: spec.transport, setting: spec.setting, batchSize: spec.batchSize, rttMs: rtt, latencyMs: L, items: spec.items }
			: { id: spec.id, transport: spec.transport, concurrency: spec.concurrency, rttMs: rtt, latencyMs: L, items: spec.items };
	if (!m || !m.ok) return { ...identity, ok: false, error: (m && m.failure) || 'not run' };

	if (spec.kind === 'floor') {
		const ideal = spec.concurrency / ((L + rtt) / 1000);
		return {
			...identity,
			ok: true,
			msgPerSec: round(m.msgPerSec),
			idealMsgPerSec: round(ideal),
			ratioToIdeal: round(m.msgPerSec / ideal, 3),
			cpuMsPerItem: round(m.cpuMsPerItem, 3),
			cpuUserMs: round(m.userMs, 0),
			cpuSystemMs: round(m.systemMs, 0),
			maxInFlight: m.maxInFlight,
			tlsHandshakes: m.tlsHandshakes,
			connections: m.connections,
		};
	}
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
			tlsHandshakes: m.tlsHandshakes,
			connections: m.connections,
			cpuMsPerItemAboveNoOp: round(cpuPerItem, 3),
			tokenGrants: m.tokenGrants,
			best: false, // set by summarize() once every HTTP row is built
		};
	}
	if (spec.kind === 'ours') {
		const C = spec.concurrency;
		const best = ctx.httpBestFor(spec.transport);
		// A kept-alive sender with C requests in flight, each answered L + RTT after it left.
		const ideal = C / ((L + rtt) / 1000);
		const ratioToIdeal = msgPerSec / ideal;
		const targeted = spec.transport === TARGET_TRANSPORT;
		const bestCpu = best && best.cpuMsPerItemAboveNoOp;
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
			tlsHandshakes: m.tlsHandshakes,
			connections: m.connections,
			// connections beyond the pool's C sockets: sockets closed and opened again during the run
			reconnects: Math.max(0, m.connections - C),
			cpuMsPerItemAboveNoOp: round(cpuPerItem, 3),
			httpRequestNodeMsgPerSec: best ? best.msgPerSec : null,
			ratioToHttpRequestNode: best ? round(msgPerSec / best.msgPerSec, 2) : null,
			httpRequestNodeCpuMsPerItemAboveNoOp: best ? bestCpu : null,
			cpuRatioToHttpRequestNode: cpuPerItem !== null && bestCpu > 0 ? round(cpuPerItem / bestCpu, 3) : null,
		};
		const floor = ctx.floorFor(spec.transport, C);
		row.floorMsgPerSec = floor ? round(floor.msgPerSec) : null;
		row.floorRatioToIdeal = floor ? round(floor.msgPerSec / ideal, 3) : null;
		row.ratioToFloor = floor ? round(msgPerSec / floor.msgPerSec, 3) : null;
		// The throughput target: ours ÷ the bare fetch client at C = 32 and 64 (null: not a targeted C,
		// or no floor run at this C); TLS handshakes ≤ C at every C.
		const floorTargeted = targeted && TARGETS.ratioToFloorAtConcurrency.includes(C);
		row.target = targeted
			? {
					ratioToFloor: floorTargeted ? TARGETS.ratioToFloor : null,
					pass: floorTargeted && floor ? msgPerSec / floor.msgPerSec >= TARGETS.ratioToFloor : null,
					tlsHandshakesMax: tlsHandshakesMax(C),
					tlsHandshakesPass: m.tlsHandshakes <= tlsHandshakesMax(C),
				}
			: { ratioToFloor: null, pass: null, note: `${TRANSPORTS[spec.transport].label} reference: reported, no target` };
		if (floorTargeted && !floor) row.target.why = `not measured: no bare fetch client run at C = ${C} (${ctx.floorMissing ? ctx.floorMissing(spec.transport, C) : 'not run'})`;
		if (row.target.pass === false) {
			row.target.why =
				`${round(msgPerSec)} msg/s = ${round(msgPerSec / floor.msgPerSec, 3)} × the bare fetch client's ${round(floor.msgPerSec)} msg/s (no n8n, same transport, C, messages and emulator; ` +
				`it reached ${round(floor.msgPerSec / ideal, 3)} of C/(L+RTT), ours ${round(ratioToIdeal, 3)}); ${idealWhy({ C, L, rtt, msgPerSec, ideal, cpuPerItem, m, noop })}`;
		}
		return row;
	}
	// noop, rss-noop, rss-ours: the raw figures summarize() combines.
	return {
		...identity,
		ok: true,
		msgPerSec: m.outputs[0] ? round(msgPerSec) : null,
		nodeMs: m.nodeMs,
		accepted: m.accepted,
		tokenGrants: m.tokenGrants,
		tlsHandshakes: m.tlsHandshakes,
		connections: m.connections,
		cpuMs: round(m.cpuMs, 0),
		maxRssMiB: m.maxRssMiB,
	};
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

function summarize({ args, specs, measurements, instance, totalMs, fdLimit = null }) {
	const L = args.latency;
	const N = args.items;
	const T = TARGET_TRANSPORT;
	const rttOf = (transport) => (TRANSPORTS[transport].tls ? args.rtt : 0);
	const specOf = (id) => specs.find((s) => s.id === id);
	// The NoOp baseline of a run: the NoOp run of the same size (noop-<items>, else the main one).
	const noopIdOf = (spec) => {
		if (spec.kind === 'rss-ours') return 'noop-rss';
		if (spec.kind === 'rss-noop' || spec.kind === 'floor') return null;
		const same = specs.find((s) => s.kind === 'noop' && s.items === spec.items);
		return same ? same.id : 'noop';
	};
	const noopOf = (spec) => (noopIdOf(spec) ? measurements[noopIdOf(spec)] : undefined);
	const httpBest = {};
	const ctx = {
		latencyMs: L,
		rttFor: rttOf,
		noopFor: noopOf,
		httpBestFor: (transport) => httpBest[transport],
		floorFor: (transport, C) => {
			const f = measurements[`${transport}-floor-c${C}`];
			return f && f.ok ? f : undefined;
		},
		/** Why there is no floor figure at C (for a `not measured`). */
		floorMissing: (transport, C) => {
			const id = `${transport}-floor-c${C}`;
			if (measurements[id]) return `run ${id} FAILED`;
			return args.skipFloor ? '--skip-floor' : `no run ${id}`;
		},
	};
	const rowOf = (spec) => buildRow(spec, measurements[spec.id], ctx);
	const measuredTarget = args.transports.includes(T);
	const noTargetRuns = `no ${T} runs (--transports ${args.transports.join(',')})`;

	// HTTP Request rows first: ours rows are compared with the best of them (per transport).
	const httpRequestNode = specs.filter((s) => s.kind === 'http').map(rowOf);
	for (const h of httpRequestNode.filter((x) => x.ok)) {
		if (!httpBest[h.transport] || h.msgPerSec > httpBest[h.transport].msgPerSec) httpBest[h.transport] = h;
	}
	for (const h of Object.values(httpBest)) h.best = true;
	const best = httpBest[T];
	const entries = specs.filter((s) => s.kind === 'ours').map(rowOf);
	const targetEntries = entries.filter((e) => e.transport === T);
	const noopRow = rowOf(specOf('noop'));

	// The row the CPU and HTTP Request node targets are about: ours over TLS at C = 64.
	const CMP = TARGETS.compareAtConcurrency;
	const cmp = targetEntries.find((e) => e.concurrency === CMP);
	const cmpM = cmp && measurements[cmp.id];
	const oursCpu = cmp && cmp.ok ? cmp.cpuMsPerItemAboveNoOp : null;
	const httpCpu = best ? best.cpuMsPerItemAboveNoOp : null;
	const floors = specs.filter((sp) => sp.kind === 'floor').map(rowOf);
	const floor = floors.find((f) => f.concurrency === CMP) || null;
	const floorCpu = floor && floor.ok ? floor.cpuMsPerItem : null;
	const whyNoCmp = () =>
		!measuredTarget ? noTargetRuns : !cmp ? `no ours run at C = ${CMP} over ${T} (--concurrency ${args.concurrency.join(',')})` : `run ${cmp.id} FAILED`;

	const rssId = `${T}-ours-rss`;
	let rss = null;
	if (!args.skipRss && measuredTarget) {
		const noopBig = measurements['noop-rss'];
		const oursBig = measurements[rssId];
		if (noopBig && noopBig.ok && oursBig && oursBig.ok) {
			rss = {
				items: args.rssItems,
				ok: true,
				transport: T,
				noopMaxRssMiB: noopBig.maxRssMiB,
				oursMaxRssMiB: oursBig.maxRssMiB,
				ratio: oursBig.maxRssMiB / noopBig.maxRssMiB,
				oursMsgPerSec: round(msgPerSecOf(oursBig)),
				oursTlsHandshakes: oursBig.tlsHandshakes,
				oursConnections: oursBig.connections,
				// The run data is no longer read from n8n's printed output, so it cannot be cut short.
				runDataPrintTruncated: false,
				noopMemory: lib.memorySummary(noopBig.memory),
				oursMemory: lib.memorySummary(oursBig.memory),
			};
		} else {
			const failed = ['noop-rss', rssId].filter((id) => !(measurements[id] && measurements[id].ok));
			rss = { items: args.rssItems, ok: false, transport: T, error: failed.map((id) => `${id}: ${firstLine(measurements[id] && measurements[id].failure)}`).join('; ') };
		}
	}

	const failedRuns = specs.filter((s) => !(measurements[s.id] && measurements[s.id].ok)).map((s) => s.id);
	const failedNote = (ids) => `${ids.filter((id) => failedRuns.includes(id)).join(', ')} FAILED`;

	// Targets: ours over TLS (the plain HTTP rows are a reference, reported without targets).
	const targets = {};

	const hsTarget = '≤ C TLS handshakes per run (ours over TLS, every C; reconnects reported)';
	const hsValues = targetEntries.map((e) => {
		if (!e.ok) return { concurrency: e.concurrency, items: e.items, tlsHandshakes: null, pass: null, why: `not measured: run ${e.id} FAILED` };
		const v = { concurrency: e.concurrency, items: e.items, tlsHandshakes: e.tlsHandshakes, max: e.target.tlsHandshakesMax, connections: e.connections, reconnects: e.reconnects, pass: e.target.tlsHandshakesPass };
		if (!v.pass) {
			// handshakes ≤ connections, so more handshakes than allowed means connections beyond C
			v.why =
				`${e.tlsHandshakes} TLS handshakes for ${e.items} messages (allowed ${v.max}) on ${e.connections} connections: ` +
				`${e.reconnects} reconnects (connections beyond C = ${e.concurrency}: a request started before the previous one's socket went back to the pool, or sockets closed and opened again — idle longer than the pool's keep-alive (4 s), closed by the server, or dropped after an error)`;
		}
		return v;
	});
	targets.tlsHandshakes = measuredTarget ? { target: hsTarget, pass: verdict(hsValues.map((v) => v.pass)), values: hsValues } : notMeasured(hsTarget, noTargetRuns);
	if (hsValues.some((v) => v.tlsHandshakes === null)) targets.tlsHandshakes.notMeasured = true;

	// Throughput: ours ÷ the bare fetch client at C = 32 and 64; the ratio to C/(L+RTT) of both is
	// reported beside it (and in every ours row), not judged.
	const ratioValues = TARGETS.ratioToFloorAtConcurrency.map((C) => {
		const e = targetEntries.find((x) => x.concurrency === C);
		if (!e) return { concurrency: C, ratio: null, pass: null, why: `not measured: no ours run at C = ${C} over ${T} (--concurrency ${args.concurrency.join(',')})` };
		if (!e.ok) return { concurrency: C, ratio: null, pass: null, why: `not measured: run ${e.id} FAILED` };
		return {
			concurrency: C,
			ratio: e.ratioToFloor,
			pass: e.target.pass,
			msgPerSec: e.msgPerSec,
			floorMsgPerSec: e.floorMsgPerSec,
			ratioToIdeal: e.ratioToIdeal,
			floorRatioToIdeal: e.floorRatioToIdeal,
			...(e.target.why ? { why: e.target.why } : {}),
		};
	});
	const ratioTarget = `≥ ${TARGETS.ratioToFloor} × the bare fetch client's msg/s at C = ${TARGETS.ratioToFloorAtConcurrency.join(' and ')} (ours over TLS; ratio to C/(L+RTT) reported)`;
	targets.ratioToFloor = measuredTarget ? { target: ratioTarget, pass: verdict(ratioValues.map((v) => v.pass)), values: ratioValues } : { ...notMeasured(ratioTarget, noTargetRuns), values: [] };
	if (ratioValues.some((v) => v.ratio === null)) targets.ratioToFloor.notMeasured = true;

	const cpuTarget = `≤ ${TARGETS.cpuMsPerItemAboveNoOp} ms CPU per item above NoOp (ours over TLS, C=${CMP})`;
	if (oursCpu === null) {
		targets.cpuMsPerItemAboveNoOp = notMeasured(cpuTarget, cmp && cmp.ok ? failedNote([noopIdOf(cmp)]) : whyNoCmp());
	} else {
		targets.cpuMsPerItemAboveNoOp = { target: cpuTarget, value: round(oursCpu, 3), pass: oursCpu <= TARGETS.cpuMsPerItemAboveNoOp, floorMsPerMessage: floorCpu };
		if (!targets.cpuMsPerItemAboveNoOp.pass) {
			targets.cpuMsPerItemAboveNoOp.why =
				`our node spends ${round(oursCpu, 2)} ms of n8n's CPU per item over TLS at C = ${CMP} (HTTP Request node: ${httpCpu === null ? 'not measured' : `${round(httpCpu, 2)} ms`}` +
				`${floorCpu === null ? '' : `; a bare fetch client with no n8n, same transport, messages and emulator: ${floorCpu} ms per message; ours is ${round(oursCpu / floorCpu, 1)}× that`}); run \`node bench/profile.js --https\` for where it goes`;
		}
	}

	const httpIds = httpRequestNode.filter((h) => h.transport === T).map((h) => h.id);
	const vsTarget = `at C=${CMP} over TLS ≥ ${TARGETS.ratioToHttpRequestNode} × the HTTP Request node's best msg/s`;
	if (!cmp || !cmp.ok || !best) {
		targets.ratioToHttpRequestNode = notMeasured(vsTarget, cmp && cmp.ok ? failedNote(httpIds) : whyNoCmp());
	} else {
		const oursRate = msgPerSecOf(cmpM);
		targets.ratioToHttpRequestNode = { target: vsTarget, value: round(oursRate / best.msgPerSec, 2), pass: oursRate >= TARGETS.ratioToHttpRequestNode * best.msgPerSec, oursMsgPerSec: cmp.msgPerSec, httpRequestNodeMsgPerSec: best.msgPerSec };
		if (!targets.ratioToHttpRequestNode.pass) {
			const needed = TARGETS.ratioToHttpRequestNode * best.msgPerSec;
			targets.ratioToHttpRequestNode.why =
				cmp.idealMsgPerSec < needed
					? `out of reach at C = ${CMP}, L + RTT = ${L + rttOf(T)} ms: no kept-alive sender with ${CMP} requests in flight can exceed C/(L+RTT) = ${cmp.idealMsgPerSec} msg/s, below ${TARGETS.ratioToHttpRequestNode} × ${best.msgPerSec} = ${round(needed)} msg/s (the HTTP Request node had ${best.maxInFlight} requests in flight)`
					: `${cmp.msgPerSec} msg/s vs ${TARGETS.ratioToHttpRequestNode} × ${best.msgPerSec} = ${round(needed)} msg/s needed` + (cmp.target.why ? `; ${cmp.target.why}` : '');
		}
	}

	const cpuVsTarget = `at C=${CMP} over TLS ≤ ${TARGETS.cpuRatioToHttpRequestNode} × the HTTP Request node's CPU per item`;
	if (oursCpu === null || httpCpu === null) {
		targets.cpuRatioToHttpRequestNode = notMeasured(cpuVsTarget, oursCpu === null ? (cmp && cmp.ok ? failedNote([noopIdOf(cmp)]) : whyNoCmp()) : best ? failedNote([noopIdOf(best)]) : failedNote(httpIds));
	} else if (!(httpCpu > 0)) {
		targets.cpuRatioToHttpRequestNode = notMeasured(cpuVsTarget, `the HTTP Request node's CPU per item above NoOp is ${round(httpCpu, 3)} ms (not > 0)`);
	} else {
		const ratio = oursCpu / httpCpu;
		targets.cpuRatioToHttpRequestNode = { target: cpuVsTarget, value: round(ratio, 3), pass: ratio <= TARGETS.cpuRatioToHttpRequestNode, oursMs: round(oursCpu, 3), httpRequestNodeMs: round(httpCpu, 3) };
		if (!targets.cpuRatioToHttpRequestNode.pass) {
			targets.cpuRatioToHttpRequestNode.why = `${round(oursCpu, 3)} ms vs ${round(httpCpu, 3)} ms per item above NoOp (${best.setting}); ≤ ${round(TARGETS.cpuRatioToHttpRequestNode * httpCpu, 3)} ms needed`;
		}
	}

	const rssTarget = `peak RSS ≤ ${TARGETS.rssRatioToNoOp} × NoOp at ${args.rssItems} items (ours over TLS, C=32)`;
	if (args.skipRss) targets.rssRatioToNoOp = { target: 'skipped (--skip-rss)', pass: null };
	else if (!rss) targets.rssRatioToNoOp = notMeasured(rssTarget, noTargetRuns);
	else if (!rss.ok) targets.rssRatioToNoOp = notMeasured(rssTarget, failedNote(['noop-rss', rssId]));
	else {
		targets.rssRatioToNoOp = { target: rssTarget, value: round(rss.ratio, 2), pass: rss.ratio <= TARGETS.rssRatioToNoOp };
		if (!targets.rssRatioToNoOp.pass) {
			const o = rss.oursMemory;
			const n = rss.noopMemory;
			targets.rssRatioToNoOp.why =
				`${rss.oursMaxRssMiB} MiB vs ${rss.noopMaxRssMiB} MiB` +
				(o && n
					? `: the live heap of our run (lowest V8 heap in use after a major GC, second half of the run) is ${o.liveHeapMiB} MiB; ` +
						`the heap in use climbs to ${o.maxHeapUsedMiB} MiB between major GCs (NoOp: ${n.maxHeapUsedMiB} MiB): the difference is garbage V8 lets grow ` +
						`before collecting (\`npm run bench:heap\` tells whose); the NoOp run lasts milliseconds and never accumulates any. At peak RSS: heap ${o.atPeakRss.heapUsed}/${o.atPeakRss.heapTotal} MiB used/reserved, ` +
						`buffers ${o.atPeakRss.arrayBuffers} MiB (NoOp: ${n.atPeakRss.heapUsed}/${n.atPeakRss.heapTotal}, ${n.atPeakRss.arrayBuffers})`
					: '');
		}
	}

	// Token grants: correctness, not speed — every execution of our node, both transports.
	const rssOurs = measurements[rssId];
	const tokenGrantRuns = entries
		.filter((e) => e.ok)
		.map((e) => ({ id: e.id, tokenGrants: e.tokenGrants }))
		.concat(rssOurs && rssOurs.ok ? [{ id: rssId, tokenGrants: rssOurs.tokenGrants }] : []);
	const tokenGrants = tokenGrantRuns.map((r) => r.tokenGrants);
	targets.tokenGrants = { target: 'exactly 1 token grant per n8n execution of our node (every run, both transports)', value: tokenGrants, pass: tokenGrants.length ? tokenGrants.every((g) => g === TARGETS.tokenGrants) : null };
	if (!tokenGrants.length) Object.assign(targets.tokenGrants, { notMeasured: true, why: 'not measured: every run of our node FAILED' });
	else if (!targets.tokenGrants.pass) {
		targets.tokenGrants.why = tokenGrantRuns.filter((r) => r.tokenGrants !== TARGETS.tokenGrants).map((r) => `${r.id}: ${r.tokenGrants}`).join(', ');
	}

	const rt = lib.runtime;
	const bestOf = (h) => (h ? { id: h.id, setting: h.setting, msgPerSec: h.msgPerSec, cpuMsPerItemAboveNoOp: h.cpuMsPerItemAboveNoOp, tlsHandshakes: h.tlsHandshakes, connections: h.connections } : null);
	return {
		generatedAt: new Date().toISOString(),
		latencyMs: L,
		rttMs: args.rtt,
		transports: args.transports.map((t) => ({ transport: t, tls: TRANSPORTS[t].tls, rttMs: rttOf(t), targets: t === T })),
		targetTransport: T,
		itemsDefault: N,
		entries,
		httpRequestNode,
		httpRequestNodeBest: Object.fromEntries(args.transports.map((t) => [t, bestOf(httpBest[t])])),
		noop: noopRow,
		// a bare fetch client (bench/floor-client.js, no n8n, our transport: Node's global fetch) on the
		// same emulator at each C > 1: what this rig gives any Node sender (msg/s, CPU per message);
		// \`floor\` is the one at C = 64
		floors,
		floor,
		// every NoOp baseline (one per run size): CPU per item above NoOp compares runs of the same size
		noops: specs.filter((s) => s.kind === 'noop').map(rowOf),
		cpuMsPerItemAboveNoOp: {
			ours: round(oursCpu, 3),
			oursConcurrency: CMP,
			oursTransport: T,
			httpRequestNode: round(httpCpu, 3),
			httpRequestNodeSetting: best ? best.setting : null,
			items: cmp ? cmp.items : N,
			noopCpuMs: cmp && noopOf(cmp) && noopOf(cmp).ok ? Math.round(noopOf(cmp).cpuMs) : null,
			httpRequestNodeItems: best ? best.items : null,
			httpRequestNodeNoopCpuMs: best && noopOf(best) && noopOf(best).ok ? Math.round(noopOf(best).cpuMs) : null,
		},
		rss: rss && rss.ok
			? { items: rss.items, transport: rss.transport, noopMaxRssMiB: rss.noopMaxRssMiB, oursMaxRssMiB: rss.oursMaxRssMiB, oursMsgPerSec: rss.oursMsgPerSec, oursTlsHandshakes: rss.oursTlsHandshakes, oursConnections: rss.oursConnections, runDataPrintTruncated: rss.runDataPrintTruncated, noopMemory: rss.noopMemory, oursMemory: rss.oursMemory }
			: rss,
		rssRatioToNoOp: rss && rss.ok ? round(rss.ratio, 2) : null,
		tokenGrants: { perRun: tokenGrants, runs: tokenGrantRuns, allExactlyOne: tokenGrants.length > 0 && tokenGrants.every((g) => g === 1) },
		targets,
		allTargetsPass: Object.values(targets).every((t) => t.pass === true || (t.pass === null && !t.notMeasured)),
		failedRuns,
		allRunsOk: failedRuns.length === 0,
		machine: { ...lib.machineInfo(), openFileLimit: fdLimit === Infinity ? 'unlimited' : fdLimit },
		versions: { node: rt.NODE_VERSION, benchDriverNode: process.versions.node, n8n: rt.N8N_VERSION, package: instance.packageVersion },
		method: {
			msgPerSec: "items out of the send node / that node's run time in n8n's run data (runData.Send[0].startTime → + executionTime)",
			idealMsgPerSec: 'C / (L + RTT): a sender keeping C requests in flight on kept-alive connections, each answered L (server time) + RTT (one round trip) after it left; RTT = 0 for plain http',
			transports:
				"https: the emulator with tls: true behind its RTT relay (a new TCP connection costs 1 RTT, a TLS 1.3 handshake 1 RTT, each request 1 RTT), n8n trusting its CA through NODE_EXTRA_CA_CERTS; http: a second emulator, plain HTTP, no relay. Each has its own service-account key and rbmApi credential",
			connections: "the emulator API server's accepted TCP connections (stats().connections) and completed TLS handshakes (stats().tlsHandshakes) during the run; reconnects = connections beyond C (ours: Node's global fetch pool, at most C requests in flight and one timer turn after each body so a freed socket is reused, the token endpoint on the same host)",
			cpu: 'user+system CPU of the `n8n execute` main process (process.cpuUsage() at exit, preload scripts/bench-cpu-preload.js) minus the NoOp workflow on the same number of items (noop-<items>, measured in the same bench; the median of --noop-runs runs, 3 by default)',
			rss: 'process.resourceUsage().maxRSS of the `n8n execute` main process',
			httpRequestNode: 'Code node signs the JWT (node:crypto) → HTTP Request node exchanges it once at the emulator token_uri → HTTP Request node 4.2 POSTs each message with Authorization from an expression and a random messageId',
			n8nSettings: 'EXECUTIONS_DATA_SAVE_ON_SUCCESS=none (run data not written to SQLite), task runners internal, SQLite, NODE_EXTRA_CA_CERTS=<the https emulator CA>',
			resultCollection:
				"n8n external hook workflow.postExecute (EXTERNAL_HOOK_FILES=bench/n8n-run-summary-hook.js) writes a summary of the finished run (per node and run: startTime, executionTime, items per output; the workflow error) to a file, in the n8n main process, before `n8n execute` prints and exits; n8n's stdout goes to a file and is not parsed",
			floor:
				"bench/floor-client.js on the Node that runs n8n, no n8n: one token (the JWT signed by dist/nodes/shared/transport/jwt.js, as the node signs it), then the same messages at C in flight through Node's global fetch as nodes/shared/transport/connection.ts sends them (global pool, kept-alive, redirect: 'manual', AbortSignal.timeout, body read as text, then one timer turn); msg/s and process.cpuUsage() of its sending phase (all threads). ratioToFloor = ours msg/s ÷ its msg/s at the same C",
			failedRuns: 'a run with a non-zero exit, a timeout, no run summary or a workflow error is reported (ok: false, error) and the bench goes on; targets depending on it are not measured',
		},
		measurements: Object.fromEntries(
			Object.entries(measurements).map(([k, m]) => [
				k,
				m.ok
					? { ok: true, workflow: m.workflow, nodeMs: m.nodeMs, wallMs: m.wallMs, outputs: m.outputs, accepted: m.accepted, requests: m.requests, maxInFlight: m.maxInFlight, peakRequestsPerSecond: m.peakRequestsPerSecond, tokenGrants: m.tokenGrants, connections: m.connections, tlsHandshakes: m.tlsHandshakes, cpuMs: round(m.cpuMs, 0), cpuUserMs: m.cpuUserMs, cpuSystemMs: m.cpuSystemMs, cpuMsByThread: m.cpuMsByThread, cpuMsRuns: m.cpuMsRuns, runnerCpuMs: round(m.runnerCpuMs, 0), emulatorCpuMs: m.emulatorCpuMs, maxRssMiB: m.maxRssMiB }
					: { ok: false, workflow: m.workflow, error: m.failure, detail: typeof m.error === 'string' ? m.error.slice(0, 3000) : m.error, exitCode: m.exitCode, timedOut: m.timedOut, wallMs: m.wallMs, accepted: m.accepted, requests: m.requests, tokenGrants: m.tokenGrants, connections: m.connections, tlsHandshakes: m.tlsHandshakes, emulatorCpuMs: m.emulatorCpuMs },
			]),
		),
		totalSeconds: Math.round(totalMs / 1000),
	};
}

const pf = (p) => (p === null || p === undefined ? 'skipped' : p ? 'PASS' : 'FAIL');
const targetResult = (t) => (t.notMeasured ? 'NOT MEASURED' : pf(t.pass));
const ofTransport = (transport) => (rows) => rows.filter((x) => x.transport === transport);
const rttText = (r) => `RTT = ${r.rttMs} ms, L = ${r.latencyMs} ms`;

/**
 * The tables: a title line and a header row from `columns` (header, value(row); `key: true`
 * columns identify the row and are printed for FAILED rows too) over `rows(results)`; a table
 * without rows (a transport not measured) is left out.
 */
const TABLES = [
	{
		name: 'oursHttps',
		title: (r) => `RBM Send Message over HTTPS (TLS 1.3 through the RTT relay: ${rttText(r)}; ideal = C/(L+RTT); targets)`,
		rows: (r) => ofTransport('https')(r.entries),
		columns: [
			{ header: 'C', key: true, value: (e) => e.concurrency },
			{ header: 'items', key: true, value: (e) => e.items },
			{ header: 'ours msg/s', value: (e) => e.msgPerSec },
			{ header: 'ideal C/(L+RTT)', value: (e) => e.idealMsgPerSec },
			{ header: 'ratio to ideal', value: (e) => e.ratioToIdeal },
			{ header: 'bare fetch client msg/s (ratio to ideal)', value: (e) => (e.floorMsgPerSec === null ? null : `${e.floorMsgPerSec} (${e.floorRatioToIdeal})`) },
			{ header: `ours / bare client (≥ ${TARGETS.ratioToFloor} at C = ${TARGETS.ratioToFloorAtConcurrency.join(', ')})`, value: (e) => (e.ratioToFloor === null ? null : `${e.ratioToFloor}${e.target.ratioToFloor ? ` ${pf(e.target.pass)}` : ''}`) },
			{ header: 'HTTP Request best msg/s', value: (e) => e.httpRequestNodeMsgPerSec },
			{ header: 'ours / HTTP best', value: (e) => e.ratioToHttpRequestNode },
			{ header: 'in flight ≤', value: (e) => e.maxInFlight },
			{ header: 'TLS handshakes (≤ C)', value: (e) => `${e.tlsHandshakes} ${pf(e.target.tlsHandshakesPass)}` },
			{ header: 'connections (reconnects)', value: (e) => `${e.connections} (${e.reconnects})` },
			{ header: 'token grants', value: (e) => e.tokenGrants },
			{ header: 'CPU ms/item > NoOp', value: (e) => e.cpuMsPerItemAboveNoOp },
		],
	},
	{
		name: 'httpRequestNodeHttps',
		title: (r) => `HTTP Request node over HTTPS (${rttText(r)}; a new connection and TLS handshake per request)`,
		rows: (r) => ofTransport('https')(r.httpRequestNode),
		columns: [
			{ header: 'HTTP Request node setting', key: true, value: (h) => `${h.setting}${h.best ? ' (best)' : ''}` },
			{ header: 'items', key: true, value: (h) => h.items },
			{ header: 'msg/s', value: (h) => h.msgPerSec },
			{ header: 'in flight ≤', value: (h) => h.maxInFlight },
			{ header: 'TLS handshakes', value: (h) => h.tlsHandshakes },
			{ header: 'connections', value: (h) => h.connections },
			{ header: 'CPU ms/item > NoOp', value: (h) => h.cpuMsPerItemAboveNoOp },
		],
	},
	{
		name: 'floorHttps',
		title: (r) => `Floor: a bare fetch client over HTTPS, no n8n (bench/floor-client.js: our transport — Node's global fetch, kept-alive, one timer turn after each body — same messages, same emulator, ${rttText(r)})`,
		rows: (r) => r.floors || [],
		columns: [
			{ header: 'C', key: true, value: (f) => f.concurrency },
			{ header: 'items', key: true, value: (f) => f.items },
			{ header: 'msg/s', value: (f) => f.msgPerSec },
			{ header: 'ratio to ideal', value: (f) => f.ratioToIdeal },
			{ header: 'TLS handshakes', value: (f) => f.tlsHandshakes },
			{ header: 'CPU ms per message (user + system)', value: (f) => `${f.cpuMsPerItem} (${f.cpuUserMs} + ${f.cpuSystemMs} ms in all)` },
		],
	},
	{
		name: 'oursHttp',
		title: (r) => `RBM Send Message over plain HTTP (no relay, RTT ≈ 0, L = ${r.latencyMs} ms; ideal = C/L; reference, no targets)`,
		rows: (r) => ofTransport('http')(r.entries),
		columns: [
			{ header: 'C', key: true, value: (e) => e.concurrency },
			{ header: 'items', key: true, value: (e) => e.items },
			{ header: 'ours msg/s', value: (e) => e.msgPerSec },
			{ header: 'ideal C/L', value: (e) => e.idealMsgPerSec },
			{ header: 'ratio to ideal', value: (e) => e.ratioToIdeal },
			{ header: 'HTTP Request best msg/s', value: (e) => e.httpRequestNodeMsgPerSec },
			{ header: 'ours / HTTP best', value: (e) => e.ratioToHttpRequestNode },
			{ header: 'in flight ≤', value: (e) => e.maxInFlight },
			{ header: 'connections (reconnects)', value: (e) => `${e.connections} (${e.reconnects})` },
			{ header: 'token grants', value: (e) => e.tokenGrants },
			{ header: 'CPU ms/item > NoOp', value: (e) => e.cpuMsPerItemAboveNoOp },
		],
	},
	{
		name: 'httpRequestNodeHttp',
		title: (r) => `HTTP Request node over plain HTTP (L = ${r.latencyMs} ms)`,
		rows: (r) => ofTransport('http')(r.httpRequestNode),
		columns: [
			{ header: 'HTTP Request node setting', key: true, value: (h) => `${h.setting}${h.best ? ' (best)' : ''}` },
			{ header: 'items', key: true, value: (h) => h.items },
			{ header: 'msg/s', value: (h) => h.msgPerSec },
			{ header: 'in flight ≤', value: (h) => h.maxInFlight },
			{ header: 'connections', value: (h) => h.connections },
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

/** The targets table: one row per target, in this order. */
const TARGET_ROWS = [
	['tlsHandshakes', (t) => (t.values || []).map((v) => `C=${v.concurrency}: ${v.tlsHandshakes === null ? 'FAILED' : `${v.tlsHandshakes} (+${v.reconnects} reconnects)`}`).join(', ')],
	[
		'ratioToFloor',
		(t) =>
			(t.values || [])
				.map((v) => `C=${v.concurrency}: ${v.ratio === null ? 'not measured' : `${v.ratio} (${v.msgPerSec} vs ${v.floorMsgPerSec} msg/s; of C/(L+RTT): ours ${v.ratioToIdeal}, bare ${v.floorRatioToIdeal})`}`)
				.join(', '),
	],
	[
		'cpuMsPerItemAboveNoOp',
		(t, r) =>
			`${t.value} ms (HTTP Request node: ${r.cpuMsPerItemAboveNoOp.httpRequestNode === null ? '-' : `${r.cpuMsPerItemAboveNoOp.httpRequestNode} ms`}; ` +
			`bare fetch client, no n8n: ${r.floor && r.floor.ok ? `${r.floor.cpuMsPerItem} ms` : '-'})`,
	],
	['ratioToHttpRequestNode', (t) => `${t.value}× (${t.oursMsgPerSec} vs ${t.httpRequestNodeMsgPerSec} msg/s)`],
	['cpuRatioToHttpRequestNode', (t) => `${t.value}× (${t.oursMs} vs ${t.httpRequestNodeMs} ms)`],
	['rssRatioToNoOp', (t, r) => (r.rss && r.rss.oursMaxRssMiB !== undefined ? `${t.value}× (${r.rss.oursMaxRssMiB} vs ${r.rss.noopMaxRssMiB} MiB)` : '-')],
	['tokenGrants', (t) => t.value.join(', ') || '-'],
];

function renderTable(r) {
	const t = r.targets;
	const targetRows = [['target', 'value', 'result']];
	for (const [key, fmt] of TARGET_ROWS) {
		const x = t[key];
		if (!x) continue;
		const shown = x.values ? x.values.length > 0 : !(x.notMeasured || x.value === null || x.value === undefined);
		targetRows.push([x.target, shown ? fmt(x, r) : '-', targetResult(x)]);
	}
	const whys = [];
	for (const [k, v] of Object.entries(t)) {
		if (v.values) {
			const missed = v.values.filter((x) => x.why);
			if (missed.length) for (const x of missed) whys.push(`- ${k}, C=${x.concurrency}: ${x.why}`);
			else if (v.why) whys.push(`- ${k}: ${v.why}`);
		} else if (v.why) whys.push(`- ${k}: ${v.why}`);
	}
	const failed = r.failedRuns.map((id) => `- ${id}: ${firstLine(r.measurements[id] && r.measurements[id].error)}`);
	const m = r.machine;
	const tls = r.transports.some((x) => x.tls);
	return [
		`Server time L = ${r.latencyMs} ms${tls ? `; HTTPS through the RTT relay, RTT = ${r.rttMs} ms` : ''}${r.transports.some((x) => !x.tls) ? '; plain HTTP without relay' : ''}; machine: ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}; n8n ${r.versions.n8n} on Node ${r.versions.node}; n8n-nodes-rbm ${r.versions.package}; ${r.generatedAt}`,
		...TABLES.flatMap((def) => {
			const rows = def.rows(r);
			return rows.length ? ['', def.title(r), '', renderRows(def.columns, rows)] : [];
		}),
		'',
		`Targets (ours over ${r.targetTransport.toUpperCase()}):`,
		'',
		table(targetRows),
		...(failed.length ? ['', 'FAILED runs (reported, not measured):', ...failed] : []),
		...(whys.length ? ['', 'Missed targets:', ...whys] : []),
	].join('\n');
}

/** The chart: the rows of the target transport (https), or of the only transport measured. */
function renderSvg(r) {
	const W = 760;
	const H = 420;
	const pad = { l: 70, r: 20, t: 50, b: 80 };
	const transport = r.transports.some((x) => x.transport === r.targetTransport) ? r.targetTransport : r.transports[0].transport;
	const rtt = (r.transports.find((x) => x.transport === transport) || {}).rttMs || 0;
	const idealName = rtt ? 'ideal C / (L + RTT)' : 'ideal C / L';
	const ours = r.entries.filter((e) => e.transport === transport);
	const http = r.httpRequestNode.filter((h) => h.transport === transport);
	const groups = ours.map((e) => ({ label: `C = ${e.concurrency}`, bars: [{ v: e.ok ? e.msgPerSec : null, cls: 'ours', name: 'RBM Send Message' }], ideal: idealOf(e, r.latencyMs, rtt), sub: `${e.items} items` }));
	if (http.length) {
		groups.push({ label: 'HTTP Request node', bars: http.map((h) => ({ v: h.ok ? h.msgPerSec : null, cls: 'http', name: h.batchSize ? `batch ${h.batchSize}` : 'default' })), sub: `${http[0].items} items` });
	}
	const maxV = Math.max(1, ...groups.flatMap((g) => [...g.bars.map((b) => b.v || 0), g.ideal || 0])) * 1.1;
	const plotW = W - pad.l - pad.r;
	const plotH = H - pad.t - pad.b;
	const y = (v) => pad.t + plotH - (v / maxV) * plotH;
	const gw = plotW / Math.max(1, groups.length);
	const step = niceStep(maxV);
	const parts = [];
	const over = transport === 'https' ? `over HTTPS (RTT ${rtt} ms, L ${r.latencyMs} ms)` : `over plain HTTP (L ${r.latencyMs} ms)`;
	parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
	parts.push('<style>.ours{fill:#1a73e8}.http{fill:#9aa0a6}.ideal{stroke:#d93025;stroke-width:2;stroke-dasharray:6 3}.grid{stroke:#e0e0e0}.lbl{fill:#202124}.val{fill:#202124;font-size:11px}.failed{fill:#d93025;font-size:11px;font-weight:bold}</style>');
	parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
	parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" class="lbl">Messages per second into RBM ${over}, n8n ${r.versions.n8n}</text>`);
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
			parts.push(`<line class="ideal" x1="${(x0 + gw * 0.12).toFixed(1)}" x2="${(x0 + gw * 0.88).toFixed(1)}" y1="${y(g.ideal).toFixed(1)}" y2="${y(g.ideal).toFixed(1)}"><title>${idealName} = ${g.ideal} msg/s</title></line>`);
			parts.push(`<text class="val" x="${(x0 + gw * 0.88).toFixed(1)}" y="${(y(g.ideal) - 4).toFixed(1)}" text-anchor="end" fill="#d93025">ideal ${Math.round(g.ideal)}</text>`);
		}
		parts.push(`<text class="lbl" x="${(x0 + gw / 2).toFixed(1)}" y="${pad.t + plotH + (g.bars.length > 1 ? 30 : 18)}" text-anchor="middle" font-weight="bold">${g.label}</text>`);
		parts.push(`<text class="val" x="${(x0 + gw / 2).toFixed(1)}" y="${pad.t + plotH + (g.bars.length > 1 ? 44 : 32)}" text-anchor="middle">${g.sub}</text>`);
	});
	const ly = H - 16;
	parts.push(`<rect class="ours" x="${pad.l}" y="${ly - 10}" width="12" height="12"/><text class="lbl" x="${pad.l + 16}" y="${ly}">RBM Send Message (n8n-nodes-rbm)</text>`);
	parts.push(`<rect class="http" x="${pad.l + 230}" y="${ly - 10}" width="12" height="12"/><text class="lbl" x="${pad.l + 246}" y="${ly}">n8n HTTP Request node 4.2</text>`);
	parts.push(`<line class="ideal" x1="${pad.l + 430}" x2="${pad.l + 460}" y1="${ly - 4}" y2="${ly - 4}"/><text class="lbl" x="${pad.l + 466}" y="${ly}">${idealName}</text>`);
	parts.push('</svg>');
	return `${parts.join('\n')}\n`;
}

/** Ideal C/(L+RTT) of an ours row (also for a FAILED row, which has no idealMsgPerSec). */
function idealOf(e, latencyMs, rttMs) {
	return e.idealMsgPerSec || round(e.concurrency / ((latencyMs + rttMs) / 1000));
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
