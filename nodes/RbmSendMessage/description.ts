/** The RBM Send Message UI. No execution logic here. */
import type { INodeProperties } from 'n8n-workflow';

import { agentIdField, optionsField, PHONE_HELP, phoneNumberField } from '../shared/fields';
import { sendWindowOption } from '../shared/sendWindow/options';
import { outputOptions } from './actions/message/output';
import { suggestionsProperty } from '../shared/suggestionDescription';

const show = (...messageType: string[]) => ({ show: { messageType } });

const MEDIA_HEIGHTS = [
	{ name: 'Short (112 DP)', value: 'SHORT' },
	{ name: 'Medium (168 DP)', value: 'MEDIUM' },
	{ name: 'Tall (264 DP)', value: 'TALL' },
];

export const sendMessageProperties: INodeProperties[] = [
	{ ...phoneNumberField, description: `The recipient's mobile number. ${PHONE_HELP}` },
	{ ...agentIdField, description: 'The RBM agent that sends, without "@rbm.goog" (it is removed if present)' },
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		default: 'text',
		options: [
			{ name: 'Carousel', value: 'carousel', description: '2 to 10 cards side by side' },
			{ name: 'JSON', value: 'json', description: 'A raw AgentContentMessage, for anything the form lacks' },
			{ name: 'Media', value: 'media', description: 'An image, video, audio or PDF file' },
			{ name: 'Rich Card', value: 'richCard', description: 'One card: media, title, description, chips' },
			{ name: 'Text', value: 'text', description: 'Text with optional suggestion chips' },
		],
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'At most 3072 characters',
		displayOptions: show('text'),
	},
	// Standalone rich card
	{ displayName: 'Card Title', name: 'cardTitle', type: 'string', default: '', description: 'At most 200 characters', displayOptions: show('richCard') },
	{ displayName: 'Card Description', name: 'cardDescription', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'At most 2000 characters', displayOptions: show('richCard') },
	{ displayName: 'Media URL', name: 'cardMediaUrl', type: 'string', default: '', placeholder: 'https://example.com/image.jpg', description: 'Public image/GIF/video URL served with the right Content-Type, no redirects', displayOptions: show('richCard') },
	{ displayName: 'Thumbnail URL', name: 'cardThumbnailUrl', type: 'string', default: '', description: 'For videos: a small image (at most 100 kB) shown until the file loads', displayOptions: show('richCard') },
	{
		displayName: 'Media Height',
		name: 'cardMediaHeight',
		type: 'options',
		default: 'MEDIUM',
		options: MEDIA_HEIGHTS,
		displayOptions: show('richCard'),
	},
	{
		displayName: 'Media Alt Text',
		name: 'cardMediaAltText',
		type: 'string',
		default: '',
		description: 'What the image or video shows, in plain words, read aloud by screen readers. Sent only when the card has media.',
		displayOptions: show('richCard'),
	},
	{
		displayName: 'Orientation',
		name: 'cardOrientation',
		type: 'options',
		default: 'VERTICAL',
		options: [
			{ name: 'Vertical', value: 'VERTICAL' },
			{ name: 'Horizontal', value: 'HORIZONTAL' },
		],
		displayOptions: show('richCard'),
	},
	{
		displayName: 'Image Alignment',
		name: 'thumbnailImageAlignment',
		type: 'options',
		default: 'LEFT',
		options: [
			{ name: 'Left', value: 'LEFT' },
			{ name: 'Right', value: 'RIGHT' },
		],
		displayOptions: { show: { messageType: ['richCard'], cardOrientation: ['HORIZONTAL'] } },
	},
	suggestionsProperty('cardSuggestions', 'Card Suggestions', 'Chips inside the card (at most 4)', { displayOptions: show('richCard') }),
	// Carousel
	{
		displayName: 'Card Width',
		name: 'cardWidth',
		type: 'options',
		default: 'MEDIUM',
		options: [
			{ name: 'Small (120 DP, No Tall Media)', value: 'SMALL' },
			{ name: 'Medium (232 DP)', value: 'MEDIUM' },
		],
		displayOptions: show('carousel'),
	},
	{
		displayName: 'Cards',
		name: 'cards',
		type: 'fixedCollection',
		placeholder: 'Add Card',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description: '2 to 10 cards',
		displayOptions: show('carousel'),
		options: [
			{
				displayName: 'Card',
				name: 'card',
				// Sorted by display name, as n8n's lint asks.
				values: [
					suggestionsProperty('suggestions', 'Card Suggestions', 'Chips inside this card (at most 4)'),
					{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'At most 2000 characters' },
					{
						displayName: 'Media Alt Text',
						name: 'mediaAltText',
						type: 'string',
						default: '',
						description: 'What the image or video shows, in plain words, read aloud by screen readers. Sent only when the card has media.',
					},
					{
						displayName: 'Media Height',
						name: 'mediaHeight',
						type: 'options',
						default: 'MEDIUM',
						options: MEDIA_HEIGHTS,
					},
					{ displayName: 'Media URL', name: 'fileUrl', type: 'string', default: '' },
					{ displayName: 'Thumbnail URL', name: 'thumbnailUrl', type: 'string', default: '' },
					{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'At most 200 characters' },
				],
			},
		],
	},
	// Media
	{
		displayName: 'File Source',
		name: 'mediaSource',
		type: 'options',
		default: 'url',
		options: [
			{ name: 'URL', value: 'url', description: 'A public URL RBM downloads' },
			{ name: 'Uploaded File', value: 'uploaded', description: 'A "files/…" name returned by an RBM file upload' },
		],
		displayOptions: show('media'),
	},
	{ displayName: 'File URL', name: 'fileUrl', type: 'string', default: '', placeholder: 'https://example.com/video.mp4', description: 'Public URL with the right Content-Type; redirects are not followed', displayOptions: { show: { messageType: ['media'], mediaSource: ['url'] } } },
	{ displayName: 'Thumbnail URL', name: 'thumbnailUrl', type: 'string', default: '', description: 'Image shown until the file loads (at most 100 kB)', displayOptions: { show: { messageType: ['media'], mediaSource: ['url'] } } },
	{ displayName: 'Force Refresh', name: 'forceRefresh', type: 'boolean', default: false, description: 'Whether RBM should fetch the file again instead of using its cache (slower delivery)', displayOptions: { show: { messageType: ['media'], mediaSource: ['url'] } } },
	{ displayName: 'Uploaded File Name', name: 'uploadedFileName', type: 'string', default: '', placeholder: 'files/abc123', displayOptions: { show: { messageType: ['media'], mediaSource: ['uploaded'] } } },
	{ displayName: 'Uploaded Thumbnail Name', name: 'uploadedThumbnailName', type: 'string', default: '', placeholder: 'files/def456', displayOptions: { show: { messageType: ['media'], mediaSource: ['uploaded'] } } },
	// Raw JSON
	{
		displayName: 'JSON',
		name: 'json',
		type: 'json',
		default: '{\n  "text": "Hello from n8n",\n  "suggestions": [{ "reply": { "text": "Hi!", "postbackData": "hi" } }]\n}',
		description: 'An AgentContentMessage, or a whole AgentMessage with "contentMessage" and optionally "messageTrafficType", "ttl" or "expireTime". camelCase or snake_case field names. It is checked against every RBM limit before sending.',
		displayOptions: show('json'),
	},
	suggestionsProperty('suggestions', 'Suggestions', 'Chips under the message (at most 11). Shown while the message is the latest in the conversation.', {
		displayOptions: show('text', 'richCard', 'carousel', 'media'),
	}),
	optionsField([
		{
			displayName: 'Campaign ID',
			name: 'campaignId',
			type: 'string',
			default: '',
			placeholder: 'spring-sale-2026',
			description: 'A name for this campaign. Every item that comes out carries it as "campaignId", so a report can count results per campaign.',
		},
		{
			displayName: 'Expire Time',
			name: 'expireTime',
			type: 'dateTime',
			default: '',
			description: 'RBM revokes the message if it is not delivered by then (at most 15 days ahead). Use either this or TTL.',
		},
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			placeholder: '={{ $json.campaignId }}-{{ $json.phone }}',
			description: 'A stable key per message: the message ID is derived from it, so re-running a whole campaign never sends twice. A UUID is used as the ID as it is. Empty: the ID is stable within this execution (covers retries and Retry On Fail).',
		},
		...outputOptions,
		sendWindowOption,
		{
			displayName: 'Skip (Suppressed)',
			name: 'suppress',
			type: 'boolean',
			default: false,
			description:
				'Whether to skip this person: an expression that is true for people on your opt-out list, e.g. the "optedOut" field a lookup before this node adds. Skipped people get nothing: they come out of "Sent" marked "suppressed": true and "sent": false, never out of Not Reachable (no SMS either).',
		},
		{
			displayName: 'Traffic Type',
			name: 'messageTrafficType',
			type: 'options',
			default: '',
			description: 'Required for multi-use agents; otherwise the agent\'s default applies',
			options: [
				{ name: 'Acknowledgement', value: 'ACKNOWLEDGEMENT' },
				{ name: 'Agent Default', value: '' },
				{ name: 'Authentication (OTP)', value: 'AUTHENTICATION' },
				{ name: 'Promotion', value: 'PROMOTION' },
				{ name: 'Service Request', value: 'SERVICEREQUEST' },
				{ name: 'Transaction', value: 'TRANSACTION' },
			],
		},
		{
			displayName: 'TTL (Seconds)',
			name: 'ttl',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1296000 },
			default: 86400,
			description: 'RBM revokes the message if it is not delivered within this time (at most 15 days). Use either this or Expire Time.',
		},
	]),
];
