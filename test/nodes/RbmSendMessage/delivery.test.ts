/** Exactly-once ids, the two outputs, retries, token use and order, against the emulator. */
import { NOT_REACHABLE_REASON } from '../../../nodes/shared/operation';
import { startApiStub } from '../../helpers/apiStub';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { expectNoSecrets } from '../../helpers/secrets';
import { runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => {
	fx.emulator.reset();
	fx.emulator.configure({ faults: {}, duplicateMode: 'conflict', rateLimitPerSecond: 0 });
});
afterAll(async () => fx.emulator.close());

const phones = (n: number, start = 1000) => Array.from({ length: n }, (_, i) => ({ phone: `+1650555${String(start + i).padStart(4, '0')}`, name: `P${i}` }));

describe('message ids: one per item, the same on every retry', () => {
	test('items get distinct v5 ids; the same execution run again reuses them and RBM reports them as already accepted', async () => {
		const items = phones(5);
		const first = await runNode({ items, parameters: textParams(), credentials: fx.credentials, executionId: 'exec-same' });
		const ids = first.outputs[0].map((i) => i.json.messageId);
		expect(new Set(ids).size).toBe(5);
		const again = await runNode({ items, parameters: textParams(), credentials: fx.credentials, executionId: 'exec-same' });
		expect(again.outputs[0].map((i) => i.json.messageId)).toEqual(ids);
		expect(again.outputs[0].every((i) => i.json.alreadyAccepted === true)).toBe(true);
		const stats = fx.emulator.stats();
		expect(stats.accepted).toBe(5);
		expect(stats.duplicates).toBe(5);
	});

	test('a new execution without an idempotency key gets new ids', async () => {
		const items = phones(2);
		const a = await runNode({ items, parameters: textParams(), credentials: fx.credentials });
		const b = await runNode({ items, parameters: textParams(), credentials: fx.credentials });
		expect(a.outputs[0][0].json.messageId).not.toEqual(b.outputs[0][0].json.messageId);
	});

	test('an idempotency key makes a re-run campaign send nothing twice', async () => {
		const items = phones(3).map((p) => ({ ...p, campaignId: 'spring-sale' }));
		const parameters = textParams({ options: { idempotencyKey: '={{ $json.campaignId }}-{{ $json.phone }}' } });
		const a = await runNode({ items, parameters, credentials: fx.credentials });
		const b = await runNode({ items, parameters, credentials: fx.credentials });
		expect(b.outputs[0].map((i) => i.json.messageId)).toEqual(a.outputs[0].map((i) => i.json.messageId));
		expect(b.outputs[0].every((i) => i.json.alreadyAccepted)).toBe(true);
		expect(fx.emulator.stats().accepted).toBe(3);
	});

	test('a UUID idempotency key is used as the message id', async () => {
		const id = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
		const r = await runNode({ items: phones(1), parameters: textParams({ options: { idempotencyKey: id } }), credentials: fx.credentials });
		expect(r.outputs[0][0].json.messageId).toBe(id);
		expect(fx.emulator.stats().messages[id].count).toBe(1);
	});

	test('"ok" duplicate mode (200 echo) also yields a Sent item', async () => {
		fx.emulator.configure({ duplicateMode: 'ok' });
		const items = phones(1);
		await runNode({ items, parameters: textParams(), credentials: fx.credentials, executionId: 'exec-ok' });
		const again = await runNode({ items, parameters: textParams(), credentials: fx.credentials, executionId: 'exec-ok' });
		expect(again.outputs[0]).toHaveLength(1);
		expect(fx.emulator.stats().accepted).toBe(1);
	});
});

