/**
 * Once per e2e run: make sure n8n + Node 24 are installed (cached), pack this package and
 * install the tarball into a template n8n user folder (as a user's community-package install
 * would), and let n8n create and migrate that folder's database once. Each test file copies it.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const runtime = require('../../scripts/n8n-runtime.js');

module.exports = async function globalSetup() {
	const log = (message) => process.stderr.write(`[e2e setup] ${message}\n`);
	const started = Date.now();
	await runtime.ensureRuntime({ log });
	const root = mkdtempSync(join(tmpdir(), 'rbm-e2e-template-'));
	const tgz = await runtime.packPackage({ destination: join(root, 'pack'), log });
	const userFolder = join(root, 'home');
	await runtime.installPackage(userFolder, tgz, { log });
	// Lets n8n create and migrate the SQLite database once; test files copy the folder.
	const env = runtime.n8nEnv(userFolder);
	const list = await runtime.runN8n(['list:workflow'], env, { timeoutMs: 3 * 60 * 1000 });
	if (list.code !== 0) {
		throw new Error(`n8n list:workflow failed in the template user folder (exit ${list.code}):\n${(list.stdout + list.stderr).slice(-3000)}`);
	}
	process.env.RBM_E2E_TEMPLATE = userFolder;
	process.env.RBM_E2E_ROOT = root;
	log(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
};
