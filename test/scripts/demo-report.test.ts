/**
 * The workflows `npm run demo`'s campaign report imports (scripts/demo-report.js): the examples as
 * they ship, started by Webhook nodes, with generated contacts. The run itself is `npm run demo`
 * (it checks the report against the emulator); the same pattern is proved in test/e2e/campaignReport.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Wf {
	id: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown>; webhookId?: string }>;
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const report = require('../../scripts/demo-report.js') as {
	reportWorkflows: (contacts: number, clientToken: string) => { workflows: Wf[]; webhookId: string; campaignPath: string; summaryPath: string };
};

const example = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', file), 'utf8')) as Wf;

test('the examples, each started by a webhook in front of its first node; the trigger signs with the demo token', () => {
	const { workflows, webhookId, campaignPath, summaryPath } = report.reportWorkflows(30, 'demo-token');
	const [events, campaign, summary] = workflows;
	expect(events.nodes).toEqual(
		example('campaign-events.json').nodes.map((n) => (n.name === 'RBM Trigger' ? { ...n, parameters: { ...n.parameters, clientToken: 'demo-token' } } : n)),
	);
	expect(webhookId).toBe('rbm-campaign-events');
	for (const [wf, file, first, p] of [
		[campaign, 'campaign-report.json', 'Contacts', campaignPath],
		[summary, 'campaign-summary.json', 'Messages table', summaryPath],
	] as const) {
		const hook = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
		expect(hook.parameters).toMatchObject({ path: p, responseMode: 'lastNode' });
		expect(wf.connections[hook.name].main[0]).toEqual([expect.objectContaining({ node: first })]);
		// Every other node is the example's (only Contacts' code differs).
		const shipped = example(file).nodes.filter((n) => n.name !== 'Contacts');
		expect(wf.nodes.filter((n) => n !== hook && n.name !== 'Contacts')).toEqual(shipped);
	}
});

test('generated contacts: one campaign id, distinct phones, every 10th not reachable (ends in 404)', () => {
	const { workflows } = report.reportWorkflows(250, 't');
	const code = workflows[1].nodes.find((n) => n.name === 'Contacts')!.parameters.jsCode as string;
	const items = new Function(code)() as Array<{ json: { phone: string; campaignId: string } }>;
	expect(items).toHaveLength(250);
	expect(new Set(items.map((i) => i.json.phone)).size).toBe(250);
	expect(new Set(items.map((i) => i.json.campaignId)).size).toBe(1);
	expect(items[0].json.campaignId).toMatch(/^demo-\d{8}-\d{6}$/);
	expect(items.filter((i) => i.json.phone.endsWith('0404'))).toHaveLength(25);
	expect(items.every((i) => /^\+1650\d{7}$/.test(i.json.phone))).toBe(true);
});
