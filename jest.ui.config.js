/**
 * Browser tests of the n8n editor: Playwright (playwright-core, no downloaded browser) drives
 * Debian's Chromium against one real `n8n start` (.cache/n8n-runtime, Node 24) with this package
 * installed from its packed tarball, and the RBM emulator behind it. The e2e suite's settings, with
 * its own tests and a setup that also makes sure Chromium is there.
 * Run with `npm run test:ui` (builds first). Screenshots: test-results/ui/<scenario>/NN-step.png.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.e2e.config.js'),
	roots: ['<rootDir>/test/ui'],
	globalSetup: '<rootDir>/test/ui/global-setup.js',
	// a scenario is 10 to 30 steps of at most STEP_MS (test/ui/harness.ts) each; usually 10 to 40 s
	testTimeout: 6 * 60 * 1000,
};
