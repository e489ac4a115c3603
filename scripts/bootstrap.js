#!/usr/bin/env node
/**
 * First step of `npm run demo`, `dev`, `bench`, `soak`, `bench:profile` and `bench:heap`: installs
 * the project's dependencies when they are missing or older than package-lock.json, so a fresh
 * clone needs no other command. With `--n8n` (demo, dev), when no usable n8n of the user's is
 * found (scripts/n8n-runtime.js › findExistingN8n) and the cached one is not installed yet, it
 * first starts that install in the background, so it runs while `npm ci` and the build do.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');

async function startRuntime() {
	const runtime = require('./n8n-runtime');
	try {
		if (await runtime.findExistingN8n({ log: () => {} })) return; // the demo says which one it uses
	} catch {
		return; // RBM_N8N_BIN names an unusable n8n: the demo says why
	}
	runtime.startInBackground({ log: (m) => console.log(`▸ n8n runtime: ${m}`) });
}

function installDependencies() {
	const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
	if (!stale) return;
	console.log("▸ Installing the project's dependencies (npm ci, once; 3–4½ min here on 2 busy cores, about 0.9 GB)");
	if (Number(process.versions.node.split('.')[0]) < 24) {
		// docs/development.md, "The two commands": n8n-workflow (a dev dependency) brings isolated-vm, which
		// declares Node >= 24; .npmrc's ignore-scripts keeps it from being built, nothing here loads it.
		console.log(`  npm may warn "EBADENGINE … isolated-vm" on Node ${process.versions.node}: harmless (not built, not used here; the demo's n8n runs on its own Node 24)`);
	}
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const started = Date.now();
	const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('✖ npm ci failed: see the output above');
		process.exit(result.status ?? 1);
	}
	console.log(`  dependencies installed (${Math.round((Date.now() - started) / 1000)} s)`);
}

async function main() {
	if (process.argv.includes('--n8n')) await startRuntime();
	installDependencies();
}

main().catch((error) => {
	console.error(`✖ ${error.message}`);
	process.exit(1);
});
