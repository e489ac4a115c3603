import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RbmEmulator } from '../../emulator';
import { api, getToken, sendPath, waitFor } from './helpers';

interface Received {
	headers: http.IncomingHttpHeaders;
	envelope: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	signatureValid: boolean;
}

const CLIENT_TOKEN = 'client-token-123';

/** An independent webhook receiver: checks X-Goog-Signature with its own HMAC-SHA512. */
function verifySignature(header: string | undefined, dataB64: string): boolean {
	if (!header) return false;
	const expected = createHmac('sha512', CLIENT_TOKEN).update(Buffer.from(dataB64, 'base64')).digest();
	const got = Buffer.from(header, 'base64');
	return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('emulator: webhooks', () => {
	let emu: RbmEmulator;
	let receiver: http.Server;
	let received: Received[] = [];
	let verifyAnswer: (secret: string) => string = (s) => s;

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				if (body.secret !== undefined) {
					res.end(body.clientToken === CLIENT_TOKEN ? verifyAnswer(body.secret) : 'wrong token');
					return;
				}
				const data = JSON.parse(Buffer.from(body.message.data, 'base64').toString('utf8'));
				const sig = req.headers['x-goog-signature'];
				received.push({ headers: req.headers, envelope: body, data, signatureValid: verifySignature(typeof sig === 'string' ? sig : undefined, body.message.data) });
				res.end('ok');
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		const port = (receiver.address() as AddressInfo).port;
		emu = await startEmulator({ webhookUrl: `http://127.0.0.1:${port}/rbm`, webhookClientToken: CLIENT_TOKEN, deliveryDelayMs: 20 });
	});
	afterAll(async () => {
		await emu.close();
		await new Promise((r) => receiver.close(r));
	});
	beforeEach(() => {
		received = [];
	});

	it('pushes a signed user text message in a Pub/Sub envelope', async () => {
		const res = await emu.sendWebhookEvent({ type: 'text', phoneNumber: '+12223334444', agentId: 'my-agent', text: 'hello' });
		expect(res).toEqual({ status: 200, body: 'ok' });
		const [r] = received;
		expect(r.signatureValid).toBe(true);
		expect(r.envelope.message).toMatchObject({ messageId: expect.any(String), publishTime: expect.any(String) });
		expect(r.envelope.message.message_id).toBe(r.envelope.message.messageId);
		expect(r.envelope.message.publish_time).toBe(r.envelope.message.publishTime);
		expect(r.envelope.subscription).toMatch(/^projects\/.+\/subscriptions\//);
		expect(r.data).toMatchObject({ senderPhoneNumber: '+12223334444', agentId: 'my-agent@rbm.goog', text: 'hello', messageId: expect.any(String), sendTime: expect.any(String) });
	});

	it.each([
		['suggestionResponse', { postbackData: 'yes' }, (d: any) => expect(d.suggestionResponse).toEqual({ postbackData: 'yes', text: '', type: 'REPLY' })], // eslint-disable-line @typescript-eslint/no-explicit-any
		['location', { latitude: 1.5, longitude: 2.5 }, (d: any) => expect(d.location).toEqual({ latitude: 1.5, longitude: 2.5 })], // eslint-disable-line @typescript-eslint/no-explicit-any
		['file', { fileUri: 'https://x/f', mimeType: 'image/png' }, (d: any) => expect(d.userFile.payload).toMatchObject({ fileUri: 'https://x/f', mimeType: 'image/png' })], // eslint-disable-line @typescript-eslint/no-explicit-any
		['READ', { messageId: 'm-1' }, (d: any) => expect(d).toMatchObject({ eventType: 'READ', messageId: 'm-1', senderPhoneNumber: '+12223334444', eventId: expect.any(String) })], // eslint-disable-line @typescript-eslint/no-explicit-any
		['UNSUBSCRIBE', {}, (d: any) => expect(d).toMatchObject({ eventType: 'UNSUBSCRIBE', senderPhoneNumber: '+12223334444' })], // eslint-disable-line @typescript-eslint/no-explicit-any
		['TTL_EXPIRATION_REVOKED', { messageId: 'm-2' }, (d: any) => expect(d).toMatchObject({ eventType: 'TTL_EXPIRATION_REVOKED', phoneNumber: '+12223334444', messageId: 'm-2' })], // eslint-disable-line @typescript-eslint/no-explicit-any
	] as const)('builds a %s payload', async (type, extra, check) => {
		await emu.sendWebhookEvent({ type, phoneNumber: '+12223334444', agentId: 'my-agent', ...extra });
		expect(received[0].signatureValid).toBe(true);
		check(received[0].data);
		if (type === 'TTL_EXPIRATION_REVOKED') expect(received[0].data.senderPhoneNumber).toBeUndefined();
	});

	it('marks agent launch events in the attributes', async () => {
		await emu.sendWebhookEvent({ type: 'agentLaunch', phoneNumber: '', agentId: 'my-agent' });
		expect(received[0].envelope.message.attributes.type).toBe('agent_launch_event');
		expect(received[0].data).toMatchObject({ agentId: 'my-agent@rbm.goog', newLaunchState: 'LAUNCHED' });
	});

	it('can send a wrong signature or none', async () => {
		await emu.sendWebhookEvent({ type: 'text', phoneNumber: '+12223334444', agentId: 'a', text: 'x', signature: 'invalid' });
		await emu.sendWebhookEvent({ type: 'text', phoneNumber: '+12223334444', agentId: 'a', text: 'x', signature: 'none' });
		expect(received[0].signatureValid).toBe(false);
		expect(received[0].headers['x-goog-signature']).toBeDefined();
		expect(received[1].headers['x-goog-signature']).toBeUndefined();
	});

	it('pushes a signed DELIVERED event when a message is delivered', async () => {
		const token = await getToken(emu);
		expect((await api(emu, token, 'POST', sendPath('+12223334444', 'wh-1'), { contentMessage: { text: 'x' } })).status).toBe(200);
		await waitFor(() => received.length > 0);
		expect(received[0].signatureValid).toBe(true);
		expect(received[0].data).toMatchObject({ eventType: 'DELIVERED', messageId: 'wh-1', senderPhoneNumber: '+12223334444', agentId: 'test-agent@rbm.goog' });
		await waitFor(() => emu.stats().webhookDeliveries.some((d) => d.type === 'DELIVERED' && d.ok));
		expect(emu.stats().messages['wh-1'].delivered).toBe(true);
	});

	it('revokes an undelivered message when its ttl runs out and pushes TTL_EXPIRATION_REVOKED', async () => {
		emu.configure({ offline: ['^\\+1999'], offlineDeliveryMs: 5000 });
		const token = await getToken(emu);
		const res = await api(emu, token, 'POST', sendPath('+19995550001', 'ttl-1'), { contentMessage: { text: 'x' }, ttl: '0.05s' });
		expect(res.status).toBe(200);
		await waitFor(() => received.length > 0);
		expect(received[0].data).toMatchObject({ eventType: 'TTL_EXPIRATION_REVOKED', phoneNumber: '+19995550001', messageId: 'ttl-1' });
		expect(emu.stats().messages['ttl-1']).toMatchObject({ delivered: false, revoked: true, expired: true });
		emu.configure({ offline: [] });
	});

	it('runs the verification handshake and expects the bare secret', async () => {
		verifyAnswer = (s) => s;
		expect(await emu.verifyWebhook()).toMatchObject({ status: 200, ok: true });
		verifyAnswer = (s) => `secret: ${s}`;
		expect((await emu.verifyWebhook()).ok).toBe(false);
		verifyAnswer = (s) => s;
	});

	it('rejects sendWebhookEvent without a webhookUrl', async () => {
		const other = await startEmulator();
		await expect(other.sendWebhookEvent({ type: 'text', phoneNumber: '+12223334444', agentId: 'a' })).rejects.toThrow(/webhookUrl/);
		await other.close();
	});
});
