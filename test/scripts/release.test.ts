/**
 * `npm run release` (scripts/release.js) in throwaway git repositories: each refusal (no or a
 * non-GitHub repository, no author, a dirty tree, no or an empty "## Unreleased", a version not
 * above the current one, an existing tag) leaves the repository as it was; a release bumps
 * package.json and package-lock.json, moves the changelog entries under the new version, commits
 * and creates the annotated tag, and pushes nothing. One case releases this project's own
 * CHANGELOG.md, another shows this project's package.json is refused until `repository` is set.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseGitHubRepository } = require('../../scripts/release.js') as { parseGitHubRepository: (r: unknown) => { owner: string; repo: string } | undefined };

const root = path.join(__dirname, '..', '..');
const script = path.join(root, 'scripts', 'release.js');
const REPOSITORY = { type: 'git', url: 'git+https://github.com/example-owner/n8n-nodes-example.git' };
const CHANGELOG = ['# Changelog', '', '## Unreleased', '', '### Added', '- A new operation.', '', '### Fixed', '- A bug.', '', '## 0.1.0 — 2026-01-02', '', '### Added', '- First version.', ''].join('\n');

// Git without the user's configuration (signing, hooks, templates), with a fixed identity.
const gitEnv = {
	...process.env,
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_CONFIG_NOSYSTEM: '1',
	GIT_AUTHOR_NAME: 'Release Test',
	GIT_AUTHOR_EMAIL: 'release-test@example.com',
	GIT_COMMITTER_NAME: 'Release Test',
	GIT_COMMITTER_EMAIL: 'release-test@example.com',
};

let work: string;
beforeAll(() => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-release-test-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
	const r = spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', timeout: 20_000 });
	if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
	return r.stdout.trim();
}

let counter = 0;
/** A git repository with one commit holding package.json, package-lock.json and CHANGELOG.md. */
function makeRepo({ pkg = {}, changelog = CHANGELOG }: { pkg?: Record<string, unknown>; changelog?: string } = {}): string {
	const dir = path.join(work, `repo-${++counter}`);
	fs.mkdirSync(dir);
	const manifest = { name: 'n8n-nodes-example', version: '0.1.0', license: 'MIT', author: { name: 'Example Owner' }, repository: REPOSITORY, ...pkg };
	for (const [k, v] of Object.entries(manifest)) if (v === undefined) delete (manifest as Record<string, unknown>)[k];
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	const lock = { name: 'n8n-nodes-example', version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': { name: 'n8n-nodes-example', version: manifest.version, license: 'MIT' } } };
	fs.writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
	fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog);
	git(dir, 'init', '-q', '-b', 'main');
	git(dir, 'add', '.');
	git(dir, 'commit', '-q', '-m', 'Initial commit');
	return dir;
}

