/**
 * The nodes in their AI-agent tool form (type name + "Tool", as n8n derives it from usableAsTool):
 * one output the agent reads, unreachable phones on it with `reachable: false` and a hint, in input
 * order; the plain nodes keep their two outputs. Against the emulator, in n8n-core's engine.
 */
import { NOT_REACHABLE_HINT } from '../../nodes/shared/agentTool';
import { NOT_REACHABLE_REASON } from '../../nodes/shared/operation';
import type { EmulatorFixture } from '../helpers/emulator';
import { emulatorWithCredential, textParams } from '../helpers/emulator';
import { runNode } from '../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => fx.emulator.reset());
afterAll(async () => fx.emulator.close());

const contacts = [{ phone: '+16505550001' }, { phone: '+16505550404' }, { phone: '+16505550002' }];

describe('RBM Send Message as a tool', () => {
	test('answers with one output: sent messages and the unreachable phone, in input order, the unreachable one saying so', async () => {
		const r = await runNode({ type: 'n8n-nodes-rbm.rbmSendMessageTool', items: contacts, parameters: textParams(), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(r.outputs).toHaveLength(1);
		const [answer] = r.outputs;
		expect(answer.map((i) => [i.json.phoneNumber, i.pairedItem])).toEqual([
			['+16505550001', { item: 0 }],
			['+16505550404', { item: 1 }],
			['+16505550002', { item: 2 }],
		]);
		expect(answer[1].json).toEqual({
			phoneNumber: '+16505550404',
			agentId: 'welcome-bot',
			messageId: expect.any(String),
			reason: NOT_REACHABLE_REASON,
			error: { code: 404, status: 'NOT_FOUND', message: expect.any(String) },
			reachable: false,
			hint: NOT_REACHABLE_HINT,
		});
		for (const sent of [answer[0], answer[2]]) {
			expect(sent.json.name).toBe(`phones/${sent.json.phoneNumber}/agentMessages/${sent.json.messageId}`);
			expect(sent.json).not.toHaveProperty('reachable');
		}
		expect(fx.emulator.stats()).toMatchObject({ accepted: 2, notFound: 1 });
	});

	test('the node outside an agent keeps "Sent" and "Not Reachable" apart, without the hint', async () => {
		const r = await runNode({ items: contacts, parameters: textParams(), credentials: fx.credentials });
		const [sent, unreachable] = r.outputs;
		expect(sent.map((i) => i.json.phoneNumber)).toEqual(['+16505550001', '+16505550002']);
		expect(unreachable.map((i) => i.json.phoneNumber)).toEqual(['+16505550404']);
		expect(unreachable[0].json).not.toHaveProperty('hint');
	});

	test('an error (a phone the model made up) comes back as n8n throws it: naming the item and the field', async () => {
		const r = await runNode({ type: 'n8n-nodes-rbm.rbmSendMessageTool', items: [{ phone: 'call me' }], parameters: textParams(), credentials: fx.credentials });
		expect(r.error?.message).toMatch(/^Contact 1: Phone Number "call me"/);
		expect(fx.emulator.stats().accepted).toBe(0);
	});
});

describe('RBM (toolbox) as a tool', () => {
	test('Capability › Check: reachable and unreachable phones in one output, in input order', async () => {
		const r = await runNode({
			type: 'n8n-nodes-rbm.rbmToolboxTool',
			items: contacts,
			parameters: { resource: 'capability', operation: 'check', agentId: 'welcome-bot', phoneNumber: '={{ $json.phone }}' },
			credentials: fx.credentials,
		});
		expect(r.outputs).toHaveLength(1);
		expect(r.outputs[0].map((i) => [i.json.phoneNumber, i.json.reachable, i.json.hint])).toEqual([
			['+16505550001', true, undefined],
			['+16505550404', false, NOT_REACHABLE_HINT],
			['+16505550002', true, undefined],
		]);
	});

	test('Capability › Check Many, one item per phone (the legacy type rbm as a tool): one output, each phone after the one before it', async () => {
		const r = await runNode({
			type: 'n8n-nodes-rbm.rbmTool',
			items: contacts,
			parameters: { resource: 'capability', operation: 'checkBulk', agentId: 'welcome-bot', bulkSource: 'items', phoneNumber: '={{ $json.phone }}', outputMode: 'perPhone' },
			credentials: fx.credentials,
		});
		expect(r.error).toBeUndefined();
		expect(r.outputs).toHaveLength(1);
		expect(r.outputs[0].map((i) => [i.json.phoneNumber, i.json.reachable, i.pairedItem])).toEqual([
			['+16505550001', true, { item: 0 }],
			['+16505550404', false, { item: 1 }],
			['+16505550002', true, { item: 2 }],
		]);
	});
});
