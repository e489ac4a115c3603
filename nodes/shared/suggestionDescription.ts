import type { INodeProperties } from 'n8n-workflow';

import { LIMITS } from './content/limits';

/** Shown at once in a button (the rest behind its "Add option"), for editors that hide optional fields. */
const always = { showEvenWhenOptional: true };
const hint = (n: number) => `Up to ${n} characters`;

/**
 * The fields of one button (RBM calls them suggestions, or chips); shared by the buttons under a
 * message and the buttons on a card. In the order a person fills them: what it does, its label,
 * then the action's own fields (for Open URL: the URL first); postback data and fallback URL are
 * optional, behind "Add option". The stored shape is RBM Send Message version 1's.
 */
export const suggestionFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'reply',
		typeOptions: always,
		options: [
			{ name: 'Calendar Event', value: 'calendar', description: 'Offer to add an event to the calendar' },
			{ name: 'Dial', value: 'dial', description: 'Call a phone number (e.g. your support line) when tapped' },
			{ name: 'Open URL', value: 'openUrl', description: 'Open a web page, in the browser or inside the conversation (webview)' },
			{ name: 'Reply', value: 'reply', description: 'A button that sends its text back (the webhook gets the postback data)' },
			{ name: 'Share Location', value: 'shareLocation', description: 'Ask the user to share their location' },
			{ name: 'View Location', value: 'viewLocation', description: 'Show a place on a map: coordinates or a search such as a store name' },
		],
	},
	{ displayName: 'Text', name: 'text', type: 'string', default: '', description: 'The button label', hint: hint(LIMITS.suggestionTextChars), typeOptions: always },
	{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com', typeOptions: always, displayOptions: { show: { type: ['openUrl'] } } },
	{
		displayName: 'Open In',
		name: 'application',
		type: 'options',
		default: 'BROWSER',
		typeOptions: always,
		options: [
			{ name: 'Browser', value: 'BROWSER', description: "The phone's web browser" },
			{ name: 'Webview', value: 'WEBVIEW', description: 'A page inside the conversation' },
		],
		displayOptions: { show: { type: ['openUrl'] } },
	},
	{
		displayName: 'Webview Size',
		name: 'webviewViewMode',
		type: 'options',
		default: 'FULL',
		typeOptions: always,
		options: [
			{ name: 'Full', value: 'FULL' },
			{ name: 'Half', value: 'HALF' },
			{ name: 'Tall (3/4)', value: 'TALL' },
		],
		displayOptions: { show: { type: ['openUrl'], application: ['WEBVIEW'] } },
	},
	{
		displayName: 'Phone Number to Dial',
		name: 'dialPhoneNumber',
		type: 'string',
		default: '',
		placeholder: '+14155550123',
		description: 'With + and the country code, e.g. +14155550123',
		typeOptions: always,
		displayOptions: { show: { type: ['dial'] } },
	},
	{ displayName: 'Latitude', name: 'latitude', type: 'string', default: '', typeOptions: always, displayOptions: { show: { type: ['viewLocation'] } } },
	{ displayName: 'Longitude', name: 'longitude', type: 'string', default: '', typeOptions: always, displayOptions: { show: { type: ['viewLocation'] } } },
	{ displayName: 'Location Label', name: 'locationLabel', type: 'string', default: '', typeOptions: always, displayOptions: { show: { type: ['viewLocation'] } } },
	{
		displayName: 'Location Query',
		name: 'locationQuery',
		type: 'string',
		default: '',
		description: 'Search text instead of coordinates (Google Messages only)',
		typeOptions: always,
		displayOptions: { show: { type: ['viewLocation'] } },
	},
	{ displayName: 'Event Title', name: 'eventTitle', type: 'string', default: '', hint: hint(LIMITS.calendarTitleChars), typeOptions: always, displayOptions: { show: { type: ['calendar'] } } },
	{
		displayName: 'Event Description',
		name: 'eventDescription',
		type: 'string',
		default: '',
		hint: hint(LIMITS.calendarDescriptionChars),
		typeOptions: always,
		displayOptions: { show: { type: ['calendar'] } },
	},
	{ displayName: 'Start Time', name: 'startTime', type: 'dateTime', default: '', typeOptions: always, displayOptions: { show: { type: ['calendar'] } } },
	{ displayName: 'End Time', name: 'endTime', type: 'dateTime', default: '', typeOptions: always, displayOptions: { show: { type: ['calendar'] } } },
	{
		displayName: 'Postback Data',
		name: 'postbackData',
		type: 'string',
		default: '',
		hint: `Optional. ${hint(LIMITS.postbackDataChars)}; empty: the button text.`,
		description:
			'What your webhook receives when the button is tapped. RBM Trigger treats a tap as an opt-out when this is an opt-out keyword (e.g. "unsubscribe"), so give buttons such as "Cancel" their own value (e.g. "cancel_order").',
	},
	{
		displayName: 'Fallback URL',
		name: 'fallbackUrl',
		type: 'string',
		default: '',
		description: 'Opened when the phone cannot perform the action',
		displayOptions: { show: { type: ['openUrl', 'dial', 'viewLocation', 'shareLocation', 'calendar'] } },
	},
];

/**
 * A list of buttons (RBM: suggestions): under the message, or on a card. Each item is titled
 * "Button 1", "Button 2"… in the editor; its optional fields are behind "Add option".
 */
export function buttonsProperty(name: string, displayName: string, description: string, max: number, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		placeholder: 'Add Button',
		default: {},
		description: `${description}. Up to ${max}.`,
		options: [{ displayName: 'Button', name: 'suggestion', values: suggestionFields }],
		...extra,
		typeOptions: { multipleValues: true, sortable: true, hideOptionalFields: true, addOptionalFieldButtonText: 'Add Option', ...extra.typeOptions },
	};
}
