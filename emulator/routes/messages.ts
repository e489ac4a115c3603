/**
 * phones.agentMessages.create and .delete
 * (https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/phones.agentMessages).
 */
import {
	agentLookupFailed,
	decodePhone,
	googleError,
	invalidArgument,
	invalidPhone,
	json,
	notFound,
	notLaunchedForPhone,
	parseJsonObject,
	shortAgentId,
} from '../http';
import type { IdRecord } from '../state';
import type { HttpResult } from '../types';
import type { RouteContext } from './context';
import { validateAgentMessage } from '../validation';
import { billingFields, isUsNumber } from '../billing';

/** Phone and agentId checks shared by every phones/* method; returns an answer when they fail. */
export function phoneAndAgent(ctx: RouteContext): { phone: string; agentId: string } | HttpResult {
	const { core, params, url } = ctx;
	const phone = decodePhone(params[0]);
	if (!phone) {
		core.stats.invalid++;
		return invalidPhone(params[0]);
	}
	const agent = url.searchParams.get('agentId');
	if (!agent) return agentLookupFailed();
	return { phone, agentId: shortAgentId(agent) };
}

export const isAnswer = (v: unknown): v is HttpResult =>
	typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

/** Same id (message or event) already used by this agent: 409 or, in 'ok' mode, the first answer. */
export function duplicateAnswer(ctx: RouteContext, existing: IdRecord, what: 'Message' | 'Event'): HttpResult {
	const { core } = ctx;
	core.stats.duplicates++;
	const stat = core.stats.messages[existing.id];
	if (what === 'Message' && existing.kind === 'message' && stat && stat.agentId === existing.agentId) stat.count++;
	if (core.opts.duplicateMode === 'ok') return json(200, existing.response);
	return googleError(409, 'ALREADY_EXISTS', `${what} with id ${existing.id} already exists`);
}

export function createMessage(ctx: RouteContext): HttpResult {
	const { core, url, body } = ctx;
	const pa = phoneAndAgent(ctx);
	if (isAnswer(pa)) return pa;
	const { phone, agentId } = pa;
	const messageId = url.searchParams.get('messageId');
	if (!messageId) {
		core.stats.invalid++;
		return invalidArgument('messageId is required.', 'message_id');
	}
	const parsed = parseJsonObject(body);
	if (!parsed.ok) {
		core.stats.invalid++;
		return invalidArgument(parsed.message);
	}
	const checked = validateAgentMessage(parsed.value, body.length);
	if (!checked.ok) {
		core.stats.invalid++;
		return checked.result;
	}
	const existing = core.findId(agentId, messageId);
	if (existing) return duplicateAnswer(ctx, existing, 'Message');
	if (!core.mayReach(agentId, phone)) {
		core.stats.forbidden++;
		return notLaunchedForPhone(phone);
	}
	if (core.isUnreachable(phone)) {
		core.stats.notFound++;
		return notFound();
	}

	const now = new Date();
	const msg = checked.value.message;
	const response: Record<string, unknown> = {
		name: `phones/${phone}/agentMessages/${messageId}`,
		contentMessage: msg.contentMessage,
		sendTime: now.toISOString(),
	};
	if (msg.messageTrafficType !== undefined) response.messageTrafficType = msg.messageTrafficType;
	if (checked.value.expireAt !== undefined) response.expireTime = new Date(checked.value.expireAt).toISOString();
	if (isUsNumber(phone)) Object.assign(response, billingFields(msg.contentMessage as Record<string, unknown>, core.stats.files));

	const rec: IdRecord = {
		kind: 'message', id: messageId, agentId, phoneNumber: phone, response, delivered: false, revoked: false,
		expireAt: checked.value.expireAt,
	};
	core.addId(rec);
	core.stats.accepted++;
	core.stats.messages[messageId] = {
		count: 1,
		phoneNumber: phone,
		agentId,
		body: msg,
		acceptedAt: now.toISOString(),
		delivered: false,
		revoked: false,
	};
	core.scheduleDelivery(rec);
	return json(200, response);
}

/** Revoke: 200 {} while undelivered (it will never be delivered), 404 once delivered or unknown. */
export function deleteMessage(ctx: RouteContext): HttpResult {
	const { core, params } = ctx;
	const pa = phoneAndAgent(ctx);
	if (isAnswer(pa)) return pa;
	const messageId = params[1];
	const rec = core.findId(pa.agentId, messageId);
	if (!rec || rec.kind !== 'message' || rec.phoneNumber !== pa.phone || rec.delivered) {
		core.stats.notFound++;
		return notFound();
	}
	rec.revoked = true;
	core.cancel(rec.timer);
	rec.timer = undefined;
	const stat = core.stats.messages[messageId];
	if (stat && stat.agentId === rec.agentId) stat.revoked = true;
	return json(200, {});
}
