/**
 * The AgentMessage fields beside the content: traffic type and expiry (TTL or expire time). They can
 * come from the node's Options or from a whole AgentMessage given as JSON; this checks the JSON's and
 * combines the two. The rule: each field may be given in both places only with the same value, and a
 * message has one expiry (TTL or expire time) wherever it comes from.
 */
import { LIMITS, TRAFFIC_TYPES } from './limits';
import type { AgentMessage } from './types';
import { ContentError } from './types';

const MAX_EXPIRY_SECONDS = LIMITS.maxExpirySeconds;
/** Google's MessageTrafficType enum: the Traffic Type option's values, and UNSPECIFIED (the agent's default). */
const JSON_TRAFFIC_TYPES: readonly string[] = ['MESSAGE_TRAFFIC_TYPE_UNSPECIFIED', ...TRAFFIC_TYPES];

/** A google.protobuf.Duration in JSON: seconds with up to 9 decimals and an "s" ("300s", "3.5s"). */
const DURATION = /^\d+(?:\.\d{1,9})?s$/;
/** A google.protobuf.Timestamp in JSON: RFC 3339 with "Z" or an offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;

export type AgentMessageFields = Omit<AgentMessage, 'contentMessage'>;

/** RBM's expiry limits, the same for Options and a JSON message: a TTL above 0 s and at most 15 days. */
const ttlInRange = (seconds: number): boolean => Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_EXPIRY_SECONDS;

/** …and an expire time in the future, at most 15 days ahead. */
function expireTimeProblem(at: number, now: number): string | undefined {
	if (at <= now) return 'is in the past';
	if (at - now > MAX_EXPIRY_SECONDS * 1000) return 'is more than 15 days ahead';
	return undefined;
}

const given = (value: unknown): boolean => value !== undefined && value !== null && String(value) !== '';

/** The node's Options › Traffic Type, TTL (seconds) and Expire Time, checked; `options.<name>` in errors. */
export function optionFields(options: { messageTrafficType?: unknown; ttl?: unknown; expireTime?: unknown }, now = Date.now()): AgentMessageFields {
	const out: AgentMessageFields = {};
	const { messageTrafficType, ttl, expireTime } = options;
	if (given(messageTrafficType)) {
		if (typeof messageTrafficType !== 'string' || !(TRAFFIC_TYPES as readonly string[]).includes(messageTrafficType)) {
			throw new ContentError(`Traffic Type must be one of ${TRAFFIC_TYPES.join(', ')}, got ${shown(messageTrafficType)}`, 'options.messageTrafficType');
		}
		out.messageTrafficType = messageTrafficType;
	}
	if (given(ttl) && given(expireTime)) throw new ContentError('Set either Options › TTL or Options › Expire Time, not both (RBM accepts one expiry)', 'options.ttl / options.expireTime');
	if (given(ttl)) {
		const seconds = Number(ttl);
		if (!ttlInRange(seconds)) throw new ContentError(`TTL must be between 1 and ${MAX_EXPIRY_SECONDS} seconds (15 days), got ${String(ttl)}`, 'options.ttl');
		out.ttl = `${Number(seconds.toFixed(3))}s`;
	}
	if (given(expireTime)) {
		const at = Date.parse(String(expireTime));
		if (Number.isNaN(at)) throw new ContentError(`Expire Time "${String(expireTime)}" is not a date-time`, 'options.expireTime');
		const problem = expireTimeProblem(at, now);
		if (problem) throw new ContentError(`Expire Time ${problem}`, 'options.expireTime');
		out.expireTime = new Date(at).toISOString();
	}
	return out;
}

