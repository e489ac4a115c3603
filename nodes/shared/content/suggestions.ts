import type { Suggestion } from './types';
import { ContentError, optionalText } from './types';

/** One row of the "Suggestions" list in the node UI. */
export interface SuggestionInput {
	type?: string;
	text?: unknown;
	postbackData?: unknown;
	url?: unknown;
	application?: string;
	webviewViewMode?: string;
	dialPhoneNumber?: unknown;
	latitude?: unknown;
	longitude?: unknown;
	locationLabel?: unknown;
	locationQuery?: unknown;
	startTime?: unknown;
	endTime?: unknown;
	eventTitle?: unknown;
	eventDescription?: unknown;
	fallbackUrl?: unknown;
}

/** The shape n8n gives a multi-value fixedCollection: `{ suggestion: [...] }`. */
export interface SuggestionsInput {
	suggestion?: SuggestionInput[];
}

function num(value: unknown, field: string, label: string): number {
	const n = typeof value === 'number' ? value : Number(value);
	if (value === '' || value === undefined || value === null || !Number.isFinite(n)) {
		throw new ContentError(`${label} must be a number`, field);
	}
	return n;
}

function dateTime(value: unknown, field: string, label: string): string {
	const s = optionalText(value);
	const ms = s === undefined ? NaN : Date.parse(s);
	if (Number.isNaN(ms)) throw new ContentError(`${label} must be a date-time`, field);
	return new Date(ms).toISOString();
}

/** One button (reply or action) from its UI row; errors name its fields, their place (place.ts) names the button. */
export function buildSuggestion(input: SuggestionInput, field: string): Suggestion {
	const text = optionalText(input.text) ?? '';
	// Without explicit postback data the webhook receives the chip text, which is what most bots match on.
	const postbackData = optionalText(input.postbackData) ?? text;
	const type = input.type ?? 'reply';
	if (type === 'reply') return { reply: { text, postbackData } };
	const action: NonNullable<Suggestion['action']> = { text, postbackData };
	const fallbackUrl = optionalText(input.fallbackUrl);
	if (fallbackUrl) action.fallbackUrl = fallbackUrl;
	const at = `${field}.action`;
	switch (type) {
		case 'openUrl': {
			action.openUrlAction = { url: optionalText(input.url) ?? '' };
			if (input.application === 'WEBVIEW') {
				action.openUrlAction.application = 'WEBVIEW';
				action.openUrlAction.webviewViewMode = (input.webviewViewMode as 'FULL' | 'HALF' | 'TALL' | undefined) ?? 'FULL';
			} else if (input.application === 'BROWSER') {
				action.openUrlAction.application = 'BROWSER';
			}
			break;
		}
		case 'dial':
			action.dialAction = { phoneNumber: optionalText(input.dialPhoneNumber) ?? '' };
			break;
		case 'viewLocation': {
			const query = optionalText(input.locationQuery);
			const locationLabel = optionalText(input.locationLabel);
			if (optionalText(input.latitude) !== undefined || optionalText(input.longitude) !== undefined || query === undefined) {
				action.viewLocationAction = {
					latLong: {
						latitude: num(input.latitude, `${at}.viewLocationAction.latLong.latitude`, 'Latitude'),
						longitude: num(input.longitude, `${at}.viewLocationAction.latLong.longitude`, 'Longitude'),
					},
				};
			} else {
				action.viewLocationAction = { query };
			}
			if (locationLabel) action.viewLocationAction.label = locationLabel;
			break;
		}
		case 'shareLocation':
			action.shareLocationAction = {};
			break;
		case 'calendar': {
			action.createCalendarEventAction = {
				startTime: dateTime(input.startTime, `${at}.createCalendarEventAction.startTime`, 'Start Time'),
				endTime: dateTime(input.endTime, `${at}.createCalendarEventAction.endTime`, 'End Time'),
				title: optionalText(input.eventTitle) ?? '',
			};
			const description = optionalText(input.eventDescription);
			if (description) action.createCalendarEventAction.description = description;
			break;
		}
		default:
			throw new ContentError(`Button has an unknown type "${type}"`, field);
	}
	return { action };
}

export function buildSuggestions(input: SuggestionsInput | undefined, field: string): Suggestion[] | undefined {
	const rows = input?.suggestion ?? [];
	if (rows.length === 0) return undefined;
	return rows.map((row, i) => buildSuggestion(row, `${field}[${i}]`));
}
