// n8n's own community-node lint (`n8n-node lint`), with the Cloud ruleset. Some rules are relaxed,
// each only where the design needs it (see README › "Lint and the runtime dependencies"):
// runtime dependencies in package.json, their imports in the one module that owns each, and the
// RBM Trigger's use of n8n's built-in Redis credential.
import { config } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'test/**', 'scripts/**', 'bench/**', 'examples/**', '.cache/**', 'coverage/**', '*.js', '*.mjs'] },
	...config,
	{
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		files: ['nodes/shared/transport/auth.ts', 'nodes/shared/transport/pool.ts', 'nodes/shared/ids.ts', 'nodes/shared/phone.ts', 'nodes/RbmTrigger/redeliveryStore.ts'],
		rules: { '@n8n/community-nodes/no-restricted-imports': 'off' },
	},
	{
		// The trigger's Redelivery Filter › Redis uses n8n's built-in Redis credential (type `redis`),
		// the one queue mode's users already have, instead of a second Redis credential of our own.
		files: ['nodes/RbmTrigger/RbmTrigger.node.ts'],
		rules: {
			'@n8n/community-nodes/no-credential-reuse': 'off',
			'@n8n/community-nodes/valid-credential-references': 'off',
			'n8n-nodes-base/node-class-description-credentials-name-unsuffixed': 'off',
		},
	},
	{
		// The emulator is a local test server, not code n8n runs: the same TypeScript, JS and import
		// rules as the nodes, without the rules about what a node may use inside n8n (timers, Node's
		// modules, NodeApiError). Its CLI prints to the console.
		files: ['emulator/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
	{
		files: ['emulator/cli.ts'],
		rules: { 'no-console': 'off' },
	},
];
