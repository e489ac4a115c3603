/**
 * Queue-mode tests (`npm run test:queue`): n8n 2.40.7 in queue mode — PostgreSQL and Redis from
 * Debian's packages (installed with apt-get when missing), a main process and two workers sharing
 * one user folder with this package installed from its packed tarball — against the RBM emulator.
 * The same global setup as the e2e tests (n8n runtime, packed package, template user folder).
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: { ignoreCodes: ['TS151001'] } }] },
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
