/** The notices under a node's output (n8n execution hints), from real runs against the emulator. */
import type { EmulatorFixture } from '../helpers/emulator';
import { emulatorWithCredential, textParams } from '../helpers/emulator';
import { runNode } from '../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => fx.emulator.reset());
afterAll(async () => fx.emulator.close());

const ALREADY = /had been sent before with the same ids/;
const UNCONNECTED = /connected to nothing/;
const messages = (hints: Array<{ message: string }>) => hints.map((h) => h.message);

describe('"already sent" notice', () => {
	const items = [{ phone: '+16505550001' }, { phone: '+16505550002' }, { phone: '+16505550003' }];
	const parameters = textParams({ options: { idempotencyKey: '=spring-{{ $json.phone }}' } });

	test('a first run says nothing; running the campaign again says how many were not sent again and why', async () => {
		const first = await runNode({ items, parameters, credentials: fx.credentials });
		expect(first.outputs[0]).toHaveLength(3);
		expect(messages(first.hints).filter((m) => ALREADY.test(m))).toEqual([]);

		const again = await runNode({ items, parameters, credentials: fx.credentials });
		const notice = messages(again.hints).filter((m) => ALREADY.test(m));
		expect(notice).toEqual([expect.stringMatching(/^3 of 3 messages had been sent before with the same ids: not sent again/)]);
		expect(notice[0]).toContain('Idempotency Key');
		expect(again.hints.find((h) => ALREADY.test(h.message))).toMatchObject({ location: 'outputPane' });
		expect(fx.emulator.stats().accepted).toBe(3);
	});

	test('counts only the items RBM already had', async () => {
		await runNode({ items: items.slice(0, 1), parameters, credentials: fx.credentials });
		const again = await runNode({ items, parameters, credentials: fx.credentials });
		expect(messages(again.hints).filter((m) => ALREADY.test(m))).toEqual([expect.stringMatching(/^1 of 3 messages had been sent/)]);
	});

	test('read receipts sent twice speak of events', async () => {
		const params = { resource: 'event', operation: 'markRead', phoneNumber: '={{ $json.phone }}', agentId: 'test-agent', messageId: 'm-1', options: { idempotencyKey: 'read-m-1' } };
		await runNode({ type: 'n8n-nodes-rbm.rbmToolbox', items: items.slice(0, 1), parameters: params, credentials: fx.credentials });
		const again = await runNode({ type: 'n8n-nodes-rbm.rbmToolbox', items: items.slice(0, 1), parameters: params, credentials: fx.credentials });
		expect(messages(again.hints)).toEqual([expect.stringMatching(/^1 of 1 event had been sent before/)]);
	});
});

describe('"Not Reachable is connected to nothing" notice', () => {
	const items = [{ phone: '+16505550001' }, { phone: '+16505550404' }];

	test('shown when unreachable phones come out of an unconnected Not Reachable output', async () => {
		const r = await runNode({ items, parameters: textParams(), credentials: fx.credentials });
		expect(r.outputs[1]).toHaveLength(1);
		expect(messages(r.hints).filter((m) => UNCONNECTED.test(m))).toEqual([expect.stringMatching(/^1 phone cannot be reached over RCS/)]);
		expect(r.hints.find((h) => UNCONNECTED.test(h.message))).toMatchObject({ type: 'warning', location: 'outputPane' });
	});

	test('not shown when an SMS node is connected to Not Reachable', async () => {
		const r = await runNode({ items, parameters: textParams(), credentials: fx.credentials, connectOutputs: [1] });
		expect(r.outputs[1]).toHaveLength(1);
		expect(messages(r.hints).filter((m) => UNCONNECTED.test(m))).toEqual([]);
	});

	test('shown when only Sent is connected', async () => {
		const r = await runNode({ items, parameters: textParams(), credentials: fx.credentials, connectOutputs: [0] });
		expect(messages(r.hints).filter((m) => UNCONNECTED.test(m))).toHaveLength(1);
	});

	test('not shown when every phone was reachable', async () => {
		const r = await runNode({ items: items.slice(0, 1), parameters: textParams(), credentials: fx.credentials });
		expect(r.hints).toEqual([]);
	});
});
