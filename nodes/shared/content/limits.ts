/**
 * Every documented RBM limit (https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/phones.agentMessages), checked before a request is made so a bad
 * item fails alone, with the field named, and costs no API call. Applied to built and raw JSON
 * messages alike.
 */
import type { AgentMessage } from './types';
import { ContentError } from './types';

export const LIMITS = {
	textChars: 3072,
	suggestionsPerMessage: 11,
	suggestionsPerCard: 4,
	suggestionTextChars: 25,
	postbackDataChars: 2048,
	urlChars: 2048,
	cardTitleChars: 200,
	cardDescriptionChars: 2000,
	carouselMinCards: 2,
	carouselMaxCards: 10,
	calendarTitleChars: 100,
	calendarDescriptionChars: 500,
	messageBytes: 250 * 1024,
	maxExpirySeconds: 15 * 24 * 3600,
} as const;

export const TRAFFIC_TYPES = ['AUTHENTICATION', 'TRANSACTION', 'PROMOTION', 'SERVICEREQUEST', 'ACKNOWLEDGEMENT'] as const;
const CONTENT_KINDS = ['text', 'richCard', 'contentInfo', 'uploadedRbmFile', 'fileName'] as const;
const ACTION_KINDS = ['openUrlAction', 'dialAction', 'viewLocationAction', 'shareLocationAction', 'createCalendarEventAction', 'composeAction', 'paymentRequestAction'] as const;

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters as a user counts them (code points), which is how RBM documents its limits. */
export function charCount(value: string): number {
	return Array.from(value).length;
}

function text(value: unknown, field: string, label: string, max: number, required: boolean): void {
	if (value === undefined || value === null || value === '') {
		if (required) throw new ContentError(`${label} is required`, field);
		return;
	}
	if (typeof value !== 'string') throw new ContentError(`${label} must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`, field);
	const n = charCount(value);
	if (n > max) throw new ContentError(`${label} is ${n} characters, at most ${max}`, field);
}

function url(value: unknown, field: string, label: string, required: boolean): void {
	text(value, field, label, LIMITS.urlChars, required);
	if (typeof value === 'string' && value !== '' && !/^https?:\/\/[^\s]+$/i.test(value)) {
		throw new ContentError(`${label} must be an http(s) URL, got "${value.slice(0, 80)}"`, field);
	}
}

function list(value: unknown, field: string, label: string): unknown[] {
	if (!Array.isArray(value)) throw new ContentError(`${label} must be a list`, field);
	return value;
}

/** One button (a suggestion: reply or action); the error's place (place.ts) says which. */
function validateSuggestion(s: unknown, field: string): void {
	const label = 'Button';
	if (!isObject(s)) throw new ContentError(`${label} must be an object with "reply" or "action"`, field);
	const kinds = ['reply', 'action'].filter((k) => s[k] !== undefined);
	if (kinds.length !== 1) throw new ContentError(`${label} must have exactly one of "reply" or "action"`, field);
	const kind = kinds[0];
	const body = s[kind];
	if (!isObject(body)) throw new ContentError(`${label} ${kind} must be an object`, `${field}.${kind}`);
	text(body.text, `${field}.${kind}.text`, 'Text', LIMITS.suggestionTextChars, true);
	text(body.postbackData, `${field}.${kind}.postbackData`, 'Postback Data', LIMITS.postbackDataChars, false);
	if (kind === 'reply') return;
	url(body.fallbackUrl, `${field}.action.fallbackUrl`, 'Fallback URL', false);
	const actions = ACTION_KINDS.filter((k) => body[k] !== undefined);
	if (actions.length !== 1) {
		throw new ContentError(`${label} action must have exactly one of ${ACTION_KINDS.slice(0, 5).join(', ')}`, `${field}.action`);
	}
	const action = body[actions[0]];
	const at = `${field}.action.${actions[0]}`;
	if (!isObject(action)) throw new ContentError(`${label} ${actions[0]} must be an object`, at);
	switch (actions[0]) {
		case 'openUrlAction':
			url(action.url, `${at}.url`, 'URL', true);
			break;
		case 'dialAction':
			// Its form (E.164) is settled by normaliseDialNumbers, with the Default Country option.
			text(action.phoneNumber, `${at}.phoneNumber`, 'Phone Number', 64, true);
			break;
		case 'viewLocationAction': {
			const latLong = action.latLong;
			if (latLong === undefined && (action.query === undefined || action.query === '')) {
				throw new ContentError('The location needs a latitude and longitude, or a query', at);
			}
			if (latLong !== undefined) {
				if (!isObject(latLong)) throw new ContentError('latLong must be an object', `${at}.latLong`);
				const { latitude, longitude } = latLong;
				if (typeof latitude !== 'number' || latitude < -90 || latitude > 90) throw new ContentError('Latitude must be a number between -90 and 90', `${at}.latLong.latitude`);
				if (typeof longitude !== 'number' || longitude < -180 || longitude > 180) throw new ContentError('Longitude must be a number between -180 and 180', `${at}.latLong.longitude`);
			}
			break;
		}
		case 'createCalendarEventAction': {
			text(action.title, `${at}.title`, 'Event Title', LIMITS.calendarTitleChars, true);
			text(action.description, `${at}.description`, 'Event Description', LIMITS.calendarDescriptionChars, false);
			const start = Date.parse(String(action.startTime));
			const end = Date.parse(String(action.endTime));
			if (Number.isNaN(start)) throw new ContentError('Start Time must be a date-time (RFC 3339)', `${at}.startTime`);
			if (Number.isNaN(end)) throw new ContentError('End Time must be a date-time (RFC 3339)', `${at}.endTime`);
			if (end < start) throw new ContentError('End Time is before Start Time', `${at}.endTime`);
			break;
		}
		case 'composeAction':
		case 'paymentRequestAction':
			throw new ContentError(`${label} uses ${actions[0]}, which RBM has paused or retired`, at);
		default:
			break;
	}
}

