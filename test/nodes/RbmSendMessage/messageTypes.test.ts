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
