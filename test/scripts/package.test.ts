/**
 * The published package: what n8n loads (nodes, credentials, icons), the README, and nothing else —
 * no emulator, schema, tests, bench or scripts, no source maps or type declarations. Read from
 * `npm pack --dry-run`, the list npm would publish.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { files: string[]; bin?: unknown; n8n: { nodes: string[]; credentials: string[] } };

describe('the packed package', () => {
	const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ files: Array<{ path: string }> }>;
	const files = packed[0].files.map((f) => f.path);

	test('holds no emulator, schema, test, bench, script or workflow files, no source maps or declarations', () => {
		expect(files.filter((f) => /^(dist\/(emulator|schema|test)|emulator|schema|test|bench|scripts|docs|examples|\.github)\//.test(f) || /\.(map|d\.ts|ts)$/.test(f))).toEqual([]);
		expect(pkg.bin).toBeUndefined();
	});

	test('holds every node and credential n8n loads, with their icons', () => {
		const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
		if (!fs.existsSync(path.join(root, 'dist', 'nodes'))) {
			// Not built yet (npm test right after npm ci): the "files" list must at least take them in.
			for (const entry of entries) expect(pkg.files.some((f) => !f.startsWith('!') && entry.startsWith(`${f}/`))).toBe(true);
			return;
		}
		for (const entry of entries) {
			expect(files).toContain(entry);
			expect(files).toContain(path.join(path.dirname(entry), 'rbm.svg'));
		}
		expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'index.js']));
	});
});
