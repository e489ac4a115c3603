/**
 * bench/bench.js: which NoOp baseline each row's CPU is taken against, the HTTP Request node's
 * smaller runs over HTTPS, and the bare-client floor rows — from synthetic measurements (no n8n).
 */
interface Row {
	id: string;
	ok: boolean;
	items: number;
	concurrency?: number;
	cpuMsPerItemAboveNoOp?: number | null;
	cpuMsPerItem?: number;
	floorRatioToIdeal?: number | null;
	ratioToFloor?: number | null;
	ratioToIdeal?: number;
	target?: { pass?: boolean | null; why?: string; tlsHandshakesMax?: number; tlsHandshakesPass?: boolean };
}
interface Spec {
	id: string;
	kind: string;
	transport: string | null;
	items: number;
	concurrency?: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require('../../bench/bench.js') as {
	plan(args: Record<string, unknown>, transports: Record<string, unknown>): Spec[];
	summarize(input: Record<string, unknown>): {
		entries: Row[];
		httpRequestNode: Row[];
		floors: Row[];
		targets: Record<string, { pass: boolean | null; why?: string; value?: unknown; notMeasured?: boolean; values?: Array<Record<string, unknown>> }>;
		cpuMsPerItemAboveNoOp: { httpRequestNodeItems: number; httpRequestNodeNoopCpuMs: number };
	};
	renderTable(results: unknown): string;
	TARGETS: Record<string, unknown>;
};

const args = {
	latency: 50,
	rtt: 20,
	transports: ['https'],
	items: 10000,
	itemsC1: 2000,
	httpItemsTls: 3000,
	httpSettings: ['default', 'batch10'],
	rssItems: 100000,
	concurrency: [1, 64],
	skipRss: true,
	skipFloor: false,
	noopRuns: 3,
};
const transports = { https: { emulator: { url: 'https://127.0.0.1:1' }, key: {}, credential: { id: 'c', name: 'c' } } };

/** A finished `n8n execute` measurement: `items` out of Send in `nodeMs`, `cpuMs` of n8n's main process. */
const measured = (items: number, cpuMs: number, nodeMs = 1000) => ({ ok: true, outputs: [items], nodeMs, cpuMs, accepted: items, maxInFlight: 64, tokenGrants: 1, tlsHandshakes: 64, connections: 64, acceptSpanMs: nodeMs });

describe('bench summarize', () => {
	const specs = bench.plan(args, transports);
	const ids = specs.map((s) => s.id);

	test('the targets: ≥ 0.9 × the bare fetch client at C = 32 and 64, ≤ C handshakes per run, ≤ 0.6 ms CPU, ≥ 2× / ≤ 0.1× the HTTP Request node, RSS ≤ 1.5× NoOp, one grant', () => {
		expect(bench.TARGETS).toEqual({
			ratioToFloor: 0.9,
			ratioToFloorAtConcurrency: [32, 64],
			tlsHandshakesPerConnectionSlot: 1,
			compareAtConcurrency: 64,
			cpuMsPerItemAboveNoOp: 0.6,
			ratioToHttpRequestNode: 2,
			cpuRatioToHttpRequestNode: 0.1,
			rssRatioToNoOp: 1.5,
			tokenGrants: 1,
		});
	});

	test('plan: a NoOp per run size, the HTTP Request node over HTTPS at --http-items-tls, a floor per C > 1', () => {
		expect(ids).toEqual(expect.arrayContaining(['noop', 'noop-2000', 'noop-3000', 'https-ours-c1', 'https-ours-c64', 'https-httpreq-default', 'https-httpreq-batch10', 'https-floor-c64']));
		expect(ids).not.toContain('https-httpreq-batch32');
		expect(ids).not.toContain('https-floor-c1');
		expect(specs.find((s) => s.id === 'https-httpreq-default')?.items).toBe(3000);
	});

	const floorRun = (msgPerSec: number) => ({ ok: true, msgPerSec, cpuMsPerItem: 0.2, userMs: 1800, systemMs: 200, tlsHandshakes: 64, connections: 64, maxInFlight: 64 });

	test('CPU per item is taken against the NoOp run of the same size; the floor is reported per C', () => {
		const measurements = {
			noop: measured(10000, 5000),
			'noop-2000': measured(2000, 3000),
			'noop-3000': measured(3000, 4000),
			'https-ours-c1': measured(2000, 5000, 150000),
			'https-ours-c64': measured(10000, 10000, 13000),
			'https-httpreq-default': measured(3000, 34000, 30000),
			'https-httpreq-batch10': measured(3000, 40000, 40000),
			'https-floor-c64': floorRun(850),
		};
		const r = bench.summarize({ args, specs, measurements, instance: { packageVersion: 'test' }, totalMs: 1 });
		const c64 = r.entries.find((e) => e.concurrency === 64) as Row;
		const c1 = r.entries.find((e) => e.concurrency === 1) as Row;
		expect(c64.cpuMsPerItemAboveNoOp).toBe(0.5); // (10000 - 5000) / 10000
		expect(c1.cpuMsPerItemAboveNoOp).toBe(1); // (5000 - 3000) / 2000, not against the 10,000-item NoOp
		const http = r.httpRequestNode.find((h) => h.id === 'https-httpreq-default') as Row;
		expect(http.cpuMsPerItemAboveNoOp).toBe(10); // (34000 - 4000) / 3000
		expect(r.cpuMsPerItemAboveNoOp).toMatchObject({ httpRequestNodeItems: 3000, httpRequestNodeNoopCpuMs: 4000 });
		expect(r.targets.cpuMsPerItemAboveNoOp).toMatchObject({ value: 0.5, pass: true }); // ≤ 0.6 ms
		expect(r.targets.cpuRatioToHttpRequestNode).toMatchObject({ value: 0.05, pass: true }); // ≤ 0.1×
		expect(r.floors).toEqual([expect.objectContaining({ id: 'https-floor-c64', ok: true, cpuMsPerItem: 0.2, msgPerSec: 850 })]);
		// 10000 items in 13 s = 769.2 msg/s; ideal 914.3 (0.841, reported); the bare client reached 850 (0.93 of ideal)
		expect(c64.ratioToIdeal).toBe(0.841);
		expect(c64.floorRatioToIdeal).toBe(0.93);
		expect(c64.ratioToFloor).toBe(0.905);
		expect(c64.target).toMatchObject({ pass: true, tlsHandshakesMax: 64, tlsHandshakesPass: true });
		expect(c64.target?.why).toBeUndefined();
		// C = 1 has no throughput target; C = 32 was not run here: that half of the target is NOT MEASURED
		expect(c1.target?.pass).toBeNull();
		expect(r.targets.ratioToFloor.values).toEqual([
			expect.objectContaining({ concurrency: 32, ratio: null, pass: null, why: expect.stringMatching(/no ours run at C = 32/) }),
			expect.objectContaining({ concurrency: 64, ratio: 0.905, pass: true, ratioToIdeal: 0.841, floorRatioToIdeal: 0.93 }),
		]);
		expect(r.targets.ratioToFloor).toMatchObject({ pass: null, notMeasured: true });
		expect(r.targets).not.toHaveProperty('ratioToIdeal');
		const text = bench.renderTable(r);
		expect(text).toContain('Floor: a bare fetch client over HTTPS');
		expect(text).not.toMatch(/undici/);
		expect(text).toContain('0.2 (1800 + 200 ms in all)');
		expect(text).toContain('C=64: 0.905 (769.2 vs 850 msg/s; of C/(L+RTT): ours 0.841, bare 0.93)');
	});

	test('below 0.9 × the bare fetch client, above 0.6 ms CPU per item: FAIL with why', () => {
		const measurements = {
			noop: measured(10000, 5000),
			'noop-2000': measured(2000, 3000),
			'noop-3000': measured(3000, 4000),
			'https-ours-c1': measured(2000, 5000, 150000),
			'https-ours-c64': { ...measured(10000, 12000, 13000), tlsHandshakes: 65, connections: 65 },
			'https-httpreq-default': measured(3000, 34000, 30000),
			'https-httpreq-batch10': measured(3000, 40000, 40000),
			'https-floor-c64': floorRun(900),
		};
		const r = bench.summarize({ args, specs, measurements, instance: { packageVersion: 'test' }, totalMs: 1 });
		const c64 = r.entries.find((e) => e.concurrency === 64) as Row;
		expect(c64.ratioToFloor).toBe(0.855); // 769.2 / 900
		expect(c64.target?.pass).toBe(false);
		expect(c64.target?.why).toMatch(/769\.2 msg\/s = 0\.855 × the bare fetch client's 900 msg\/s .*it reached 0\.984 of C\/\(L\+RTT\), ours 0\.841/);
		expect(r.targets.ratioToFloor.values?.[1]).toMatchObject({ concurrency: 64, pass: false });
		// 65 handshakes at C = 64: over the ≤ C per run
		expect(c64.target).toMatchObject({ tlsHandshakesMax: 64, tlsHandshakesPass: false });
		expect(r.targets.tlsHandshakes.pass).toBe(false);
		// (12000 - 5000) / 10000 = 0.7 ms > 0.6
		expect(r.targets.cpuMsPerItemAboveNoOp).toMatchObject({ value: 0.7, pass: false });
		expect(r.targets.cpuMsPerItemAboveNoOp.why).toMatch(/bare fetch client .*0\.2 ms per message; ours is 3\.5× that/);
		expect(r.targets.cpuRatioToHttpRequestNode).toMatchObject({ value: 0.07, pass: true });
	});

	test('--skip-floor: the throughput target is NOT MEASURED, saying why', () => {
		const a = { ...args, concurrency: [32, 64], skipFloor: true };
		const sp = bench.plan(a, transports);
		expect(sp.some((s) => s.kind === 'floor')).toBe(false);
		const measurements = {
			noop: measured(10000, 5000),
			'noop-3000': measured(3000, 4000),
			'https-ours-c32': measured(10000, 10000, 24000),
			'https-ours-c64': measured(10000, 10000, 13000),
			'https-httpreq-default': measured(3000, 34000, 30000),
			'https-httpreq-batch10': measured(3000, 40000, 40000),
		};
		const r = bench.summarize({ args: a, specs: sp, measurements, instance: { packageVersion: 'test' }, totalMs: 1 });
		expect(r.targets.ratioToFloor).toMatchObject({ pass: null, notMeasured: true });
		expect(r.targets.ratioToFloor.values?.map((v) => v.why)).toEqual([
			'not measured: no bare fetch client run at C = 32 (--skip-floor)',
			'not measured: no bare fetch client run at C = 64 (--skip-floor)',
		]);
	});

	test('a failed NoOp of the HTTP Request size leaves its CPU comparison NOT MEASURED, naming that run', () => {
		const measurements = {
			noop: measured(10000, 5000),
			'noop-2000': measured(2000, 3000),
			'noop-3000': { ok: false, failure: 'boom' },
			'https-ours-c1': measured(2000, 5000, 150000),
			'https-ours-c64': measured(10000, 10000, 13000),
			'https-httpreq-default': measured(3000, 34000, 30000),
			'https-httpreq-batch10': measured(3000, 40000, 40000),
			'https-floor-c64': { ok: false, failure: 'floor client exited 1' },
		};
		const r = bench.summarize({ args, specs, measurements, instance: { packageVersion: 'test' }, totalMs: 1 });
		expect(r.targets.cpuRatioToHttpRequestNode).toMatchObject({ pass: null, why: 'not measured: noop-3000 FAILED' });
		expect(r.floors[0]).toMatchObject({ ok: false, error: 'floor client exited 1' });
	});
});
