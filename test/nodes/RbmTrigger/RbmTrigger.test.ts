/** The trigger against signed pushes from the emulator, over HTTP on 127.0.0.1. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RbmEmulator, WebhookEventInput } from '../../../emulator';
import { buildEnvelope, startEmulator } from '../../../emulator';
import { RbmTrigger } from '../../../nodes/RbmTrigger/RbmTrigger.node';
import { expectedSignature } from '../../../nodes/RbmTrigger/signature';
import type { WebhookHost } from '../../helpers/webhookHost';
import { hostWebhook, postJson as post } from '../../helpers/webhookHost';

const TOKEN = ['client', 'token', 'for', 'tests'].join('-');
const ALL = ['text', 'suggestionResponse', 'location', 'file', 'DELIVERED', 'READ', 'IS_TYPING', 'subscription', 'serverEvent', 'agentLaunch'];

let emulator: RbmEmulator;
let host: WebhookHost;
beforeAll(async () => {
	emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => emulator.close());
afterEach(async () => host?.close());

async function withTrigger(parameters: Record<string, unknown> = {}, credentials?: Record<string, unknown>) {
	host = await hostWebhook(new RbmTrigger(), { parameters: { events: ALL, ...parameters }, credentials: credentials as never });
	emulator.configure({ webhookUrl: host.url, webhookClientToken: TOKEN });
	return host;
}

const event = (over: Partial<WebhookEventInput>): WebhookEventInput => ({ type: 'text', phoneNumber: '+16505550123', agentId: 'welcome-bot', ...over });

describe('verification handshake', () => {
	test('the right client token (from the credential) gets the bare secret back', async () => {
		await withTrigger({}, { webhookClientToken: TOKEN });
		const result = await emulator.verifyWebhook();
		expect(result).toMatchObject({ status: 200, ok: true });
		expect(host.started).toHaveLength(0);
	});

	test('the node field overrides the credential', async () => {
		await withTrigger({ clientToken: TOKEN }, { webhookClientToken: 'something-else' });
		expect((await emulator.verifyWebhook()).ok).toBe(true);
	});

	test('a wrong token is refused', async () => {
		await withTrigger({ clientToken: TOKEN });
		const r = await post(host.url, { clientToken: 'nope', secret: 's3cr3t' });
		expect(r).toEqual({ status: 403, body: 'client token mismatch' });
	});

	test('no token configured: nothing is accepted', async () => {
		await withTrigger({});
		const r = await emulator.sendWebhookEvent(event({}));
		expect(r.status).toBe(401);
		expect(host.started).toHaveLength(0);
	});
});

describe('X-Goog-Webhook-Type (RBM, July 2026)', () => {
	test('its value comes out in the item; an unknown value is not refused', async () => {
		await withTrigger({ clientToken: TOKEN });
		await emulator.sendWebhookEvent(event({ text: 'hi' }));
		await emulator.sendWebhookEvent(event({ type: 'agentLaunch' }));
		expect(host.started.map((s) => s[0][0].json.webhookType)).toEqual(['message_callback', 'agent_callback']);
		const { body, headers } = buildEnvelope(event({ text: 'later' }), TOKEN);
		const r = await post(host.url, JSON.parse(body), { ...headers, 'X-Goog-Webhook-Type': 'some_future_kind' });
		expect(r.status).toBe(200);
		expect(host.started[2][0][0].json).toMatchObject({ text: 'later', webhookType: 'some_future_kind' });
	});

	test('a verification request without clientToken and secret is a 400, not a workflow', async () => {
		await withTrigger({ clientToken: TOKEN });
		const r = await post(host.url, { hello: 'world' }, { 'X-Goog-Webhook-Type': 'verification' });
		expect(r).toEqual({ status: 400, body: 'verification request without clientToken and secret' });
		expect(host.started).toHaveLength(0);
	});
});

describe('signed events become items shaped like the send node\'s', () => {
	test.each([
		['text', event({ type: 'text', text: 'Hello', messageId: 'MxA1' }), { type: 'text', text: 'Hello', messageId: 'MxA1' }],
		['suggestion response', event({ type: 'suggestionResponse', text: 'Yes', postbackData: 'answer_yes', messageId: 'MxA2' }), { type: 'suggestionResponse', postbackData: 'answer_yes', text: 'Yes', messageId: 'MxA2' }],
		['location', event({ type: 'location', latitude: 37.4, longitude: -122.1, messageId: 'MxA3' }), { type: 'location', location: { latitude: 37.4, longitude: -122.1 } }],
		['file', event({ type: 'file', fileUri: 'https://rcs.example/f.jpg', mimeType: 'image/jpeg', messageId: 'MxA4' }), { type: 'file', file: expect.objectContaining({ mimeType: 'image/jpeg', fileUri: 'https://rcs.example/f.jpg' }) }],
		['DELIVERED', event({ type: 'DELIVERED', messageId: 'agent-msg-1', eventId: 'MxE1' }), { type: 'DELIVERED', messageId: 'agent-msg-1', eventId: 'MxE1' }],
		['READ', event({ type: 'READ', messageId: 'agent-msg-2', eventId: 'MxE2' }), { type: 'READ', messageId: 'agent-msg-2', eventId: 'MxE2' }],
		['IS_TYPING', event({ type: 'IS_TYPING', eventId: 'MxE3' }), { type: 'IS_TYPING', eventId: 'MxE3' }],
		['UNSUBSCRIBE', event({ type: 'UNSUBSCRIBE', eventId: 'MxE4' }), { type: 'UNSUBSCRIBE', eventId: 'MxE4' }],
		['TTL_EXPIRATION_REVOKED', event({ type: 'TTL_EXPIRATION_REVOKED', messageId: 'agent-msg-3', eventId: 'srv-1' }), { type: 'TTL_EXPIRATION_REVOKED', messageId: 'agent-msg-3' }],
	])('%s', async (_name, input, expected) => {
		await withTrigger({ clientToken: TOKEN });
		const r = await emulator.sendWebhookEvent(input);
		// accepted: an empty 200, as n8n answers a webhook with responseData 'noData'
		expect(r).toEqual({ status: 200, body: '' });
		expect(host.started).toHaveLength(1);
		const [[[item]]] = host.started;
		expect(item.json).toMatchObject({ phoneNumber: '+16505550123', agentId: 'welcome-bot', sendTime: expect.any(String), raw: expect.any(Object), ...expected });
	});

	test('agent launch events', async () => {
		await withTrigger({ clientToken: TOKEN });
		await emulator.sendWebhookEvent(event({ type: 'agentLaunch', eventId: 'launch-1' }));
		expect(host.started[0][0][0].json).toMatchObject({ type: 'agentLaunch', agentId: 'welcome-bot', newLaunchState: 'LAUNCHED' });
	});

	test('snake_case envelopes and payloads are read too', async () => {
		await withTrigger({ clientToken: TOKEN });
		const data = Buffer.from(JSON.stringify({ sender_phone_number: '+16505550123', message_id: 'MxSnake', send_time: '2026-11-25T10:00:00Z', agent_id: 'welcome-bot@rbm.goog', suggestion_response: { postback_data: 'pb', text: 'Go', type: 'REPLY' } })).toString('base64');
		const body = { message: { data, message_id: 'ps-1', publish_time: '2026-11-25T10:00:01Z', attributes: {} }, subscription: 'projects/p/subscriptions/s' };
		const r = await post(host.url, body, { 'X-Goog-Signature': expectedSignature(TOKEN, data).toString('base64') });
		expect(r.status).toBe(200);
		expect(host.started[0][0][0].json).toMatchObject({ type: 'suggestionResponse', postbackData: 'pb', messageId: 'MxSnake', agentId: 'welcome-bot' });
	});

	test('a suggestion tap as Google sends it (snake_case, REPLY or ACTION): opt-out from its postback_data only', async () => {
		await withTrigger({ clientToken: TOKEN });
		const taps = [
			{ postback_data: 'cancel_order_42', text: 'Cancel', type: 'REPLY' },
			{ postback_data: 'STOP', text: 'Manage', type: 'ACTION' },
			// no postback data at all: the chip text alone does not count
			{ text: 'Unsubscribe', type: 'REPLY' },
		];
		for (const [i, tap] of taps.entries()) {
			const data = Buffer.from(JSON.stringify({ sender_phone_number: '+16505550123', message_id: `MxTap${i}`, send_time: '2026-11-25T10:00:00Z', agent_id: 'welcome-bot@rbm.goog', suggestion_response: tap })).toString('base64');
			const body = { message: { data, message_id: `ps-tap-${i}`, publish_time: '2026-11-25T10:00:01Z', attributes: {} }, subscription: 'projects/p/subscriptions/s' };
			expect((await post(host.url, body, { 'X-Goog-Signature': expectedSignature(TOKEN, data).toString('base64') })).status).toBe(200);
		}
		expect(host.started.map((s) => s[0][0].json).map(({ text, postbackData, suggestionType, optOut, keyword }) => ({ text, postbackData, suggestionType, optOut, keyword }))).toEqual([
			{ text: 'Cancel', postbackData: 'cancel_order_42', suggestionType: 'REPLY', optOut: false, keyword: undefined },
			{ text: 'Manage', postbackData: 'STOP', suggestionType: 'ACTION', optOut: true, keyword: 'STOP' },
			{ text: 'Unsubscribe', postbackData: undefined, suggestionType: 'REPLY', optOut: false, keyword: undefined },
		]);
	});

	test('events that are not selected are acknowledged and start nothing', async () => {
		await withTrigger({ clientToken: TOKEN, events: ['text'] });
		const r = await emulator.sendWebhookEvent(event({ type: 'IS_TYPING' }));
		expect(r).toEqual({ status: 200, body: 'event type not selected' });
		expect(host.started).toHaveLength(0);
	});
});

describe('nothing forged, malformed or replayed starts a workflow', () => {
	test('unsigned → 401; wrongly signed → 403', async () => {
		await withTrigger({ clientToken: TOKEN });
		expect((await emulator.sendWebhookEvent(event({ signature: 'none' }))).status).toBe(401);
		expect((await emulator.sendWebhookEvent(event({ signature: 'invalid' }))).status).toBe(403);
		expect(host.started).toHaveLength(0);
	});

	test('signed with another token → 403', async () => {
		await withTrigger({ clientToken: TOKEN });
		const envelope = JSON.parse(buildEnvelope(event({ text: 'forged' }), 'attacker-token').body) as { message: { data: string } };
		const r = await post(host.url, envelope, { 'X-Goog-Signature': expectedSignature('attacker-token', envelope.message.data).toString('base64') });
		expect(r.status).toBe(403);
		expect(host.started).toHaveLength(0);
	});

	test('malformed: no envelope → 400; data that is not JSON → 400', async () => {
		await withTrigger({ clientToken: TOKEN });
		expect((await post(host.url, { hello: 'world' }, { 'X-Goog-Signature': 'abc' })).status).toBe(400);
		const data = Buffer.from('not json').toString('base64');
		const r = await post(host.url, { message: { data } }, { 'X-Goog-Signature': expectedSignature(TOKEN, data).toString('base64') });
		expect(r.status).toBe(400);
		expect(host.started).toHaveLength(0);
	});

	test('a redelivered event (same messageId) gets 200 and starts nothing the second time', async () => {
		await withTrigger({ clientToken: TOKEN });
		const first = await emulator.sendWebhookEvent(event({ text: 'once', messageId: 'MxReplay' }));
		const again = await emulator.sendWebhookEvent(event({ text: 'once', messageId: 'MxReplay' }));
		expect([first.status, again.status]).toEqual([200, 200]);
		expect(again.body).toBe('duplicate ignored');
		expect(host.started).toHaveLength(1);
	});
});

describe('node version', () => {
	test('new nodes are 1.1: n8n evaluates a legacy binary-data expression for every request to a typeVersion 1 webhook node', () => {
		const { version } = new RbmTrigger().description;
		const versions = Array.isArray(version) ? version : [version];
		// 1 stays loadable (existing workflows); the newest, what the editor adds, is not 1
		expect(versions).toContain(1);
		expect(Math.max(...versions)).toBeGreaterThan(1);
		// the examples use the newest
		const replyBot = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'reply-bot.json'), 'utf8')) as { nodes: Array<{ type: string; typeVersion: number }> };
		expect(replyBot.nodes.find((n) => n.type === 'n8n-nodes-rbm.rbmTrigger')?.typeVersion).toBe(Math.max(...versions));
	});
});