/** The buttons of a card (`where`: "on the card") or under the message. */
function validateSuggestions(value: unknown, field: string, max: number, where: string): void {
	if (value === undefined) return;
	const items = list(value, field, `The buttons ${where} (suggestions)`);
	if (items.length > max) throw new ContentError(`${items.length} buttons ${where}, at most ${max}`, field);
	items.forEach((s, i) => validateSuggestion(s, `${field}[${i}]`));
}

function validateMedia(value: unknown, field: string, label: string): void {
	if (!isObject(value)) throw new ContentError(`${label} must be an object`, field);
	if (value.height !== undefined && !['SHORT', 'MEDIUM', 'TALL'].includes(String(value.height))) {
		throw new ContentError(`${label} Height must be SHORT, MEDIUM or TALL`, `${field}.height`);
	}
	// Alt text (media.contentDescription): RBM documents no length limit, the 250 KB message limit applies.
	text(value.contentDescription, `${field}.contentDescription`, `${label} Alt Text`, Infinity, false);
	const sources = ['contentInfo', 'uploadedRbmFile', 'fileName'].filter((k) => value[k] !== undefined);
	if (sources.length !== 1) throw new ContentError(`${label} needs exactly one of a file URL (contentInfo) or an uploaded file`, field);
	if (value.contentInfo !== undefined) validateContentInfo(value.contentInfo, `${field}.contentInfo`, label);
	if (value.uploadedRbmFile !== undefined) validateUploaded(value.uploadedRbmFile, `${field}.uploadedRbmFile`, label);
}

function validateContentInfo(value: unknown, field: string, label: string): void {
	if (!isObject(value)) throw new ContentError(`${label} contentInfo must be an object`, field);
	url(value.fileUrl, `${field}.fileUrl`, `${label} URL`, true);
	url(value.thumbnailUrl, `${field}.thumbnailUrl`, 'Thumbnail URL', false);
}

function validateUploaded(value: unknown, field: string, label: string): void {
	if (!isObject(value)) throw new ContentError(`${label} uploadedRbmFile must be an object`, field);
	text(value.fileName, `${field}.fileName`, 'Uploaded File Name', 1024, true);
	if (!/^files\/\S+$/.test(String(value.fileName))) {
		throw new ContentError('Uploaded File Name must look like "files/<id>" (what File › Upload returns)', `${field}.fileName`);
	}
	if (value.thumbnailName !== undefined && !/^files\/\S+$/.test(String(value.thumbnailName))) {
		throw new ContentError('Uploaded Thumbnail Name must look like "files/<id>"', `${field}.thumbnailName`);
	}
}

/** One card; the error's place (place.ts: "card 2", "the card") says which. */
function validateCard(card: unknown, field: string): void {
	if (!isObject(card)) throw new ContentError('The card must be an object', field);
	if (card.title === undefined && card.description === undefined && card.media === undefined) {
		throw new ContentError('A card needs at least a title, a description or media', field);
	}
	text(card.title, `${field}.title`, 'Title', LIMITS.cardTitleChars, false);
	text(card.description, `${field}.description`, 'Description', LIMITS.cardDescriptionChars, false);
	if (card.media !== undefined) validateMedia(card.media, `${field}.media`, 'Media');
	validateSuggestions(card.suggestions, `${field}.suggestions`, LIMITS.suggestionsPerCard, 'on the card');
}

