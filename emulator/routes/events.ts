/** phones.agentEvents.create (rbm-api.md §3.2): IS_TYPING / READ; eventId shares the message id space. */
import { json, notFound, parseJsonObject, countedInvalid } from '../http';
import type { HttpResult, RouteContext } from '../types';
import { duplicateAnswer, isAnswer, phoneAndAgent } from './messages';

const EVENT_TYPES = ['IS_TYPING', 'READ'];
const ALLOWED = ['eventType', 'messageId', 'name', 'sendTime'];

export function createEvent(ctx: RouteContext): HttpResult {
	const { core, url, body } = ctx;
	const pa = phoneAndAgent(ctx);
	if (isAnswer(pa)) return pa;
	const { phone, agentId } = pa;
	const bad = countedInvalid(core.stats);
	const eventId = url.searchParams.get('eventId');
	if (!eventId) return bad('eventId is required.', 'event_id');
	const parsed = parseJsonObject(body);
	if (!parsed.ok) return bad(parsed.message);
	const ev = parsed.value;
	const unknown = Object.keys(ev).find((k) => !ALLOWED.includes(k));
	if (unknown) {
		return bad(`Invalid JSON payload received. Unknown name "${unknown}" at 'agent_event': Cannot find field.`, 'agent_event');
	}
	if (typeof ev.eventType !== 'string' || !EVENT_TYPES.includes(ev.eventType)) {
		return bad(
			`Invalid value at 'agent_event.event_type': eventType must be one of ${EVENT_TYPES.join(', ')} (got ${JSON.stringify(ev.eventType)}).`,
			'agent_event.event_type',
		);
	}
	if (ev.messageId !== undefined && typeof ev.messageId !== 'string') {
		return bad(`Invalid value at 'agent_event.message_id': messageId must be a string.`, 'agent_event.message_id');
	}
	if (ev.eventType === 'READ' && !ev.messageId) {
		return bad(`Invalid value at 'agent_event.message_id': messageId is required for READ events.`, 'agent_event.message_id');
	}
	const existing = core.findId(agentId, eventId);
	if (existing) return duplicateAnswer(ctx, existing, 'Event');
	if (core.isUnreachable(phone)) {
		core.stats.notFound++;
		return notFound();
	}
	const response: Record<string, unknown> = {
		name: `phones/${phone}/agentEvents/${eventId}`,
		eventType: ev.eventType,
		sendTime: new Date().toISOString(),
	};
	if (typeof ev.messageId === 'string') response.messageId = ev.messageId;
	core.addId({ kind: 'event', id: eventId, agentId, phoneNumber: phone, response, delivered: true, revoked: false });
	core.stats.events.push({
		eventId,
		phoneNumber: phone,
		agentId,
		eventType: ev.eventType,
		...(typeof ev.messageId === 'string' ? { messageId: ev.messageId } : {}),
	});
	return json(200, response);
}
