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
	target?: { why?: string };
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
		targets: Record<string, { pass: boolean | null; why?: string; value?: unknown }>;
		cpuMsPerItemAboveNoOp: { httpRequestNodeItems: number; httpRequestNodeNoopCpuMs: number };
	};
	renderTable(results: unknown): string;
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

	test('plan: a NoOp per run size, the HTTP Request node over HTTPS at --http-items-tls, a floor per C > 1', () => {
		expect(ids).toEqual(expect.arrayContaining(['noop', 'noop-2000', 'noop-3000', 'https-ours-c1', 'https-ours-c64', 'https-httpreq-default', 'https-httpreq-batch10', 'https-floor-c64']));
		expect(ids).not.toContain('https-httpreq-batch32');
		expect(ids).not.toContain('https-floor-c1');
		expect(specs.find((s) => s.id === 'https-httpreq-default')?.items).toBe(3000);
	});

	test('CPU per item is taken against the NoOp run of the same size; the floor is reported per C', () => {
		const measurements = {
			noop: measured(10000, 5000),
			'noop-2000': measured(2000, 3000),
			'noop-3000': measured(3000, 4000),
			'https-ours-c1': measured(2000, 5000, 150000),
			'https-ours-c64': measured(10000, 10000, 13000),
			'https-httpreq-default': measured(3000, 34000, 30000),
			'https-httpreq-batch10': measured(3000, 40000, 40000),
			'https-floor-c64': { ok: true, msgPerSec: 850, cpuMsPerItem: 0.2, userMs: 1800, systemMs: 200, tlsHandshakes: 64, connections: 64, maxInFlight: 64 },
		};
		const r = bench.summarize({ args, specs, measurements, instance: { packageVersion: 'test' }, totalMs: 1 });
		const c64 = r.entries.find((e) => e.concurrency === 64) as Row;
		const c1 = r.entries.find((e) => e.concurrency === 1) as Row;
		expect(c64.cpuMsPerItemAboveNoOp).toBe(0.5); // (10000 - 5000) / 10000
		expect(c1.cpuMsPerItemAboveNoOp).toBe(1); // (5000 - 3000) / 2000, not against the 10,000-item NoOp
		const http = r.httpRequestNode.find((h) => h.id === 'https-httpreq-default') as Row;
		expect(http.cpuMsPerItemAboveNoOp).toBe(10); // (34000 - 4000) / 3000
		expect(r.cpuMsPerItemAboveNoOp).toMatchObject({ httpRequestNodeItems: 3000, httpRequestNodeNoopCpuMs: 4000 });
		expect(r.targets.cpuRatioToHttpRequestNode).toMatchObject({ value: 0.05, pass: true });
		expect(r.floors).toEqual([expect.objectContaining({ id: 'https-floor-c64', ok: true, cpuMsPerItem: 0.2, msgPerSec: 850 })]);
		// 10000 items in 13 s = 769.2 msg/s; ideal 914.3; the bare client reached 850 (0.93 of ideal)
		expect(c64.floorRatioToIdeal).toBe(0.93);
		expect(c64.ratioToFloor).toBe(0.905);
		expect(c64.target?.why).toMatch(/bare undici client with no n8n reached 0\.93 of ideal on the same rig, ours 0\.905 of that/);
		expect(r.targets.cpuMsPerItemAboveNoOp.why).toMatch(/bare undici client .*0\.2 ms per message; ours is 2\.5× that/);
		const text = bench.renderTable(r);
		expect(text).toContain('Floor: a bare undici client over HTTPS');
		expect(text).toContain('0.2 (1800 + 200 ms in all)');
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
