/**
 * The bad-input corpus: every case runs as the middle of three items under Continue On Fail.
 * The bad item must fail alone with an error that names the item and the field, the two good
 * items must be sent, and no secret may appear anywhere in the run.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { EmulatorFixture } from '../helpers/emulator';
import { emulatorWithCredential } from '../helpers/emulator';
import { expectNoSecrets } from '../helpers/secrets';
import { itemError, runNode } from '../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => {
	fx.emulator.reset();
	fx.emulator.configure({ faults: {} });
});
afterAll(async () => fx.emulator.close());

const x = (n: number, c = 'x') => c.repeat(n);
const reply = (text: string, postbackData = 'pb') => ({ type: 'reply', text, postbackData });
const replies = (n: number) => ({ suggestion: Array.from({ length: n }, (_, i) => reply(`chip ${i}`)) });
const cards = (n: number) => ({ card: Array.from({ length: n }, (_, i) => ({ title: `Card ${i}` })) });

/** Per-item values: the bad item's `value` reaches the parameter named by `param` through an expression. */
type Case = { name: string; param?: string; value?: unknown; params?: IDataObject; field: string | RegExp; message: RegExp };

const base: IDataObject = { phoneNumber: '={{ $json.phone }}', agentId: '={{ $json.agent }}', messageType: 'text', text: '={{ $json.text }}' };
const good = (i: number): IDataObject => ({ phone: `+1650555${String(2000 + i)}`, agent: 'welcome-bot', text: 'Hello', content: { text: 'Hi' }, title: 'T', key: `k-${i}` });

