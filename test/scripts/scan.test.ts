/**
 * `npm run scan` (scripts/scan.mjs) fails where n8n's scanner would: on a tarball whose code imports
 * a runtime dependency (undici) or reads the environment (process.env), and on source that does.
 * Each case is the package as we publish it with one line added, so the failure is that line's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
let work: string;
let unpacked: string;

/** Scans a tarball (and optionally another source folder); exit status and output. */
function scan(tarball: string, source = root): { status: number | null; output: string } {
	const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'scan.mjs'), '--tarball', tarball, '--source', source], { encoding: 'utf8', timeout: 120_000 });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The published package with `line` appended to one of its compiled files, packed again. */
function tarballWith(file: string, line: string, name: string): string {
	const copy = path.join(work, name, 'package');
	fs.cpSync(unpacked, copy, { recursive: true });
	fs.appendFileSync(path.join(copy, file), `\n${line}\n`);
	const tgz = path.join(work, `${name}.tgz`);
	execFileSync('tar', ['-czf', tgz, '-C', path.dirname(copy), 'package']);
	return tgz;
}

beforeAll(() => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-scan-test-'));
	if (!fs.existsSync(path.join(root, 'dist', 'nodes'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
	const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ filename: string }>;
	unpacked = path.join(work, 'clean');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(work, filename), '-C', unpacked, '--strip-components=1']);
}, 180_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm run scan', () => {
	test('passes on the package as published: no dependencies, 0 errors', () => {
		const result = scan(tarballWith('index.js', '', 'as-published'));
		expect(result.output).toContain('dependencies in the packed package.json: none');
		expect(result.output).toContain('scan: passed, 0 errors');
		expect(result.status).toBe(0);
	});

	test('fails on a tarball that imports undici', () => {
		const result = scan(tarballWith('dist/nodes/shared/transport/connection.js', 'const { Agent } = require("undici");', 'undici'));
		expect(result.status).toBe(1);
		expect(result.output).toMatch(/connection\.js[\s\S]*Require of 'undici' is not allowed/);
		expect(result.output).toContain('tarball: FAILED');
		expect(result.output).toContain('dist/nodes/shared/transport/connection.js requires "undici"');
	});

	test('fails on a tarball that requires a devDependency it did not bundle (n8n deletes devDependencies on install)', () => {
		const result = scan(tarballWith('dist/nodes/shared/phone.js', 'const lib = require("libphonenumber-js/min");', 'dev-dependency'));
		expect(result.status).toBe(1);
		// n8n's own rules let it through (a devDependency counts as bundled) …
		expect(result.output).toContain('tarball: passed');
		// … ours does not
		expect(result.output).toContain('tarball requires only what n8n provides: NO');
		expect(result.output).toContain('dist/nodes/shared/phone.js requires "libphonenumber-js/min"');
	});

	test('fails on a tarball that reads process.env, eslint-disable comment or not', () => {
		const result = scan(tarballWith('dist/nodes/shared/phone.js', '// eslint-disable-next-line\nconst region = process.env.RBM_REGION;', 'env'));
		expect(result.status).toBe(1);
		expect(result.output).toMatch(/phone\.js[\s\S]*restricted global 'process'/);
	});

	test('fails on source that reads process.env', () => {
		const source = path.join(work, 'source');
		for (const entry of ['package.json', 'nodes', 'credentials']) fs.cpSync(path.join(root, entry), path.join(source, entry), { recursive: true });
		fs.appendFileSync(path.join(source, 'nodes', 'shared', 'ids.ts'), '\nexport const fromEnv = process.env.RBM_NAMESPACE;\n');
		const result = scan(tarballWith('index.js', '', 'for-source'), source);
		expect(result.status).toBe(1);
		expect(result.output).toContain('source: FAILED');
		expect(result.output).toMatch(/ids\.ts[\s\S]*restricted global 'process'/);
	});
});
