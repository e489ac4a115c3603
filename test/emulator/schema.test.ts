/**
 * The emulator and the schema agree: every body the schema accepts, the emulator accepts (200), and
 * every body the schema rejects, the emulator rejects (400) with the same first message. The
 * verdicts themselves are pinned too, so a schema regeneration that changes them shows up here.
 */
import { startEmulator, type RbmEmulator } from '../../emulator';
import { checkMessage, SCHEMA, type RbmSchema } from '../../emulator/schema';
import { api, getToken, sendPath } from './helpers';

const img = { contentInfo: { fileUrl: 'https://example.com/a.jpg' } };
const reply = { reply: { text: 'Yes', postbackData: 'yes' } };
const action = (kind: Record<string, unknown>) => ({ action: { text: 'Go', postbackData: 'go', ...kind } });
const standalone = (orientation: string, content: Record<string, unknown>) => ({
	contentMessage: { richCard: { standaloneCard: { cardOrientation: orientation, thumbnailImageAlignment: 'LEFT', cardContent: content } } },
});
const at = (latLong: Record<string, unknown>) => ({ contentMessage: { text: 'where', suggestions: [action({ viewLocationAction: { latLong, label: 'HQ' } })] } });
const priced = (amount: Record<string, unknown>) => ({ contentMessage: { text: 'pay', suggestions: [action({ paymentRequestAction: { total: { label: 'Total', amount: { currencyCode: 'USD', ...amount } } } })] } });
const later = () => new Date(Date.now() + 3_600_000).toISOString();

const ACCEPTED: Array<[string, unknown]> = [
	['text', { contentMessage: { text: 'hi' } }],
	['every top-level input field', { contentMessage: { text: 'hi' }, messageTrafficType: 'PROMOTION', ttl: '3.5s' }],
	['expireTime', { contentMessage: { text: 'hi' }, expireTime: '__LATER__' }],
	['snake_case names', { content_message: { text: 'hi', suggestions: [{ reply: { text: 'a', postback_data: 'b' } }] }, message_traffic_type: 'TRANSACTION' }],
	['snake_case rich card', { content_message: { rich_card: { standalone_card: { card_orientation: 'VERTICAL', card_content: { title: 't', media: { height: 'TALL', content_info: { file_url: 'https://example.com/a.jpg', force_refresh: false } } } } } } }],
	['enum by number', { contentMessage: { text: 'hi' }, messageTrafficType: 2 }],
	['null is absent', { contentMessage: { text: 'hi', suggestions: null }, ttl: null }],
	['output-only fields are ignored', { name: 'phones/+1/agentMessages/x', sendTime: '2026-01-01T00:00:00Z', contentMessage: { text: 'hi' } }],
	['every action kind', {
		contentMessage: {
			text: 'pick',
			suggestions: [
				reply,
				action({ dialAction: { phoneNumber: '+16505550199' } }),
				action({ viewLocationAction: { latLong: { latitude: 37.4, longitude: -122.1 }, label: 'HQ' } }),
				action({ viewLocationAction: { query: 'Googleplex' } }),
				action({ createCalendarEventAction: { startTime: '2026-12-01T10:00:00Z', endTime: '2026-12-01T11:00:00Z', title: 'Visit', description: 'd' } }),
				action({ openUrlAction: { url: 'https://example.com', application: 'WEBVIEW', webviewViewMode: 'TALL', description: 'site' }, fallbackUrl: 'https://example.com/f' }),
				action({ shareLocationAction: {} }),
			],
		},
	}],
	['horizontal card with media and title', standalone('HORIZONTAL', { title: 't', media: img })],
	['horizontal card without media', standalone('HORIZONTAL', { description: 'only words' })],
	['card media alt text (Nov 2026)', standalone('VERTICAL', { media: { ...img, height: 'MEDIUM', contentDescription: 'A red shoe' } })],
	['carousel', { contentMessage: { richCard: { carouselCard: { cardWidth: 'SMALL', cardContents: [{ title: 'a', media: { ...img, height: 'MEDIUM' } }, { title: 'b' }] } } } }],
	['uploaded file', { contentMessage: { uploadedRbmFile: { fileName: 'files/abc', thumbnailName: 'files/def' } } }],
	['file by URL', { contentMessage: { contentInfo: { fileUrl: 'https://example.com/a.pdf' } } }],
	// proto3 JSON: a number field takes a JSON number or a string holding one (issue 24)
	['a LatLng as strings (double)', at({ latitude: '37.42', longitude: '-122.08' })],
	['a LatLng in exponent form, quoted and not', at({ latitude: '3.742e1', longitude: -1.2208e2 })],
	['a snake_case lat_long as strings', { content_message: { text: 'x', suggestions: [{ action: { text: 'Go', postback_data: 'go', view_location_action: { lat_long: { latitude: '0', longitude: '-0.5' } } } }] } }],
	['int64 and int32 as strings (Money units, nanos)', priced({ units: '12', nanos: '500000000' })],
	['int64 and int32 as numbers, int64 in exponent form', priced({ units: '1e2', nanos: 5e8 })],
];

