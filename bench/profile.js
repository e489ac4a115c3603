#!/usr/bin/env node
'use strict';
/**
 * `node bench/profile.js`: where n8n's CPU goes while RBM Send Message runs. One `n8n execute` of
 * our node (default 2,000 items, C=32, 50 ms emulator latency) with `--cpu-prof` (V8's sampling
 * profiler) in NODE_OPTIONS; the main process's profile is cut to the send node's run window
 * (from n8n's run data) and summarised:
 *   - self time per package (n8n-nodes-rbm, n8n-core, n8n-workflow, axios, node internals, GC …);
 *   - top self-time functions;
 *   - for samples under one of our functions: which of our functions called into what.
 *
 *   node bench/profile.js [--items 2000] [--concurrency 32] [--latency 50] [--node noop|ours|http]
 *                         [--top 30] [--out bench/profile.json] [--wait-idle false] [--https] [--rtt 20]
 *
 * `--https`: the emulator over HTTPS (n8n trusts its CA through NODE_EXTRA_CA_CERTS), `--rtt` ms
 * of round trip added by its relay, as in `npm run bench`'s main table.
 *
 * `--heap`: allocations instead of CPU (`npm run bench:heap`). V8's sampling heap profiler over the
 * whole `n8n execute` of our node and of the NoOp workflow on the same items, counting objects
 * the GC already collected too: everything allocated, by package and by nearest frame of ours,
 * minus the NoOp run (n8n's start-up and loading) → bytes allocated per item, and who allocates
 * them. That garbage, not the items n8n keeps, is what sets the heap's high-water mark (peak RSS).
 * Writes bench/heap-profile.json.
 */
const fs = require('node:fs');
const path = require('node:path');

const lib = require('./lib');
const { log, round, table } = lib;

const DEFAULTS = { items: 2000, concurrency: 32, latency: 50, top: 30, node: 'ours', heap: false, waitIdle: true, out: undefined, https: false, rtt: 0 };

function packageOf(url) {
	if (!url) return undefined;
	if (url.startsWith('node:')) return 'node (internals)';
	const parts = url.split('node_modules/');
	if (parts.length === 1) return url.includes('/n8n-nodes-rbm/') ? 'n8n-nodes-rbm' : 'other';
	const tail = parts[parts.length - 1];
	const segs = tail.split('/');
	return segs[0].startsWith('@') ? `${segs[0]}/${segs[1]}` : segs[0];
}

function frameLabel(node) {
	const cf = node.callFrame;
	const pkg = packageOf(cf.url);
	if (!cf.url) return { name: cf.functionName || '(anonymous)', pkg: cf.functionName.startsWith('(') ? cf.functionName : 'V8/native', where: '' };
	const file = cf.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '');
	return { name: cf.functionName || '(anonymous)', pkg, where: `${file}:${cf.lineNumber + 1}` };
}

function analyse(profile, fromUs, toUs, top) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
	const selfUs = new Map();
	const pkgUs = new Map();
	const viaOurs = new Map();
	let total = 0;
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		if (t < fromUs || t > toUs) continue;
		// A sample stands for the interval until the next one.
		const dt = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
		const node = byId.get(profile.samples[i]);
		const label = frameLabel(node);
		if (label.name === '(idle)') continue;
		total += dt;
		const key = `${label.pkg}\u0000${label.name}\u0000${label.where}`;
		selfUs.set(key, (selfUs.get(key) || 0) + dt);
		pkgUs.set(label.pkg, (pkgUs.get(label.pkg) || 0) + dt);
		// Nearest of our frames up the stack: what did our code cause here?
		let id = node.id;
		let ours;
		while (id !== undefined) {
			const f = byId.get(id);
			if (packageOf(f.callFrame.url) === 'n8n-nodes-rbm') {
				ours = frameLabel(f);
				break;
			}
			id = parent.get(id);
		}
		if (ours) {
			const k = `${ours.name} (${ours.where})\u0000${label.pkg}`;
			viaOurs.set(k, (viaOurs.get(k) || 0) + dt);
		}
	}
	const ms = (us) => round(us / 1000, 1);
	const pct = (us) => round((us / total) * 100, 1);
	return {
		sampledMs: ms(total),
		byPackage: [...pkgUs.entries()].sort((a, b) => b[1] - a[1]).map(([pkg, us]) => ({ package: pkg, selfMs: ms(us), percent: pct(us) })),
		topSelf: [...selfUs.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([k, us]) => {
				const [pkg, name, where] = k.split('\u0000');
				return { function: name, package: pkg, where, selfMs: ms(us), percent: pct(us) };
			}),
		underOurFrames: [...viaOurs.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([k, us]) => {
				const [ours, pkg] = k.split('\u0000');
				return { ourNearestFrame: ours, selfTimeIn: pkg, ms: ms(us), percent: pct(us) };
			}),
	};
}

