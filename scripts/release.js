#!/usr/bin/env node
/**
 * `npm run release -- <patch|minor|major|x.y.z>`: prepares a release that
 * .github/workflows/publish.yml publishes to npm with provenance once the tag is pushed.
 *
 * Refuses (exit 1, one clear message) when package.json has no `author` or no `repository` naming a
 * public GitHub repository (n8n's verification compares both with the npm package), when the git
 * tree has uncommitted or untracked files, when CHANGELOG.md has no "## Unreleased" section or it
 * holds no entry, when the new version is not above the current one, or when its tag exists.
 * Otherwise: sets the version in package.json and package-lock.json, moves the Unreleased entries
 * under "## <version> — <YYYY-MM-DD>" (UTC) below a new, empty "## Unreleased", commits
 * "Release v<version>" and creates the annotated tag v<version>. It does not push: it prints the
 * command that does (docs/publishing.md).
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const USAGE = 'usage: npm run release -- <patch|minor|major|x.y.z>';
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;
const GITHUB_FORMS = [
	/^github:([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)$/,
	/^(?:git\+)?https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/,
];
const UNRELEASED = /^##[ \t]+Unreleased[ \t]*$/im;

class ReleaseError extends Error {}

/**
 * `{ owner, repo }` of package.json's `repository` when it names a GitHub repository
 * ("github:owner/repo", "https://github.com/owner/repo(.git)", "git+https://github.com/owner/repo.git",
 * or the object form `{ type: "git", url }` with one of these), else undefined.
 */
function parseGitHubRepository(repository) {
	let url = repository;
	if (repository && typeof repository === 'object') {
		if (repository.type !== undefined && repository.type !== 'git') return undefined;
		url = repository.url;
	}
	if (typeof url !== 'string') return undefined;
	for (const form of GITHUB_FORMS) {
		const m = form.exec(url.trim());
		if (m && m[2] !== '.' && m[2] !== '..') return { owner: m[1], repo: m[2] };
	}
	return undefined;
}

function parseVersion(text) {
	const m = SEMVER.exec(text);
	return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] } : undefined;
}

function compareVersions(a, b) {
	for (const k of ['major', 'minor', 'patch']) if (a[k] !== b[k]) return a[k] - b[k];
	if (a.pre === b.pre) return 0;
	if (a.pre === undefined) return 1; // 1.0.0 > 1.0.0-rc.1
	if (b.pre === undefined) return -1;
	return a.pre < b.pre ? -1 : 1;
}

/** The version after `current` for a bump (npm's rules: a prerelease's patch/minor/major is its release) or an explicit x.y.z. */
function nextVersion(current, bump) {
	const cur = parseVersion(current);
	if (!cur) throw new ReleaseError(`package.json's version "${current}" is not x.y.z`);
	let next;
	if (bump === 'patch') next = cur.pre ? `${cur.major}.${cur.minor}.${cur.patch}` : `${cur.major}.${cur.minor}.${cur.patch + 1}`;
	else if (bump === 'minor') next = cur.pre && cur.patch === 0 ? `${cur.major}.${cur.minor}.0` : `${cur.major}.${cur.minor + 1}.0`;
	else if (bump === 'major') next = cur.pre && cur.minor === 0 && cur.patch === 0 ? `${cur.major}.0.0` : `${cur.major + 1}.0.0`;
	else if (parseVersion(bump)) next = bump;
	else throw new ReleaseError(`"${bump}" is not patch, minor, major or a version x.y.z\n${USAGE}`);
	if (compareVersions(parseVersion(next), cur) <= 0) throw new ReleaseError(`version ${next} is not above the current version ${current}`);
	return next;
}

/**
 * CHANGELOG.md with the Unreleased entries moved under "## <version> — <date>" and an empty
 * "## Unreleased" above it. Refuses a changelog without that section or with only headings in it.
 */
function moveUnreleased(changelog, version, date) {
	const heading = UNRELEASED.exec(changelog);
	if (!heading) throw new ReleaseError('CHANGELOG.md has no "## Unreleased" section: add one above the last release with the changes of this one');
	const bodyStart = heading.index + heading[0].length;
	const next = /^## /m.exec(changelog.slice(bodyStart));
	const bodyEnd = next ? bodyStart + next.index : changelog.length;
	const body = changelog.slice(bodyStart, bodyEnd).replace(/^\s*\n/, '').trimEnd();
	const entries = body.split('\n').filter((line) => line.trim() !== '' && !/^#{3,}\s/.test(line));
	if (entries.length === 0) throw new ReleaseError('CHANGELOG.md\'s "## Unreleased" section is empty: list the changes of this release there first');
	const rest = changelog.slice(bodyEnd);
	return `${changelog.slice(0, heading.index)}## Unreleased\n\n## ${version} — ${date}\n\n${body}\n${rest ? `\n${rest}` : ''}`;
}

/** Rewrites a JSON file with `edit` applied, keeping its indentation and final newline. */
function editJson(file, edit) {
	const text = fs.readFileSync(file, 'utf8');
	const indent = /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? '  ';
	const data = JSON.parse(text);
	edit(data);
	fs.writeFileSync(file, `${JSON.stringify(data, null, indent)}${text.endsWith('\n') ? '\n' : ''}`);
}

function git(cwd, args) {
	const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 60_000 });
	if (r.error) throw new ReleaseError(`git ${args[0]} could not run: ${r.error.message}`);
	return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

