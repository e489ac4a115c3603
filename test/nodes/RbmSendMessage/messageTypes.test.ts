import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential } from '../../helpers/emulator';
import { runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => fx.emulator.reset());
afterAll(async () => fx.emulator.close());

const base = { phoneNumber: '={{ $json.phone }}', agentId: 'welcome-bot' };

async function sendOne(parameters: Record<string, unknown>) {
	const result = await runNode({ items: [{ phone: '+1 (650) 555.0123' }], parameters: { ...base, ...parameters }, credentials: fx.credentials });
	expect(result.error).toBeUndefined();
	const [sent] = result.outputs;
	expect(sent).toHaveLength(1);
	const messageId = sent[0].json.messageId as string;
	const stat = fx.emulator.stats().messages[messageId];
	expect(stat).toBeDefined();
	const last = fx.emulator.stats().lastRequest['agentMessages.create'];
	return { sent: sent[0], body: stat.body as Record<string, unknown>, last, messageId };
}

describe('RBM Send Message: the exact request per message type', () => {
	test('text with every kind of suggestion, traffic type and TTL', async () => {
		const { body, last, messageId, sent } = await sendOne({
			messageType: 'text',
			text: 'Pick one',
			suggestions: {
				suggestion: [
					{ type: 'reply', text: 'Yes', postbackData: 'answer_yes' },
					{ type: 'reply', text: 'No' },
					{ type: 'openUrl', text: 'Site', url: 'https://example.com', application: 'WEBVIEW', webviewViewMode: 'TALL' },
					{ type: 'dial', text: 'Call us', dialPhoneNumber: '+16505550199' },
					{ type: 'viewLocation', text: 'Map', latitude: '37.42', longitude: '-122.08', locationLabel: 'HQ' },
					{ type: 'shareLocation', text: 'Where are you?' },
					{ type: 'calendar', text: 'Save date', eventTitle: 'Launch', startTime: '2026-12-01T10:00:00Z', endTime: '2026-12-01T11:00:00Z', eventDescription: 'Party' },
				],
			},
			options: { messageTrafficType: 'PROMOTION', ttl: 3600 },
		});
		expect(last.method).toBe('POST');
		expect(last.path).toBe('/v1/phones/+16505550123/agentMessages');
		expect(last.query).toEqual({ messageId, agentId: 'welcome-bot' });
		expect(last.headers['content-type']).toMatch(/application\/json/);
		expect(messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(body).toEqual({
			contentMessage: {
				text: 'Pick one',
				suggestions: [
					{ reply: { text: 'Yes', postbackData: 'answer_yes' } },
					{ reply: { text: 'No', postbackData: 'No' } },
					{ action: { text: 'Site', postbackData: 'Site', openUrlAction: { url: 'https://example.com', application: 'WEBVIEW', webviewViewMode: 'TALL' } } },
					{ action: { text: 'Call us', postbackData: 'Call us', dialAction: { phoneNumber: '+16505550199' } } },
					{ action: { text: 'Map', postbackData: 'Map', viewLocationAction: { latLong: { latitude: 37.42, longitude: -122.08 }, label: 'HQ' } } },
					{ action: { text: 'Where are you?', postbackData: 'Where are you?', shareLocationAction: {} } },
					{
						action: {
							text: 'Save date',
							postbackData: 'Save date',
							createCalendarEventAction: { startTime: '2026-12-01T10:00:00.000Z', endTime: '2026-12-01T11:00:00.000Z', title: 'Launch', description: 'Party' },
						},
					},
				],
			},
			messageTrafficType: 'PROMOTION',
			ttl: '3600s',
		});
		expect(sent.json).toMatchObject({ messageId, phoneNumber: '+16505550123', agentId: 'welcome-bot', name: `phones/+16505550123/agentMessages/${messageId}` });
		expect(sent.json.sendTime).toEqual(expect.any(String));
		expect(sent.pairedItem).toEqual({ item: 0 });
	});

	test('standalone rich card, horizontal, with card chips and an expire time', async () => {
		const expireTime = new Date(Date.now() + 3_600_000).toISOString();
		const { body } = await sendOne({
			messageType: 'richCard',
			cardTitle: 'Order shipped',
			cardDescription: 'Arrives Friday',
			cardMediaUrl: 'https://example.com/box.jpg',
			cardMediaHeight: 'TALL',
			cardOrientation: 'HORIZONTAL',
			thumbnailImageAlignment: 'RIGHT',
			cardSuggestions: { suggestion: [{ type: 'reply', text: 'Track', postbackData: 'track' }] },
			options: { expireTime },
		});
		expect(body).toEqual({
			contentMessage: {
				richCard: {
					standaloneCard: {
						cardOrientation: 'HORIZONTAL',
						thumbnailImageAlignment: 'RIGHT',
						cardContent: {
							title: 'Order shipped',
							description: 'Arrives Friday',
							media: { height: 'TALL', contentInfo: { fileUrl: 'https://example.com/box.jpg' } },
							suggestions: [{ reply: { text: 'Track', postbackData: 'track' } }],
						},
					},
				},
			},
			expireTime,
		});
	});

	test('carousel of cards with per-card chips and message chips', async () => {
		const { body } = await sendOne({
			messageType: 'carousel',
			cardWidth: 'SMALL',
			cards: {
				card: [
					{ title: 'Red', description: 'A red shirt', fileUrl: 'https://example.com/red.jpg', mediaHeight: 'SHORT', suggestions: { suggestion: [{ type: 'reply', text: 'Buy red', postbackData: 'buy:red' }] } },
					{ title: 'Blue', fileUrl: 'https://example.com/blue.jpg', thumbnailUrl: 'https://example.com/blue-t.jpg', mediaHeight: 'MEDIUM' },
				],
			},
			suggestions: { suggestion: [{ type: 'openUrl', text: 'All shirts', url: 'https://example.com/shirts' }] },
		});
		expect(body).toEqual({
			contentMessage: {
				richCard: {
					carouselCard: {
						cardWidth: 'SMALL',
						cardContents: [
							{ title: 'Red', description: 'A red shirt', media: { height: 'SHORT', contentInfo: { fileUrl: 'https://example.com/red.jpg' } }, suggestions: [{ reply: { text: 'Buy red', postbackData: 'buy:red' } }] },
							{ title: 'Blue', media: { height: 'MEDIUM', contentInfo: { fileUrl: 'https://example.com/blue.jpg', thumbnailUrl: 'https://example.com/blue-t.jpg' } } },
						],
					},
				},
				// n8n fills the "Open In" default (Browser) into the row.
				suggestions: [{ action: { text: 'All shirts', postbackData: 'All shirts', openUrlAction: { url: 'https://example.com/shirts', application: 'BROWSER' } } }],
			},
		});
	});

	test('media by URL with thumbnail and force refresh', async () => {
		const { body } = await sendOne({ messageType: 'media', mediaSource: 'url', fileUrl: 'https://example.com/v.mp4', thumbnailUrl: 'https://example.com/t.jpg', forceRefresh: true });
		expect(body).toEqual({ contentMessage: { contentInfo: { fileUrl: 'https://example.com/v.mp4', thumbnailUrl: 'https://example.com/t.jpg', forceRefresh: true } } });
	});

	test('media by uploaded file name', async () => {
		const { body } = await sendOne({ messageType: 'media', mediaSource: 'uploaded', uploadedFileName: 'files/abc123', uploadedThumbnailName: 'files/def456' });
		expect(body).toEqual({ contentMessage: { uploadedRbmFile: { fileName: 'files/abc123', thumbnailName: 'files/def456' } } });
	});

	test('raw JSON content, from an expression, sent as it is', async () => {
		const content = { text: 'Raw', suggestions: [{ reply: { text: 'Ok', postbackData: 'ok' } }] };
		const result = await runNode({ items: [{ phone: '+16505550123', content }], parameters: { ...base, messageType: 'json', json: '={{ $json.content }}' }, credentials: fx.credentials });
		expect(result.error).toBeUndefined();
		const messageId = result.outputs[0][0].json.messageId as string;
		expect(fx.emulator.stats().messages[messageId].body).toEqual({ contentMessage: content });
	});

	test('raw JSON given as a whole AgentMessage uses its contentMessage', async () => {
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify({ contentMessage: { text: 'Whole' } }) });
		expect(body).toEqual({ contentMessage: { text: 'Whole' } });
	});
});

