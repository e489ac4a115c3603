#!/usr/bin/env node
// npm run scan: what `npx @n8n/scan-community-package n8n-nodes-rbm` does, offline, on what we
// would publish. The scanner (@n8n/scan-community-package, the version in package-lock.json) needs
// the package on npm with a provenance attestation and downloads the attested GitHub source; here
// we call its own `analyzePackage` (its ESLint config: the Cloud ruleset of
// @n8n/eslint-plugin-community-nodes, no-console, eslint-plugin-n8n-nodes-base's rulesets, and
// `allowInlineConfig: false`, so `eslint-disable` comments do not count) on the same two inputs:
//   1. the source: package.json and {nodes,credentials}/**/*.{js,ts,json} (the scanner's
//      SOURCE_FILE_PATTERNS), from this checkout;
//   2. the tarball: every .js in `npm pack`'s output and its package.json.
// Our eslint.config.mjs plays no part. One check of our own on top: the scanner lets the tarball
// require a devDependency (it assumes it was bundled), but n8n deletes devDependencies when it
// installs a package, so every bare require in the tarball must be one n8n provides (n8n-workflow,
// crypto). Exit 1 on any error.
//
// Usage: node scripts/scan.mjs [--tarball <file.tgz>] [--source <dir>]
//   --tarball: scan this tarball instead of packing the checkout (the checkout must be built).
//   --source:  the source folder to scan (default: the checkout).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as espree from 'espree';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name) {
	const i = process.argv.indexOf(name);
	return i === -1 ? undefined : process.argv[i + 1];
}

function run(cmd, args, cwd) {
	const result = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stderr}`);
	return result.stdout;
}

// eslint-plugin-n8n-nodes-base switches some rules to its own test fixtures when NODE_ENV is
// "test" (jest sets it): lint as n8n's scanner runs, outside a test runner.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const scannerVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@n8n/scan-community-package/package.json'), 'utf8')).version;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

/** What a community node may require at run time without shipping it: n8n's peer and Node's crypto. */
const PROVIDED = new Set(['n8n-workflow', 'crypto', 'node:crypto']);

/** Every `require("…")` with a string argument in a script (parsed, so comments and strings do not count). */
function requiresIn(code) {
	const found = [];
	const visit = (node) => {
		if (!node || typeof node.type !== 'string') return;
		if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal' && typeof node.arguments[0].value === 'string') {
			found.push(node.arguments[0].value);
		}
		for (const key of Object.keys(node)) {
			const value = node[key];
			if (key === 'parent') continue;
			if (Array.isArray(value)) value.forEach(visit);
			else if (value && typeof value === 'object') visit(value);
		}
	};
	visit(espree.parse(code, { ecmaVersion: 'latest', sourceType: 'script' }));
	return found;
}

/** Bare requires in the tarball's .js that neither n8n provides nor the tarball ships. */
function requiresNotShipped(dir) {
	const found = [];
	const walk = (folder) => {
		for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
			const file = path.join(folder, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.js')) {
				for (const specifier of requiresIn(fs.readFileSync(file, 'utf8'))) {
					if (specifier.startsWith('.') || PROVIDED.has(specifier)) continue;
					found.push(`${path.relative(dir, file)} requires "${specifier}": n8n removes devDependencies when it installs a package, and does not provide it (bundle it: scripts/bundle-dependencies.js)`);
				}
			}
		}
	};
	walk(dir);
	return found;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-scan-'));
try {
	let tarball = arg('--tarball');
	if (!tarball) {
		const out = run('npm', ['pack', '--json', '--pack-destination', work], root);
		tarball = path.join(work, JSON.parse(out)[0].filename);
	}
	tarball = path.resolve(tarball);
	const packageDir = path.join(work, 'package');
	fs.mkdirSync(packageDir);
	run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], work);
	const packed = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const sourceDir = path.resolve(arg('--source') ?? root);

	console.log(`@n8n/scan-community-package ${scannerVersion}: ${packed.name}@${packed.version} (${path.basename(tarball)}) and its source`);
	const deps = Object.keys(packed.dependencies ?? {});
	console.log(`dependencies in the packed package.json: ${deps.length === 0 ? 'none' : deps.join(', ')}`);

	const legs = [
		['source', sourceDir, SOURCE_FILE_PATTERNS],
		['tarball', packageDir, ['**/*.js', 'package.json']],
	];
	let failed = false;
	for (const [name, dir, patterns] of legs) {
		const result = await analyzePackage(dir, patterns);
		console.log(`${name}: ${result.passed ? 'passed' : `FAILED (${result.message})`}`);
		if (result.details) console.log(result.details);
		if (!result.passed) failed = true;
	}
	const unshipped = requiresNotShipped(packageDir);
	console.log(`tarball requires only what n8n provides: ${unshipped.length === 0 ? 'yes' : 'NO'}`);
	for (const line of unshipped) console.log(`  ${line}`);
	if (unshipped.length > 0) failed = true;
	console.log(failed ? 'scan: FAILED' : 'scan: passed, 0 errors');
	process.exitCode = failed ? 1 : 0;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
