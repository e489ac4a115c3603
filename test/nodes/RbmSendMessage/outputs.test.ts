/**
 * The shape of RBM Send Message's items (docs/send-message.md › Outputs, nodes/RbmSendMessage/actions/message/output.ts):
 * phoneNumber, sendStatus and messageId first, the contact's fields kept, RBM's answer under
 * `agentMessage` (never over a contact's field), the content only with Include Message Content, a
 * plain `reason` on Not Reachable items; version 1 nodes without the options keep version 1's shape;
 * as an AI-agent tool the items stay small. In n8n's engine against the emulator.
 */
import { EMULATOR_CARRIER } from '../../../emulator/billing';
import { NOT_LAUNCHED_REASON, NOT_REACHABLE_REASON } from '../../../nodes/shared/operation';
import { NOT_REACHABLE_HINT } from '../../../nodes/shared/agentTool';
import { startApiStub } from '../../helpers/apiStub';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { hh, wallClock } from '../../helpers/wallClock';
import { itemError, runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => {
	fx.emulator.reset();
	fx.emulator.configure({ faults: {}, duplicateMode: 'conflict' });
});
afterAll(async () => fx.emulator.close());

/** Contacts as a sheet gives them: a `name`, a `status` of their own, and a phone written the local way. */
const ADA = { name: 'Ada Lovelace', phone: '+1 (650) 555-0101', status: 'gold customer', email: 'ada@example.com' };
const ALAN = { name: 'Alan Turing', phone: '+16505550404', status: 'lead', email: 'alan@example.com' };
/** The emulator answers US numbers (+1) with the billing fields Google adds for them (emulator/billing.ts). */
const US_BILLING = { richMessageClassification: { classificationType: 'RICH_MESSAGE', segmentCount: 1 }, carrier: EMULATOR_CARRIER, totalPayloadSizeBytes: '0' };
const RESOURCE = /^phones\/\+16505550101\/agentMessages\/[0-9a-f-]{36}$/;