const REJECTED: Array<[string, unknown, RegExp]> = [
	['unknown top-level field', { contentMessage: { text: 'hi' }, priority: 'HIGH' }, /Unknown name "priority" at 'agent_message'/],
	['unknown nested field', { contentMessage: { text: 'hi', colour: 'red' } }, /Unknown name "colour" at 'agent_message.content_message'/],
	['the same field twice (camel and snake)', { contentMessage: { text: 'a' }, content_message: { text: 'b' } }, /Duplicate field/],
	['no content', { contentMessage: { suggestions: [reply] } }, /one of text, .* must be set/],
	['two content kinds', { contentMessage: { text: 'x', contentInfo: { fileUrl: 'https://example.com/a.jpg' } } }, /Oneof field .* is already set/],
	['a suggestion with reply and action', { contentMessage: { text: 'x', suggestions: [{ ...reply, ...action({ shareLocationAction: {} }) }] } }, /Oneof field/],
	['an action with no kind', { contentMessage: { text: 'x', suggestions: [{ action: { text: 'Go', postbackData: 'go' } }] } }, /must be set \(oneof 'action'\)/],
	['an action with two kinds', { contentMessage: { text: 'x', suggestions: [action({ shareLocationAction: {}, dialAction: { phoneNumber: '+16505550199' } })] } }, /Oneof field/],
	['a dial number as typed', { contentMessage: { text: 'x', suggestions: [action({ dialAction: { phoneNumber: '+1 (650) 555-0199' } })] } }, /dial_action.phone_number.*E\.164/],
	['a horizontal card with media only', standalone('HORIZONTAL', { media: img }), /horizontal rich card with media must also have a title, description or suggestions/],
	['TALL media in a SMALL carousel', { contentMessage: { richCard: { carouselCard: { cardWidth: 'SMALL', cardContents: [{ title: 'a', media: { ...img, height: 'TALL' } }, { title: 'b' }] } } } }, /TALL is not allowed when cardWidth is SMALL/],
	['an unknown enum value', { contentMessage: { text: 'x' }, messageTrafficType: 'MARKETING' }, /message_traffic_type/],
	['a number for text', { contentMessage: { text: 42 } }, /content_message.text' \(TYPE_STRING\), 42/],
	['ttl without unit', { contentMessage: { text: 'x' }, ttl: '300' }, /Duration/],
	['ttl and expireTime', { contentMessage: { text: 'x' }, ttl: '10s', expireTime: '__LATER__' }, /Oneof field 'expiration'/],
	['suggestion text of 26', { contentMessage: { text: 'x', suggestions: [{ reply: { text: 'a'.repeat(26), postbackData: 'p' } }] } }, /at most 25 characters/],
	['5 card suggestions', standalone('VERTICAL', { title: 't', suggestions: [reply, reply, reply, reply, reply] }), /at most 4 items/],
	['a carousel of 1', { contentMessage: { richCard: { carouselCard: { cardContents: [{ title: 'a' }] } } } }, /at least 2 items/],
	['an empty card', standalone('VERTICAL', {}), /at least one of/],
	['a latitude that is not a number', at({ latitude: 'north', longitude: 1 }), /lat_long.latitude' \(TYPE_DOUBLE\), "north"/],
	['an empty string for a double', at({ latitude: '', longitude: 1 }), /lat_long.latitude' \(TYPE_DOUBLE\), ""/],
	['a quoted number with spaces', at({ latitude: ' 37.42', longitude: 1 }), /lat_long.latitude' \(TYPE_DOUBLE\)/],
	['a decimal comma', at({ latitude: '37,42', longitude: 1 }), /lat_long.latitude' \(TYPE_DOUBLE\), "37,42"/],
	['a hex number', at({ latitude: 1, longitude: '0x10' }), /lat_long.longitude' \(TYPE_DOUBLE\), "0x10"/],
	['a boolean for a double', at({ latitude: true, longitude: 1 }), /lat_long.latitude' \(TYPE_DOUBLE\), true/],
	['an int64 that is not whole', priced({ units: '12.5' }), /amount.units' \(TYPE_INT64\), "12.5"/],
	['an int64 that is not a number', priced({ units: 'twelve' }), /amount.units' \(TYPE_INT64\), "twelve"/],
	['an int64 past 2^63 - 1', priced({ units: '9223372036854775808' }), /amount.units' \(TYPE_INT64\)/],
	['an int32 past 2^31 - 1', priced({ nanos: '2147483648' }), /amount.nanos' \(TYPE_INT32\), "2147483648"/],
];

const resolve = (body: unknown): unknown => JSON.parse(JSON.stringify(body).replace(/"__LATER__"/g, JSON.stringify(later())));

describe('emulator ⇄ schema (phones.agentMessages.create)', () => {
	let emu: RbmEmulator;
	let token: string;
	let n = 0;
	beforeAll(async () => {
		emu = await startEmulator({ deliveryDelayMs: 60_000 });
		token = await getToken(emu);
	});
	afterAll(() => emu.close());
	const send = (body: unknown) => api(emu, token, 'POST', sendPath('+16505550123', `schema-${++n}`), body);

	it.each(ACCEPTED)('accepts %s, as the schema does', async (_name, raw) => {
		const body = resolve(raw);
		expect(checkMessage('AgentMessage', body, 'agent_message').violations).toEqual([]);
		const res = await send(body);
		expect(res.json()).toHaveProperty('name');
		expect(res.status).toBe(200);
	});

	it.each(REJECTED)('rejects %s, as the schema does', async (_name, raw, message) => {
		const body = resolve(raw);
		const checked = checkMessage('AgentMessage', body, 'agent_message');
		expect(checked.violations.map((v) => v.message).join('\n')).toMatch(message);
		const res = await send(body);
		expect(res.status).toBe(400);
		expect(res.json().error.message).toBe(checked.violations[0].message);
	});

	it('echoes numbers given as strings the way proto3 JSON writes them: doubles and int32 as numbers, int64 as strings', async () => {
		const location = await send(at({ latitude: '37.42', longitude: '-1.2208e2' }));
		expect(location.status).toBe(200);
		expect(location.json().contentMessage.suggestions[0].action.viewLocationAction.latLong).toEqual({ latitude: 37.42, longitude: -122.08 });
		const money = await send(priced({ units: 12, nanos: '500000000' }));
		expect(money.status).toBe(200);
		expect(money.json().contentMessage.suggestions[0].action.paymentRequestAction.total.amount).toEqual({ currencyCode: 'USD', units: '12', nanos: 500000000 });
	});

	it('a latitude of "NaN" or "Infinity" is a number to proto3 JSON but no place on Earth: 400', async () => {
		for (const latitude of ['NaN', 'Infinity', '-Infinity', '90.5']) {
			const res = await send(at({ latitude, longitude: '1' }));
			expect([latitude, res.status, res.json().error.message]).toEqual([latitude, 400, expect.stringMatching(/latitude must be in \[-90, 90\]/)]);
		}
	});

	it('answers snake_case input with lowerCamelCase, as Google echoes it', async () => {
		const res = await send({ content_message: { text: 'hi' }, message_traffic_type: 'TRANSACTION' });
		expect(res.json()).toMatchObject({ contentMessage: { text: 'hi' }, messageTrafficType: 'TRANSACTION' });
	});

	it('refuses a query parameter the method does not have, as Google does', async () => {
		const res = await api(emu, token, 'POST', `${sendPath('+16505550123', `schema-${++n}`)}&priority=high`, { contentMessage: { text: 'x' } });
		expect(res.status).toBe(400);
		expect(res.json().error.message).toMatch(/Unknown name "priority": Cannot bind query parameter/);
		expect((await api(emu, token, 'POST', `${sendPath('+16505550123', `schema-${++n}`)}&prettyPrint=false`, { contentMessage: { text: 'x' } })).status).toBe(200);
	});

	it('says exactly which of Google\'s artifacts it was derived from', () => {
		const sources = SCHEMA.sources as Array<{ repository?: string; commit?: string; paths?: string[] }>;
		const repos = sources.filter((s) => s.repository).map((s) => [s.repository, /^[0-9a-f]{40}$/.test(s.commit ?? ''), (s.paths ?? []).length > 0]);
		expect(repos).toEqual([
			['rcs-business-messaging/rcsforbusiness-samples', true, true],
			['google-business-communications/java-rcsbusinessmessaging', true, true],
		]);
	});

	it('refuses an unknown name in every message of the schema', () => {
		for (const name of Object.keys(SCHEMA.messages)) {
			const { violations } = checkMessage(name, { notAField: 1 });
			expect(violations.some((v) => v.kind === 'unknown' && v.message.includes('"notAField"'))).toBe(true);
		}
	});
});

describe('number fields as proto3 JSON reads them (https://protobuf.dev/programming-guides/json/)', () => {
	const schema: RbmSchema = {
		sources: [],
		enums: {},
		methods: {},
		messages: {
			Numbers: {
				fields: {
					i32: { proto: 'i32', type: 'int32' },
					i64: { proto: 'i64', type: 'int64' },
					u64: { proto: 'u64', type: 'uint64' },
					d: { proto: 'd', type: 'double' },
					f: { proto: 'f', type: 'float' },
				},
			},
		},
	};
	const read = (field: string, value: unknown) => checkMessage('Numbers', { [field]: value }, '', schema);

	it.each([
		['i32', 5, 5], ['i32', '5', 5], ['i32', '-5', -5], ['i32', '1e2', 100], ['i32', '100.0', 100], ['i32', 1e2, 100], ['i32', '2147483647', 2147483647], ['i32', '-2147483648', -2147483648], ['i32', '0', 0],
		['i64', '9223372036854775807', '9223372036854775807'], ['i64', '-9223372036854775808', '-9223372036854775808'], ['i64', 12, '12'], ['i64', '12', '12'], ['i64', '1.5e1', '15'], ['i64', '1500e-2', '15'],
		['u64', '18446744073709551615', '18446744073709551615'], ['u64', 0, '0'],
		['d', '37.42', 37.42], ['d', '-1e-3', -0.001], ['d', '1E+2', 100], ['d', 0, 0], ['d', 'NaN', 'NaN'], ['d', 'Infinity', 'Infinity'], ['d', '-Infinity', '-Infinity'],
		['f', '1.5', 1.5], ['f', '3.4028234e38', 3.4028234e38], ['f', 'NaN', 'NaN'],
	])('%s: %j is accepted as %j', (field, value, canonical) => {
		const { violations, value: out } = read(field, value);
		expect(violations).toEqual([]);
		expect(out[field]).toEqual(canonical);
	});

	it.each([
		['i32', '2147483648'], ['i32', -2147483649], ['i32', 1.5], ['i32', '1.5'], ['i32', '1e10'], ['i32', ''], ['i32', ' 1'], ['i32', '1 '], ['i32', '+1'], ['i32', '0x10'], ['i32', '01'], ['i32', 'abc'], ['i32', true], ['i32', 'NaN'],
		['i64', '9223372036854775808'], ['i64', '-9223372036854775809'], ['i64', '1e19'], ['i64', '1e400'], ['i64', '12.5'], ['i64', 'Infinity'],
		['u64', '-1'], ['u64', -1], ['u64', '18446744073709551616'],
		['d', 'abc'], ['d', ''], ['d', ' 1'], ['d', '1e400'], ['d', 'nan'], ['d', 'inf'], ['d', '0x10'], ['d', '1,5'], ['d', '.5'], ['d', '5.'], ['d', true], ['d', [1]],
		['f', '3.5e38'], ['f', 3.5e38], ['f', '-3.5e38'],
	])('%s: %j is refused with its type', (field, value) => {
		const { violations } = read(field, value);
		expect(violations).toHaveLength(1);
		expect(violations[0]).toMatchObject({ field, kind: 'type' });
		expect(violations[0].message).toBe(`Invalid value at '${field}' (TYPE_${{ i32: 'INT32', i64: 'INT64', u64: 'UINT64', d: 'DOUBLE', f: 'FLOAT' }[field]}), ${JSON.stringify(value)}`);
	});
});