function release(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
	const r = spawnSync(process.execPath, [script, ...args], { cwd, env: gitEnv, encoding: 'utf8', timeout: 20_000 });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Commits, tags and file contents: what a refusal must leave as it was. */
function snapshot(dir: string): string {
	const files = ['package.json', 'package-lock.json', 'CHANGELOG.md'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
	return [git(dir, 'log', '--format=%H %s'), git(dir, 'tag', '-l'), git(dir, 'status', '--porcelain'), ...files].join('\n--\n');
}

function expectRefused(dir: string, args: string[], message: string | RegExp): void {
	const before = snapshot(dir);
	const r = release(dir, ...args);
	expect(r.status).toBe(1);
	expect(r.stdout).toBe('');
	expect(r.stderr).toMatch(typeof message === 'string' ? new RegExp(`^release: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : message);
	expect(snapshot(dir)).toBe(before);
}

describe('package.json repository', () => {
	test.each([
		['github:owner/repo', 'owner', 'repo'],
		['https://github.com/owner/n8n-nodes-x', 'owner', 'n8n-nodes-x'],
		['https://github.com/owner/n8n-nodes-x.git', 'owner', 'n8n-nodes-x'],
		['git+https://github.com/my-org/n8n-nodes.x.git', 'my-org', 'n8n-nodes.x'],
	])('%s is GitHub repository %s/%s, as a string and as { type, url }', (url, owner, repo) => {
		expect(parseGitHubRepository(url)).toEqual({ owner, repo });
		expect(parseGitHubRepository({ type: 'git', url })).toEqual({ owner, repo });
		expect(parseGitHubRepository({ url })).toEqual({ owner, repo });
	});

	test.each([
		'',
		'https://gitlab.com/owner/repo',
		'https://github.com/owner',
		'https://github.com.evil.example/owner/repo',
		'https://example.com/github.com/owner/repo',
		'http://github.com/owner/repo',
		'gitlab:owner/repo',
		'github:owner/repo/extra',
	])('%j is not', (url) => {
		expect(parseGitHubRepository(url)).toBeUndefined();
	});

	test('neither is an object of another type, nor a missing url', () => {
		expect(parseGitHubRepository({ type: 'svn', url: 'https://github.com/owner/repo' })).toBeUndefined();
		expect(parseGitHubRepository({ type: 'git' })).toBeUndefined();
		expect(parseGitHubRepository(undefined)).toBeUndefined();
	});
});

describe('npm run release refuses', () => {
	test('without a version, or with something else', () => {
		const dir = makeRepo();
		expectRefused(dir, [], 'usage: npm run release -- <patch|minor|major|x.y.z>');
		expectRefused(dir, ['next'], '"next" is not patch, minor, major or a version x.y.z');
		expectRefused(dir, ['0.1.0'], 'version 0.1.0 is not above the current version 0.1.0');
		expectRefused(dir, ['0.0.9'], 'version 0.0.9 is not above the current version 0.1.0');
	});

	test('without a repository in package.json', () => {
		expectRefused(makeRepo({ pkg: { repository: undefined } }), ['minor'], 'package.json has no "repository": set it once');
	});

	test('with a repository that is not on GitHub', () => {
		expectRefused(makeRepo({ pkg: { repository: 'https://gitlab.com/owner/repo' } }), ['minor'], `package.json's "repository" ("https://gitlab.com/owner/repo") is not a GitHub repository`);
		expectRefused(makeRepo({ pkg: { repository: { type: 'git', url: 'git+https://example.com/owner/repo.git' } } }), ['patch'], 'is not a GitHub repository');
	});

	test('without an author', () => {
		expectRefused(makeRepo({ pkg: { author: undefined } }), ['minor'], 'package.json has no "author"');
		expectRefused(makeRepo({ pkg: { author: { email: 'a@example.com' } } }), ['minor'], 'package.json has no "author"');
	});

	test('with a changed, staged or untracked file', () => {
		const dir = makeRepo();
		fs.appendFileSync(path.join(dir, 'CHANGELOG.md'), '- Not committed.\n');
		expectRefused(dir, ['minor'], /^release: the git tree is not clean: commit or stash these first\n {2}M CHANGELOG\.md\n$/);
		git(dir, 'add', 'CHANGELOG.md');
		expectRefused(dir, ['minor'], /\n {2}M {2}CHANGELOG\.md\n$/);
		git(dir, 'commit', '-q', '-m', 'More');
		fs.mkdirSync(path.join(dir, 'notes'));
		fs.writeFileSync(path.join(dir, 'notes', 'draft.md'), 'draft\n');
		expectRefused(dir, ['minor'], /\n {2}\?\? notes\/draft\.md\n$/);
	});

	test('without a "## Unreleased" section, or with one that lists nothing', () => {
		expectRefused(makeRepo({ changelog: '# Changelog\n\n## 0.1.0 — 2026-01-02\n\n- First version.\n' }), ['minor'], 'CHANGELOG.md has no "## Unreleased" section');
		expectRefused(makeRepo({ changelog: '# Changelog\n\n## Unreleased\n\n## 0.1.0 — 2026-01-02\n\n- First version.\n' }), ['minor'], `CHANGELOG.md's "## Unreleased" section is empty`);
		expectRefused(makeRepo({ changelog: '# Changelog\n\n## Unreleased\n\n### Added\n\n### Fixed\n\n## 0.1.0 — 2026-01-02\n\n- First version.\n' }), ['minor'], 'section is empty');
		expectRefused(makeRepo({ changelog: '# Changelog\n\n## Unreleased\n' }), ['minor'], 'section is empty');
	});

	test('when the tag of the new version exists', () => {
		const dir = makeRepo();
		git(dir, 'tag', 'v0.2.0');
		expectRefused(dir, ['minor'], 'tag v0.2.0 exists already');
		expectRefused(dir, ['0.2.0'], 'tag v0.2.0 exists already');
	});

	test("this project's package.json until its repository is set", () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
		const dir = makeRepo({ pkg: { ...pkg, repository: pkg.repository } });
		if (pkg.repository === undefined) expectRefused(dir, ['minor'], 'package.json has no "repository"');
		else expect(parseGitHubRepository(pkg.repository)).toBeDefined();
		expect(pkg.scripts).toEqual(expect.objectContaining({ release: 'node scripts/release.js' }));
	});
});

