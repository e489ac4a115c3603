/**
 * Signed pushes to the agent's webhook, as RBM does them (https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks): a Pub/Sub push envelope
 * whose message.data is the base64 of the event JSON, signed with
 * X-Goog-Signature = base64(HMAC-SHA512(clientToken, base64-decoded message.data)).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { WebhookEventInput, WebhookTarget } from './types';

const PROJECT_NUMBER = '123456789012';
const USER_EVENT_TYPES = new Set(['DELIVERED', 'READ', 'IS_TYPING', 'UNSUBSCRIBE', 'SUBSCRIBE']);

export const fullAgentId = (id: string): string => (id.includes('@') ? id : `${id}@rbm.goog`);

export function sign(clientToken: string, data: Buffer): string {
	return createHmac('sha512', clientToken).update(data).digest('base64');
}

/** The decoded payload (UserMessage / UserEvent / ServerEvent / AgentLaunchEvent) and its attributes. */
export function buildPayload(ev: WebhookEventInput, now = new Date()): {
	data: Record<string, unknown>;
	attributes: Record<string, string>;
} {
	const agentId = fullAgentId(ev.agentId);
	const sendTime = now.toISOString();
	const base = { product: 'RBM', project_number: PROJECT_NUMBER, business_id: agentId };
	if (ev.type === 'agentLaunch') {
		return {
			data: {
				eventId: ev.eventId ?? randomUUID(),
				agentId,
				botDisplayName: 'Emulator Agent',
				brandId: 'emulator-brand',
				brandDisplayName: 'Emulator Brand',
				regionId: '/v1/regions/emulator-region',
				oldLaunchState: 'PENDING',
				newLaunchState: 'LAUNCHED',
				actingParty: 'CARRIER',
				comment: '',
				sendTime,
			},
			attributes: { ...base, event_type: 'LAUNCHED', type: 'agent_launch_event' },
		};
	}
	if (ev.type === 'TTL_EXPIRATION_REVOKED') {
		return {
			data: {
				phoneNumber: ev.phoneNumber,
				agentId,
				messageId: ev.messageId ?? randomUUID(),
				eventType: 'TTL_EXPIRATION_REVOKED',
				eventId: ev.eventId ?? randomUUID(),
				sendTime,
			},
			attributes: { ...base, event_type: 'TTL_EXPIRATION_REVOKED', type: 'server_event' },
		};
	}
	if (USER_EVENT_TYPES.has(ev.type)) {
		const data: Record<string, unknown> = {
			senderPhoneNumber: ev.phoneNumber,
			eventType: ev.type,
			eventId: ev.eventId ?? `MxEmu${randomBytes(8).toString('hex')}`,
			sendTime,
			agentId,
		};
		if ((ev.type === 'DELIVERED' || ev.type === 'READ') && ev.messageId) data.messageId = ev.messageId;
		return { data, attributes: { ...base, event_type: ev.type, type: 'event' } };
	}
	const data: Record<string, unknown> = {
		senderPhoneNumber: ev.phoneNumber,
		messageId: ev.messageId ?? `MxEmu${randomBytes(8).toString('hex')}`,
		sendTime,
		agentId,
	};
	let messageType = 'TEXT';
	if (ev.type === 'text') data.text = ev.text ?? '';
	else if (ev.type === 'suggestionResponse') {
		messageType = 'SUGGESTION_RESPONSE';
		data.suggestionResponse = {
			postbackData: ev.postbackData ?? '',
			text: ev.text ?? '',
			type: ev.suggestionType ?? 'REPLY',
		};
	} else if (ev.type === 'location') {
		messageType = 'LOCATION';
		data.location = { latitude: ev.latitude ?? 0, longitude: ev.longitude ?? 0 };
	} else {
		messageType = 'USER_FILE';
		const mimeType = ev.mimeType ?? 'image/jpeg';
		data.userFile = {
			payload: {
				mimeType,
				fileSizeBytes: ev.fileSizeBytes ?? 1024,
				fileUri: ev.fileUri ?? 'https://rcs-user-content.storage.googleapis.com/emulator/file',
				fileName: ev.fileName ?? 'file',
			},
		};
	}
	return { data, attributes: { ...base, message_type: messageType, type: 'message' } };
}