/** Allocation profile (sampling heap profiler tree): bytes by package, by nearest frame of ours, by function. */
function analyseHeap(profile, top) {
	const byPkg = new Map();
	const byOurs = new Map();
	const byFn = new Map();
	let total = 0;
	const add = (map, key, bytes) => map.set(key, (map.get(key) || 0) + bytes);
	const walk = (node, ours) => {
		const label = frameLabel(node);
		const mine = packageOf(node.callFrame.url) === 'n8n-nodes-rbm' ? `${label.name} (${label.where})` : ours;
		if (node.selfSize) {
			total += node.selfSize;
			add(byPkg, label.pkg, node.selfSize);
			add(byOurs, mine || '(no frame of ours on the stack)', node.selfSize);
			add(byFn, `${label.pkg}\u0000${label.name}\u0000${label.where}`, node.selfSize);
		}
		for (const child of node.children || []) walk(child, mine);
	};
	walk(profile.head, undefined);
	const mib = (b) => round(b / 1048576, 1);
	const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
	return {
		totalMiB: mib(total),
		totalBytes: total,
		byPackage: sorted(byPkg).map(([pkg, b]) => ({ package: pkg, MiB: mib(b), bytes: b })),
		underOurFrames: sorted(byOurs).slice(0, top).map(([frame, b]) => ({ ourNearestFrame: frame, MiB: mib(b), bytes: b })),
		topFunctions: sorted(byFn)
			.slice(0, top)
			.map(([k, b]) => {
				const [pkg, name, where] = k.split('\u0000');
				return { function: name, package: pkg, where, MiB: mib(b) };
			}),
	};
}

