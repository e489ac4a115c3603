/**
 * Conformance of the example workflows: every RBM node of every file in examples/ runs with its
 * exact parameters and settings (the nodes before it are stood in for by items with the fields
 * their expressions read), and every request it sends is checked against the RBM v1 schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import type { NodeSettings } from '../helpers/workflow';
import type { Checked, Harness } from './conformance';
import { conformanceHarness, expectConformant } from './conformance';

interface ExampleNode {
	name: string;
	type: string;
	parameters: IDataObject;
	onError?: NodeSettings['onError'];
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const RBM_TYPES = new Set(['n8n-nodes-rbm.rbmSendMessage', 'n8n-nodes-rbm.rbmToolbox', 'n8n-nodes-rbm.rbm']);
/** Examples that send nothing themselves: the queue-mode campaign's start + supervisor (its chunk workflow sends), the campaign report's events and summary workflows. */
const WITHOUT_RBM_NODES = new Set(['campaign-queue.json', 'campaign-events.json', 'campaign-summary.json']);
/** A node's AI-agent tool form (type + "Tool", docs/ai-agent-tool.md) sends what the node sends: checked as the node. */
const baseType = (type: string): string => (type.endsWith('Tool') && RBM_TYPES.has(type.slice(0, -'Tool'.length)) ? type.slice(0, -'Tool'.length) : type);

interface ExampleWorkflow {
	nodes: ExampleNode[];
	connections: Record<string, { main?: Array<Array<{ node: string }> | null> }>;
}

const workflows: Array<[string, ExampleWorkflow]> = readdirSync(EXAMPLES)
	.filter((f) => f.endsWith('.json'))
	.map((file) => [file, JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as ExampleWorkflow]);

/**
 * Every `$json.<field>` a node right after an RBM Send Message output reads, with the output it
 * follows: [file, send node, output index, next node, field].
 */
const readsAfterSend: Array<[string, string, number, string, string]> = workflows.flatMap(([file, workflow]) =>
	workflow.nodes
		.filter((n) => n.type === 'n8n-nodes-rbm.rbmSendMessage')
		.flatMap((send) =>
			(workflow.connections[send.name]?.main ?? []).flatMap((targets, output) =>
				(targets ?? []).flatMap(({ node }) => {
					const next = workflow.nodes.find((n) => n.name === node);
					const fields = new Set([...JSON.stringify(next?.parameters ?? {}).matchAll(/\$json\.(\w+)/g)].map((m) => m[1]));
					return [...fields].map((field): [string, string, number, string, string] => [file, send.name, output, node, field]);
				}),
			),
		),
);

const cases: Array<[string, string, ExampleNode]> = readdirSync(EXAMPLES)
	.filter((f) => f.endsWith('.json'))
	.flatMap((file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as { nodes: ExampleNode[] };
		return workflow.nodes.filter((n) => RBM_TYPES.has(baseType(n.type))).map((n): [string, string, ExampleNode] => [file, n.name, n]);
	});

/** Contacts in three regions, one unreachable, with every field the examples' expressions read. */
function itemsFor(node: ExampleNode): IDataObject[] {
	const type = typeof node.parameters.messageType === 'string' ? node.parameters.messageType : 'text';
	return ['+16505550201', '+447700900123', '+6591234567', '+16505550404'].map((phone, i) => ({
		name: ['Ada', 'Alan', 'Grace', 'Linus'][i],
		phone,
		phoneNumber: phone,
		campaignId: 'conformance',
		type,
		agentId: 'rbm-demo-agent@rbm.goog',
		messageId: `MsUserMessage${i}`,
		postbackData: i === 0 ? 'show_offers' : 'other',
		text: 'hello',
		// before-first-campaign.json sends its test message only to testers who accepted.
		accepted: true,
		inviteStatus: 'ACCEPTED',
	}));
}

/** The node an expression like $('Contacts').item reads from, if any. */
function referencedNode(node: ExampleNode): string | undefined {
	return /\$\('([^']+)'\)/.exec(JSON.stringify(node.parameters))?.[1];
}