describe('npm run release', () => {
	const today = (): string => new Date().toISOString().slice(0, 10);

	function released(dir: string, args: string[], version: string): { date: string; stdout: string } {
		const head = git(dir, 'rev-parse', 'HEAD');
		const dayBefore = today();
		const r = release(dir, ...args);
		const date = [dayBefore, today()].find((d) => fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8').includes(`## ${version} — ${d}\n`));
		expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
		expect(date).toBeDefined();
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
		const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as { version: string; packages: Record<string, { version: string }> };
		expect([pkg.version, lock.version, lock.packages[''].version]).toEqual([version, version, version]);
		// One commit on top, with the three files, nothing left over; an annotated tag on it.
		expect(git(dir, 'log', '--format=%s', `${head}..HEAD`)).toBe(`Release v${version}`);
		expect(git(dir, 'diff', '--name-only', head, 'HEAD').split('\n').sort()).toEqual(['CHANGELOG.md', 'package-lock.json', 'package.json']);
		expect(git(dir, 'status', '--porcelain')).toBe('');
		expect(git(dir, 'cat-file', '-t', `v${version}`)).toBe('tag');
		expect(git(dir, 'rev-parse', `v${version}^{commit}`)).toBe(git(dir, 'rev-parse', 'HEAD'));
		expect(git(dir, 'tag', '-l', '--format=%(contents:subject)', `v${version}`)).toBe(`Release v${version}`);
		expect(r.stdout).toContain('git push --follow-tags');
		return { date: date!, stdout: r.stdout };
	}

	test('bumps the version, moves the changelog, commits and tags; then the next release', () => {
		const dir = makeRepo();
		const { date, stdout } = released(dir, ['minor'], '0.2.0');
		expect(fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8')).toBe(
			['# Changelog', '', '## Unreleased', '', `## 0.2.0 — ${date}`, '', '### Added', '- A new operation.', '', '### Fixed', '- A bug.', '', '## 0.1.0 — 2026-01-02', '', '### Added', '- First version.', ''].join('\n'),
		);
		expect(stdout).toContain('example-owner/n8n-nodes-example');
		// No remote was touched: the repository has none, and the release said how to push.
		expect(git(dir, 'remote')).toBe('');

		// The empty Unreleased section left on top refuses a release until an entry is added.
		expectRefused(dir, ['patch'], 'section is empty');
		const changelog = fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8').replace('## Unreleased\n', '## Unreleased\n\n- A fix.\n');
		fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog);
		git(dir, 'commit', '-q', '-am', 'A fix');
		const second = released(dir, ['patch'], '0.2.1');
		expect(fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^# Changelog\\n\\n## Unreleased\\n\\n## 0\\.2\\.1 — ${second.date}\\n\\n- A fix\\.\\n\\n## 0\\.2\\.0 — `));
		expect(git(dir, 'tag', '-l').split('\n')).toEqual(['v0.2.0', 'v0.2.1']);
	});

	test('major, an explicit version, and the string form of repository', () => {
		released(makeRepo({ pkg: { repository: 'github:owner/repo', author: 'Owner <o@example.com>' } }), ['major'], '1.0.0');
		released(makeRepo({ pkg: { repository: 'https://github.com/owner/repo' } }), ['0.3.0'], '0.3.0');
		released(makeRepo({ pkg: { version: '1.0.0-rc.2' } }), ['patch'], '1.0.0');
	});

	test("this project's CHANGELOG.md: its Unreleased entries move, the older sections stay as they are", () => {
		// One more entry, so that this also holds right after a release (an empty Unreleased on top).
		const own = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8').replace(/^## Unreleased\n/m, '## Unreleased\n\n- One more entry.\n');
		const dir = makeRepo({ changelog: own });
		const { date } = released(dir, ['minor'], '0.2.0');
		const start = own.indexOf('## Unreleased\n') + '## Unreleased\n'.length;
		const next = own.indexOf('\n## ', start);
		const entries = own.slice(start, next).trim();
		expect(entries).toMatch(/^- One more entry\.(\n|$)/);
		expect(fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8')).toBe(`${own.slice(0, start)}\n## 0.2.0 — ${date}\n\n${entries}\n${own.slice(next)}`);
	});
});
