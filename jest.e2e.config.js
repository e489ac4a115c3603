/**
 * End-to-end tests: a real n8n (installed once into .cache/n8n-runtime by scripts/n8n-runtime.js)
 * runs this package, installed from its packed tarball, against the RBM emulator.
 * Run with `npm run test:e2e` (builds first). The first run downloads n8n (a few minutes).
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: { ignoreCodes: ['TS151001'] } }] },
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	testTimeout: 10 * 60 * 1000,
	// Two test files at a time: each has its own n8n user folder, emulator, ports and task-broker
	// port, and most of a file's time is n8n CLI starts (one core each), so two files share 2 cores.
	maxWorkers: 2,
	verbose: true,
};
