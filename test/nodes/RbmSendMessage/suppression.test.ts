/**
 * Options › Skip (Suppressed) and Options › Campaign ID in n8n's engine against the emulator
 * (docs/send-message.md › Suppression, › Campaign report): a suppressed person gets nothing (no request
 * for their phone reaches the emulator), comes out of "Sent" marked suppressed, never out of Not
 * Reachable; every item that comes out carries the campaign id.
 */
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => fx.emulator.reset());
afterAll(async () => fx.emulator.close());

const suppressing = (options: Record<string, unknown> = {}) => textParams({ options: { suppress: '={{ $json.optedOut }}', campaignId: 'spring-2026', ...options } });

const items = [
	{ phone: '+1 650 555 0101', name: 'Ada', optedOut: false },
	{ phone: '+1 650 555 0102', name: 'Bea', optedOut: true },
	{ phone: '+1 650 555 0404', name: 'Cy' }, // unreachable, not opted out (no field: the lookup found nothing)
	{ phone: '+1 650 555 1404', name: 'Di', optedOut: true }, // unreachable AND opted out: must not reach the SMS output
];

test('suppressed people get nothing and come out of "Sent" marked suppressed, paired, never out of Not Reachable; every item has the campaign id', async () => {
	const r = await runNode({ items, parameters: suppressing(), credentials: fx.credentials, connectOutputs: [1] });
	expect(r.error).toBeUndefined();
	expect(r.outputs).toHaveLength(2);
	const [sent, unreachable] = r.outputs;
	expect(sent.map((i) => [i.json.phoneNumber, i.json.suppressed ?? null, i.pairedItem])).toEqual([
		['+16505550101', null, { item: 0 }],
		['+16505550102', true, { item: 1 }],
		['+16505551404', true, { item: 3 }],
	]);
	expect(sent[1].json).toEqual({ phone: '+1 650 555 0102', name: 'Bea', optedOut: true, phoneNumber: '+16505550102', agentId: 'welcome-bot', campaignId: 'spring-2026', sent: false, suppressed: true });
	expect(sent[0].json).toMatchObject({ campaignId: 'spring-2026', messageId: expect.any(String), contentMessage: { text: 'Hello Ada' } });
	expect(sent[0].json.suppressed).toBeUndefined();
	expect(unreachable.map((i) => [i.json.phoneNumber, i.json.campaignId, i.pairedItem])).toEqual([['+16505550404', 'spring-2026', { item: 2 }]]);

	// The emulator saw only the two phones that were not suppressed.
	const stats = fx.emulator.stats();
	expect(stats.accepted).toBe(1);
	expect(stats.notFound).toBe(1);
	expect(Object.values(stats.messages).map((m) => m.phoneNumber)).toEqual(['+16505550101']);
	expect(stats.requests['agentMessages.create']).toBe(2);

	expect(r.hints).toContainEqual(
		expect.objectContaining({ type: 'info', message: '2 suppressed: not sent, because Options › Skip (Suppressed) was true for them. They came out of "Sent" marked "suppressed": true and "sent": false.' }),
	);
});

test('a suppressed item needs no valid message: its content is never built', async () => {
	const long = await runNode({ items: [{ phone: '+1 650 555 0102', optedOut: true }], parameters: { ...suppressing(), text: 'x'.repeat(4000) }, credentials: fx.credentials });
	expect(long.error).toBeUndefined();
	expect(long.outputs[0][0].json.suppressed).toBe(true);
	expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
});

test('Campaign ID reaches "Deferred" too; without the options the items are as before', async () => {
	const deferred = await runNode({
		items: [{ phone: '+1 650 555 0101', name: 'Ada' }],
		parameters: textParams({ options: { campaignId: '={{ "c-" + $json.name }}', sendWindow: { window: { from: '00:00', to: '00:01', days: 'chosenDays', chosenDays: ['monday'] } } } }),
		credentials: fx.credentials,
	});
	// Monday 00:00–00:01 in Los Angeles: closed at any minute but that one.
	expect(deferred.outputs[2][0].json).toMatchObject({ campaignId: 'c-Ada', timeZone: 'America/Los_Angeles' });

	const plain = await runNode({ items: [{ phone: '+1 650 555 0101', name: 'Ada' }], parameters: textParams(), credentials: fx.credentials });
	expect(plain.outputs[0][0].json.campaignId).toBeUndefined();
	expect(plain.outputs[0][0].json.suppressed).toBeUndefined();
	expect(plain.hints.filter((h) => /suppressed/.test(h.message))).toEqual([]);
});

