import type { INodeProperties } from 'n8n-workflow';

/** The fields of one suggestion chip; shared by message chips and card chips. */
export const suggestionFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'reply',
		options: [
			{ name: 'Calendar Event', value: 'calendar', description: 'Offer to add an event to the calendar' },
			{ name: 'Dial', value: 'dial', description: 'Call a phone number (e.g. your support line) when tapped' },
			{ name: 'Open URL', value: 'openUrl', description: 'Open a web page, in the browser or inside the conversation (webview)' },
			{ name: 'Reply', value: 'reply', description: 'A chip that sends its text back (the webhook gets the postback data)' },
			{ name: 'Share Location', value: 'shareLocation', description: 'Ask the user to share their location' },
			{ name: 'View Location', value: 'viewLocation', description: 'Show a place on a map: coordinates or a search such as a store name' },
		],
	},
	{ displayName: 'Text', name: 'text', type: 'string', default: '', description: 'Chip label, at most 25 characters' },
	{
		displayName: 'Postback Data',
		name: 'postbackData',
		type: 'string',
		default: '',
		description: 'What your webhook receives when the chip is tapped (at most 2048 characters). Empty: the chip text. RBM Trigger treats a tap as an opt-out when this is an opt-out keyword (e.g. "unsubscribe"), so give chips such as "Cancel" their own value (e.g. "cancel_order").',
	},
	{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com', displayOptions: { show: { type: ['openUrl'] } } },
	{
		displayName: 'Open In',
		name: 'application',
		type: 'options',
		default: 'BROWSER',
		options: [
			{ name: 'Browser', value: 'BROWSER' },
			{ name: 'Webview', value: 'WEBVIEW' },
		],
		displayOptions: { show: { type: ['openUrl'] } },
	},
	{
		displayName: 'Webview Size',
		name: 'webviewViewMode',
		type: 'options',
		default: 'FULL',
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
		displayOptions: { show: { type: ['dial'] } },
	},
	{ displayName: 'Latitude', name: 'latitude', type: 'string', default: '', displayOptions: { show: { type: ['viewLocation'] } } },
	{ displayName: 'Longitude', name: 'longitude', type: 'string', default: '', displayOptions: { show: { type: ['viewLocation'] } } },
	{ displayName: 'Location Label', name: 'locationLabel', type: 'string', default: '', displayOptions: { show: { type: ['viewLocation'] } } },
	{
		displayName: 'Location Query',
		name: 'locationQuery',
		type: 'string',
		default: '',
		description: 'Search text instead of coordinates (Google Messages only)',
		displayOptions: { show: { type: ['viewLocation'] } },
	},
	{ displayName: 'Event Title', name: 'eventTitle', type: 'string', default: '', description: 'At most 100 characters', displayOptions: { show: { type: ['calendar'] } } },
	{ displayName: 'Event Description', name: 'eventDescription', type: 'string', default: '', description: 'At most 500 characters', displayOptions: { show: { type: ['calendar'] } } },
	{ displayName: 'Start Time', name: 'startTime', type: 'dateTime', default: '', displayOptions: { show: { type: ['calendar'] } } },
	{ displayName: 'End Time', name: 'endTime', type: 'dateTime', default: '', displayOptions: { show: { type: ['calendar'] } } },
	{
		displayName: 'Fallback URL',
		name: 'fallbackUrl',
		type: 'string',
		default: '',
		description: 'Opened when the phone cannot perform the action',
		displayOptions: { show: { type: ['openUrl', 'dial', 'viewLocation', 'shareLocation', 'calendar'] } },
	},
];

export function suggestionsProperty(name: string, displayName: string, description: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		placeholder: 'Add Suggestion',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description,
		options: [{ displayName: 'Suggestion', name: 'suggestion', values: suggestionFields }],
		...extra,
	};
}
