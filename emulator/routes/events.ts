/**
 * phones.agentEvents.create (https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/phones.agentEvents):
 * IS_TYPING / READ; eventId shares the message id space. The body is checked against the schema.
 */
import { json, notFound, notLaunchedForPhone, parseJsonObject, countedInvalid } from '../http';
import { checkMessage } from '../schema';
import type { HttpResult } from '../types';
import type { RouteContext } from './context';
import { duplicateAnswer, isAnswer, phoneAndAgent } from './messages';

/** The event types an agent may send (the enum also has TYPE_UNSPECIFIED, which RBM refuses). */
const EVENT_TYPES = ['IS_TYPING', 'READ'];

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
	const checked = checkMessage('AgentEvent', parsed.value, 'agent_event');
	const violation = checked.violations[0];
	if (violation) return bad(violation.message, violation.field);
	const ev = checked.value;
	if (typeof ev.eventType !== 'string' || !EVENT_TYPES.includes(ev.eventType)) {
		return bad(
			`Invalid value at 'agent_event.event_type': eventType must be one of ${EVENT_TYPES.join(', ')} (got ${JSON.stringify(ev.eventType)}).`,
			'agent_event.event_type',
		);
	}
	if (ev.eventType === 'READ' && !ev.messageId) {
		return bad(`Invalid value at 'agent_event.message_id': messageId is required for READ events.`, 'agent_event.message_id');
	}
	const existing = core.findId(agentId, eventId);
	if (existing) return duplicateAnswer(ctx, existing, 'Event');
	if (!core.mayReach(agentId, phone)) {
		core.stats.forbidden++;
		return notLaunchedForPhone(phone);
	}
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
