/**
 * `npm run demo` / `dev` use an n8n the user already has (scripts/n8n-runtime.js › findExistingN8n):
 * RBM_N8N_BIN, else `n8n` on PATH, when it is n8n ≥ 2 and would run on Node ≥ 24; otherwise they
 * say why and fall back to the cached runtime. Fake `n8n` and `node` executables on a temporary
 * PATH stand in for real ones (no network, nothing installed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Runtime = { source: string; n8nVersion: string; nodeVersion?: string; command: string; prefix: string[]; nodeBinDir?: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('../../scripts/n8n-runtime.js') as {
	parseVersion: (text: string) => { major: number; minor: number; patch: number; text: string } | undefined;
	whichOnPath: (name: string, pathValue: string, skip?: (dir: string) => boolean) => string | undefined;
	findExistingN8n: (opts: { env: Record<string, string | undefined>; log: (m: string) => void }) => Promise<Runtime | undefined>;
};

let root: string;
beforeAll(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-existing-n8n-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
/**
 * A folder with a fake `node` (answers `-v` with nodeVersion, runs scripts with the real Node) and
 * a fake `n8n` script (`#!/usr/bin/env node` unless `shebang` is given) that prints n8nOutput.
 */
function fakeBin({ nodeVersion, n8nOutput, shebang, withNode = true }: { nodeVersion?: string; n8nOutput: string; shebang?: string; withNode?: boolean }): string {
	const dir = path.join(root, `bin${++counter}`);
	fs.mkdirSync(dir);
	if (withNode) {
		fs.writeFileSync(path.join(dir, 'node'), `#!/bin/sh\nif [ "$1" = "-v" ]; then echo "${nodeVersion}"; exit 0; fi\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
	}
	const body = shebang && !/node/.test(shebang) ? `printf '%s\\n' ${JSON.stringify(n8nOutput)}\n` : `process.stdout.write(${JSON.stringify(`${n8nOutput}\n`)});\n`;
	fs.writeFileSync(path.join(dir, 'n8n'), `${shebang ?? '#!/usr/bin/env node'}\n${body}`, { mode: 0o755 });
	return dir;
}

/** PATH for the fakes: their folder first, then /bin and /usr/bin (sh, env), never a real n8n. */
const pathWith = (dir: string) => [dir, '/usr/bin', '/bin'].join(path.delimiter);

async function find(env: Record<string, string | undefined>) {
	const lines: string[] = [];
	const found = await runtime.findExistingN8n({ env, log: (m) => lines.push(m) });
	return { found, said: lines.join('\n') };
}

describe('parseVersion', () => {
	test('the last x.y.z of the output, with or without v', () => {
		expect(runtime.parseVersion('2.40.7\n')?.text).toBe('2.40.7');
		expect(runtime.parseVersion('(node:1) Warning: something 1.2.3 deprecated\n1.123.4')).toMatchObject({ major: 1, minor: 123, patch: 4 });
		expect(runtime.parseVersion('v24.21.0')).toMatchObject({ major: 24, minor: 21, patch: 0 });
	});

	test('no version in the output', () => {
		expect(runtime.parseVersion('command not found')).toBeUndefined();
		expect(runtime.parseVersion('')).toBeUndefined();
		expect(runtime.parseVersion('1.2')).toBeUndefined();
	});
});

describe('findExistingN8n', () => {
	test('n8n ≥ 2 on PATH on Node ≥ 24 is used, and says so', async () => {
		const dir = fakeBin({ nodeVersion: 'v24.3.0', n8nOutput: '2.41.0' });
		const { found, said } = await find({ PATH: pathWith(dir) });
		expect(found).toMatchObject({ source: 'PATH', n8nVersion: '2.41.0', nodeVersion: '24.3.0', command: path.join(dir, 'node'), nodeBinDir: dir });
		expect(found?.prefix).toEqual([fs.realpathSync(path.join(dir, 'n8n'))]);
		expect(said).toMatch(/using n8n 2\.41\.0 found on PATH .* on Node 24\.3\.0/);
	});

	test('n8n on PATH that would run on Node 20: says so and falls back to the cached runtime', async () => {
		const dir = fakeBin({ nodeVersion: 'v20.19.0', n8nOutput: '2.40.7' });
		const { found, said } = await find({ PATH: pathWith(dir) });
		expect(found).toBeUndefined();
		expect(said).toMatch(/not using the n8n on PATH: .*would run on Node 20\.19\.0 .*needs Node ≥ 24.*from the cache instead/);
	});

	test('n8n 1.x on PATH: names the version and falls back', async () => {
		const dir = fakeBin({ nodeVersion: 'v24.1.0', n8nOutput: '1.123.4' });
		const { found, said } = await find({ PATH: pathWith(dir) });
		expect(found).toBeUndefined();
		expect(said).toMatch(/is n8n 1\.123\.4; this package needs n8n ≥ 2\.0/);
	});

	test('n8n on PATH whose Node cannot be told (not a node script): falls back, pointing to RBM_N8N_BIN', async () => {
		const dir = fakeBin({ n8nOutput: '2.41.0', shebang: '#!/bin/sh', withNode: false });
		const { found, said } = await find({ PATH: pathWith(dir) });
		expect(found).toBeUndefined();
		expect(said).toMatch(/cannot tell which Node .* runs on: .*not a Node\.js #! line; name it with RBM_N8N_BIN/);
	});

	test('an n8n whose --version prints no version is not used', async () => {
		const dir = fakeBin({ nodeVersion: 'v24.1.0', n8nOutput: 'Error: Cannot find module sqlite3' });
		const { found, said } = await find({ PATH: pathWith(dir) });
		expect(found).toBeUndefined();
		expect(said).toMatch(/did not print a version .*Cannot find module sqlite3/);
	});

	test('no n8n on PATH: nothing said, the cached runtime is used', async () => {
		const dir = path.join(root, 'empty');
		fs.mkdirSync(dir, { recursive: true });
		expect(await find({ PATH: pathWith(dir) })).toEqual({ found: undefined, said: '' });
	});

	test('RBM_N8N_BIN wins over PATH; an absolute #! node path is followed', async () => {
		const onPath = fakeBin({ nodeVersion: 'v24.1.0', n8nOutput: '2.30.0' });
		const named = fakeBin({ nodeVersion: 'v24.9.0', n8nOutput: '2.45.1' });
		const absolute = fakeBin({ nodeVersion: 'v25.0.0', n8nOutput: '2.50.0', shebang: `#!${path.join(named, 'node')}` });
		let result = await find({ PATH: pathWith(onPath), RBM_N8N_BIN: path.join(named, 'n8n') });
		expect(result.found).toMatchObject({ source: 'RBM_N8N_BIN', n8nVersion: '2.45.1' });
		// `#!/usr/bin/env node` runs the `node` first on PATH, as the OS would: onPath's, not the one beside it
		expect(result.said).toMatch(/using n8n 2\.45\.1 from RBM_N8N_BIN=.* on Node 24\.1\.0/);
		result = await find({ PATH: pathWith(onPath), RBM_N8N_BIN: path.join(absolute, 'n8n') });
		expect(result.found).toMatchObject({ n8nVersion: '2.50.0', nodeVersion: '24.9.0', command: path.join(named, 'node') });
	});

	test('RBM_N8N_BIN naming an unusable n8n is an error that says why, not a silent fallback', async () => {
		const old = fakeBin({ nodeVersion: 'v24.1.0', n8nOutput: '1.99.0' });
		await expect(find({ PATH: pathWith(old), RBM_N8N_BIN: path.join(old, 'n8n') })).rejects.toThrow(/RBM_N8N_BIN: .*is n8n 1\.99\.0; this package needs n8n ≥ 2\.0\. Unset RBM_N8N_BIN/);
		const oldNode = fakeBin({ nodeVersion: 'v22.12.0', n8nOutput: '2.40.7' });
		await expect(find({ PATH: pathWith(oldNode), RBM_N8N_BIN: path.join(oldNode, 'n8n') })).rejects.toThrow(/would run on Node 22\.12\.0 .*needs Node ≥ 24/);
		await expect(find({ PATH: pathWith(old), RBM_N8N_BIN: path.join(root, 'nowhere', 'n8n') })).rejects.toThrow(/RBM_N8N_BIN=.*nowhere\/n8n: no such file/);
	});

	test('RBM_N8N_BIN=cached ignores a good n8n on PATH', async () => {
		const dir = fakeBin({ nodeVersion: 'v24.3.0', n8nOutput: '2.41.0' });
		const { found, said } = await find({ PATH: pathWith(dir), RBM_N8N_BIN: 'cached' });
		expect(found).toBeUndefined();
		expect(said).toMatch(/RBM_N8N_BIN=cached/);
	});
});

describe('whichOnPath', () => {
	test('first executable match, skipping excluded folders and non-executable files', () => {
		const a = fakeBin({ nodeVersion: 'v24.0.0', n8nOutput: '2.0.0' });
		const b = fakeBin({ nodeVersion: 'v24.0.0', n8nOutput: '2.0.0' });
		const plain = path.join(root, 'plain');
		fs.mkdirSync(plain, { recursive: true });
		fs.writeFileSync(path.join(plain, 'n8n'), 'not executable', { mode: 0o644 });
		const pathValue = [plain, a, b].join(path.delimiter);
		expect(runtime.whichOnPath('n8n', pathValue)).toBe(path.join(a, 'n8n'));
		expect(runtime.whichOnPath('n8n', pathValue, (dir) => dir === a)).toBe(path.join(b, 'n8n'));
		expect(runtime.whichOnPath('n8n', plain)).toBeUndefined();
	});
});
