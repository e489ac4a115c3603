/**
 * Conformance of RBM Send Message: every message type, every suggestion and action kind and every
 * option is sent through a recording proxy and each request is checked against the RBM v1 schema
 * (schema/rbm-v1.json). Where the node must also keep what it was given (JSON type), the body is
 * compared with the input.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Harness } from './conformance';
import { conformanceHarness, expectConformant } from './conformance';

let h: Harness;
beforeAll(async () => {
	h = await conformanceHarness();
});
afterAll(async () => h.close());

const base = { phoneNumber: '={{ $json.phone }}', agentId: 'welcome-bot' };
const later = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

const everySuggestion = {
	suggestion: [
		{ type: 'reply', text: 'Yes', postbackData: 'yes' },
		{ type: 'reply', text: 'No' },
		{ type: 'openUrl', text: 'Browser', url: 'https://example.com', application: 'BROWSER', fallbackUrl: 'https://example.com/f' },
		{ type: 'openUrl', text: 'Webview', url: 'https://example.com', application: 'WEBVIEW', webviewViewMode: 'HALF' },
		{ type: 'dial', text: 'Call us', dialPhoneNumber: '+1 (650) 555-0199', fallbackUrl: 'https://example.com/call' },
		{ type: 'viewLocation', text: 'Map', latitude: '37.42', longitude: '-122.08', locationLabel: 'HQ' },
		{ type: 'viewLocation', text: 'Find', locationQuery: 'Googleplex' },
		{ type: 'shareLocation', text: 'Where are you?' },
		{ type: 'calendar', text: 'Save date', eventTitle: 'Launch', startTime: '2026-12-01T10:00:00Z', endTime: '2026-12-01T11:00:00Z', eventDescription: 'Party' },
	],
};
const cardChips = { suggestion: [{ type: 'reply', text: 'Track', postbackData: 'track' }, { type: 'dial', text: 'Call', dialPhoneNumber: '650-555-0100' }] };

const CASES: Array<[string, IDataObject]> = [
	['text', { messageType: 'text', text: 'Hello' }],
	['text with every suggestion and action kind', { messageType: 'text', text: 'Pick', suggestions: everySuggestion }],
	['text with a national dial number and Default Country', { messageType: 'text', text: 'Call', suggestions: { suggestion: [{ type: 'dial', text: 'Call', dialPhoneNumber: '(650) 555-0199' }] }, options: { defaultCountry: 'US' } }],
	['rich card, vertical, media, thumbnail, alt text, card chips', {
		messageType: 'richCard', cardTitle: 'Order shipped', cardDescription: 'Arrives Friday', cardMediaUrl: 'https://example.com/box.mp4', cardThumbnailUrl: 'https://example.com/box.jpg',
		cardMediaHeight: 'TALL', cardMediaAltText: 'A brown box', cardOrientation: 'VERTICAL', cardSuggestions: cardChips, options: { defaultCountry: 'US' },
	}],
	['rich card, horizontal, right-aligned, with title', { messageType: 'richCard', cardTitle: 'Shoes', cardMediaUrl: 'https://example.com/s.jpg', cardOrientation: 'HORIZONTAL', thumbnailImageAlignment: 'RIGHT' }],
	['rich card without media', { messageType: 'richCard', cardTitle: 'Just words', cardDescription: 'No picture', cardMediaAltText: 'ignored without media' }],
	['carousel, small, with chips and alt text', {
		messageType: 'carousel', cardWidth: 'SMALL',
		cards: { card: [
			{ title: 'A', description: 'a', fileUrl: 'https://example.com/a.jpg', mediaHeight: 'MEDIUM', mediaAltText: 'Item A', suggestions: { suggestion: [{ type: 'reply', text: 'A' }] } },
			{ title: 'B', fileUrl: 'https://example.com/b.jpg', thumbnailUrl: 'https://example.com/b-t.jpg', mediaHeight: 'SHORT' },
		] },
	}],
	['carousel, medium, tall media', { messageType: 'carousel', cardWidth: 'MEDIUM', cards: { card: [{ title: 'A', fileUrl: 'https://example.com/a.jpg', mediaHeight: 'TALL' }, { description: 'B' }] } }],
	['media by URL, thumbnail, force refresh', { messageType: 'media', mediaSource: 'url', fileUrl: 'https://example.com/v.mp4', thumbnailUrl: 'https://example.com/t.jpg', forceRefresh: true }],
	['media by uploaded name', { messageType: 'media', mediaSource: 'uploaded', uploadedFileName: 'files/abc', uploadedThumbnailName: 'files/def' }],
	['JSON content message', { messageType: 'json', json: JSON.stringify({ text: 'Where?', suggestions: [{ action: { text: 'Share', postbackData: 'loc', shareLocationAction: {} } }] }) }],
	...['ACKNOWLEDGEMENT', 'AUTHENTICATION', 'PROMOTION', 'SERVICEREQUEST', 'TRANSACTION', ''].map((t): [string, IDataObject] => [
		`traffic type "${t || 'agent default'}"`, { messageType: 'text', text: 'x', options: { messageTrafficType: t } },
	]),
	['TTL', { messageType: 'text', text: 'Code 123456', options: { ttl: 300, messageTrafficType: 'AUTHENTICATION' } }],
	['fractional TTL', { messageType: 'text', text: 'x', options: { ttl: 10.5 } }],
	['Expire Time', { messageType: 'text', text: 'x', options: { expireTime: later(2) } }],
	['Idempotency Key', { messageType: 'text', text: 'x', options: { idempotencyKey: 'campaign-1-{{ $json.phone }}' } }],
];

describe('conformance: RBM Send Message builds only requests the RBM v1 schema accepts', () => {
	test.each(CASES)('%s', async (_name, parameters) => {
		const { result, requests } = await h.run({ parameters: { ...base, ...parameters }, items: [{ phone: '+16505550123' }, { phone: '+16505550404' }] });
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.method)).toEqual(['phones.agentMessages.create', 'phones.agentMessages.create']);
		expectConformant(requests);
	});

	test('dial numbers go out in E.164, however they were typed', async () => {
		const { requests } = await h.run({ parameters: { ...base, messageType: 'text', text: 'Pick', suggestions: everySuggestion }, items: [{ phone: '+16505550123' }] });
		const chips = (requests[0].body?.contentMessage as { suggestions: Array<{ action?: { dialAction?: { phoneNumber: string } } }> }).suggestions;
		expect(chips.flatMap((c) => (c.action?.dialAction ? [c.action.dialAction.phoneNumber] : []))).toEqual(['+16505550199']);
	});

	test('a horizontal card with media only is refused before sending, naming the rule and the field', async () => {
		const { result, requests } = await h.run({
			parameters: { ...base, messageType: 'richCard', cardMediaUrl: 'https://example.com/s.jpg', cardOrientation: 'HORIZONTAL' },
			items: [{ phone: '+16505550123' }],
		});
		expect(requests).toEqual([]);
		expect(result.error?.message).toMatch(/^Contact 1, the card: .*horizontal/i);
		expect(`${result.error?.message} ${result.error?.description ?? ''}`).toMatch(/title|description|suggestion/i);
	});
});

describe('conformance: Message Type = JSON sends what it is given', () => {
	const agentMessage = {
		contentMessage: { text: 'Your code is 123456' },
		messageTrafficType: 'AUTHENTICATION',
		ttl: '300s',
	};

	test('a whole AgentMessage keeps its top-level fields (traffic type, ttl)', async () => {
		const { result, requests } = await h.run({ parameters: { ...base, messageType: 'json', json: JSON.stringify(agentMessage) }, items: [{ phone: '+16505550123' }] });
		expect(result.error).toBeUndefined();
		expectConformant(requests);
		expect(requests[0].body).toEqual(agentMessage);
	});

	test('a whole AgentMessage keeps expireTime', async () => {
		const expireTime = later(1);
		const { requests } = await h.run({ parameters: { ...base, messageType: 'json', json: JSON.stringify({ contentMessage: { text: 'x' }, expireTime }) }, items: [{ phone: '+16505550123' }] });
		expectConformant(requests);
		expect(Date.parse(requests[0].body?.expireTime as string)).toBe(Date.parse(expireTime));
	});

	test('proto (snake_case) field names are accepted and sent as lowerCamelCase', async () => {
		const snake = {
			content_message: {
				rich_card: { standalone_card: { card_orientation: 'VERTICAL', card_content: { title: 'T', media: { height: 'MEDIUM', content_info: { file_url: 'https://example.com/a.jpg' } }, suggestions: [{ reply: { text: 'OK', postback_data: 'ok' } }] } } },
			},
			message_traffic_type: 'TRANSACTION',
		};
		const { result, requests } = await h.run({ parameters: { ...base, messageType: 'json', json: JSON.stringify(snake) }, items: [{ phone: '+16505550123' }] });
		expect(result.error).toBeUndefined();
		expectConformant(requests);
		expect(requests[0].body).toEqual({
			contentMessage: {
				richCard: { standaloneCard: { cardOrientation: 'VERTICAL', cardContent: { title: 'T', media: { height: 'MEDIUM', contentInfo: { fileUrl: 'https://example.com/a.jpg' } }, suggestions: [{ reply: { text: 'OK', postbackData: 'ok' } }] } } },
			},
			messageTrafficType: 'TRANSACTION',
		});
		expect(JSON.parse(requests[0].request.body)).not.toHaveProperty('content_message');
	});

	test('a dial number in JSON is normalised to E.164 too', async () => {
		const json = { text: 'Call', suggestions: [{ action: { text: 'Call', postbackData: 'c', dial_action: { phone_number: '+1 650-555-0199' } } }] };
		const { requests } = await h.run({ parameters: { ...base, messageType: 'json', json: JSON.stringify(json) }, items: [{ phone: '+16505550123' }] });
		expectConformant(requests);
		expect(JSON.stringify(requests[0].body)).toContain('"phoneNumber":"+16505550199"');
	});

	test('a horizontal media-only card in JSON is refused before sending', async () => {
		const json = { richCard: { standaloneCard: { cardOrientation: 'HORIZONTAL', thumbnailImageAlignment: 'LEFT', cardContent: { media: { height: 'MEDIUM', contentInfo: { fileUrl: 'https://example.com/a.jpg' } } } } } };
		const { result, requests } = await h.run({ parameters: { ...base, messageType: 'json', json: JSON.stringify(json) }, items: [{ phone: '+16505550123' }] });
		expect(requests).toEqual([]);
		expect(result.error?.message).toMatch(/horizontal/i);
	});
});