/**
 * Requests the schema can judge: every RBM request, and Business Communications requests (the
 * Toolbox's Tester, Agent, Region and Analytics operations) once the schema has their methods.
 * Until then those are checked by the emulator's own endpoints, which answer a wrong path or body
 * with an error the run above would show (`result.error`).
 */
const inSchema = (r: Checked): boolean => r.method !== undefined || !/^\/businesscommunications\//.test(r.request.url);

let h: Harness;
beforeAll(async () => {
	h = await conformanceHarness();
});
afterAll(async () => h.close());

describe('conformance: the example workflows send only requests the RBM v1 schema accepts', () => {
	test('every example has RBM nodes to check', () => {
		const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
		expect(new Set(cases.map(([file]) => file))).toEqual(new Set(files.filter((f) => !WITHOUT_RBM_NODES.has(f))));
	});

	test.each(cases)('%s › %s', async (_file, _name, node) => {
		const { result, requests } = await h.run({
			type: baseType(node.type) as 'n8n-nodes-rbm.rbmSendMessage' | 'n8n-nodes-rbm.rbmToolbox' | 'n8n-nodes-rbm.rbm',
			parameters: node.parameters,
			items: itemsFor(node),
			itemsNodeName: referencedNode(node),
			settings: { onError: node.onError, retryOnFail: node.retryOnFail, maxTries: node.maxTries, waitBetweenTries: node.waitBetweenTries },
		});
		expect(result.error).toBeUndefined();
		expect(requests.length).toBeGreaterThan(0);
		expectConformant(requests.filter(inSchema));
	});
});

describe('the examples read fields RBM Send Message\'s items have (docs/send-message.md › Outputs)', () => {
	test('there are such reads (the campaign report\'s sendStatus, the SMS stand-ins\' name…)', () => {
		expect(readsAfterSend.map(([file, , , , field]) => `${file}: ${field}`)).toEqual(expect.arrayContaining(['campaign-report.json: sendStatus', 'campaign.json: name', 'campaign-report.json: messageId']));
	});

	test.each(readsAfterSend)('%s › %s output %d → %s reads $json.%s', async (file, sendName, output, _next, field) => {
		const send = cases.find(([f, name]) => f === file && name === sendName)?.[2];
		if (!send) throw new Error(`${file}: no node ${sendName}`);
		const { result } = await h.run({ parameters: send.parameters, items: itemsFor(send), itemsNodeName: referencedNode(send) });
		const items = result.outputs[output] ?? [];
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) expect(Object.keys(item.json)).toContain(field);
	});
});

describe('data tables two workflows may create at once', () => {
	// n8n's Data Table "Create If Not Exists" looks the table up, then creates it: when two workflows
	// (the queue campaign's start webhook and its supervisor; a campaign and the RBM Trigger's events
	// workflow) create the same table on a fresh n8n at once, the second create fails ("Workflow
	// execution failed", seen in test:queue). A retry a second later finds the table the other made.
	const creators = readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) => (JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as { nodes: ExampleNode[] }).nodes.map((node) => ({ file, node })))
		.filter(({ node }) => node.type === 'n8n-nodes-base.dataTable' && (node.parameters as { options?: { createIfNotExists?: boolean } }).options?.createIfNotExists === true);
	const byTable = new Map<string, Array<{ file: string; node: ExampleNode }>>();
	for (const creator of creators) {
		const table = String(creator.node.parameters.tableName);
		byTable.set(table, [...(byTable.get(table) ?? []), creator]);
	}
	const shared = [...byTable].filter(([, nodes]) => nodes.length > 1);

	test('the queue campaign\'s chunk table and the campaign report\'s tables are created from more than one place', () => {
		expect(shared.map(([table]) => table)).toEqual(expect.arrayContaining(['rbm_campaign_chunks', 'rbm_campaign_messages', 'rbm_campaign_events', 'rbm_opt_outs']));
	});

	test.each(shared)('%s: every node that creates it retries (3 tries, 1 s apart)', (_table, nodes) => {
		for (const { file, node } of nodes) {
			expect({ file, name: node.name, retryOnFail: node.retryOnFail, maxTries: node.maxTries, waitBetweenTries: node.waitBetweenTries }).toEqual({ file, name: node.name, retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 });
		}
	});
});
