/** Reading the run JSON that `n8n execute --rawOutput` prints among its log lines. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseRunOutput } = require('../../scripts/n8n-runtime.js') as { parseRunOutput: (stdout: string) => unknown };

const run = { data: { resultData: { runData: { Send: [{ data: { main: [[{ json: { text: 'a\n}' } }]] } }] } } } };

describe('parseRunOutput', () => {
	test('pretty-printed run JSON between log lines, including log lines that are braces', () => {
		const stdout = ['Loading workflow', '{', 'not json', '}', JSON.stringify(run, null, 2), '}', 'Execution finished', ''].join('\n');
		expect(parseRunOutput(stdout)).toEqual(run);
	});

	test('the JSON at the very start, and on one line', () => {
		expect(parseRunOutput(JSON.stringify(run, null, 2))).toEqual(run);
		expect(parseRunOutput(`log line\n${JSON.stringify(run)}\nbye`)).toEqual(run);
	});

	test('no JSON, or JSON cut off at exit', () => {
		expect(parseRunOutput('Error: workflow not found\n')).toBeUndefined();
		expect(parseRunOutput(JSON.stringify(run, null, 2).slice(0, 60))).toBeUndefined();
	});
});
