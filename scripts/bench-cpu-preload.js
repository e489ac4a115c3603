'use strict';
/**
 * Preloaded into n8n processes by bench/ (NODE_OPTIONS="--require <this file>") to measure them
 * from the inside: on exit it writes this process's CPU time (process.cpuUsage(), µs), peak RSS
 * (process.resourceUsage().maxRSS, KiB) and the offset between the monotonic clock (what V8 CPU
 * profiles use) and the wall clock, as JSON into $RBM_BENCH_OUT/<role>-<pid>.json.
 *
 * Does nothing unless RBM_BENCH_OUT is set. NODE_OPTIONS is inherited by n8n's task-runner child
 * process too: each process writes its own file, tagged with a role ("main" for `n8n execute`,
 * "runner" or "other" for the rest), so bench/ can tell them apart.
 */
const outDir = process.env.RBM_BENCH_OUT;
if (outDir) {
	const fs = require('node:fs');
	const path = require('node:path');
	const argv = process.argv.slice(1);
	const script = argv[0] || '';
	const isN8nMain = /[\\/]n8n[\\/]bin[\\/]n8n$/.test(script) && argv.includes('execute');
	const isRunner = /task-runner|runners?[\\/]|start\.js$/.test(script) || argv.some((a) => /task-runner/.test(a));
	const role = isN8nMain ? 'main' : isRunner ? 'runner' : 'other';
	// Monotonic µs (same clock as V8's profile timestamps on Linux) ↔ epoch ms.
	const clock = { hrtimeUs: Number(process.hrtime.bigint() / 1000n), epochMs: Date.now() };
	// RBM_BENCH_MEMORY_MS=<ms>: also sample process.memoryUsage() (where the RSS goes: V8 heap in
	// use, heap reserved, external / array buffers), keeping the sample at peak RSS and a timeline.
	const memoryEvery = Number(process.env.RBM_BENCH_MEMORY_MS || 0);
	const memory = { peak: undefined, timeline: [] };
	if (memoryEvery > 0) {
		const mib = (n) => Math.round(n / 1048576);
		const sample = () => {
			const m = process.memoryUsage();
			const s = { atMs: Math.round(process.uptime() * 1000), rss: mib(m.rss), heapTotal: mib(m.heapTotal), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) };
			if (!memory.peak || s.rss > memory.peak.rss) memory.peak = s;
			memory.timeline.push(s);
			if (memory.timeline.length > 400) memory.timeline = memory.timeline.filter((_, k) => k % 2 === 0);
		};
		setInterval(sample, memoryEvery).unref();
		process.on('exit', sample);
	}
	// RBM_BENCH_HEAP_PROFILE=<file> (main process only): V8's sampling heap profiler over the whole
	// run, counting objects already collected by GC too, i.e. everything allocated, not only what
	// is still alive: who makes the garbage that sets the heap's high-water mark.
	const heapOut = process.env.RBM_BENCH_HEAP_PROFILE;
	let heapSession;
	if (heapOut && role === 'main') {
		const inspector = require('node:inspector');
		heapSession = new inspector.Session();
		heapSession.connect();
		heapSession.post('HeapProfiler.enable');
		heapSession.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
	}
	/**
	 * CPU per thread at exit (Linux: /proc/self/task/<tid>/stat, utime + stime in clock ticks of
	 * 10 ms), summed by thread name: the JS main thread ("node"), V8's GC and compiler helpers
	 * ("V8Worker", "V8 DefaultWorke"), libuv's pool ("libuv-worker"), … — what process.cpuUsage()
	 * adds up and the main-thread CPU profile does not see.
	 */
	const threadCpu = () => {
		try {
			const byName = {};
			for (const tid of fs.readdirSync('/proc/self/task')) {
				const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
				const close = stat.lastIndexOf(')');
				const name = tid === String(process.pid) ? 'main (JS thread)' : stat.slice(stat.indexOf('(') + 1, close).replace(/[0-9]+$/, '').trim();
				const f = stat.slice(close + 2).split(' ');
				// after ") ": state(0) … utime(11) stime(12)
				const ms = (Number(f[11]) + Number(f[12])) * 10;
				byName[name] = (byName[name] || 0) + ms;
			}
			return byName;
		} catch {
			return undefined;
		}
	};
	process.on('exit', (code) => {
		if (heapSession) {
			// The inspector session answers synchronously inside 'exit'.
			heapSession.post('HeapProfiler.stopSampling', (error, result) => {
				if (!error) fs.writeFileSync(heapOut, JSON.stringify(result.profile));
			});
		}
		try {
			const usage = process.cpuUsage();
			const resources = process.resourceUsage();
			const record = {
				role,
				pid: process.pid,
				argv: argv.slice(0, 4),
				exitCode: code,
				userUs: usage.user,
				systemUs: usage.system,
				cpuMs: (usage.user + usage.system) / 1000,
				cpuMsByThread: threadCpu(),
				maxRssKiB: resources.maxRSS,
				uptimeMs: Math.round(process.uptime() * 1000),
				clock,
				...(memoryEvery > 0 ? { memory } : {}),
			};
			fs.mkdirSync(outDir, { recursive: true });
			fs.writeFileSync(path.join(outDir, `${role}-${process.pid}.json`), JSON.stringify(record));
		} catch {
			/* measuring must never break the run */
		}
	});
}
