// n8n's own community-node lint (`n8n-node lint`), with the Cloud ruleset, and no rule relaxed for
// nodes/, credentials/ or package.json (n8n's scanner, `npm run scan`, would not count it anyway).
// Only the emulator, a local test server n8n never loads, has its own exceptions.
import { config } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'test/**', 'scripts/**', 'bench/**', 'examples/**', '.cache/**', 'coverage/**', '*.js', '*.mjs'] },
	...config,
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
