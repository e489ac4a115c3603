/** The RBM Send Message UI. No execution logic here. */
import type { INodeProperties } from 'n8n-workflow';

import { agentIdField, optionsField, PHONE_HELP, phoneNumberField } from '../shared/fields';
import { sendWindowOption } from '../shared/sendWindow/options';
import { outputOptions } from './actions/message/output';
import { LIMITS } from '../shared/content/limits';
import { buttonsProperty } from '../shared/suggestionDescription';

const show = (...messageType: string[]) => ({ show: { messageType } });
/** Shown only in version 1 nodes (saved before version 2), or only from version 2: n8n's light versioning. */
const V1 = { '@version': [1] };
const V2 = { '@version': [{ _cnd: { gte: 2 } }] };
const showIn = (version: typeof V1 | typeof V2, ...messageType: string[]) => ({ show: { messageType, ...version } });
/**
 * For lists (cards, buttons) shared by several types: the same condition on Message Type, written
 * with n8n's root path "/messageType". On a change of a parameter that a list's displayOptions name
 * directly, n8n's editor (removeMismatchedOptionValues) checks the list against the node's whole
 * parameters and deletes it: that emptied every card and button on a Message Type change (issue 25
 * item 1). The root path is the same parameter to n8n (shown for the same types, at run time too),
 * so the editor leaves the list alone and keeps it while a type that shows it is chosen.
 */
const showListFor = (messageType: string[], version: object = {}) => ({ show: { '/messageType': messageType, ...version } });

/** Media heights in plain words (RBM's SHORT 112 DP, MEDIUM 168 DP, TALL 264 DP). */
const MEDIA_HEIGHTS = [
	{ name: 'Short', value: 'SHORT', description: 'A thin strip, e.g. a logo or banner' },
	{ name: 'Medium (Standard)', value: 'MEDIUM', description: 'About a third of the card' },
	{ name: 'Tall', value: 'TALL', description: 'Most of the card; not with Card Width "Small"' },
];

/** RBM's forceRefresh, in plain words. */
const DOWNLOAD_AGAIN = {
	displayName: 'Download File Again',
	description:
		'Whether Google downloads the file from its URL again instead of reusing the copy it kept from an earlier message. Turn on after changing the file behind the same URL; delivery is slower.',
};

const limit = (n: number) => `Up to ${n} characters`;

/** Card fields in the order a person reads a card; the picker ("Add option") holds the rest. */
const cardFields: INodeProperties[] = [
	{ displayName: 'Title', name: 'title', type: 'string', default: '', hint: limit(LIMITS.cardTitleChars), typeOptions: { showEvenWhenOptional: true } },
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 3, showEvenWhenOptional: true },
		default: '',
		hint: limit(LIMITS.cardDescriptionChars),
	},
	{
		displayName: 'Media URL',
		name: 'fileUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/image.jpg',
		description: 'Public image, GIF or video URL served with the right Content-Type, no redirects. Empty: a card without media.',
		typeOptions: { showEvenWhenOptional: true },
	},
	buttonsProperty('suggestions', 'Buttons on This Card', 'Buttons inside this card, under its text', LIMITS.suggestionsPerCard, {
		typeOptions: { showEvenWhenOptional: true },
	}),
	{
		displayName: 'Media Alt Text',
		name: 'mediaAltText',
		type: 'string',
		default: '',
		description: 'What the image or video shows, in plain words, read aloud by screen readers. Sent only when the card has media.',
	},
	{ displayName: 'Media Height', name: 'mediaHeight', type: 'options', default: 'MEDIUM', options: MEDIA_HEIGHTS },
	{ displayName: 'Thumbnail URL', name: 'thumbnailUrl', type: 'string', default: '', description: 'For videos: a small image (at most 100 kB) shown until the file loads' },
	{ ...DOWNLOAD_AGAIN, name: 'forceRefresh', type: 'boolean', default: false },
];

/**
 * The Cards list. Version 2: one list for Rich Card (exactly 1 card) and Carousel (2 to 10), so
 * switching between them keeps the cards (n8n drops the values of parameters a type does not show).
 * Version 1: Carousel only (its Rich Card has the card* fields below); same card fields.
 */