describe('Message Type = JSON: a whole AgentMessage keeps its top-level fields', () => {
	const content = { text: 'Your code is 123456' };

	test('messageTrafficType and ttl are sent with the content', async () => {
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify({ contentMessage: content, messageTrafficType: 'AUTHENTICATION', ttl: '300s' }) });
		expect(body).toEqual({ contentMessage: content, messageTrafficType: 'AUTHENTICATION', ttl: '300s' });
	});

	test('a fractional ttl and an expireTime are sent as written', async () => {
		const a = await sendOne({ messageType: 'json', json: JSON.stringify({ contentMessage: content, ttl: '3.5s' }) });
		expect(a.body).toEqual({ contentMessage: content, ttl: '3.5s' });
		const expireTime = new Date(Date.now() + 3_600_000).toISOString().replace('Z', '+00:00');
		const b = await sendOne({ messageType: 'json', json: JSON.stringify({ contentMessage: content, expireTime }) });
		expect(b.body).toEqual({ contentMessage: content, expireTime });
	});

	test('output-only fields of a pasted API answer (name, sendTime, richMessageClassification, totalPayloadSizeBytes, carrier) are left out', async () => {
		const pasted = {
			name: 'phones/+16505550000/agentMessages/old-id',
			sendTime: '2026-11-01T10:00:00Z',
			contentMessage: content,
			messageTrafficType: 'TRANSACTION',
			richMessageClassification: { classificationType: 'RICH_MEDIA_MESSAGE', segmentCount: 1 },
			totalPayloadSizeBytes: '512',
			carrier: 'tmobile',
		};
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify(pasted) });
		expect(body).toEqual({ contentMessage: content, messageTrafficType: 'TRANSACTION' });
	});

	test('the same field in Options and in the JSON with the same value is sent once', async () => {
		const { body } = await sendOne({
			messageType: 'json',
			json: JSON.stringify({ contentMessage: content, messageTrafficType: 'PROMOTION', ttl: '3600s' }),
			options: { messageTrafficType: 'PROMOTION', ttl: 3600 },
		});
		expect(body).toEqual({ contentMessage: content, messageTrafficType: 'PROMOTION', ttl: '3600s' });
	});

	test('Options fill what the JSON leaves out', async () => {
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify({ contentMessage: content, ttl: '60s' }), options: { messageTrafficType: 'TRANSACTION' } });
		expect(body).toEqual({ contentMessage: content, messageTrafficType: 'TRANSACTION', ttl: '60s' });
	});
});