describe('outputs', () => {
	test('404 goes to Not Reachable with the structured result, in input order, paired', async () => {
		const items = [{ phone: '+16505550001' }, { phone: '+16505550404' }, { phone: '+16505550002' }, { phone: '+442079460404' }];
		const r = await runNode({ items, parameters: textParams(), credentials: fx.credentials });
		const [sent, unreachable] = r.outputs;
		expect(sent.map((i) => [i.json.phoneNumber, i.pairedItem])).toEqual([
			['+16505550001', { item: 0 }],
			['+16505550002', { item: 2 }],
		]);
		expect(unreachable).toHaveLength(2);
		expect(unreachable[0].pairedItem).toEqual({ item: 1 });
		expect(unreachable[0].json).toEqual({
			phoneNumber: '+16505550404',
			agentId: 'welcome-bot',
			messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			reason: NOT_REACHABLE_REASON,
			error: { code: 404, status: 'NOT_FOUND', message: expect.any(String) },
		});
		expect(unreachable[1].pairedItem).toEqual({ item: 3 });
		expect(fx.emulator.stats().requests['agentMessages.create']).toBe(4); // 404 is never retried
	});

	test('parameters read the item: nested $json paths, missing values and full expressions', async () => {
		const items = [
			{ contact: { phone: '+16505550301', first: 'Ann' } },
			{ contact: { first: 'Bob' } },
			{ contact: 'not an object' },
		];
		const r = await runNode({
			items,
			parameters: textParams({ phoneNumber: '={{ $json.contact.phone }}', text: '={{ "Hi " + $json.contact.first }}' }),
			credentials: fx.credentials,
			settings: { onError: 'continueRegularOutput' },
		});
		expect(r.outputs[0].map((i) => (i.json.error as { message?: string } | undefined)?.message ?? i.json.contentMessage)).toEqual([
			{ text: 'Hi Ann' },
			expect.stringMatching(/^Contact 2: Phone Number is empty/),
			expect.stringMatching(/^Contact 3: Phone Number is empty/),
		]);
	});

	test('Sent passes RBM\'s answer through unchanged, newer AgentMessage fields included', async () => {
		const answer = {
			name: 'phones/+16505550123/agentMessages/m1',
			sendTime: '2026-11-30T10:00:00.123456Z',
			contentMessage: { text: 'Hello P0' },
			messageTrafficType: 'TRANSACTION',
			expireTime: '2026-12-01T10:00:00Z',
			richMessageClassification: { classificationType: 'RICH_MEDIA_MESSAGE', segmentCount: 1 },
			totalPayloadSizeBytes: '9007199254740993',
			carrier: 'T-Mobile',
			someFieldGoogleAddsLater: { nested: [1, 'two'] },
		};
		const stub = await startApiStub(() => ({ status: 200, body: answer }));
		try {
			const r = await runNode({ items: phones(1), parameters: textParams(), credentials: { ...fx.credentials, baseUrl: stub.url } });
			expect(r.error).toBeUndefined();
			const { messageId, ...rest } = r.outputs[0][0].json;
			expect(messageId).toEqual(expect.any(String));
			expect(rest).toEqual({ ...answer, phoneNumber: '+16505551000', agentId: 'welcome-bot' });
		} finally {
			await stub.close();
		}
	});

	test('the agent id may be given with its @rbm.goog suffix', async () => {
		const r = await runNode({ items: phones(1), parameters: textParams({ agentId: 'welcome-bot@rbm.goog' }), credentials: fx.credentials });
		expect(r.outputs[0][0].json.agentId).toBe('welcome-bot');
		expect(fx.emulator.stats().lastRequest['agentMessages.create'].query.agentId).toBe('welcome-bot');
	});
});

