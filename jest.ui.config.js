/**
 * Browser tests of the n8n editor: Playwright (playwright-core, no downloaded browser) drives
 * Debian's Chromium against one real `n8n start` (.cache/n8n-runtime, Node 24) with this package
 * installed from its packed tarball, and the RBM emulator behind it.
 * Run with `npm run test:ui` (builds first). Screenshots: test-results/ui/<scenario>/NN-step.png.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/ui'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: { ignoreCodes: ['TS151001'] } }] },
	globalSetup: '<rootDir>/test/ui/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	testTimeout: 3 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