const filled = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/**
 * RBM's CardContent rule: "If a horizontal rich card's CardContent contains the media field, it
 * must also include at least a title, description, or suggestions[] field" (media alone would be
 * a picture with an empty text half; Google rejects it).
 */
function validateHorizontalContent(card: Obj, field: string): void {
	if (card.media === undefined || filled(card.title) || filled(card.description) || filled(card.suggestions)) return;
	throw new ContentError(
		'A horizontal card with media also needs a title, a description or buttons on the card (RBM rule for horizontal rich cards): add one, or make the card vertical',
		field,
	);
}

function validateRichCard(value: unknown, field: string): void {
	if (!isObject(value)) throw new ContentError('richCard must be an object', field);
	const kinds = ['standaloneCard', 'carouselCard'].filter((k) => value[k] !== undefined);
	if (kinds.length !== 1) throw new ContentError('richCard must have exactly one of standaloneCard or carouselCard', field);
	if (isObject(value.standaloneCard)) {
		const card = value.standaloneCard;
		if (!['VERTICAL', 'HORIZONTAL'].includes(String(card.cardOrientation))) {
			throw new ContentError('Card orientation must be VERTICAL or HORIZONTAL', `${field}.standaloneCard.cardOrientation`);
		}
		validateCard(card.cardContent, `${field}.standaloneCard.cardContent`);
		if (card.cardOrientation === 'HORIZONTAL') validateHorizontalContent(card.cardContent as Obj, `${field}.standaloneCard.cardContent`);
		return;
	}
	const carousel = value.carouselCard;
	if (!isObject(carousel)) throw new ContentError('carouselCard must be an object', `${field}.carouselCard`);
	if (!['SMALL', 'MEDIUM'].includes(String(carousel.cardWidth))) {
		throw new ContentError('Carousel card width must be SMALL or MEDIUM', `${field}.carouselCard.cardWidth`);
	}
	const cards = list(carousel.cardContents, `${field}.carouselCard.cardContents`, 'Carousel cards');
	if (cards.length < LIMITS.carouselMinCards || cards.length > LIMITS.carouselMaxCards) {
		throw new ContentError(
			`Carousel has ${cards.length} card${cards.length === 1 ? '' : 's'}; RBM needs ${LIMITS.carouselMinCards} to ${LIMITS.carouselMaxCards}`,
			`${field}.carouselCard.cardContents`,
		);
	}
	cards.forEach((card, i) => {
		const at = `${field}.carouselCard.cardContents[${i}]`;
		validateCard(card, at);
		const media = isObject(card) ? card.media : undefined;
		if (carousel.cardWidth === 'SMALL' && isObject(media) && media.height === 'TALL') {
			throw new ContentError('Media Height TALL is not allowed when the carousel\'s Card Width is SMALL', `${at}.media.height`);
		}
	});
}

export function validateContentMessage(value: unknown, field = 'contentMessage'): void {
	if (!isObject(value)) throw new ContentError('The message content must be a JSON object (an AgentContentMessage)', field);
	const kinds = CONTENT_KINDS.filter((k) => value[k] !== undefined);
	if (kinds.length !== 1) {
		throw new ContentError(
			kinds.length === 0
				? 'The message has no content: it needs exactly one of text, richCard, contentInfo or uploadedRbmFile'
				: `The message has ${kinds.join(' and ')}: RBM takes exactly one of text, richCard, contentInfo or uploadedRbmFile`,
			field,
		);
	}
	if (value.text !== undefined) text(value.text, `${field}.text`, 'Text', LIMITS.textChars, true);
	if (value.richCard !== undefined) validateRichCard(value.richCard, `${field}.richCard`);
	if (value.contentInfo !== undefined) validateContentInfo(value.contentInfo, `${field}.contentInfo`, 'File');
	if (value.uploadedRbmFile !== undefined) validateUploaded(value.uploadedRbmFile, `${field}.uploadedRbmFile`, 'File');
	validateSuggestions(value.suggestions, `${field}.suggestions`, LIMITS.suggestionsPerMessage, 'under the message');
}

/** The whole message's size limit; its content was checked when it was built (buildMessage). */
export function checkMessageSize(message: AgentMessage): void {
	const size = Buffer.byteLength(JSON.stringify(message), 'utf8');
	if (size > LIMITS.messageBytes) {
		throw new ContentError(`The message is ${Math.ceil(size / 1024)} KB; RBM allows at most 250 KB`, 'contentMessage');
	}
}
