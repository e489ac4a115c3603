/** The proto-name → JSON-name key normaliser used by Message Type = JSON. */
import { camelKey, normaliseKeys } from '../../../nodes/shared/content/normalise';
import { ContentError } from '../../../nodes/shared/content/types';

describe('camelKey', () => {
	test.each([
		['content_message', 'contentMessage'],
		['open_url_action', 'openUrlAction'],
		['lat_long', 'latLong'],
		['total_payload_size_bytes', 'totalPayloadSizeBytes'],
		['contentMessage', 'contentMessage'],
		['text', 'text'],
		['_private', '_private'],
		['Content_Message', 'Content_Message'],
	])('%s → %s', (key, expected) => expect(camelKey(key)).toBe(expected));
});

describe('normaliseKeys', () => {
	test('keys at any depth, through lists; values (even snake-looking strings) unchanged; input untouched', () => {
		const input = { content_message: { suggestions: [{ reply: { text: 'yes_no', postback_data: 'answer_yes' } }], rich_card: null } };
		const snapshot = JSON.stringify(input);
		expect(normaliseKeys(input, 'json')).toEqual({ contentMessage: { suggestions: [{ reply: { text: 'yes_no', postbackData: 'answer_yes' } }], richCard: null } });
		expect(JSON.stringify(input)).toBe(snapshot);
	});

	test('a "__proto__" key stays a plain key', () => {
		const out = normaliseKeys(JSON.parse('{"__proto__": {"polluted": true}, "a_b": 1}'), 'json') as Record<string, unknown>;
		expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(out)).toEqual(['__proto__', 'aB']);
	});

	test('the same field in both forms in one object is an error naming where', () => {
		const run = () => normaliseKeys({ list: [{ file_url: 'a', fileUrl: 'b' }] }, 'json');
		expect(run).toThrow(ContentError);
		expect(run).toThrow('"file_url" and "fileUrl" are the same field written twice');
		try {
			run();
		} catch (error) {
			expect((error as ContentError).field).toBe('json.list[0].fileUrl');
		}
	});
});