const cases: Case[] = [
	// phones
	{ name: 'phone with letters', param: 'phone', value: '+1 650 CALL NOW', field: 'phoneNumber', message: /characters that are not part of a phone number/ },
	{ name: 'phone with emoji', param: 'phone', value: '+16505550123 📱', field: 'phoneNumber', message: /characters that are not part of a phone number/ },
	{ name: 'phone too short', param: 'phone', value: '+1650', field: 'phoneNumber', message: /not a possible phone number/ },
	{ name: 'phone too long', param: 'phone', value: '+165055501234567890', field: 'phoneNumber', message: /not a possible phone number/ },
	{ name: 'phone without country', param: 'phone', value: '650 555 0123', field: 'phoneNumber', message: /no country code/ },
	{ name: 'phone empty', param: 'phone', value: '', field: 'phoneNumber', message: /is empty/ },
	{ name: 'phone is an object', param: 'phone', value: { number: '+16505550123' }, field: 'phoneNumber', message: /must be text, got object/ },
	{ name: 'phone is a list', param: 'phone', value: ['+16505550123'], field: 'phoneNumber', message: /must be text/ },
	{ name: 'phone unknown country code', param: 'phone', value: '+999 1234 5678', field: 'phoneNumber', message: /not a possible phone number/ },
	// agent ids
	{ name: 'agent id empty', param: 'agent', value: '', field: 'agentId', message: /Agent ID is missing or malformed/ },
	{ name: 'agent id with spaces', param: 'agent', value: 'my agent', field: 'agentId', message: /Agent ID is missing or malformed/ },
	{ name: 'agent id with a slash', param: 'agent', value: 'agents/x', field: 'agentId', message: /Agent ID is missing or malformed/ },
	{ name: 'agent id is an object', param: 'agent', value: { id: 'x' }, field: 'agentId', message: /Agent ID is missing or malformed/ },
	// text limits ±1 (the -1 side is in "at the limit passes" below)
	{ name: 'text 3073 characters', param: 'text', value: x(3073), field: 'contentMessage.text', message: /3073 characters, at most 3072/ },
	{ name: 'text empty', param: 'text', value: '', field: 'contentMessage.text', message: /Text is required/ },
	{ name: 'text is an object', param: 'text', value: { a: 1 }, field: 'contentMessage.text', message: /Text must be text, got object/ },
	{ name: 'text is a list', param: 'text', value: ['a'], field: 'contentMessage.text', message: /Text must be text, got a list/ },
	{ name: '12 chips', params: { suggestions: replies(12) }, field: 'contentMessage.suggestions', message: /12 buttons under the message, at most 11/ },
	{ name: 'chip text 26 characters', params: { suggestions: { suggestion: [reply(x(26))] } }, field: 'contentMessage.suggestions[0].reply.text', message: /button 1 under the message: Text is 26 characters, at most 25/ },
	{ name: 'chip text empty', params: { suggestions: { suggestion: [reply('')] } }, field: 'contentMessage.suggestions[0].reply.text', message: /Text is required/ },
	{ name: 'postback 2049 characters', params: { suggestions: { suggestion: [reply('ok', x(2049))] } }, field: 'reply.postbackData', message: /2049 characters, at most 2048/ },
	{ name: 'open-URL chip without a URL', params: { suggestions: { suggestion: [{ type: 'openUrl', text: 'go' }] } }, field: 'openUrlAction.url', message: /URL is required/ },
	{ name: 'open-URL chip with a non-http URL', params: { suggestions: { suggestion: [{ type: 'openUrl', text: 'go', url: 'javascript:alert(1)' }] } }, field: 'openUrlAction.url', message: /must be an http\(s\) URL/ },
	{ name: 'open-URL chip URL 2049 characters', params: { suggestions: { suggestion: [{ type: 'openUrl', text: 'go', url: `https://e.com/${x(2035)}` }] } }, field: 'openUrlAction.url', message: /2049 characters/ },
	{ name: 'dial chip with letters', params: { suggestions: { suggestion: [{ type: 'dial', text: 'call', dialPhoneNumber: 'CALL-US' }] } }, field: 'dialAction.phoneNumber', message: /Phone Number "CALL-US" contains characters that are not part of a phone number/ },
	{ name: 'location chip latitude 91', params: { suggestions: { suggestion: [{ type: 'viewLocation', text: 'map', latitude: '91', longitude: '0' }] } }, field: 'latLong.latitude', message: /Latitude must be a number between -90 and 90/ },
	{ name: 'location chip longitude not a number', params: { suggestions: { suggestion: [{ type: 'viewLocation', text: 'map', latitude: '1', longitude: 'east' }] } }, field: 'latLong.longitude', message: /Longitude must be a number/ },
	{ name: 'calendar chip ends before it starts', params: { suggestions: { suggestion: [{ type: 'calendar', text: 'cal', eventTitle: 'E', startTime: '2026-12-02T00:00:00Z', endTime: '2026-12-01T00:00:00Z' }] } }, field: 'createCalendarEventAction.endTime', message: /End Time is before Start Time/ },
	{ name: 'calendar chip title 101 characters', params: { suggestions: { suggestion: [{ type: 'calendar', text: 'cal', eventTitle: x(101), startTime: '2026-12-01T00:00:00Z', endTime: '2026-12-02T00:00:00Z' }] } }, field: 'createCalendarEventAction.title', message: /101 characters/ },
	{ name: 'calendar chip description 501 characters', params: { suggestions: { suggestion: [{ type: 'calendar', text: 'cal', eventTitle: 'E', eventDescription: x(501), startTime: '2026-12-01T00:00:00Z', endTime: '2026-12-02T00:00:00Z' }] } }, field: 'createCalendarEventAction.description', message: /501 characters/ },
	{ name: 'calendar chip without a start time', params: { suggestions: { suggestion: [{ type: 'calendar', text: 'cal', eventTitle: 'E', endTime: '2026-12-02T00:00:00Z' }] } }, field: 'createCalendarEventAction.startTime', message: /Start Time must be a date-time/ },
	// cards
	{ name: 'card title 201 characters', params: { messageType: 'richCard', cardTitle: '={{ $json.title }}' }, param: 'title', value: x(201), field: 'cardContent.title', message: /the card: Title is 201 characters, at most 200/ },
	{ name: 'card description 2001 characters', params: { messageType: 'richCard', cardTitle: 'T', cardDescription: x(2001) }, field: 'cardContent.description', message: /2001 characters/ },
	{ name: 'card with nothing in it', params: { messageType: 'richCard', cardTitle: '={{ $json.title }}' }, param: 'title', value: '', field: 'cardContent', message: /at least a title, a description or media/ },
	{ name: 'card media URL not http', params: { messageType: 'richCard', cardTitle: 'T', cardMediaUrl: 'ftp://e.com/a.jpg' }, field: 'contentInfo.fileUrl', message: /must be an http\(s\) URL/ },
	{ name: 'card with 5 chips', params: { messageType: 'richCard', cardTitle: 'T', cardSuggestions: replies(5) }, field: 'cardContent.suggestions', message: /5 buttons on the card, at most 4/ },
	{ name: 'carousel of 1 card', params: { messageType: 'carousel', cards: cards(1) }, field: 'carouselCard.cardContents', message: /1 card; RBM needs 2 to 10/ },
	{ name: 'carousel of 11 cards', params: { messageType: 'carousel', cards: cards(11) }, field: 'carouselCard.cardContents', message: /11 cards; RBM needs 2 to 10/ },
	{ name: 'small carousel with tall media', params: { messageType: 'carousel', cardWidth: 'SMALL', cards: { card: [{ title: 'a', fileUrl: 'https://e.com/a.jpg', mediaHeight: 'TALL' }, { title: 'b' }] } }, field: 'media.height', message: /card 1: Media Height TALL is not allowed when the carousel's Card Width is SMALL/ },
	{ name: 'carousel card title 201 characters', params: { messageType: 'carousel', cards: { card: [{ title: x(201) }, { title: 'b' }] } }, field: 'cardContents[0].title', message: /^Contact 1, card 1: Title is 201 characters/ },
	// media
	{ name: 'media without a URL', params: { messageType: 'media', mediaSource: 'url', fileUrl: '={{ $json.missing }}' }, field: 'contentInfo.fileUrl', message: /File URL is required/ },
	{ name: 'media thumbnail not a URL', params: { messageType: 'media', mediaSource: 'url', fileUrl: 'https://e.com/v.mp4', thumbnailUrl: 'thumb.jpg' }, field: 'contentInfo.thumbnailUrl', message: /must be an http\(s\) URL/ },
	{ name: 'uploaded file name without files/', params: { messageType: 'media', mediaSource: 'uploaded', uploadedFileName: 'abc' }, field: 'uploadedRbmFile.fileName', message: /files\/<id>/ },
	// raw JSON
	{ name: 'raw JSON truncated', params: { messageType: 'json', json: '{"text": "hi", "suggestions": [' }, field: 'json', message: /The JSON is not valid at line 1, column 32: the JSON ends too early/ },
	{ name: 'raw JSON is a list', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: [{ text: 'a' }], field: 'contentMessage', message: /must be a JSON object/ },
	{ name: 'raw JSON with no content', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { suggestions: [] }, field: 'contentMessage', message: /no content/ },
	{ name: 'raw JSON with a misspelt field', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { txt: 'a' }, field: 'json.txt', message: /^Contact 2: The JSON has an unknown field "txt": did you mean "text"\?$/ },
	{ name: 'raw JSON card with a misspelt field', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { richCard: { carouselCard: { cardWidth: 'MEDIUM', cardContents: [{ title: 'a' }, { title: 'b', descripton: 'c' }] } } }, field: 'json.richCard.carouselCard.cardContents[1].descripton', message: /^Contact 2, card 2: The JSON has an unknown field "descripton": did you mean "description"\?$/ },
	{ name: 'raw JSON with two contents', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { text: 'a', richCard: {} }, field: 'contentMessage', message: /exactly one of text, richCard/ },
	{ name: 'raw JSON chip with reply and action', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { text: 'a', suggestions: [{ reply: { text: 'a' }, action: { text: 'b' } }] }, field: 'contentMessage.suggestions[0]', message: /exactly one of "reply" or "action"/ },
	{ name: 'raw JSON action with no action', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { text: 'a', suggestions: [{ action: { text: 'b', postbackData: 'b' } }] }, field: 'contentMessage.suggestions[0].action', message: /exactly one of openUrlAction/ },
	{ name: 'raw JSON with a retired compose action', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { text: 'a', suggestions: [{ action: { text: 'b', postbackData: 'b', composeAction: {} } }] }, field: 'composeAction', message: /paused or retired/ },
	{ name: 'raw JSON text is a number', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { text: 42 }, field: 'contentMessage.text', message: /Text must be text, got number/ },
	{ name: 'raw JSON over 250 KB', params: { messageType: 'json', json: '={{ $json.content }}' }, param: 'content', value: { richCard: { carouselCard: { cardWidth: 'MEDIUM', cardContents: Array.from({ length: 10 }, () => ({ description: x(2000), suggestions: Array.from({ length: 4 }, () => ({ reply: { text: 'a', postbackData: x(2048, '😀') } })) })) } } }, field: 'contentMessage', message: /RBM allows at most 250 KB/ },
	// options
	{ name: 'TTL and expire time together', params: { options: { ttl: 60, expireTime: '2099-01-01T00:00:00Z' } }, field: 'options.ttl', message: /either Options › TTL or Options › Expire Time/ },
	{ name: 'TTL of 15 days + 1 s', params: { options: { ttl: 1296001 } }, field: 'options.ttl', message: /between 1 and 1296000 seconds/ },
	{ name: 'TTL not a number', params: { options: { ttl: '={{ "soon" }}' } }, field: 'options.ttl', message: /TTL must be between/ },
	{ name: 'expire time in the past', params: { options: { expireTime: '2000-01-01T00:00:00Z' } }, field: 'options.expireTime', message: /in the past/ },
	{ name: 'expire time 16 days ahead', params: { options: { expireTime: '={{ $now.plus({ days: 16 }).toISO() }}' } }, field: 'options.expireTime', message: /more than 15 days ahead/ },
	{ name: 'expire time not a date', params: { options: { expireTime: 'next friday' } }, field: 'options.expireTime', message: /not a date-time/ },
	{ name: 'unknown traffic type', params: { options: { messageTrafficType: '={{ "SPAM" }}' } }, field: 'options.messageTrafficType', message: /Traffic Type must be one of/ },
	{ name: 'unknown default country', params: { options: { defaultCountry: 'XX' } }, param: 'phone', value: '650 555 0123', field: 'phoneNumber', message: /not an ISO 3166 country code/ },
];

test(`the corpus has at least 50 cases (${cases.length})`, () => {
	expect(cases.length).toBeGreaterThanOrEqual(50);
});

describe('bad input: a clear per-item error naming the field; the other items go through; no secret', () => {
	test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const bad = { ...good(1), ...(c.param ? { [c.param]: c.value } : {}) } as IDataObject;
		// Options and content parameters apply to all items: the good items stay valid only for
		// per-item values, so parameter-level cases check the bad item alone.
		const perItem = c.param !== undefined && !c.params?.options;
		const items = perItem ? [good(0), bad, good(2)] : [bad];
		const r = await runNode({ items, parameters: { ...base, ...c.params }, credentials: fx.credentials, settings: { onError: 'continueRegularOutput' } });
		expect(r.error).toBeUndefined();
		const errors = r.outputs[0].filter((i) => i.json.error);
		expect(errors).toHaveLength(1);
		const [failed] = errors;
		const badIndex = perItem ? 1 : 0;
		expect(failed.pairedItem).toEqual({ item: badIndex });
		expect(itemError(failed)?.message).toMatch(new RegExp(`^Contact ${badIndex + 1}[,:] `));
		// The message counts from 1 and names no API path; the path and n8n's 0-based index are in the description.
		expect(itemError(failed)?.message).not.toMatch(/\[\d+\]|contentMessage|cardContents/);
		expect(itemError(failed)?.description).toContain(`Contact ${badIndex + 1} is n8n's Item Index ${badIndex}`);
		expect(itemError(failed)?.message).toMatch(c.message);
		expect(itemError(failed)?.description).toEqual(expect.stringMatching(typeof c.field === 'string' ? new RegExp(c.field.replace(/[.[\]()]/g, '\\$&')) : c.field));
		if (perItem) {
			expect(r.outputs[0].filter((i) => !i.json.error).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
			expect(fx.emulator.stats().accepted).toBe(2);
		}
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(perItem ? 2 : 0);
		expectNoSecrets(r.run, fx.keyJson);
	});
});

