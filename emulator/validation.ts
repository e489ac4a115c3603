/**
 * AgentMessage validation as phones.agentMessages.create does it: the shape, names, enums, oneofs,
 * limits, formats and card rules come from the schema (schema.ts, schema/rbm-v1.json, derived from
 * Google's artifacts); what depends on the clock or the whole body stays here:
 *   - the whole AgentMessage is at most 250 KB;
 *   - ttl / expireTime at most 15 days ahead, expireTime in the future
 *     (https://developers.google.com/business-communications/rcs-business-messaging/guides/build/messages/send#expiration);
 *   - calendar events end after they start, coordinates on Earth (numbers, also when given as
 *     strings as proto3 JSON allows: "37.42").
 * A violation is answered the way Google's JSON front end does: 400 INVALID_ARGUMENT naming the
 * proto (snake_case) path of the field.
 */
import { invalidArgument } from './http';
import type { Violation } from './schema';
import { checkMessage } from './schema';
import type { HttpResult } from './types';

export const LIMITS = {
	bodyBytes: 250 * 1024,
	maxTtlSeconds: 15 * 24 * 3600,
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface ValidatedMessage {
	/** The message with lowerCamelCase names (snake_case input is accepted, as Google does). */
	message: Obj;
	/** Epoch ms when the message expires, if ttl/expireTime was given. */
	expireAt?: number;
}

const at = (field: string, jsonPath: string, message: string): Violation => ({ field, jsonPath, kind: 'rule', message });

/** Every suggestion of a message: the chip list and each card's. */
function suggestionsOf(content: Obj): Obj[] {
	const out: Obj[] = [];
	const add = (list: unknown) => Array.isArray(list) && out.push(...list.filter(isObj));
	add(content.suggestions);
	const card = isObj(content.richCard) ? content.richCard : undefined;
	if (card && isObj(card.standaloneCard) && isObj(card.standaloneCard.cardContent)) add(card.standaloneCard.cardContent.suggestions);
	if (card && isObj(card.carouselCard) && Array.isArray(card.carouselCard.cardContents)) {
		for (const c of card.carouselCard.cardContents) if (isObj(c)) add(c.suggestions);
	}
	return out;
}

/** Checks that need the clock or several fields at once; returns the first problem. */
function behaviour(m: Obj, now: number): { violation?: Violation; expireAt?: number } {
	for (const s of suggestionsOf(isObj(m.contentMessage) ? m.contentMessage : {})) {
		const action = isObj(s.action) ? s.action : undefined;
		const cal = action && isObj(action.createCalendarEventAction) ? action.createCalendarEventAction : undefined;
		if (cal && Date.parse(String(cal.endTime)) < Date.parse(String(cal.startTime))) {
			return { violation: at('agent_message.content_message', 'contentMessage', `Invalid value at 'create_calendar_event_action.end_time': endTime must not be before startTime.`) };
		}
		const loc = action && isObj(action.viewLocationAction) && isObj(action.viewLocationAction.latLong) ? action.viewLocationAction.latLong : undefined;
		// "NaN" and "Infinity" are numbers to proto3 JSON (schema.ts), but no place on Earth
		if (loc && !(Math.abs(Number(loc.latitude ?? 0)) <= 90 && Math.abs(Number(loc.longitude ?? 0)) <= 180)) {
			return { violation: at('agent_message.content_message', 'contentMessage', `Invalid value at 'view_location_action.lat_long': latitude must be in [-90, 90] and longitude in [-180, 180].`) };
		}
	}
	const max = LIMITS.maxTtlSeconds;
	if (typeof m.ttl === 'string') {
		const seconds = Number(m.ttl.slice(0, -1));
		if (seconds <= 0) return { violation: at('agent_message.ttl', 'ttl', `Invalid value at 'agent_message.ttl': ttl must be positive.`) };
		if (seconds > max) return { violation: at('agent_message.ttl', 'ttl', `Invalid value at 'agent_message.ttl': ttl exceeds the maximum of 15 days (${max}s).`) };
		return { expireAt: now + Math.round(seconds * 1000) };
	}
	if (typeof m.expireTime === 'string') {
		const t = Date.parse(m.expireTime);
		if (t <= now) return { violation: at('agent_message.expire_time', 'expireTime', `Invalid value at 'agent_message.expire_time': expireTime must be in the future.`) };
		if (t > now + max * 1000) {
			return { violation: at('agent_message.expire_time', 'expireTime', `Invalid value at 'agent_message.expire_time': expireTime exceeds the maximum of 15 days after submission.`) };
		}
		return { expireAt: t };
	}
	return {};
}

export const answerFor = (v: Violation): HttpResult => invalidArgument(v.message, v.field, v.message);

/** Validates a parsed AgentMessage; returns the 400 answer, or the normalised message when valid. */
export function validateAgentMessage(
	body: Obj,
	rawBytes: number,
	now = Date.now(),
): { ok: true; value: ValidatedMessage } | { ok: false; result: HttpResult } {
	if (rawBytes > LIMITS.bodyBytes) {
		return { ok: false, result: invalidArgument(`AgentMessage exceeds the maximum size of 250 KB (${rawBytes} bytes).`, 'agent_message') };
	}
	const checked = checkMessage('AgentMessage', body, 'agent_message');
	if (checked.violations.length > 0) return { ok: false, result: answerFor(checked.violations[0]) };
	const extra = behaviour(checked.value, now);
	if (extra.violation) return { ok: false, result: answerFor(extra.violation) };
	return { ok: true, value: { message: checked.value, expireAt: extra.expireAt } };
}
