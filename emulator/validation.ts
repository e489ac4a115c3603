/**
 * AgentMessage validation with Google-like messages (rbm-api.md §1, limits §1.4). A violation names
 * the field both in the proto (snake_case) form Google uses and in the JSON (camelCase) form.
 * Only camelCase JSON names are accepted (the real API also takes snake_case; the node never sends it).
 */
import { invalidArgument } from './http';
import type { HttpResult } from './types';

export const LIMITS = {
	bodyBytes: 250 * 1024,
	text: 3072,
	suggestions: 11,
	suggestionText: 25,
	postbackData: 2048,
	url: 2048,
	cardTitle: 200,
	cardDescription: 2000,
	cardSuggestions: 4,
	carouselMin: 2,
	carouselMax: 10,
	calendarTitle: 100,
	calendarDescription: 500,
	maxTtlSeconds: 15 * 24 * 3600,
} as const;

export const TRAFFIC_TYPES = [
	'MESSAGE_TRAFFIC_TYPE_UNSPECIFIED', 'AUTHENTICATION', 'TRANSACTION', 'PROMOTION', 'SERVICEREQUEST', 'ACKNOWLEDGEMENT',
];
const ORIENTATIONS = ['CARD_ORIENTATION_UNSPECIFIED', 'HORIZONTAL', 'VERTICAL'];
const ALIGNMENTS = ['THUMBNAIL_IMAGE_ALIGNMENT_UNSPECIFIED', 'LEFT', 'RIGHT'];
const WIDTHS = ['CARD_WIDTH_UNSPECIFIED', 'SMALL', 'MEDIUM'];
const HEIGHTS = ['HEIGHT_UNSPECIFIED', 'SHORT', 'MEDIUM', 'TALL'];
const APPLICATIONS = ['OPEN_URL_APPLICATION_UNSPECIFIED', 'BROWSER', 'WEBVIEW'];
const VIEW_MODES = ['WEBVIEW_VIEW_MODE_UNSPECIFIED', 'FULL', 'HALF', 'TALL'];
export const TTL_PATTERN = /^\d+(\.\d{1,9})?s$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

type Obj = Record<string, unknown>;

class Violation extends Error {
	constructor(
		readonly path: string,
		readonly description: string,
		readonly unknownField?: string,
	) {
		super(description);
	}
}

const snake = (path: string): string =>
	'agent_message' + (path ? '.' + path.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()) : '');

function fail(path: string, description: string): never {
	throw new Violation(path, description);
}

const chars = (s: string): number => [...s].length;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function obj(v: unknown, path: string, allowed: readonly string[]): Obj {
	if (!isObj(v)) fail(path, `${path} must be an object`);
	for (const k of Object.keys(v)) {
		if (!allowed.includes(k)) throw new Violation(path, `Cannot find field.`, k);
	}
	return v;
}

function str(o: Obj, key: string, path: string, max?: number, required = false): string | undefined {
	const v = o[key];
	const p = `${path}.${key}`;
	if (v === undefined || v === null) {
		if (required) fail(p, `${p} is required`);
		return undefined;
	}
	if (typeof v !== 'string') fail(p, `${p} must be a string`);
	if (required && v.length === 0) fail(p, `${p} must not be empty`);
	if (max !== undefined && chars(v) > max) fail(p, `${p} exceeds ${max} characters (got ${chars(v)})`);
	return v;
}

function enumField(o: Obj, key: string, path: string, values: string[]): void {
	const v = o[key];
	if (v === undefined) return;
	if (typeof v !== 'string' || !values.includes(v)) {
		fail(`${path}.${key}`, `${path}.${key} must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`);
	}
}

function exactlyOne(o: Obj, path: string, keys: string[]): string {
	const present = keys.filter((k) => o[k] !== undefined && o[k] !== null);
	if (present.length !== 1) {
		fail(path, `${path} must contain exactly one of ${keys.join(', ')} (found ${present.length ? present.join(', ') : 'none'})`);
	}
	return present[0];
}