describe('every limit: at the limit passes', () => {
	test.each([
		['text of 3072', { text: x(3072) }],
		['11 chips of 25 characters with 2048-character postbacks', { suggestions: { suggestion: Array.from({ length: 11 }, () => reply(x(25), x(2048))) } }],
		['card title 200, description 2000, 4 chips', { messageType: 'richCard', cardTitle: x(200), cardDescription: x(2000), cardSuggestions: replies(4) }],
		['carousel of 2', { messageType: 'carousel', cards: cards(2) }],
		['carousel of 10', { messageType: 'carousel', cards: cards(10) }],
		['TTL of 15 days', { options: { ttl: 1296000 } }],
		['calendar title 100, description 500', { suggestions: { suggestion: [{ type: 'calendar', text: 'cal', eventTitle: x(100), eventDescription: x(500), startTime: '2026-12-01T00:00:00Z', endTime: '2026-12-02T00:00:00Z' }] } }],
	])('%s', async (_name, params) => {
		const r = await runNode({ items: [good(0)], parameters: { ...base, ...params }, credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(fx.emulator.stats().accepted).toBe(1);
	});
});

describe('broken keys and a misbehaving server', () => {
	const run = (credentials: ICredentialDataDecryptedObject) =>
		runNode({ items: [good(0), good(1)], parameters: base, credentials: { ...fx.credentials, ...credentials }, settings: { onError: 'continueRegularOutput' } });

	test.each([
		['truncated key JSON', () => fx.keyJson.slice(0, 400), /is not valid JSON/],
		['a foreign JSON file', () => JSON.stringify({ web: { client_id: 'x', client_secret: 'y' } }), /missing "client_email" and "private_key"/],
		['an OAuth user credential', () => JSON.stringify({ type: 'authorized_user', refresh_token: 'r' }), /not a service-account key/],
		['a key with a mangled private key', () => JSON.stringify({ ...JSON.parse(fx.keyJson), private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }), /access token.*private key could not be used|Could not get an access token/],
	])('%s: every item says so, nothing leaks', async (_name, key, message) => {
		const r = await run({ serviceAccountJson: key() });
		expect(r.outputs[0].map((i) => itemError(i)?.message)).toEqual([expect.stringMatching(message), expect.stringMatching(message)]);
		expectNoSecrets(r.run, fx.keyJson);
	});

	test('a revoked key (invalid_grant) names the fix', async () => {
		const { startEmulator } = await import('../../emulator');
		const other = await startEmulator({ host: '127.0.0.1', port: 0 });
		try {
			const foreign = JSON.stringify({ ...other.createServiceAccountKey(), token_uri: `${fx.emulator.url}/token` });
			const r = await run({ serviceAccountJson: foreign });
			for (const item of r.outputs[0]) {
				expect(itemError(item)?.message).toMatch(/invalid_grant/);
				expect(itemError(item)?.description).toMatch(/deleted or disabled/);
			}
			expectNoSecrets(r.run, foreign);
		} finally {
			await other.close();
		}
	});

	test.each(['garbage-html', 'empty-body', 'truncated-json'] as const)('the server answers %s every time: a clear error after the retries, no secret', async (kind) => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: [kind, kind, kind] } } });
		const r = await runNode({ items: [good(0)], parameters: { ...base, options: { maxRetries: 2 } }, credentials: fx.credentials, settings: { onError: 'continueRegularOutput' } });
		expect(itemError(r.outputs[0][0])?.message).toMatch(/RBM send failed: 200 UNREADABLE_RESPONSE: RBM answered HTTP 200 with a body that is not JSON \(after 3 attempts\)/);
		expectNoSecrets(r.run, fx.keyJson);
	});
});