describe('version 2 (and version 1 with Options › Include Input Fields)', () => {
	test.each([
		['version 2', 2, {}],
		['version 1 with Include Input Fields', 1, { includeInputFields: true }],
	])('%s: a Sent item keeps the contact (its name is the contact\'s, not RBM\'s resource name), phone, status and id first', async (_label, typeVersion, options) => {
		const r = await runNode({ typeVersion, items: [ADA], parameters: textParams({ options: { ...options, campaignId: 'spring' } }), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		const [sent] = r.outputs;
		expect(sent).toHaveLength(1);
		const { json } = sent[0];
		expect(json.name).toBe('Ada Lovelace');
		expect(json.status).toBe('gold customer');
		expect(Object.keys(json)).toEqual(['phoneNumber', 'sendStatus', 'messageId', 'name', 'phone', 'status', 'email', 'agentId', 'campaignId', 'agentMessage']);
		expect(json).toEqual({
			phoneNumber: '+16505550101',
			sendStatus: 'sent',
			messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			...ADA,
			agentId: 'welcome-bot',
			campaignId: 'spring',
			agentMessage: { name: expect.stringMatching(RESOURCE), sendTime: expect.any(String), ...US_BILLING },
		});
		expect((json.agentMessage as { name: string }).name).toBe(`phones/+16505550101/agentMessages/${String(json.messageId)}`);
		expect(sent[0].pairedItem).toEqual({ item: 0 });
	});

	test('a Not Reachable item keeps the contact and says why in plain words, next to Google\'s error', async () => {
		const r = await runNode({ typeVersion: 2, items: [ADA, ALAN], parameters: textParams(), credentials: fx.credentials });
		const [sent, unreachable] = r.outputs;
		expect(sent.map((i) => i.json.name)).toEqual(['Ada Lovelace']);
		expect(unreachable).toHaveLength(1);
		expect(Object.keys(unreachable[0].json)).toEqual(['phoneNumber', 'sendStatus', 'messageId', 'name', 'phone', 'status', 'email', 'agentId', 'reason', 'error']);
		expect(unreachable[0].json).toEqual({
			phoneNumber: '+16505550404',
			sendStatus: 'notReachable',
			messageId: expect.any(String),
			...ALAN,
			agentId: 'welcome-bot',
			reason: NOT_REACHABLE_REASON,
			error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.' },
		});
		expect(NOT_REACHABLE_REASON).toMatch(/no RCS.*not launched on its carrier.*test phones/);
		expect(unreachable[0].pairedItem).toEqual({ item: 1 });
	});

	test('the content RBM accepted comes only with Include Message Content, under agentMessage', async () => {
		const plain = await runNode({ typeVersion: 2, items: [ADA], parameters: textParams(), credentials: fx.credentials });
		expect(plain.outputs[0][0].json).not.toHaveProperty('contentMessage');
		expect(plain.outputs[0][0].json.agentMessage).not.toHaveProperty('contentMessage');
		const asked = await runNode({ typeVersion: 2, items: [ADA], parameters: textParams({ options: { includeMessageContent: true } }), credentials: fx.credentials });
		expect(asked.outputs[0][0].json).not.toHaveProperty('contentMessage');
		expect(asked.outputs[0][0].json.agentMessage).toMatchObject({ name: expect.stringMatching(RESOURCE), contentMessage: { text: 'Hello Ada Lovelace' } });
		expect(asked.outputs[0][0].json.name).toBe('Ada Lovelace');
	});

	test('every field RBM adds (and may add later) stays under agentMessage, none over the contact', async () => {
		const answer = { name: 'phones/+16505550101/agentMessages/m1', sendTime: '2026-11-30T10:00:00.123456Z', contentMessage: { text: 'x' }, carrier: 'T-Mobile', someFieldGoogleAddsLater: { nested: [1] } };
		const stub = await startApiStub(() => ({ status: 200, body: answer }));
		try {
			const contact = { ...ADA, carrier: 'my own carrier column', sendTime: 'tomorrow' };
			const r = await runNode({ typeVersion: 2, items: [contact], parameters: textParams(), credentials: { ...fx.credentials, baseUrl: stub.url } });
			const { json } = r.outputs[0][0];
			expect(json).toMatchObject({ name: 'Ada Lovelace', carrier: 'my own carrier column', sendTime: 'tomorrow' });
			const { contentMessage: _content, ...withoutContent } = answer;
			expect(json.agentMessage).toEqual(withoutContent);
		} finally {
			await stub.close();
		}
	});

	test('Include Input Fields off: only what the node did', async () => {
		const r = await runNode({ typeVersion: 2, items: [ADA, ALAN], parameters: textParams({ options: { includeInputFields: false } }), credentials: fx.credentials });
		const [sent, unreachable] = r.outputs;
		expect(Object.keys(sent[0].json)).toEqual(['phoneNumber', 'sendStatus', 'messageId', 'agentId', 'agentMessage']);
		expect(Object.keys(unreachable[0].json)).toEqual(['phoneNumber', 'sendStatus', 'messageId', 'agentId', 'reason', 'error']);
	});

	test('a message RBM already has (409): sent, flagged, its name under agentMessage', async () => {
		const parameters = textParams();
		await runNode({ typeVersion: 2, items: [ADA], parameters, credentials: fx.credentials, executionId: 'exec-outputs-409' });
		const again = await runNode({ typeVersion: 2, items: [ADA], parameters, credentials: fx.credentials, executionId: 'exec-outputs-409' });
		const { json } = again.outputs[0][0];
		expect(json).toMatchObject({ phoneNumber: '+16505550101', sendStatus: 'sent', name: 'Ada Lovelace', alreadyAccepted: true, agentMessage: { name: `phones/+16505550101/agentMessages/${String(json.messageId)}` } });
	});

	test('suppressed and deferred items lead with the phone and their status, and keep the contact', async () => {
		const suppressed = await runNode({ typeVersion: 2, items: [{ ...ADA, optedOut: true }], parameters: textParams({ options: { suppress: '={{ $json.optedOut }}' } }), credentials: fx.credentials });
		expect(Object.keys(suppressed.outputs[0][0].json)).toEqual(['phoneNumber', 'sendStatus', 'name', 'phone', 'status', 'email', 'optedOut', 'agentId', 'sent', 'suppressed']);
		expect(suppressed.outputs[0][0].json).toMatchObject({ phoneNumber: '+16505550101', sendStatus: 'suppressed', name: 'Ada Lovelace', sent: false, suppressed: true });

		const { hour } = wallClock('America/Los_Angeles');
		const window = hour <= 21 ? { from: hh(hour + 2), to: hh(hour + 3) } : { from: hh(hour - 3), to: hh(hour - 2) };
		// Include Input Fields off: a deferred item keeps them anyway, to loop back into the node.
		const deferred = await runNode({ typeVersion: 2, items: [ADA], parameters: textParams({ options: { includeInputFields: false, sendWindow: { window } } }), credentials: fx.credentials });
		const [item] = deferred.outputs[2];
		expect(Object.keys(item.json).slice(0, 7)).toEqual(['phoneNumber', 'sendStatus', 'name', 'phone', 'status', 'email', 'agentId']);
		expect(item.json).toMatchObject({ sendStatus: 'deferred', name: 'Ada Lovelace', deferredUntil: expect.any(String) });
		expect(fx.emulator.stats().accepted).toBe(0);
	});

	test('an error item (Continue) leads with the phone too and keeps the contact', async () => {
		const r = await runNode({
			typeVersion: 2,
			items: [{ ...ADA, text: 'x'.repeat(3073) }],
			parameters: textParams({ text: '={{ $json.text }}' }),
			credentials: fx.credentials,
			settings: { onError: 'continueRegularOutput' },
		});
		const [item] = r.outputs[0];
		expect(itemError(item)?.message).toMatch(/3073/);
		expect(Object.keys(item.json)[0]).toBe('phoneNumber');
		expect(item.json).toMatchObject({ phoneNumber: '+16505550101', name: 'Ada Lovelace', status: 'gold customer' });
	});

	test('as an AI-agent tool: no input fields and no content, unless asked for', async () => {
		const r = await runNode({ type: 'n8n-nodes-rbm.rbmSendMessageTool', typeVersion: 2, items: [ADA, ALAN], parameters: textParams(), credentials: fx.credentials });
		const [answer] = r.outputs;
		expect(answer[0].json).toEqual({ phoneNumber: '+16505550101', sendStatus: 'sent', messageId: expect.any(String), agentId: 'welcome-bot', agentMessage: { name: expect.stringMatching(RESOURCE), sendTime: expect.any(String), ...US_BILLING } });
		expect(answer[1].json).toEqual({
			phoneNumber: '+16505550404',
			sendStatus: 'notReachable',
			messageId: expect.any(String),
			agentId: 'welcome-bot',
			reason: NOT_REACHABLE_REASON,
			error: expect.objectContaining({ code: 404 }),
			reachable: false,
			hint: NOT_REACHABLE_HINT,
		});
		const asked = await runNode({ type: 'n8n-nodes-rbm.rbmSendMessageTool', typeVersion: 2, items: [ADA], parameters: textParams({ options: { includeInputFields: true } }), credentials: fx.credentials });
		expect(asked.outputs[0][0].json.name).toBe('Ada Lovelace');
	});
});

describe('version 1 without the options: as saved workflows expect it', () => {
	test('RBM\'s answer at the top level, the request\'s fields over it, no input fields on Sent; Not Reachable gains only `reason`', async () => {
		const r = await runNode({ items: [ADA, ALAN], parameters: textParams(), credentials: fx.credentials });
		const [sent, unreachable] = r.outputs;
		expect(sent[0].json).toEqual({
			name: expect.stringMatching(RESOURCE),
			sendTime: expect.any(String),
			contentMessage: { text: 'Hello Ada Lovelace' },
			...US_BILLING,
			messageId: expect.any(String),
			phoneNumber: '+16505550101',
			agentId: 'welcome-bot',
		});
		expect(unreachable[0].json).toEqual({ messageId: expect.any(String), phoneNumber: '+16505550404', agentId: 'welcome-bot', reason: NOT_REACHABLE_REASON, error: expect.objectContaining({ code: 404 }) });
		expect(unreachable[0].json.reason).toMatch(/^This phone cannot get RCS messages/);
	});

	test('Include Message Content alone also switches a version 1 node to the new shape', async () => {
		const r = await runNode({ items: [ADA], parameters: textParams({ options: { includeMessageContent: false } }), credentials: fx.credentials });
		expect(r.outputs[0][0].json).toMatchObject({ sendStatus: 'sent', name: 'Ada Lovelace', agentMessage: { name: expect.stringMatching(RESOURCE) } });
		expect(r.outputs[0][0].json.agentMessage).not.toHaveProperty('contentMessage');
	});
});

describe('US billing fields and an agent that is not launched (issue 26)', () => {
	test('a Sent item carries richMessageClassification (with segmentCount), carrier and totalPayloadSizeBytes when RBM returns them', async () => {
		const long = { ...ADA, note: 'x'.repeat(300) };
		const r = await runNode({ typeVersion: 2, items: [long, { ...long, phone: '+447700900123' }], parameters: textParams({ text: '={{ $json.note }}' }), credentials: fx.credentials });
		const [us, uk] = r.outputs[0];
		expect(us.json.agentMessage).toMatchObject({ richMessageClassification: { classificationType: 'RICH_MESSAGE', segmentCount: 2 }, carrier: EMULATOR_CARRIER, totalPayloadSizeBytes: '0' });
		// Outside the US RBM adds none of them, and the node adds nothing in their place.
		expect(uk.json.agentMessage).not.toHaveProperty('richMessageClassification');
		expect(uk.json.agentMessage).not.toHaveProperty('carrier');
	});

	test('a 403 for a phone that is not a tester of an unlaunched agent names that as the likely reason, without another call', async () => {
		fx.emulator.configure({ unlaunchedAgents: ['welcome-bot'], testers: ['^\\+16505550101$'] });
		try {
			const grace = { ...ADA, name: 'Grace', phone: '+16505550102' };
			const r = await runNode({ typeVersion: 2, items: [ADA, grace], parameters: textParams({ options: { concurrency: 1 } }), credentials: fx.credentials, settings: { onError: 'continueRegularOutput' } });
			const [sent, failed] = r.outputs[0];
			expect(sent.json.sendStatus).toBe('sent');
			expect(failed.json.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
			expect(String((failed.json.error as { message: string }).message)).toMatch(
				/^Contact 2: RBM send failed: 403 PERMISSION_DENIED: .*Likely reason: the agent is not launched for this phone .* not a tester that accepted the invitation$/,
			);
			expect(fx.emulator.stats().requests['agentMessages.create']).toBe(2);
		} finally {
			fx.emulator.configure({ unlaunchedAgents: [], testers: [] });
		}
	});

	test('a 403 saying the agent was not found names the Agent ID instead', async () => {
		const stub = await startApiStub(() => ({
			status: 403,
			body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'There was an error looking up the RBM agent (ID: null) that corresponds to the Google Cloud Platform (GCP) project you\'re authenticating with.' } },
		}));
		try {
			const r = await runNode({ typeVersion: 2, items: [ADA], parameters: textParams(), credentials: { ...fx.credentials, baseUrl: stub.url } });
			expect(r.error?.message).toMatch(/Likely reason: RBM cannot find the agent for this Agent ID and service account$/);
		} finally {
			await stub.close();
		}
	});

	test('a 404 whose details say the agent is not launched on the carrier says so in the Not Reachable reason', async () => {
		const stub = await startApiStub(() => ({
			status: 404,
			body: { error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'AGENT_NOT_LAUNCHED_ON_CARRIER' }] } },
		}));
		try {
			const r = await runNode({ typeVersion: 2, items: [ADA], parameters: textParams(), credentials: { ...fx.credentials, baseUrl: stub.url } });
			expect(r.outputs[1][0].json).toMatchObject({ sendStatus: 'notReachable', reason: NOT_LAUNCHED_REASON, error: { code: 404 } });
		} finally {
			await stub.close();
		}
	});
});