function url(o: Obj, key: string, path: string, required: boolean): void {
	const v = str(o, key, path, LIMITS.url, required);
	if (v === undefined) return;
	let ok = false;
	try {
		const u = new URL(v);
		ok = u.protocol === 'https:' || u.protocol === 'http:';
	} catch {
		ok = false;
	}
	if (!ok) fail(`${path}.${key}`, `${path}.${key} is not a valid http(s) URL`);
}

function timestamp(o: Obj, key: string, path: string, required: boolean): number | undefined {
	const v = str(o, key, path, undefined, required);
	if (v === undefined) return undefined;
	const t = Date.parse(v);
	if (!RFC3339.test(v) || Number.isNaN(t)) fail(`${path}.${key}`, `${path}.${key} is not a valid RFC 3339 timestamp`);
	return t;
}

function contentInfo(v: unknown, path: string): void {
	const o = obj(v, path, ['fileUrl', 'thumbnailUrl', 'forceRefresh']);
	url(o, 'fileUrl', path, true);
	url(o, 'thumbnailUrl', path, false);
	if (o.forceRefresh !== undefined && typeof o.forceRefresh !== 'boolean') fail(`${path}.forceRefresh`, `${path}.forceRefresh must be a boolean`);
}

function uploadedFile(v: unknown, path: string): void {
	const o = obj(v, path, ['fileName', 'thumbnailName']);
	str(o, 'fileName', path, undefined, true);
	str(o, 'thumbnailName', path);
}

function suggestions(v: unknown, path: string, max: number): void {
	if (v === undefined) return;
	if (!Array.isArray(v)) fail(path, `${path} must be an array`);
	if (v.length > max) fail(path, `${path} has ${v.length} suggestions; the maximum is ${max}`);
	v.forEach((s, i) => suggestion(s, `${path}[${i}]`));
}

const ACTIONS = [
	'dialAction', 'viewLocationAction', 'createCalendarEventAction', 'openUrlAction', 'shareLocationAction',
	'composeAction', 'paymentRequestAction',
];

