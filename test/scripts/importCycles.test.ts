/**
 * No import circles in the package's source (nodes/, credentials/) nor in the emulator: a module
 * never reaches itself through its imports, type-only imports and `import('…')` types included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
	return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
		const rel = path.join(dir, e.name);
		if (e.isDirectory()) return sources(rel);
		return e.name.endsWith('.ts') ? [rel] : [];
	});
}

/** Relative imports of a file, resolved to repository paths. */
function importsOf(file: string): string[] {
	const text = fs.readFileSync(path.join(root, file), 'utf8');
	const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)'(\.[^']+)'/g)].map((m) => m[1]);
	return specs.flatMap((spec) => {
		const base = path.join(path.dirname(file), spec);
		return [`${base}.ts`, path.join(base, 'index.ts')].filter((candidate) => fs.existsSync(path.join(root, candidate))).slice(0, 1);
	});
}

/** Every circle, as the list of files around it. */
function circles(files: string[]): string[][] {
	const graph = new Map(files.map((f) => [f, importsOf(f)]));
	const found: string[][] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (f: string) => {
		state.set(f, 'open');
		stack.push(f);
		for (const next of graph.get(f) ?? []) {
			if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(f, 'done');
	};
	for (const f of files) if (!state.has(f)) visit(f);
	return found;
}

describe('import circles', () => {
	test.each([['nodes and credentials', ['nodes', 'credentials']], ['emulator', ['emulator']]])('none in %s', (_, dirs) => {
		const files = dirs.flatMap(sources);
		expect(files.length).toBeGreaterThan(10);
		expect(circles(files)).toEqual([]);
	});

	test('the check finds a circle when there is one', () => {
		const dir = fs.mkdtempSync(path.join(root, 'test', '.tmp-circle-'));
		try {
			fs.writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B;\n");
			fs.writeFileSync(path.join(dir, 'b.ts'), "export interface B { a: import('./a').A }\n");
			const rel = path.relative(root, dir);
			expect(circles([path.join(rel, 'a.ts'), path.join(rel, 'b.ts')])).toHaveLength(1);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