async function heapMain(args, instance, emulator) {
	const dir = path.join(instance.root, 'heapprof');
	fs.mkdirSync(dir, { recursive: true });
	await lib.measure(instance, emulator, lib.oursWorkflow(100, { concurrency: args.concurrency })); // warm-up
	const runs = {};
	for (const [label, wf] of [
		['noop', lib.noopWorkflow(args.items)],
		['ours', lib.oursWorkflow(args.items, { concurrency: args.concurrency })],
	]) {
		const file = path.join(dir, `${label}.heapprofile`);
		log(`allocation profile of ${wf.name} …`);
		const m = await lib.measure(instance, emulator, wf, { extraEnv: { RBM_BENCH_HEAP_PROFILE: file } });
		if (!m.ok) throw new Error(`run failed: ${JSON.stringify(m.error ?? m.raw).slice(0, 2000)}`);
		if (!fs.existsSync(file)) throw new Error(`no heap profile written for ${label} (${file})`);
		runs[label] = { m, heap: analyseHeap(JSON.parse(fs.readFileSync(file, 'utf8')), args.top) };
	}
	const { noop, ours } = runs;
	const noopBy = new Map(noop.heap.byPackage.map((p) => [p.package, p.bytes]));
	const perItemKiB = (bytes) => round(bytes / 1024 / args.items, 1);
	const aboveNoop = ours.heap.totalBytes - noop.heap.totalBytes;
	const byPackageAboveNoop = ours.heap.byPackage
		.map((p) => ({ package: p.package, kibPerItem: perItemKiB(p.bytes - (noopBy.get(p.package) || 0)) }))
		.filter((p) => p.kibPerItem > 0)
		.sort((a, b) => b.kibPerItem - a.kibPerItem);
	const ourFrames = ours.heap.underOurFrames.filter((f) => !f.ourNearestFrame.startsWith('('));
	const underOurs = ourFrames.reduce((sum, f) => sum + f.bytes, 0);
	const result = {
		generatedAt: new Date().toISOString(),
		items: args.items,
		concurrency: args.concurrency,
		latencyMs: args.latency,
		allocatedMiB: { ours: ours.heap.totalMiB, noop: noop.heap.totalMiB },
		allocatedKiBPerItemAboveNoOp: perItemKiB(aboveNoop),
		underOurFramesKiBPerItem: perItemKiB(underOurs),
		underOurFramesShareOfAboveNoOp: round(underOurs / aboveNoop, 3),
		byPackageAboveNoOp: byPackageAboveNoop.slice(0, 20),
		underOurFrames: ourFrames.map((f) => ({ ourNearestFrame: f.ourNearestFrame, kibPerItem: perItemKiB(f.bytes) })),
		topFunctions: ours.heap.topFunctions,
		note: 'sampling heap profiler (8 KiB interval) including objects already collected: allocation volume, not what stays alive; stacks are synchronous, so work resumed after an await (most of the HTTP exchange) has no frame of ours',
	};
	const out = args.out || path.join(__dirname, 'heap-profile.json');
	fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
	console.log(`\nallocated during the run: ours ${result.allocatedMiB.ours} MiB, NoOp ${result.allocatedMiB.noop} MiB → ${result.allocatedKiBPerItemAboveNoOp} KiB per item above NoOp; under frames of ours: ${result.underOurFramesKiBPerItem} KiB per item (${round(result.underOurFramesShareOfAboveNoOp * 100, 1)} %)\n`);
	console.log(table([['package (allocations above NoOp)', 'KiB/item'], ...byPackageAboveNoop.slice(0, 15).map((p) => [p.package, p.kibPerItem])]));
	console.log('');
	console.log(table([['nearest n8n-nodes-rbm frame', 'KiB/item'], ...result.underOurFrames.slice(0, 15).map((f) => [f.ourNearestFrame, f.kibPerItem])]));
	console.log(`\nwrote ${out}`);
}