function suggestion(v: unknown, path: string): void {
	const o = obj(v, path, ['reply', 'action']);
	const kind = exactlyOne(o, path, ['reply', 'action']);
	const p = `${path}.${kind}`;
	if (kind === 'reply') {
		const r = obj(o.reply, p, ['text', 'postbackData']);
		str(r, 'text', p, LIMITS.suggestionText, true);
		str(r, 'postbackData', p, LIMITS.postbackData);
		return;
	}
	const a = obj(o.action, p, ['text', 'postbackData', 'fallbackUrl', ...ACTIONS]);
	str(a, 'text', p, LIMITS.suggestionText, true);
	str(a, 'postbackData', p, LIMITS.postbackData);
	url(a, 'fallbackUrl', p, false);
	const which = exactlyOne(a, p, ACTIONS);
	const ap = `${p}.${which}`;
	switch (which) {
		case 'dialAction': {
			const d = obj(a.dialAction, ap, ['phoneNumber']);
			const n = str(d, 'phoneNumber', ap, 50, true) ?? '';
			if (!/^[0-9+*# ()-]+$/.test(n)) fail(`${ap}.phoneNumber`, `${ap}.phoneNumber is not a valid phone number`);
			break;
		}
		case 'viewLocationAction': {
			const l = obj(a.viewLocationAction, ap, ['latLong', 'label', 'query']);
			str(l, 'label', ap, 200);
			str(l, 'query', ap, 200);
			if (l.latLong === undefined && l.query === undefined) fail(ap, `${ap} requires latLong or query`);
			if (l.latLong !== undefined) {
				const ll = obj(l.latLong, `${ap}.latLong`, ['latitude', 'longitude']);
				const lat = ll.latitude;
				const lng = ll.longitude;
				if (typeof lat !== 'number' || lat < -90 || lat > 90) fail(`${ap}.latLong.latitude`, `${ap}.latLong.latitude must be a number in [-90, 90]`);
				if (typeof lng !== 'number' || lng < -180 || lng > 180) fail(`${ap}.latLong.longitude`, `${ap}.latLong.longitude must be a number in [-180, 180]`);
			}
			break;
		}
		case 'createCalendarEventAction': {
			const c = obj(a.createCalendarEventAction, ap, ['startTime', 'endTime', 'title', 'description']);
			const start = timestamp(c, 'startTime', ap, true) ?? 0;
			const end = timestamp(c, 'endTime', ap, true) ?? 0;
			str(c, 'title', ap, LIMITS.calendarTitle, true);
			str(c, 'description', ap, LIMITS.calendarDescription);
			if (end < start) fail(`${ap}.endTime`, `${ap}.endTime must not be before startTime`);
			break;
		}
		case 'openUrlAction': {
			const u = obj(a.openUrlAction, ap, ['url', 'application', 'webviewViewMode', 'description']);
			url(u, 'url', ap, true);
			enumField(u, 'application', ap, APPLICATIONS);
			enumField(u, 'webviewViewMode', ap, VIEW_MODES);
			str(u, 'description', ap, LIMITS.url);
			break;
		}
		case 'shareLocationAction':
			obj(a.shareLocationAction, ap, []);
			break;
		default:
			obj(a[which], ap, Object.keys(a[which] as Obj)); // legacy actions: shape not checked
	}
}

function media(v: unknown, path: string): void {
	const m = obj(v, path, ['height', 'contentInfo', 'uploadedRbmFile', 'fileName']);
	enumField(m, 'height', path, HEIGHTS);
	const which = exactlyOne(m, path, ['contentInfo', 'uploadedRbmFile', 'fileName']);
	if (which === 'contentInfo') contentInfo(m.contentInfo, `${path}.contentInfo`);
	else if (which === 'uploadedRbmFile') uploadedFile(m.uploadedRbmFile, `${path}.uploadedRbmFile`);
	else str(m, 'fileName', path, undefined, true);
}

function cardContent(v: unknown, path: string): void {
	const c = obj(v, path, ['title', 'description', 'media', 'suggestions']);
	str(c, 'title', path, LIMITS.cardTitle);
	str(c, 'description', path, LIMITS.cardDescription);
	if (c.media !== undefined) media(c.media, `${path}.media`);
	if (!c.title && !c.description && c.media === undefined) {
		fail(path, `${path} must contain at least one of media, title, description`);
	}
	suggestions(c.suggestions, `${path}.suggestions`, LIMITS.cardSuggestions);
}

function richCard(v: unknown, path: string): void {
	const r = obj(v, path, ['standaloneCard', 'carouselCard']);
	const which = exactlyOne(r, path, ['standaloneCard', 'carouselCard']);
	const p = `${path}.${which}`;
	if (which === 'standaloneCard') {
		const s = obj(r.standaloneCard, p, ['cardOrientation', 'thumbnailImageAlignment', 'cardContent']);
		enumField(s, 'cardOrientation', p, ORIENTATIONS);
		enumField(s, 'thumbnailImageAlignment', p, ALIGNMENTS);
		if (s.cardContent === undefined) fail(`${p}.cardContent`, `${p}.cardContent is required`);
		cardContent(s.cardContent, `${p}.cardContent`);
		return;
	}
	const c = obj(r.carouselCard, p, ['cardWidth', 'cardContents']);
	enumField(c, 'cardWidth', p, WIDTHS);
	const cards = c.cardContents;
	if (!Array.isArray(cards)) fail(`${p}.cardContents`, `${p}.cardContents must be an array`);
	if (cards.length < LIMITS.carouselMin || cards.length > LIMITS.carouselMax) {
		fail(`${p}.cardContents`, `${p}.cardContents must have between ${LIMITS.carouselMin} and ${LIMITS.carouselMax} cards (got ${cards.length})`);
	}
	cards.forEach((card, i) => cardContent(card, `${p}.cardContents[${i}]`));
}

export interface ValidatedMessage {
	/** Epoch ms when the message expires, if ttl/expireTime was given. */
	expireAt?: number;
}

function validate(body: Obj, now: number): ValidatedMessage {
	const m = obj(body, '', [
		'name', 'sendTime', 'contentMessage', 'messageTrafficType', 'expireTime', 'ttl',
		'richMessageClassification', 'totalPayloadSizeBytes', 'carrier',
	]);
	if (m.contentMessage === undefined) fail('contentMessage', 'contentMessage is required');
	const cm = obj(m.contentMessage, 'contentMessage', ['suggestions', 'text', 'fileName', 'uploadedRbmFile', 'richCard', 'contentInfo']);
	const which = exactlyOne(cm, 'contentMessage', ['text', 'uploadedRbmFile', 'richCard', 'contentInfo', 'fileName']);
	if (which === 'text') str(cm, 'text', 'contentMessage', LIMITS.text, true);
	else if (which === 'uploadedRbmFile') uploadedFile(cm.uploadedRbmFile, 'contentMessage.uploadedRbmFile');
	else if (which === 'richCard') richCard(cm.richCard, 'contentMessage.richCard');
	else if (which === 'contentInfo') contentInfo(cm.contentInfo, 'contentMessage.contentInfo');
	else str(cm, 'fileName', 'contentMessage', undefined, true);
	suggestions(cm.suggestions, 'contentMessage.suggestions', LIMITS.suggestions);

	enumField(m, 'messageTrafficType', '', TRAFFIC_TYPES);
	if (m.ttl !== undefined && m.expireTime !== undefined) {
		fail('expiration', 'Only one of ttl and expireTime may be set');
	}
	if (m.ttl !== undefined) {
		if (typeof m.ttl !== 'string' || !TTL_PATTERN.test(m.ttl)) {
			fail('ttl', `ttl must be a duration like "3600s" (got ${JSON.stringify(m.ttl)})`);
		}
		const seconds = Number(m.ttl.slice(0, -1));
		if (seconds > LIMITS.maxTtlSeconds) fail('ttl', `ttl exceeds the maximum of 15 days (${LIMITS.maxTtlSeconds}s)`);
		return { expireAt: now + Math.round(seconds * 1000) };
	}
	if (m.expireTime !== undefined) {
		const t = timestamp(m, 'expireTime', '', true) ?? 0;
		if (t <= now) fail('expireTime', 'expireTime must be in the future');
		if (t > now + LIMITS.maxTtlSeconds * 1000) fail('expireTime', 'expireTime exceeds the maximum of 15 days after submission');
		return { expireAt: t };
	}
	return {};
}

/** Validates a parsed AgentMessage; returns the 400 answer, or the derived facts when valid. */
export function validateAgentMessage(
	body: Obj,
	rawBytes: number,
	now = Date.now(),
): { ok: true; value: ValidatedMessage } | { ok: false; result: HttpResult } {
	if (rawBytes > LIMITS.bodyBytes) {
		return {
			ok: false,
			result: invalidArgument(
				`AgentMessage exceeds the maximum size of 250 KB (${rawBytes} bytes).`,
				'agent_message',
			),
		};
	}
	try {
		return { ok: true, value: validate(body, now) };
	} catch (e) {
		if (!(e instanceof Violation)) throw e;
		const field = snake(e.path.replace(/^\./, ''));
		if (e.unknownField !== undefined) {
			const msg = `Invalid JSON payload received. Unknown name "${e.unknownField}" at '${field}': Cannot find field.`;
			return { ok: false, result: invalidArgument(msg, field, msg) };
		}
		const desc = e.description.replace(/^\./, '');
		return { ok: false, result: invalidArgument(`Invalid value at '${field}': ${desc}.`, field, desc) };
	}
}