describe('retries: transient failures are retried with the same id, others are not', () => {
	test('429 with Retry-After is waited for, then the message goes through once', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['429', '429'], retryAfterSeconds: 1 } } });
		const started = Date.now();
		const r = await runNode({ items: phones(1), parameters: textParams(), credentials: fx.credentials });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
		expect(r.error).toBeUndefined();
		const stats = fx.emulator.stats();
		expect(stats.requests['agentMessages.create']).toBe(3);
		expect(stats.accepted).toBe(1);
		expect(Object.keys(stats.messages)).toEqual([r.outputs[0][0].json.messageId]);
	});

	test.each(['500', '502', '503', '504', 'reset', 'timeout'] as const)('%s is retried with the same id, then the message goes through once', async (kind) => {
		fx.emulator.configure({ timeoutMs: 5000, faults: { 'agentMessages.create': { script: [kind] } } });
		const r = await runNode({ items: phones(1), parameters: textParams({ options: { timeout: 1000 } }), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(r.outputs[0]).toHaveLength(1);
		const stats = fx.emulator.stats();
		expect(stats.requests['agentMessages.create']).toBe(2);
		expect(stats.faultsInjected[kind]).toBe(1);
		expect(stats.accepted).toBe(1);
		expect(stats.messages[r.outputs[0][0].json.messageId as string].count).toBe(1);
	});

	test('a response lost after RBM accepted the message: the retry is a duplicate, reported as already accepted', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['reset-after-accept'] } } });
		const r = await runNode({ items: phones(1), parameters: textParams(), credentials: fx.credentials });
		expect(r.outputs[0][0].json.alreadyAccepted).toBe(true);
		const stats = fx.emulator.stats();
		expect(stats.accepted).toBe(1);
		expect(stats.duplicates).toBe(1);
	});

	test('an unreadable 200 (HTML, empty, truncated JSON) is retried with the same id', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['garbage-html', 'empty-body', 'truncated-json'] } } });
		const r = await runNode({ items: phones(1), parameters: textParams(), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(fx.emulator.stats().messages[r.outputs[0][0].json.messageId as string].count).toBeGreaterThanOrEqual(1);
		expect(fx.emulator.stats().accepted).toBe(1);
	});

	test('a cancelled execution stops waiting for a long Retry-After', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['429'], retryAfterSeconds: 60 } } });
		const started = Date.now();
		await runNode({ items: phones(1), parameters: textParams(), credentials: fx.credentials, cancelAfterMs: 300 }).catch(() => undefined);
		expect(Date.now() - started).toBeLessThan(5000);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(fx.emulator.stats().requests['agentMessages.create']).toBe(1); // no retry after the cancel
	});

	test('when retries run out the error says what happened and what to do', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['503', '503'] } } });
		const r = await runNode({ items: phones(1), parameters: textParams({ options: { maxRetries: 1 } }), credentials: fx.credentials });
		expect(r.error?.message).toMatch(/RBM send failed: 503 UNAVAILABLE: .*after 2 attempts/);
		expect(r.error?.description).toMatch(/nothing is sent twice/);
	});

	test('403 is not retried and explains agent id, launch and testers', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['403'] } } });
		const r = await runNode({ items: phones(1), parameters: textParams(), credentials: fx.credentials });
		// A bare 403 on a send: the documented cause (an unlaunched agent, a phone that is not a tester) is named as likely.
		expect(r.error?.message).toBe('Contact 1: RBM send failed: 403 PERMISSION_DENIED: The caller does not have permission. Likely reason: the agent is not launched for this phone (its carrier or region) and the phone is not a tester that accepted the invitation');
		expect(r.error?.description).toMatch(/without "@rbm.goog".*tester/);
		expect(r.error?.httpCode).toBe('403');
		expect(r.error?.context?.itemIndex).toBe(0);
		expect(fx.emulator.stats().requests['agentMessages.create']).toBe(1);
	});

	test('400 from RBM is not retried and keeps Google\'s message; with Continue On Fail the other items go through', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['400'] } } });
		const r = await runNode({ items: phones(3), parameters: textParams({ options: { concurrency: 1 } }), credentials: fx.credentials, settings: { onError: 'continueRegularOutput' } });
		expect(r.error).toBeUndefined();
		const [failed, ...rest] = r.outputs[0];
		// The input's fields, the recipient, and the error with Google's status (docs/send-message.md › Errors and Continue On Fail).
		const recipient = { phoneNumber: '+16505551000', agentId: 'welcome-bot' };
		expect(failed.json).toEqual({
			phone: '+16505551000',
			name: 'P0',
			...recipient,
			error: {
				message: 'Contact 1: RBM send failed: 400 INVALID_ARGUMENT: Request contains an invalid argument.',
				description: expect.stringMatching(/phone may not support this feature/),
				itemIndex: 0,
				code: 400,
				status: 'INVALID_ARGUMENT',
			},
			details: recipient,
		});
		expect(failed.error).toBeUndefined();
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(rest.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(fx.emulator.stats().requests['agentMessages.create']).toBe(3);
		expect(fx.emulator.stats().accepted).toBe(2);
	});

	test('n8n "Retry On Fail" re-runs the node with the same ids: nothing is sent twice', async () => {
		// The first run: item 1 goes through, item 2 hits a reset with no retries left, so the node fails.
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['ok', 'reset'] } } });
		const r = await runNode({
			items: phones(2),
			parameters: textParams({ options: { concurrency: 1, maxRetries: 0 } }),
			credentials: fx.credentials,
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(r.error).toBeUndefined();
		const [first, second] = r.outputs[0];
		expect(first.json.alreadyAccepted).toBe(true); // sent by the first try, recognised on the second
		expect(second.json.alreadyAccepted).toBeUndefined();
		const stats = fx.emulator.stats();
		expect(stats.requests['agentMessages.create']).toBe(4);
		expect(stats.accepted).toBe(2);
		expect(stats.duplicates).toBe(1);
	});
});