describe('Message Type = JSON: proto (snake_case) field names, as Google\'s JSON API takes them', () => {
	test('every key is turned into lowerCamelCase, values are kept as they are', async () => {
		const snake = {
			content_message: {
				rich_card: {
					standalone_card: {
						card_orientation: 'HORIZONTAL',
						thumbnail_image_alignment: 'LEFT',
						card_content: {
							title: 'snake_case_title',
							media: { height: 'MEDIUM', content_info: { file_url: 'https://example.com/a_b.jpg', thumbnail_url: 'https://example.com/t_b.jpg', force_refresh: true } },
							suggestions: [
								{ reply: { text: 'Yes', postback_data: 'answer_yes' } },
								{ action: { text: 'Web', postback_data: 'open_web', fallback_url: 'https://example.com/fall_back', open_url_action: { url: 'https://example.com', application: 'WEBVIEW', webview_view_mode: 'HALF' } } },
								{ action: { text: 'Call', postback_data: 'dial_us', dial_action: { phone_number: '+16505550199' } } },
							],
						},
					},
				},
				suggestions: [
					{ action: { text: 'Map', postback_data: 'map', view_location_action: { lat_long: { latitude: 37.4, longitude: -122.1 }, label: 'HQ' } } },
					{ action: { text: 'Where?', postback_data: 'where', share_location_action: {} } },
					{ action: { text: 'Save', postback_data: 'save', create_calendar_event_action: { start_time: '2026-12-01T10:00:00Z', end_time: '2026-12-01T11:00:00Z', title: 'Launch' } } },
				],
			},
			message_traffic_type: 'TRANSACTION',
			expire_time: new Date(Date.now() + 3_600_000).toISOString(),
		};
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify(snake) });
		expect(body).toEqual({
			contentMessage: {
				richCard: {
					standaloneCard: {
						cardOrientation: 'HORIZONTAL',
						thumbnailImageAlignment: 'LEFT',
						cardContent: {
							title: 'snake_case_title',
							media: { height: 'MEDIUM', contentInfo: { fileUrl: 'https://example.com/a_b.jpg', thumbnailUrl: 'https://example.com/t_b.jpg', forceRefresh: true } },
							suggestions: [
								{ reply: { text: 'Yes', postbackData: 'answer_yes' } },
								{ action: { text: 'Web', postbackData: 'open_web', fallbackUrl: 'https://example.com/fall_back', openUrlAction: { url: 'https://example.com', application: 'WEBVIEW', webviewViewMode: 'HALF' } } },
								{ action: { text: 'Call', postbackData: 'dial_us', dialAction: { phoneNumber: '+16505550199' } } },
							],
						},
					},
				},
				suggestions: [
					{ action: { text: 'Map', postbackData: 'map', viewLocationAction: { latLong: { latitude: 37.4, longitude: -122.1 }, label: 'HQ' } } },
					{ action: { text: 'Where?', postbackData: 'where', shareLocationAction: {} } },
					{ action: { text: 'Save', postbackData: 'save', createCalendarEventAction: { startTime: '2026-12-01T10:00:00Z', endTime: '2026-12-01T11:00:00Z', title: 'Launch' } } },
				],
			},
			messageTrafficType: 'TRANSACTION',
			expireTime: snake.expire_time,
		});
	});

	test('carousels and uploaded files in snake_case (content only, no AgentMessage around it)', async () => {
		const carousel = {
			rich_card: {
				carousel_card: {
					card_width: 'MEDIUM',
					card_contents: [
						{ title: 'A', media: { height: 'SHORT', uploaded_rbm_file: { file_name: 'files/a1', thumbnail_name: 'files/t1' } } },
						{ title: 'B', description: 'b' },
					],
				},
			},
		};
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify(carousel) });
		expect(body).toEqual({
			contentMessage: {
				richCard: {
					carouselCard: {
						cardWidth: 'MEDIUM',
						cardContents: [{ title: 'A', media: { height: 'SHORT', uploadedRbmFile: { fileName: 'files/a1', thumbnailName: 'files/t1' } } }, { title: 'B', description: 'b' }],
					},
				},
			},
		});
		const file = await sendOne({ messageType: 'json', json: JSON.stringify({ uploaded_rbm_file: { file_name: 'files/v1' } }) });
		expect(file.body).toEqual({ contentMessage: { uploadedRbmFile: { fileName: 'files/v1' } } });
	});
});