async function main() {
	const args = lib.parseArgs(process.argv.slice(2), DEFAULTS);
	await lib.waitUntilIdle({ wait: args.waitIdle });
	if (args.heap) {
		const { startEmulator } = lib.requireEmulator();
		const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 1, faults: { 'agentMessages.create': { latencyMs: args.latency } } });
		const instance = await lib.setupN8n({ emulator, keyJson: JSON.stringify(emulator.createServiceAccountKey()) });
		try {
			await heapMain(args, instance, emulator);
		} finally {
			instance.cleanup();
			await emulator.close();
		}
		return;
	}
	args.out = args.out || path.join(__dirname, args.https ? 'profile-https.json' : 'profile.json');
	const { startEmulator } = lib.requireEmulator();
	const tls = args.https ? { tls: true, ...(Number(args.rtt) > 0 ? { rttMs: Number(args.rtt) } : {}) } : {};
	const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 1, ...tls, faults: { 'agentMessages.create': { latencyMs: args.latency } } });
	const key = emulator.createServiceAccountKey();
	const instance = await lib.setupN8n({ emulator, keyJson: JSON.stringify(key), extraEnv: emulator.caFile ? { NODE_EXTRA_CA_CERTS: emulator.caFile } : {} });
	try {
		const profDir = path.join(instance.root, 'cpuprof');
		fs.mkdirSync(profDir, { recursive: true });
		await lib.measure(instance, emulator, lib.oursWorkflow(100, { concurrency: args.concurrency })); // warm-up
		const wf =
			args.node === 'noop'
				? lib.noopWorkflow(args.items)
				: args.node === 'http'
					? lib.httpWorkflow(args.items, { emulatorUrl: emulator.url, key })
					: lib.oursWorkflow(args.items, { concurrency: args.concurrency });
		log(`profiling ${wf.name} …`);
		const m = await lib.measure(instance, emulator, wf, { nodeOptions: `--cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval=200` });
		if (!m.ok) throw new Error(`run failed: ${JSON.stringify(m.error ?? m.raw).slice(0, 2000)}`);
		const file = fs.readdirSync(profDir).find((f) => f.includes(`.${m.mainPid}.`));
		if (!file) throw new Error(`no CPU profile of the main process (pid ${m.mainPid}) in ${profDir}: ${fs.readdirSync(profDir).join(', ')}`);
		const profile = JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8'));
		// Monotonic µs of the node's run window (run data has epoch ms; the preload gave the offset).
		const toMono = (epochMs) => m.mainClock.hrtimeUs + (epochMs - m.mainClock.epochMs) * 1000;
		const fromUs = toMono(m.nodeStartTime);
		const toUs = toMono(m.nodeStartTime + m.nodeMs);
		const whole = analyse(profile, -Infinity, Infinity, args.top);
		const win = analyse(profile, fromUs, toUs, args.top);
		// After the node: n8n finishing the execution (run data, pairing, printing the result).
		const after = analyse(profile, toUs, Infinity, args.top);
		const result = {
			generatedAt: new Date().toISOString(),
			workflow: wf.name,
			transport: args.https ? 'https' : 'http',
			rttMs: args.https ? Number(args.rtt) : 0,
			items: args.items,
			concurrency: args.concurrency,
			latencyMs: args.latency,
			nodeMs: m.nodeMs,
			msgPerSec: round((m.outputs[0] / m.nodeMs) * 1000),
			processCpuMs: round(m.cpuMs, 0),
			nodeWindow: { ...win, cpuMsPerItem: round(win.sampledMs / args.items, 3), busyFraction: round(win.sampledMs / m.nodeMs, 2) },
			afterNode: { sampledMs: after.sampledMs, cpuMsPerItem: round(after.sampledMs / args.items, 3), byPackage: after.byPackage.slice(0, 12), topSelf: after.topSelf.slice(0, 15) },
			wholeProcess: { sampledMs: whole.sampledMs, byPackage: whole.byPackage.slice(0, 12) },
		};
		fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
		console.log(`\n${wf.name}: node ran ${m.nodeMs} ms (${result.msgPerSec} msg/s); main thread busy ${win.sampledMs} ms of it (${result.nodeWindow.busyFraction} of a core) = ${result.nodeWindow.cpuMsPerItem} ms/item\n`);
		console.log(table([['package (self time in the node window)', 'ms', '%'], ...win.byPackage.slice(0, 15).map((p) => [p.package, p.selfMs, p.percent])]));
		console.log('');
		console.log(table([['function', 'package', 'where', 'self ms', '%'], ...win.topSelf.map((f) => [f.function, f.package, f.where, f.selfMs, f.percent])]));
		console.log('');
		console.log(table([['nearest n8n-nodes-rbm frame on the stack', 'self time in', 'ms', '%'], ...win.underOurFrames.map((f) => [f.ourNearestFrame, f.selfTimeIn, f.ms, f.percent])]));
		console.log(`\nafter the node (n8n finishing the execution): main thread busy ${after.sampledMs} ms = ${result.afterNode.cpuMsPerItem} ms/item\n`);
		console.log(table([['function (after the node)', 'package', 'where', 'self ms', '%'], ...after.topSelf.slice(0, 15).map((f) => [f.function, f.package, f.where, f.selfMs, f.percent])]));
		console.log(`\nwrote ${args.out}; raw profile: ${path.join(profDir, file)}${process.env.RBM_BENCH_KEEP ? '' : ' (deleted at exit; RBM_BENCH_KEEP=1 keeps it)'}`);
	} finally {
		instance.cleanup();
		await emulator.close();
	}
}

main().catch((error) => {
	console.error(`profile failed: ${error.stack || error.message}`);
	process.exit(1);
});