function gitOk(cwd, args) {
	const r = git(cwd, args);
	if (r.status !== 0) throw new ReleaseError(`git ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
	return r.stdout;
}

function hasAuthor(author) {
	if (typeof author === 'string') return author.trim() !== '';
	return !!author && typeof author === 'object' && typeof author.name === 'string' && author.name.trim() !== '';
}

/** Checks, then bumps, moves the changelog, commits and tags in `cwd`. Returns what it did. */
function release(cwd, bump, { date = new Date().toISOString().slice(0, 10) } = {}) {
	if (!bump) throw new ReleaseError(USAGE);
	const pkgFile = path.join(cwd, 'package.json');
	const lockFile = path.join(cwd, 'package-lock.json');
	const changelogFile = path.join(cwd, 'CHANGELOG.md');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));

	if (pkg.repository === undefined) {
		throw new ReleaseError('package.json has no "repository": set it once to the public GitHub repository this package is published from, e.g. "repository": { "type": "git", "url": "git+https://github.com/<owner>/<repo>.git" } (docs/publishing.md)');
	}
	const repo = parseGitHubRepository(pkg.repository);
	if (!repo) {
		throw new ReleaseError(`package.json's "repository" (${JSON.stringify(pkg.repository)}) is not a GitHub repository: use "github:<owner>/<repo>", "https://github.com/<owner>/<repo>" or { "type": "git", "url": "git+https://github.com/<owner>/<repo>.git" } (n8n's verification matches it with the public GitHub repository)`);
	}
	if (!hasAuthor(pkg.author)) {
		throw new ReleaseError('package.json has no "author": set it once to the owner of the GitHub repository (n8n\'s verification compares it), e.g. "author": { "name": "<name>", "email": "<email>" }');
	}

	if (git(cwd, ['rev-parse', '--is-inside-work-tree']).stdout !== 'true') throw new ReleaseError(`${cwd} is not a git work tree`);
	const dirty = gitOk(cwd, ['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean);
	if (dirty.length) {
		const shown = dirty.slice(0, 10).map((l) => `  ${l}`).join('\n');
		throw new ReleaseError(`the git tree is not clean: commit or stash these first\n${shown}${dirty.length > 10 ? `\n  … and ${dirty.length - 10} more` : ''}`);
	}

	const version = nextVersion(pkg.version, bump);
	const tag = `v${version}`;
	if (git(cwd, ['rev-parse', '-q', '--verify', `refs/tags/${tag}`]).status === 0) throw new ReleaseError(`tag ${tag} exists already: choose another version`);

	const changelog = moveUnreleased(fs.readFileSync(changelogFile, 'utf8'), version, date);

	const files = ['package.json', 'CHANGELOG.md'];
	editJson(pkgFile, (p) => {
		p.version = version;
	});
	if (fs.existsSync(lockFile)) {
		files.push('package-lock.json');
		editJson(lockFile, (l) => {
			l.version = version;
			if (l.packages && l.packages['']) l.packages[''].version = version;
		});
	}
	fs.writeFileSync(changelogFile, changelog);

	const message = `Release ${tag}`;
	try {
		gitOk(cwd, ['add', '--', ...files]);
		gitOk(cwd, ['commit', '-q', '-m', message, '--', ...files]);
	} catch (e) {
		git(cwd, ['reset', '-q', '--', ...files]);
		git(cwd, ['checkout', '--', ...files]);
		throw e;
	}
	gitOk(cwd, ['tag', '-a', tag, '-m', message]);
	const commit = gitOk(cwd, ['rev-parse', '--short', 'HEAD']);
	return { version, tag, commit, files, repository: `${repo.owner}/${repo.repo}` };
}

function main() {
	try {
		const r = release(process.cwd(), process.argv[2]);
		process.stdout.write(
			`Released ${r.tag}: ${r.files.join(', ')} updated, commit ${r.commit} "Release ${r.tag}", annotated tag ${r.tag}.\n` +
				`Nothing is pushed yet. Push the commit and the tag; GitHub Actions (publish.yml in ${r.repository}) then publishes ${r.version} to npm with provenance:\n` +
				'  git push --follow-tags\n',
		);
	} catch (e) {
		if (!(e instanceof ReleaseError)) throw e;
		process.stderr.write(`release: ${e.message}\n`);
		process.exitCode = 1;
	}
}

if (require.main === module) main();

module.exports = { parseGitHubRepository, nextVersion, moveUnreleased, release, ReleaseError };