describe('tokens', () => {
	test('one token for 50 items at concurrency 10, with at most 10 requests in flight', async () => {
		const fresh = await emulatorWithCredential({ faults: { 'agentMessages.create': { latencyMs: 30 } } });
		try {
			const r = await runNode({ items: phones(50), parameters: textParams({ options: { concurrency: 10 } }), credentials: fresh.credentials });
			expect(r.error).toBeUndefined();
			expect(r.outputs[0]).toHaveLength(50);
			const stats = fresh.emulator.stats();
			expect(stats.tokenGrants).toBe(1);
			expect(stats.accepted).toBe(50);
			expect(stats.maxInFlight).toBeLessThanOrEqual(10);
			expect(stats.maxInFlight).toBeGreaterThanOrEqual(5);
		} finally {
			await fresh.emulator.close();
		}
	});

	test('outputs keep input order although answers come back out of order', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 5, jitterMs: 40 } } });
		const items = phones(30);
		const r = await runNode({ items, parameters: textParams({ options: { concurrency: 8 } }), credentials: fx.credentials });
		expect(r.outputs[0].map((i) => i.json.phoneNumber)).toEqual(items.map((i) => i.phone));
		expect(r.outputs[0].map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	});

	test('a revoked token is refreshed once and shared by concurrent items', async () => {
		const fresh = await emulatorWithCredential();
		try {
			await runNode({ items: phones(2), parameters: textParams(), credentials: fresh.credentials });
			expect(fresh.emulator.stats().tokenGrants).toBe(1);
			fresh.emulator.revokeTokens();
			const r = await runNode({ items: phones(20, 3000), parameters: textParams({ options: { concurrency: 10 } }), credentials: fresh.credentials });
			expect(r.error).toBeUndefined();
			expect(r.outputs[0]).toHaveLength(20);
			const stats = fresh.emulator.stats();
			expect(stats.tokenGrants).toBe(2);
			expect(stats.accepted).toBe(22);
			expectNoSecrets(r.outputs, fresh.keyJson);
		} finally {
			await fresh.emulator.close();
		}
	});

	test('a key the token endpoint rejects fails with invalid_grant advice and no secret', async () => {
		const { startEmulator } = await import('../../../emulator');
		const other = await startEmulator({ host: '127.0.0.1', port: 0 });
		try {
			// A key generated by another emulator: right shape, unknown to this token endpoint.
			const foreign = JSON.parse(JSON.stringify(other.createServiceAccountKey({ clientEmail: 'stranger@example.iam.gserviceaccount.com' })));
			foreign.token_uri = `${fx.emulator.url}/token`;
			const keyJson = JSON.stringify(foreign);
			const r = await runNode({ items: phones(2), parameters: textParams(), credentials: { ...fx.credentials, serviceAccountJson: keyJson } });
			expect(r.error?.message).toMatch(/Could not get an access token for the Google RBM API: invalid_grant/);
			expect(r.error?.description).toMatch(/deleted or disabled|clock/);
			expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
			expectNoSecrets([r.error, r.run.data.resultData], keyJson);
		} finally {
			await other.close();
		}
	});
});