function cardsProperty(displayOptions: INodeProperties['displayOptions'], hint: string): INodeProperties {
	return {
		displayName: 'Cards',
		name: 'cards',
		type: 'fixedCollection',
		placeholder: 'Add Card',
		// Optional fields behind each card's "Add Option" (hideOptionalFields; n8n 2.40's editor does
		// it, an editor without it shows every field, in this order). Each card starts with its Title;
		// n8n's newer list layout (an editor experiment) also titles items "Card 1", "Card 2"….
		typeOptions: { multipleValues: true, sortable: true, hideOptionalFields: true, addOptionalFieldButtonText: 'Add Option' },
		default: {},
		description: hint,
		displayOptions,
		options: [{ displayName: 'Card', name: 'card', values: cardFields }],
	};
}

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
			{ name: 'Rich Card', value: 'richCard', description: 'One card: title, description, media, buttons' },
			{ name: 'Text', value: 'text', description: 'Text with optional buttons' },
		],
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		hint: limit(LIMITS.textChars),
		displayOptions: show('text'),
	},
	// Version 1's standalone rich card (kept so saved workflows open and run as they were)
	{ displayName: 'Card Title', name: 'cardTitle', type: 'string', default: '', hint: limit(LIMITS.cardTitleChars), displayOptions: showIn(V1, 'richCard') },
	{ displayName: 'Card Description', name: 'cardDescription', type: 'string', typeOptions: { rows: 3 }, default: '', hint: limit(LIMITS.cardDescriptionChars), displayOptions: showIn(V1, 'richCard') },
	{ displayName: 'Media URL', name: 'cardMediaUrl', type: 'string', default: '', placeholder: 'https://example.com/image.jpg', description: 'Public image/GIF/video URL served with the right Content-Type, no redirects', displayOptions: showIn(V1, 'richCard') },
	{ displayName: 'Thumbnail URL', name: 'cardThumbnailUrl', type: 'string', default: '', description: 'For videos: a small image (at most 100 kB) shown until the file loads', displayOptions: showIn(V1, 'richCard') },
	{
		displayName: 'Media Height',
		name: 'cardMediaHeight',
		type: 'options',
		default: 'MEDIUM',
		options: MEDIA_HEIGHTS,
		displayOptions: showIn(V1, 'richCard'),
	},
	{
		displayName: 'Media Alt Text',
		name: 'cardMediaAltText',
		type: 'string',
		default: '',
		description: 'What the image or video shows, in plain words, read aloud by screen readers. Sent only when the card has media.',
		displayOptions: showIn(V1, 'richCard'),
	},
	// Version 2: the cards of Rich Card and Carousel, with how many each takes in plain sight
	{
		displayName: 'Rich Card sends exactly 1 card. For 2 to 10, choose Carousel: the cards stay.',
		name: 'richCardNotice',
		type: 'notice',
		default: '',
		displayOptions: showIn(V2, 'richCard'),
	},
	{
		displayName: 'Carousel sends 2 to 10 cards, each with up to 4 buttons',
		name: 'carouselNotice',
		type: 'notice',
		default: '',
		displayOptions: showIn(V2, 'carousel'),
	},
	cardsProperty(showListFor(['richCard', 'carousel'], V2), 'Rich Card: exactly 1 card. Carousel: 2 to 10 cards. Switching between the two keeps the cards.'),
	{
		displayName: 'Orientation',
		name: 'cardOrientation',
		type: 'options',
		default: 'VERTICAL',
		options: [
			{ name: 'Vertical', value: 'VERTICAL', description: 'Media above the text' },
			{ name: 'Horizontal', value: 'HORIZONTAL', description: 'Media beside the text' },
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
	buttonsProperty('cardSuggestions', 'Buttons on This Card', 'Buttons inside the card, under its text', LIMITS.suggestionsPerCard, { displayOptions: showIn(V1, 'richCard') }),
	// Carousel
	{
		displayName: 'Card Width',
		name: 'cardWidth',
		type: 'options',
		default: 'MEDIUM',
		options: [
			{ name: 'Small', value: 'SMALL', description: 'Narrow cards, more of them on screen; no Tall media' },
			{ name: 'Medium (Standard)', value: 'MEDIUM', description: 'Wider cards' },
		],
		displayOptions: show('carousel'),
	},
	cardsProperty(showIn(V1, 'carousel'), '2 to 10 cards'),
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
	{ ...DOWNLOAD_AGAIN, name: 'forceRefresh', type: 'boolean', default: false, displayOptions: { show: { messageType: ['media'], mediaSource: ['url'] } } },
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
	buttonsProperty('suggestions', 'Buttons Under the Message', 'Buttons under the whole message, shown while it is the latest in the conversation', LIMITS.suggestionsPerMessage, {
		displayOptions: showListFor(['text', 'richCard', 'carousel', 'media']),
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