describe('dial chips are sent in E.164', () => {
	test('numbers typed with spaces and brackets, and national numbers with the Default Country', async () => {
		const { body } = await sendOne({
			messageType: 'text',
			text: 'Call us',
			suggestions: {
				suggestion: [
					{ type: 'dial', text: 'Sales', dialPhoneNumber: '+1 (650) 555-0199' },
					{ type: 'dial', text: 'Support', dialPhoneNumber: '(650) 555.0100' },
				],
			},
			options: { defaultCountry: 'US' },
		});
		expect((body.contentMessage as { suggestions: unknown }).suggestions).toEqual([
			{ action: { text: 'Sales', postbackData: 'Sales', dialAction: { phoneNumber: '+16505550199' } } },
			{ action: { text: 'Support', postbackData: 'Support', dialAction: { phoneNumber: '+16505550100' } } },
		]);
	});

	test('card and carousel chips too', async () => {
		const card = await sendOne({ messageType: 'richCard', cardTitle: 'T', cardSuggestions: { suggestion: [{ type: 'dial', text: 'Call', dialPhoneNumber: '0044 20 7946 0958' }] } });
		expect(card.body).toMatchObject({ contentMessage: { richCard: { standaloneCard: { cardContent: { suggestions: [{ action: { dialAction: { phoneNumber: '+442079460958' } } }] } } } } });
		const carousel = await sendOne({
			messageType: 'carousel',
			cards: { card: [{ title: 'A', suggestions: { suggestion: [{ type: 'dial', text: 'Call', dialPhoneNumber: '+44 20 7946-0958' }] } }, { title: 'B' }] },
		});
		expect(carousel.body).toMatchObject({ contentMessage: { richCard: { carouselCard: { cardContents: [{ suggestions: [{ action: { dialAction: { phoneNumber: '+442079460958' } } }] }, { title: 'B' }] } } } });
	});

	test('and in Message Type = JSON', async () => {
		const json = { text: 'Call', suggestions: [{ action: { text: 'Call', postbackData: 'call', dialAction: { phoneNumber: '020 7946 0958' } } }] };
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify(json), options: { defaultCountry: 'GB' } });
		expect(body).toEqual({ contentMessage: { text: 'Call', suggestions: [{ action: { text: 'Call', postbackData: 'call', dialAction: { phoneNumber: '+442079460958' } } }] } });
	});
});

