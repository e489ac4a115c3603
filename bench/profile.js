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
 *                         [--top 30] [--out bench/profile.json] [--wait-idle false]
 */
const fs = require('node:fs');
const path = require('node:path');

const lib = require('./lib');
const { log, round, table } = lib;

const DEFAULTS = { items: 2000, concurrency: 32, latency: 50, top: 30, node: 'ours', waitIdle: true, out: path.join(__dirname, 'profile.json') };

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

async function main() {
	const args = lib.parseArgs(process.argv.slice(2), DEFAULTS);
	await lib.waitUntilIdle({ wait: args.waitIdle });
	const { startEmulator } = lib.requireEmulator();
	const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 1, faults: { 'agentMessages.create': { latencyMs: args.latency } } });
	const key = emulator.createServiceAccountKey();
	const instance = await lib.setupN8n({ emulator, keyJson: JSON.stringify(key) });
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
		const result = {
			generatedAt: new Date().toISOString(),
			workflow: wf.name,
			items: args.items,
			concurrency: args.concurrency,
			latencyMs: args.latency,
			nodeMs: m.nodeMs,
			msgPerSec: round((m.outputs[0] / m.nodeMs) * 1000),
			processCpuMs: round(m.cpuMs, 0),
			nodeWindow: { ...win, cpuMsPerItem: round(win.sampledMs / args.items, 3), busyFraction: round(win.sampledMs / m.nodeMs, 2) },
			wholeProcess: { sampledMs: whole.sampledMs, byPackage: whole.byPackage.slice(0, 12) },
		};
		fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
		console.log(`\n${wf.name}: node ran ${m.nodeMs} ms (${result.msgPerSec} msg/s); main thread busy ${win.sampledMs} ms of it (${result.nodeWindow.busyFraction} of a core) = ${result.nodeWindow.cpuMsPerItem} ms/item\n`);
		console.log(table([['package (self time in the node window)', 'ms', '%'], ...win.byPackage.slice(0, 15).map((p) => [p.package, p.selfMs, p.percent])]));
		console.log('');
		console.log(table([['function', 'package', 'where', 'self ms', '%'], ...win.topSelf.map((f) => [f.function, f.package, f.where, f.selfMs, f.percent])]));
		console.log('');
		console.log(table([['nearest n8n-nodes-rbm frame on the stack', 'self time in', 'ms', '%'], ...win.underOurFrames.map((f) => [f.ourNearestFrame, f.selfTimeIn, f.ms, f.percent])]));
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
