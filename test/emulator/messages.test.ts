import { startEmulator, type RbmEmulator } from '../../emulator';
import { api, getToken, request, sendPath, waitFor } from './helpers';

const PHONE = '+12223334444';
const text = (t: string): unknown => ({ contentMessage: { text: t } });
const reply = (t: string, p = 'p'): unknown => ({ reply: { text: t, postbackData: p } });
const card = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ title: 'T', ...extra });

describe('emulator: agentMessages.create validation', () => {
	let emu: RbmEmulator;
	let token: string;
	let n = 0;
	beforeAll(async () => {
		emu = await startEmulator({ deliveryDelayMs: 10_000 });
		token = await getToken(emu);
	});
	afterAll(() => emu.close());
	const send = (body: unknown, phone = PHONE) => api(emu, token, 'POST', sendPath(phone, `v-${++n}`), body);

	it('accepts a text message and echoes it with name and sendTime', async () => {
		const res = await api(emu, token, 'POST', sendPath(PHONE, 'echo-1'), { contentMessage: { text: 'hi' }, messageTrafficType: 'TRANSACTION', ttl: '300s' });
		expect(res.status).toBe(200);
		const b = res.json();
		expect(b.name).toBe(`phones/${PHONE}/agentMessages/echo-1`);
		expect(b.contentMessage).toEqual({ text: 'hi' });
		expect(b.messageTrafficType).toBe('TRANSACTION');
		expect(Date.parse(b.sendTime)).not.toBeNaN();
		expect(Date.parse(b.expireTime) - Date.parse(b.sendTime)).toBeGreaterThan(299_000);
		expect(b.ttl).toBeUndefined();
	});

	it('accepts a %2B-encoded phone', async () => {
		const res = await send(text('x'), '%2B12223334444');
		expect(res.status).toBe(200);
		expect(res.json().name).toMatch(/^phones\/\+12223334444\//);
	});

	it.each([
		['text at 3072', { contentMessage: { text: 'a'.repeat(3072) } }, 200],
		['text at 3073', { contentMessage: { text: 'a'.repeat(3073) } }, 400],
		['11 suggestions', { contentMessage: { text: 'x', suggestions: Array.from({ length: 11 }, (_, i) => reply(`r${i}`)) } }, 200],
		['12 suggestions', { contentMessage: { text: 'x', suggestions: Array.from({ length: 12 }, (_, i) => reply(`r${i}`)) } }, 400],
		['suggestion text 25', { contentMessage: { text: 'x', suggestions: [reply('a'.repeat(25))] } }, 200],
		['suggestion text 26', { contentMessage: { text: 'x', suggestions: [reply('a'.repeat(26))] } }, 400],
		['postbackData 2049', { contentMessage: { text: 'x', suggestions: [reply('a', 'p'.repeat(2049))] } }, 400],
		['card title 200', { contentMessage: { richCard: { standaloneCard: { cardOrientation: 'VERTICAL', cardContent: card({ title: 't'.repeat(200) }) } } } }, 200],
		['card title 201', { contentMessage: { richCard: { standaloneCard: { cardOrientation: 'VERTICAL', cardContent: card({ title: 't'.repeat(201) }) } } } }, 400],
		['card description 2001', { contentMessage: { richCard: { standaloneCard: { cardContent: card({ description: 'd'.repeat(2001) }) } } } }, 400],
		['5 card suggestions', { contentMessage: { richCard: { standaloneCard: { cardContent: card({ suggestions: [1, 2, 3, 4, 5].map((i) => reply(`r${i}`)) }) } } } }, 400],
		['carousel of 1', { contentMessage: { richCard: { carouselCard: { cardWidth: 'MEDIUM', cardContents: [card()] } } } }, 400],
		['carousel of 2', { contentMessage: { richCard: { carouselCard: { cardWidth: 'MEDIUM', cardContents: [card(), card()] } } } }, 200],
		['carousel of 10', { contentMessage: { richCard: { carouselCard: { cardContents: Array.from({ length: 10 }, () => card()) } } } }, 200],
		['carousel of 11', { contentMessage: { richCard: { carouselCard: { cardContents: Array.from({ length: 11 }, () => card()) } } } }, 400],
		['two content kinds', { contentMessage: { text: 'x', contentInfo: { fileUrl: 'https://e.com/a.jpg' } } }, 400],
		['no content', { contentMessage: { suggestions: [reply('a')] } }, 400],
		['ttl and expireTime', { contentMessage: { text: 'x' }, ttl: '10s', expireTime: new Date(Date.now() + 60_000).toISOString() }, 400],
		['ttl 15 days', { contentMessage: { text: 'x' }, ttl: '1296000s' }, 200],
		['ttl 15 days + 1 s', { contentMessage: { text: 'x' }, ttl: '1296001s' }, 400],
		['ttl without unit', { contentMessage: { text: 'x' }, ttl: '300' }, 400],
		['ttl with nanos', { contentMessage: { text: 'x' }, ttl: '3.5s' }, 200],
		['bad traffic type', { contentMessage: { text: 'x' }, messageTrafficType: 'MARKETING' }, 400],
		['calendar title 101', { contentMessage: { text: 'x', suggestions: [{ action: { text: 'Cal', postbackData: 'c', createCalendarEventAction: { startTime: '2030-01-01T10:00:00Z', endTime: '2030-01-01T11:00:00Z', title: 't'.repeat(101) } } }] } }, 400],
		['calendar description 500', { contentMessage: { text: 'x', suggestions: [{ action: { text: 'Cal', postbackData: 'c', createCalendarEventAction: { startTime: '2030-01-01T10:00:00Z', endTime: '2030-01-01T11:00:00Z', title: 'T', description: 'd'.repeat(500) } } }] } }, 200],
		['openUrl url 2049', { contentMessage: { text: 'x', suggestions: [{ action: { text: 'Go', postbackData: 'g', openUrlAction: { url: `https://e.com/${'a'.repeat(2035)}` } } }] } }, 400],
		['action with two actions', { contentMessage: { text: 'x', suggestions: [{ action: { text: 'Go', dialAction: { phoneNumber: '+1222' }, shareLocationAction: {} } }] } }, 400],
		['unknown field', { contentMessage: { text: 'x', txet: 'y' } }, 400],
	])('%s → %i', async (_label, body, status) => {
		const res = await send(body);
		expect(res.status).toBe(status);
		if (status === 400) {
			expect(res.json().error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.any(String) });
		}
	});

	it('names the field in the message, Google style', async () => {
		const res = await send({ contentMessage: { text: 'a'.repeat(3073) } });
		const err = res.json().error;
		expect(err.message).toContain("Invalid value at 'agent_message.content_message.text'");
		expect(err.message).toContain('must be at most 3072 characters (got 3073)');
		expect(err.details[0].fieldViolations[0].field).toBe('agent_message.content_message.text');
	});

	it('rejects a body over 250 KB', async () => {
		const res = await send({ contentMessage: { text: 'x' }, padding: 'p'.repeat(260 * 1024) });
		expect(res.status).toBe(400);
		expect(res.json().error.message).toContain('250 KB');
	});

	it('rejects a non-E.164 phone, a missing messageId and a missing agentId', async () => {
		const bad = await api(emu, token, 'POST', sendPath('12223334444', 'p-1'), text('x'));
		expect(bad.status).toBe(400);
		expect(bad.json().error.status).toBe('INVALID_ARGUMENT');
		const noId = await api(emu, token, 'POST', `/v1/phones/${PHONE}/agentMessages?agentId=a`, text('x'));
		expect(noId.status).toBe(400);
		const noAgent = await api(emu, token, 'POST', `/v1/phones/${PHONE}/agentMessages?messageId=na-1`, text('x'));
		expect(noAgent.status).toBe(403);
		expect(noAgent.json().error.status).toBe('PERMISSION_DENIED');
	});

	it('answers 404 NOT_FOUND for the unreachable test range (numbers ending in 404)', async () => {
		const res = await send(text('x'), '+15550000404');
		expect(res.status).toBe(404);
		expect(res.json().error).toEqual({ code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND', details: [] });
		expect(emu.stats().notFound).toBeGreaterThanOrEqual(1);
	});

	it('stores the agent id in short form', async () => {
		await api(emu, token, 'POST', sendPath(PHONE, 'short-1', 'my-agent@rbm.goog'), text('x'));
		expect(emu.stats().messages['short-1'].agentId).toBe('my-agent');
	});
});

describe('emulator: duplicates, delivery and revocation', () => {
	let emu: RbmEmulator;
	let token: string;
	beforeAll(async () => {
		emu = await startEmulator({ deliveryDelayMs: 30, offline: ['^\\+1999'], offlineDeliveryMs: 10_000 });
		token = await getToken(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.configure({ duplicateMode: 'conflict' }));

	it('answers 409 ALREADY_EXISTS for a reused messageId (also across messages and events)', async () => {
		expect((await api(emu, token, 'POST', sendPath(PHONE, 'dup-1'), text('a'))).status).toBe(200);
		const again = await api(emu, token, 'POST', sendPath(PHONE, 'dup-1'), text('a'));
		expect(again.status).toBe(409);
		expect(again.json().error).toMatchObject({ code: 409, status: 'ALREADY_EXISTS', message: 'Message with id dup-1 already exists' });
		const ev = await api(emu, token, 'POST', `/v1/phones/${PHONE}/agentEvents?eventId=dup-1&agentId=test-agent`, { eventType: 'IS_TYPING' });
		expect(ev.status).toBe(409);
		const s = emu.stats();
		expect(s.messages['dup-1'].count).toBe(2);
		expect(s.duplicates).toBe(2);
		// another agent has its own id space
		expect((await api(emu, token, 'POST', sendPath(PHONE, 'dup-1', 'other-agent'), text('a'))).status).toBe(200);
	});

	it("answers 200 with the original AgentMessage in 'ok' mode", async () => {
		emu.configure({ duplicateMode: 'ok' });
		const first = await api(emu, token, 'POST', sendPath(PHONE, 'dup-ok'), text('first'));
		const again = await api(emu, token, 'POST', sendPath(PHONE, 'dup-ok'), text('second'));
		expect(again.status).toBe(200);
		expect(again.json()).toEqual(first.json());
		expect(emu.stats().messages['dup-ok'].count).toBe(2);
	});

	it('delivers online messages after deliveryDelayMs; revoke then answers 404', async () => {
		await api(emu, token, 'POST', sendPath(PHONE, 'del-1'), text('a'));
		await waitFor(() => emu.stats().messages['del-1'].delivered);
		const res = await api(emu, token, 'DELETE', `/v1/phones/${PHONE}/agentMessages/del-1?agentId=test-agent`);
		expect(res.status).toBe(404);
	});

	it('revokes an undelivered (offline) message: 200 {} and never delivered', async () => {
		await api(emu, token, 'POST', sendPath('+19995550000', 'off-1'), text('a'));
		const res = await api(emu, token, 'DELETE', `/v1/phones/+19995550000/agentMessages/off-1?agentId=test-agent`);
		expect(res.status).toBe(200);
		expect(res.json()).toEqual({});
		const m = emu.stats().messages['off-1'];
		expect(m).toMatchObject({ revoked: true, delivered: false });
		const unknown = await api(emu, token, 'DELETE', `/v1/phones/${PHONE}/agentMessages/never-sent?agentId=test-agent`);
		expect(unknown.status).toBe(404);
	});
});

describe('emulator: events, capabilities, batchGet, files', () => {
	let emu: RbmEmulator;
	let token: string;
	beforeAll(async () => {
		emu = await startEmulator();
		token = await getToken(emu);
	});
	afterAll(() => emu.close());

	it('creates IS_TYPING and READ events', async () => {
		const typing = await api(emu, token, 'POST', `/v1/phones/${PHONE}/agentEvents?eventId=ev-1&agentId=a`, { eventType: 'IS_TYPING' });
		expect(typing.status).toBe(200);
		expect(typing.json()).toMatchObject({ name: `phones/${PHONE}/agentEvents/ev-1`, eventType: 'IS_TYPING', sendTime: expect.any(String) });
		const read = await api(emu, token, 'POST', `/v1/phones/${PHONE}/agentEvents?eventId=ev-2&agentId=a`, { eventType: 'READ', messageId: 'user-msg-1' });
		expect(read.status).toBe(200);
		expect(emu.stats().events).toEqual([
			{ eventId: 'ev-1', phoneNumber: PHONE, agentId: 'a', eventType: 'IS_TYPING' },
			{ eventId: 'ev-2', phoneNumber: PHONE, agentId: 'a', eventType: 'READ', messageId: 'user-msg-1' },
		]);
	});

	it('rejects READ without messageId and unknown event types; 404 when unreachable', async () => {
		expect((await api(emu, token, 'POST', `/v1/phones/${PHONE}/agentEvents?eventId=ev-3&agentId=a`, { eventType: 'READ' })).status).toBe(400);
		expect((await api(emu, token, 'POST', `/v1/phones/${PHONE}/agentEvents?eventId=ev-4&agentId=a`, { eventType: 'IS_TYPING_ACTIVE' })).status).toBe(400);
		expect((await api(emu, token, 'POST', `/v1/phones/+1555000404/agentEvents?eventId=ev-5&agentId=a`, { eventType: 'IS_TYPING' })).status).toBe(404);
	});

	it('answers capabilities, or 404 for unreachable phones', async () => {
		const ok = await api(emu, token, 'GET', `/v1/phones/${PHONE}/capabilities?requestId=rq-1&agentId=a`);
		expect(ok.status).toBe(200);
		expect(ok.json().features).toEqual(expect.arrayContaining(['REVOCATION', 'RICHCARD_CAROUSEL', 'ACTION_OPEN_URL_IN_WEBVIEW']));
		const nf = await api(emu, token, 'GET', `/v1/phones/+1555000404/capabilities?requestId=rq-2&agentId=a`);
		expect(nf.status).toBe(404);
		expect(emu.stats().capabilityChecks).toBe(2);
	});

	it('answers users:batchGet at the regional endpoint of its numbers and validates the list', async () => {
		const res = await api(emu, token, 'POST', '/us/v1/users:batchGet', { users: [PHONE, '+1555000404', '+12223335555'], agentId: 'a' });
		expect(res.status).toBe(200);
		expect(res.json()).toMatchObject({ reachableUsers: [PHONE, '+12223335555'], totalRandomSampleUserCount: 0, reachableRandomSampleUserCount: 0 });
		const big = Array.from({ length: 600 }, (_, i) => `+1222${String(1000001 + 2 * i)}`);
		const sample = (await api(emu, token, 'POST', '/us/v1/users:batchGet?agentId=a', { users: big })).json();
		expect(sample.reachableUsers).toHaveLength(600);
		expect(sample.totalRandomSampleUserCount).toBe(450);
		const us = (p: unknown) => api(emu, token, 'POST', '/us/v1/users:batchGet', p);
		expect((await us({ users: [], agentId: 'a' })).status).toBe(400);
		expect((await us({ users: [PHONE, PHONE], agentId: 'a' })).status).toBe(400);
		expect((await us({ users: ['123'], agentId: 'a' })).status).toBe(400);
		expect((await us({ users: Array.from({ length: 10_001 }, (_, i) => `+1222${String(1000000 + i)}`), agentId: 'a' })).status).toBe(400);
		emu.configure({ strictBatchMinimum: true });
		expect((await us({ users: [PHONE], agentId: 'a' })).status).toBe(400);
		emu.configure({ strictBatchMinimum: false });
		expect(emu.stats().batchGets).toEqual([{ count: 3, endpoint: 'us' }, { count: 600, endpoint: 'us' }]);
	});

	it.each([
		['the global endpoint', '/v1/users:batchGet', [PHONE], /regional endpoint us-rcsbusinessmessaging\.googleapis\.com/],
		['another region', '/europe/v1/users:batchGet', [PHONE], /regional endpoint us-rcsbusinessmessaging/],
		['mixed regions', '/us/v1/users:batchGet', [PHONE, '+447700900123'], /same geographic region \(found us, europe\)/],
		['a number of no region', '/asia/v1/users:batchGet', ['+80012345678'], /belongs to no RBM region/],
	])('refuses users:batchGet sent to %s (400, as Google since May 2026)', async (_name, path, users, message) => {
		const res = await api(emu, token, 'POST', path, { users, agentId: 'a' });
		expect(res.status).toBe(400);
		expect(res.json().error.message).toMatch(message);
	});

	it('answers each region at its own endpoint and maps reachable US numbers by carrier', async () => {
		expect((await api(emu, token, 'POST', '/europe/v1/users:batchGet', { users: ['+447700900123', '+393331234567'], agentId: 'a' })).status).toBe(200);
		expect((await api(emu, token, 'POST', '/asia/v1/users:batchGet', { users: ['+6591234567', '+919876543210'], agentId: 'a' })).status).toBe(200);
		const res = (await api(emu, token, 'POST', '/us/v1/users:batchGet', { users: ['+12223330001', '+12223330002', '+5511987654321'], agentId: 'a' })).json();
		const mapped = Object.values(res.reachableUsersMap as Record<string, { reachableUsers: string[] }>).flatMap((e) => e.reachableUsers);
		expect(mapped.sort()).toEqual(['+12223330001', '+12223330002']);
	});

	it('creates files from a URL and from uploaded bytes', async () => {
		const byUrl = await api(emu, token, 'POST', '/v1/files?agentId=a', { fileUrl: 'https://example.com/a.png', thumbnail_url: 'https://example.com/a-thumb.png' });
		expect(byUrl.status).toBe(200);
		expect(byUrl.json().name).toMatch(/^files\/[0-9a-f]+$/);
		const up = await request(emu.url, 'POST', '/upload/v1/files?agentId=a', { token, headers: { 'Content-Type': 'image/png' }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
		expect(up.status).toBe(200);
		expect(emu.stats().files.map((f) => f.source)).toEqual(['url', 'upload']);
		expect(emu.stats().files[1]).toMatchObject({ mimeType: 'image/png', sizeBytes: 4 });
		const badMime = await request(emu.url, 'POST', '/upload/v1/files?agentId=a', { token, headers: { 'Content-Type': 'text/plain' }, body: 'x' });
		expect(badMime.status).toBe(400);
		expect((await api(emu, token, 'POST', '/v1/files?agentId=a', { fileUrl: 'ftp://x' })).status).toBe(400);
	});

	it('refuses files.create contentDescription, which the current reference no longer lists', async () => {
		const res = await api(emu, token, 'POST', '/v1/files?agentId=a', { fileUrl: 'https://example.com/a.png', contentDescription: 'A' });
		expect(res.status).toBe(400);
		expect(res.json().error.message).toBe('Invalid JSON payload received. Unknown name "contentDescription": Cannot find field.');
	});

	it('rejects an upload declared larger than 100 MiB without reading it', async () => {
		const res = await request(emu.url, 'POST', '/upload/v1/files?agentId=a', {
			token,
			headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(100 * 1024 * 1024 + 1) },
		}).catch((e: Error) => e);
		if (res instanceof Error) throw res;
		expect(res.status).toBe(400);
	});
});