test('suppression comes first: a suppressed contact with a malformed phone, agent or message is skipped, not an error', async () => {
	const rows = [
		{ phone: 'call me maybe', name: 'Ada', optedOut: true },
		{ phone: '', name: 'Bea', optedOut: 'TRUE' },
		{ phone: '+1 650 555 0103', name: 'Cy', optedOut: true, agent: 'not an agent!' },
		{ phone: '+1 650 555 0104', name: 'Di', optedOut: false, agent: 'welcome-bot' },
	];
	const parameters = { ...suppressing({ sendWindow: { window: { from: '={{ $json.from }}' } } }), agentId: '={{ $json.agent || "welcome-bot" }}', text: '={{ $json.name === "Di" ? "Hi" : "x".repeat(4000) }}' };
	// Continue On Fail off: any error would fail the node.
	const r = await runNode({ items: rows.map((row, k) => ({ ...row, from: k < 3 ? 'never' : '00:00' })), parameters, credentials: fx.credentials });
	expect(r.error).toBeUndefined();
	const [sent, unreachable, deferred] = r.outputs;
	expect(sent.map((i) => [i.json.suppressed ?? null, i.pairedItem])).toEqual([
		[true, { item: 0 }],
		[true, { item: 1 }],
		[true, { item: 2 }],
		[null, { item: 3 }],
	]);
	expect(unreachable).toEqual([]);
	expect(deferred).toEqual([]);
	// The phone and agent as given where they cannot be read as E.164 / an agent id: nothing was checked.
	expect(sent[0].json).toMatchObject({ phoneNumber: 'call me maybe', agentId: 'welcome-bot', campaignId: 'spring-2026', sent: false, suppressed: true });
	expect(sent[1].json).toMatchObject({ phoneNumber: '', sent: false, suppressed: true });
	expect(sent[2].json).toMatchObject({ phoneNumber: '+16505550103', agentId: 'not an agent!', sent: false, suppressed: true });
	expect(Object.values(fx.emulator.stats().messages).map((m) => m.phoneNumber)).toEqual(['+16505550104']);
	expect(fx.emulator.stats().requests['agentMessages.create']).toBe(1);
});

describe('Skip (Suppressed) from a spreadsheet: true / false as text in any letter case', () => {
	test.each([
		[true, true],
		['true', true],
		['TRUE', true],
		['True', true],
		[' true ', true],
		['\ttrue\n', true],
		[false, false],
		['false', false],
		['FALSE', false],
		['False', false],
		[' false ', false],
		['', false],
		[' ', false],
		[null, false],
	])('%j → suppressed: %s', async (value, suppressed) => {
		const r = await runNode({ items: [{ phone: '+1 650 555 0101', name: 'Ada', optedOut: value }], parameters: suppressing(), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(r.outputs[0][0].json.suppressed ?? false).toBe(suppressed);
		expect(fx.emulator.stats().accepted).toBe(suppressed ? 0 : 1);
	});

	test.each([
		['yes', '"yes"'],
		['TRUEE', '"TRUEE"'],
		['1', '"1"'],
		[1, '1'],
		[0, '0'],
		[['true'], '["true"]'],
		[{ value: true }, '{"value":true}'],
	])('%j is an error that says what it got, naming the row and the field', async (value, shown) => {
		const rows = [{ phone: '+1 650 555 0101', name: 'Ada', optedOut: false }, { phone: '+1 650 555 0102', name: 'Bea', optedOut: value }];
		const r = await runNode({ items: rows, parameters: suppressing(), credentials: fx.credentials });
		expect(r.error?.message).toBe(`Contact 2: Options › Skip (Suppressed) is ${shown}; it must be true or false (a boolean, or the text true/false in any letter case), e.g. {{ $json.optedOut }}`);
		expect(r.error?.description).toContain('Field: options.suppress');
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});
});

test('a value that is not true or false is an error naming the item and the field, nothing sent', async () => {
	const r = await runNode({ items: [{ phone: '+1 650 555 0101', optedOut: 'yes' }], parameters: suppressing(), credentials: fx.credentials });
	expect(r.error?.message).toBe('Contact 1: Options › Skip (Suppressed) is "yes"; it must be true or false (a boolean, or the text true/false in any letter case), e.g. {{ $json.optedOut }}');
	expect(r.error?.description).toContain('Field: options.suppress');
	expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
});

test('as an AI-agent tool the model is told the person is suppressed', async () => {
	const r = await runNode({ type: 'n8n-nodes-rbm.rbmSendMessageTool', items: [{ phone: '+1 650 555 0102', optedOut: true }], parameters: suppressing(), credentials: fx.credentials });
	expect(r.outputs[0][0].json).toMatchObject({ sent: false, suppressed: true, hint: expect.stringMatching(/^Not sent: this person is suppressed/) });
});
