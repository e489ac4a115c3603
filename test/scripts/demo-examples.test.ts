/**
 * `npm run dev` imports every workflow in examples/ (scripts/demo.js › examples()), and its banner
 * says what each needs beyond the emulator credential, read from the workflow itself.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Example = { file: string; workflow: { name: string; id?: string }; notes: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../scripts/demo.js') as { examples: (dir?: string) => Example[] };

const examplesDir = path.join(__dirname, '..', '..', 'examples');

test('every *.json in examples/ is imported, nothing else', () => {
	const onDisk = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort();
	expect(onDisk.length).toBeGreaterThanOrEqual(7);
	expect(demo.examples().map((e) => e.file).sort()).toEqual(onDisk);
	expect(demo.examples().every((e) => typeof e.workflow.name === 'string' && e.workflow.name.length > 0)).toBe(true);
});

describe('the order to try them (issue 25 item 11)', () => {
	type Node = { name: string; type: string; parameters: { content?: string } };
	const list = demo.examples() as Array<Example & { workflow: { nodes: Node[] } }>;

	test('every example is named "N. …", numbered 1 to N without gaps, and listed in that order', () => {
		expect(list.map((e) => /^(\d+)\. \S/.exec(e.workflow.name)?.[1])).toEqual(list.map((_e, i) => String(i + 1)));
	});

	test('every example carries a sticky note with its name, what it does and what to set', () => {
		for (const { file, workflow } of list) {
			const notes = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => n.parameters.content ?? '');
			const mine = notes.find((c) => c.startsWith(`## ${workflow.name}\n`));
			expect({ file, note: mine !== undefined }).toEqual({ file, note: true });
			// "## name", what it does, then what to set
			expect({ file, parts: (mine ?? '').split('\n\n').map((part, i) => (i === 2 ? part.slice(0, 9) : i)) }).toEqual({ file, parts: [0, 1, '**Set:** '] });
		}
	});

	test('examples/README.md lists them in the same order, under their numbered names', () => {
		const readme = fs.readFileSync(path.join(examplesDir, 'README.md'), 'utf8');
		const rows = [...readme.matchAll(/^\| (\d+)\. ([^|]+?) \| `([^`]+\.json)` \|/gm)].map((m) => [`${m[1]}. ${m[2]}`, m[3]]);
		expect(rows).toEqual(list.map((e) => [e.workflow.name, e.file]));
	});
});

test('the notes come from the workflow: other credentials, queue mode, data tables, triggers', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-examples-'));
	try {
		const node = (type: string, credentials?: Record<string, unknown>) => ({ type, credentials });
		fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ name: 'Plain', nodes: [node('n8n-nodes-base.manualTrigger'), node('n8n-nodes-rbm.rbmSendMessage', { rbmApi: {} })] }));
		fs.writeFileSync(
			path.join(dir, 'b.json'),
			JSON.stringify({ name: 'Agent', nodes: [node('n8n-nodes-base.webhook'), node('@n8n/n8n-nodes-langchain.lmChatOpenAi', { openAiApi: {} }), node('n8n-nodes-rbm.rbmSendMessageTool', { rbmApi: {} })] }),
		);
		fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ name: 'Chunks (queue mode)', nodes: [node('n8n-nodes-base.dataTable'), node('n8n-nodes-rbm.rbmTrigger')] }));
		fs.writeFileSync(path.join(dir, 'README.md'), '# not a workflow');
		const list = demo.examples(dir);
		expect(list.map((e) => [e.file, e.notes])).toEqual([
			['a.json', []],
			['b.json', ['needs your own openAiApi credential (add it in the editor)', 'activate it to receive calls']],
			['c.json', ["built for n8n's queue mode (docs/queue-mode.md)", 'keeps its state in an n8n data table', 'activate it to receive calls']],
		]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
