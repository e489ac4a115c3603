/**
 * Conformance of the example workflows: every RBM node of every file in examples/ runs with its
 * exact parameters and settings (the nodes before it are stood in for by items with the fields
 * their expressions read), and every request it sends is checked against the RBM v1 schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import type { NodeSettings } from '../helpers/workflow';
import type { Harness } from './conformance';
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
	}));
}

/** The node an expression like $('Contacts').item reads from, if any. */
function referencedNode(node: ExampleNode): string | undefined {
	return /\$\('([^']+)'\)/.exec(JSON.stringify(node.parameters))?.[1];
}

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
		expectConformant(requests);
	});
});
