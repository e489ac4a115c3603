/**
 * Parts of the n8n runtime install recipe (scripts/n8n-runtime.js) that run without the network:
 * what is pruned from the installed tree, and the progress lines printed while a step runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('../../scripts/n8n-runtime.js') as {
	pruneForRuntime: (dir: string) => { files: number; bytes: number };
	withProgress: <T>(log: (m: string) => void, what: string, estimate: string, fn: () => Promise<T>, everyMs?: number) => Promise<{ result: T; seconds: number }>;
};

test('pruneForRuntime removes source maps and type declarations, keeps code, data and the typescript package', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-prune-'));
	try {
		const files: Record<string, string> = {
			'a/dist/index.js': 'module.exports = 1;\n//# sourceMappingURL=index.js.map',
			'a/dist/index.js.map': '{"version":3}',
			'a/dist/index.d.ts': 'export {};',
			'a/dist/esm/index.d.mts': 'export {};',
			'a/dist/cjs/index.d.cts': 'export {};',
			'a/tsconfig.tsbuildinfo': '{}',
			'a/package.json': '{"name":"a"}',
			'a/data/map.json': '{}',
			'a/lib/sourcemap.js': '',
			'b/node_modules/c/x.mjs.map': '{}',
			'typescript/lib/lib.es5.d.ts': 'interface Array<T> {}',
			'@typescript/native/lib/lib.d.ts': '',
		};
		for (const [file, text] of Object.entries(files)) {
			fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
			fs.writeFileSync(path.join(dir, file), text);
		}
		const removed = runtime.pruneForRuntime(dir);
		const left = Object.keys(files).filter((f) => fs.existsSync(path.join(dir, f)));
		expect(left.sort()).toEqual(['@typescript/native/lib/lib.d.ts', 'a/data/map.json', 'a/dist/index.js', 'a/lib/sourcemap.js', 'a/package.json', 'typescript/lib/lib.es5.d.ts']);
		expect(removed.files).toBe(6);
		expect(removed.bytes).toBe(['{"version":3}', 'export {};', 'export {};', 'export {};', '{}', '{}'].join('').length);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('withProgress says every interval how long the step has run and what to expect, and stops after', async () => {
	const lines: string[] = [];
	// The step ends once two lines were logged (it ended after 230 ms: a loaded machine could fire
	// the 50 ms interval fewer than twice by then). It ends on a count, so load only makes it slower;
	// a withProgress that never logs makes the step fail after 200 checks (≥ 2 s), not hang.
	const step = async () => {
		for (let checks = 0; lines.length < 2; checks++) {
			if (checks === 200) throw new Error(`withProgress logged ${lines.length} lines`);
			await new Promise((r) => setTimeout(r, 10));
		}
		return 'done';
	};
	const { result } = await runtime.withProgress((m) => lines.push(m), 'installing n8n', '1–2 min', step, 50);
	expect(result).toBe('done');
	expect(lines.length).toBeGreaterThanOrEqual(2);
	expect(lines[0]).toMatch(/installing n8n: \d+ s so far \(usually 1–2 min here\)/);
	const count = lines.length;
	await new Promise((r) => setTimeout(r, 150));
	expect(lines.length).toBe(count);
});

test('withProgress passes a failure through and stops reporting', async () => {
	const lines: string[] = [];
	await expect(runtime.withProgress((m) => lines.push(m), 'x', 'y', () => Promise.reject(new Error('npm failed')), 20)).rejects.toThrow('npm failed');
	const count = lines.length;
	await new Promise((r) => setTimeout(r, 80));
	expect(lines.length).toBe(count);
});

test('a cache installed by recipe 1 (no `recipe` in its marker) counts as installed; another n8n version does not', () => {
	const rt = require('../../scripts/n8n-runtime.js') as {
		readMarker: (paths: object) => object | undefined;
		layout: (dir?: string) => { nodeBin: string; n8nBin: string; marker: string };
		NODE_VERSION: string;
		N8N_VERSION: string;
		RECIPE: number;
	};
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-cache-'));
	try {
		const paths = rt.layout(dir);
		const nodePackage = path.basename(path.dirname(path.dirname(paths.nodeBin)));
		const marker = (extra: object) => fs.writeFileSync(paths.marker, JSON.stringify({ node: rt.NODE_VERSION, n8n: rt.N8N_VERSION, nodePackage, ...extra }));
		marker({});
		expect(rt.readMarker(paths)).toBeUndefined(); // binaries missing
		for (const file of [paths.nodeBin, paths.n8nBin]) {
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, '');
		}
		expect(rt.readMarker(paths)).toBeDefined(); // recipe 1
		marker({ recipe: rt.RECIPE });
		expect(rt.readMarker(paths)).toBeDefined();
		marker({ n8n: '2.39.0' });
		expect(rt.readMarker(paths)).toBeUndefined();
		expect(rt.RECIPE).toBeGreaterThanOrEqual(2);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