/** A value as an error message shows it: text in quotes, anything else as JSON. */
export function shown(value: unknown): string {
	return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

/** The JSON's messageTrafficType, ttl and expireTime, checked; `json.<name>` in errors. */
export function checkJsonFields(fields: Record<string, unknown>, now = Date.now()): AgentMessageFields {
	const out: AgentMessageFields = {};
	const { messageTrafficType, ttl, expireTime } = fields;
	if (messageTrafficType !== undefined) {
		if (typeof messageTrafficType !== 'string' || !JSON_TRAFFIC_TYPES.includes(messageTrafficType)) {
			throw new ContentError(`The JSON's messageTrafficType must be one of ${JSON_TRAFFIC_TYPES.join(', ')}, got ${shown(messageTrafficType)}`, 'json.messageTrafficType');
		}
		out.messageTrafficType = messageTrafficType;
	}
	if (ttl !== undefined && expireTime !== undefined) {
		throw new ContentError('The JSON sets both ttl and expireTime; RBM accepts one expiry: keep one of them', 'json.ttl / json.expireTime');
	}
	if (ttl !== undefined) {
		if (typeof ttl !== 'string' || !DURATION.test(ttl)) {
			throw new ContentError(`The JSON's ttl must be a duration in seconds such as "300s" or "3.5s", got ${shown(ttl)}`, 'json.ttl');
		}
		if (!ttlInRange(Number(ttl.slice(0, -1)))) {
			throw new ContentError(`The JSON's ttl must be more than 0s and at most ${MAX_EXPIRY_SECONDS}s (15 days), got "${ttl}"`, 'json.ttl');
		}
		out.ttl = ttl;
	}
	if (expireTime !== undefined) {
		const at = typeof expireTime === 'string' && RFC3339.test(expireTime) ? Date.parse(expireTime) : NaN;
		if (Number.isNaN(at)) {
			throw new ContentError(`The JSON's expireTime must be an RFC 3339 date-time such as "2026-12-01T10:00:00Z", got ${shown(expireTime)}`, 'json.expireTime');
		}
		const problem = expireTimeProblem(at, now);
		if (problem) throw new ContentError(`The JSON's expireTime ${expireTime as string} ${problem}`, 'json.expireTime');
		out.expireTime = expireTime as string;
	}
	return out;
}

const seconds = (ttl: string): number => Number(ttl.slice(0, -1));

function twice(label: string, name: keyof AgentMessageFields, option: string, json: string): ContentError {
	return new ContentError(
		`${label} is set twice with different values: Options › ${label} is ${option}, the JSON's ${name} is ${json}. Set it in one place, or give both the same value`,
		`options.${name} / json.${name}`,
	);
}

function twoExpiries(option: 'ttl' | 'expireTime', json: 'ttl' | 'expireTime'): ContentError {
	return new ContentError(
		`Options › ${option === 'ttl' ? 'TTL' : 'Expire Time'} and the JSON's ${json} are two expiries; RBM accepts one (TTL or expire time): remove one of them`,
		`options.${option} / json.${json}`,
	);
}

/**
 * The top-level fields to send: the JSON's and the Options' together. The same field in both with the
 * same value is fine; different values, or a TTL on one side and an expire time on the other, are errors.
 */
export function combineFields(fromOptions: AgentMessageFields, fromJson: AgentMessageFields): AgentMessageFields {
	const traffic = fromOptions.messageTrafficType;
	if (traffic !== undefined && fromJson.messageTrafficType !== undefined && traffic !== fromJson.messageTrafficType) {
		throw twice('Traffic Type', 'messageTrafficType', `"${traffic}"`, `"${fromJson.messageTrafficType}"`);
	}
	if (fromOptions.ttl !== undefined && fromJson.expireTime !== undefined) throw twoExpiries('ttl', 'expireTime');
	if (fromOptions.expireTime !== undefined && fromJson.ttl !== undefined) throw twoExpiries('expireTime', 'ttl');
	if (fromOptions.ttl !== undefined && fromJson.ttl !== undefined && seconds(fromOptions.ttl) !== seconds(fromJson.ttl)) {
		throw twice('TTL', 'ttl', `"${fromOptions.ttl}"`, `"${fromJson.ttl}"`);
	}
	if (fromOptions.expireTime !== undefined && fromJson.expireTime !== undefined && Date.parse(fromOptions.expireTime) !== Date.parse(fromJson.expireTime)) {
		throw twice('Expire Time', 'expireTime', fromOptions.expireTime, fromJson.expireTime);
	}
	// Equal values: the JSON's spelling is kept (it is what the user pasted).
	return { ...fromOptions, ...fromJson };
}