/**
 * X-Goog-Webhook-Type, sent on every webhook request since 13 July 2026
 * (https://developers.google.com/business-communications/rcs-business-messaging/whats-new/latest-releases).
 * Google's pages we could read do not list its values; these are the ones seen in public client
 * code (docs/api-currency.md), so receivers must not depend on them.
 */
export const WEBHOOK_TYPES = { verification: 'verification', message: 'message_callback', agent: 'agent_callback' } as const;

function webhookTypeOf(ev: WebhookEventInput): string {
	return ev.type === 'agentLaunch' ? WEBHOOK_TYPES.agent : WEBHOOK_TYPES.message;
}

export function buildEnvelope(ev: WebhookEventInput, clientToken: string | undefined): {
	body: string;
	headers: Record<string, string>;
} {
	const { data, attributes } = buildPayload(ev);
	const raw = Buffer.from(JSON.stringify(data), 'utf8');
	const pubsubId = String(10_000_000_000_000 + Math.floor(Math.random() * 1e12));
	const publishTime = new Date().toISOString();
	const envelope = {
		message: {
			data: raw.toString('base64'),
			attributes,
			messageId: pubsubId,
			message_id: pubsubId,
			publishTime,
			publish_time: publishTime,
		},
		subscription: 'projects/rbm-emulator/subscriptions/rbm-agent-webhook',
	};
	const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Goog-Webhook-Type': webhookTypeOf(ev) };
	const mode = ev.signature ?? 'valid';
	if (mode === 'valid') headers['X-Goog-Signature'] = sign(clientToken ?? '', raw);
	else if (mode === 'invalid') headers['X-Goog-Signature'] = sign(`${clientToken ?? ''}-wrong`, raw);
	return { body: JSON.stringify(envelope), headers };
}

export function postJson(
	target: string,
	body: string,
	headers: Record<string, string>,
	timeoutMs = 10000,
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		let u: URL;
		try {
			u = new URL(target);
		} catch {
			reject(new Error(`Invalid webhook URL: ${target}`));
			return;
		}
		const mod = u.protocol === 'https:' ? https : http;
		const req = mod.request(
			u,
			{ method: 'POST', agent: false, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`Webhook timed out after ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** Builds, signs and posts one event to the configured webhook; the outcome is recorded in stats. */
export async function sendWebhookEvent(core: WebhookTarget, ev: WebhookEventInput): Promise<{ status: number; body: string }> {
	const target = core.opts.webhookUrl;
	if (!target) throw new Error('No webhookUrl configured');
	const { body, headers } = buildEnvelope(ev, core.opts.webhookClientToken);
	try {
		const res = await postJson(target, body, headers);
		core.recordWebhook({ type: ev.type, status: res.status, ok: res.status === 200 });
		return res;
	} catch (e) {
		core.recordWebhook({ type: ev.type, status: 0, ok: false, error: (e as Error).message });
		throw e;
	}
}

/** The console's "Verify" handshake: POST {clientToken, secret}; the endpoint must answer the bare secret. */
export async function verifyWebhook(core: WebhookTarget): Promise<{ status: number; body: string; ok: boolean }> {
	const target = core.opts.webhookUrl;
	if (!target) throw new Error('No webhookUrl configured');
	const secret = randomBytes(16).toString('hex');
	const body = JSON.stringify({ clientToken: core.opts.webhookClientToken ?? '', secret });
	const res = await postJson(target, body, { 'Content-Type': 'application/json', 'X-Goog-Webhook-Type': WEBHOOK_TYPES.verification });
	return { ...res, ok: res.status === 200 && res.body.trim() === secret };
}