describe('card media alt text (media.contentDescription)', () => {
	test('a standalone card sends its alt text with the media', async () => {
		const { body } = await sendOne({ messageType: 'richCard', cardTitle: 'Shoes', cardMediaUrl: 'https://example.com/shoe.jpg', cardMediaAltText: 'A red running shoe, side view' });
		expect(body.contentMessage).toEqual({
			richCard: {
				standaloneCard: {
					cardOrientation: 'VERTICAL',
					cardContent: { title: 'Shoes', media: { height: 'MEDIUM', contentDescription: 'A red running shoe, side view', contentInfo: { fileUrl: 'https://example.com/shoe.jpg' } } },
				},
			},
		});
	});

	test('each carousel card sends its own; empty alt text and cards without media send none', async () => {
		const { body } = await sendOne({
			messageType: 'carousel',
			cards: {
				card: [
					{ title: 'Red', fileUrl: 'https://example.com/red.jpg', mediaAltText: 'A red shirt' },
					{ title: 'Blue', fileUrl: 'https://example.com/blue.jpg', mediaAltText: '  ' },
					{ title: 'Text only', mediaAltText: 'Nothing to describe' },
				],
			},
		});
		expect(body.contentMessage).toEqual({
			richCard: {
				carouselCard: {
					cardWidth: 'MEDIUM',
					cardContents: [
						{ title: 'Red', media: { height: 'MEDIUM', contentDescription: 'A red shirt', contentInfo: { fileUrl: 'https://example.com/red.jpg' } } },
						{ title: 'Blue', media: { height: 'MEDIUM', contentInfo: { fileUrl: 'https://example.com/blue.jpg' } } },
						{ title: 'Text only' },
					],
				},
			},
		});
	});

	test('Message Type = JSON takes it, in either key style', async () => {
		const card = (media: object) => ({ richCard: { standaloneCard: { cardOrientation: 'VERTICAL', cardContent: { title: 'T', media } } } });
		const { body } = await sendOne({ messageType: 'json', json: JSON.stringify(card({ content_description: 'A map of the store', content_info: { file_url: 'https://example.com/map.png' } })) });
		expect(body.contentMessage).toEqual(card({ contentDescription: 'A map of the store', contentInfo: { fileUrl: 'https://example.com/map.png' } }));
	});
});
