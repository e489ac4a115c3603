/**
 * Once per UI run: Debian's Chromium (installed with apt-get when missing and running as root, as
 * CI does; Playwright's own browser downloads cannot work on a closed network), then the e2e
 * suite's setup: n8n + Node 24 (cached) and this package's packed tarball installed into a
 * template user folder.
 */
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

const e2eSetup = require('../e2e/global-setup.js');

const CHROMIUM = process.env.RBM_UI_CHROMIUM || '/usr/bin/chromium';

function ensureChromium(log) {
	if (existsSync(CHROMIUM)) return;
	const asRoot = process.getuid && process.getuid() === 0;
	if (!asRoot) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) or set RBM_UI_CHROMIUM`);
	log('installing chromium with apt-get (Debian package)');
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		const r = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 10 * 60 * 1000 });
		if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
	}
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

module.exports = async function globalSetup() {
	const log = (message) => process.stderr.write(`[ui setup] ${message}\n`);
	ensureChromium(log);
	process.env.RBM_UI_CHROMIUM = CHROMIUM;
	await e2eSetup();
};
