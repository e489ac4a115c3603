/**
 * The Pub/Sub-style push envelope → one output item shaped like the send node's items
 * (`phoneNumber`, `agentId`, `messageId`/`eventId`, `type`, `text`, `postbackData`, `sendTime`, `raw`).
 */
import type { IDataObject } from 'n8n-workflow';

export const EVENT_TYPES = [
	{ name: 'Typed Message', value: 'text', description: 'The person typed a message' },
	{ name: 'Tapped Suggestion', value: 'suggestionResponse', description: 'The person tapped a suggested reply or action, a button or a chip (postback data)' },
	{ name: 'Location', value: 'location', description: 'The person shared a location' },
	{ name: 'File', value: 'file', description: 'The person sent a file (image, video, audio…)' },
	{ name: 'Delivered', value: 'DELIVERED', description: 'A message reached the phone' },
	{ name: 'Read', value: 'READ', description: 'The person read a message' },
	{ name: 'Typing', value: 'IS_TYPING', description: 'The person is typing' },
	{ name: 'Subscribe / Unsubscribe', value: 'subscription', description: 'The person opted in or out (SUBSCRIBE, UNSUBSCRIBE)' },
	{ name: 'Expired Message', value: 'serverEvent', description: 'RBM took back a message not delivered in time (TTL_EXPIRATION_REVOKED / _REVOKE_FAILED)' },
	{ name: 'Agent Launch Change', value: 'agentLaunch', description: 'The agent\'s launch state changed' },
] as const;


export type Envelope = { data: string; attributes: IDataObject; pubsubMessageId?: string; publishTime?: string };

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** snake_case keys → camelCase, deeply: RBM and Pub/Sub use both spellings. */
export function camelize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(camelize);
	if (!isObject(value)) return value;
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value)) {
		const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
		if (!(camel in out)) out[camel] = camelize(v) as IDataObject;
	}
	return out;
}

/** Reads `{ message: { data, attributes, messageId, publishTime } }`; undefined when it is not one. */
export function readEnvelope(body: unknown): Envelope | undefined {
	if (!isObject(body) || !isObject(body.message)) return undefined;
	const message = body.message;
	if (typeof message.data !== 'string' || message.data === '' || !/^[A-Za-z0-9+/=_-]+$/.test(message.data)) return undefined;
	const attributes = isObject(message.attributes) ? message.attributes : {};
	const id = message.messageId ?? message.message_id;
	const time = message.publishTime ?? message.publish_time;
	return { data: message.data, attributes, pubsubMessageId: typeof id === 'string' ? id : undefined, publishTime: typeof time === 'string' ? time : undefined };
}

export function decodeData(data: string): IDataObject | undefined {
	try {
		const decoded: unknown = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
		return isObject(decoded) ? (camelize(decoded) as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

export interface RbmEvent {
	/** The filter value this event falls under. */
	filter: string;
	/** Id to de-duplicate redeliveries on. */
	dedupeId: string | undefined;
	item: IDataObject;
}

function shortAgent(agentId: IDataObject[string]): IDataObject[string] {
	return typeof agentId === 'string' ? agentId.replace(/@rbm\.goog$/i, '') : agentId;
}

/** Classification of https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks (UserMessage, UserEvent, ServerEvent, AgentLaunchEvent). */
export function toEvent(payload: IDataObject, attributes: IDataObject): RbmEvent {
	const base: IDataObject = { agentId: shortAgent(payload.agentId), sendTime: payload.sendTime };
	if (attributes.type === 'agent_launch_event') {
		return {
			filter: 'agentLaunch',
			dedupeId: payload.eventId as string | undefined,
			item: { ...base, type: 'agentLaunch', eventId: payload.eventId, newLaunchState: payload.newLaunchState, oldLaunchState: payload.oldLaunchState, raw: payload },
		};
	}
	if (typeof payload.eventType === 'string' && payload.senderPhoneNumber === undefined && payload.phoneNumber !== undefined) {
		return {
			filter: 'serverEvent',
			dedupeId: payload.eventId as string | undefined,
			item: { phoneNumber: payload.phoneNumber, ...base, type: payload.eventType, eventId: payload.eventId, messageId: payload.messageId, raw: payload },
		};
	}
	const phone = { phoneNumber: payload.senderPhoneNumber };
	if (typeof payload.eventType === 'string') {
		const filter = ['SUBSCRIBE', 'UNSUBSCRIBE'].includes(payload.eventType) ? 'subscription' : payload.eventType;
		const item: IDataObject = { ...phone, ...base, type: payload.eventType, eventId: payload.eventId as string, raw: payload };
		if (payload.messageId !== undefined) item.messageId = payload.messageId;
		return { filter, dedupeId: payload.eventId as string | undefined, item };
	}
	const item: IDataObject = { ...phone, ...base, messageId: payload.messageId };
	let filter: string;
	if (typeof payload.text === 'string') {
		filter = 'text';
		item.text = payload.text;
	} else if (isObject(payload.suggestionResponse)) {
		filter = 'suggestionResponse';
		item.postbackData = payload.suggestionResponse.postbackData;
		item.text = payload.suggestionResponse.text;
		item.suggestionType = payload.suggestionResponse.type;
	} else if (isObject(payload.location)) {
		filter = 'location';
		item.location = payload.location;
	} else if (isObject(payload.userFile)) {
		filter = 'file';
		item.file = payload.userFile.payload as IDataObject;
		if (payload.userFile.thumbnail) item.thumbnail = payload.userFile.thumbnail as IDataObject;
	} else {
		filter = 'unknown';
	}
	return { filter, dedupeId: payload.messageId as string | undefined, item: { ...item, type: filter, raw: payload } as IDataObject };
}
