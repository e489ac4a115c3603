import { randomUUID } from 'node:crypto';

import { startEmulator, type RbmEmulator } from '../../emulator';
import { api, makeJwt, postToken, RBM_SCOPE, request, sendPath } from './helpers';

const BC_SCOPE = 'https://www.googleapis.com/auth/businesscommunications';
const BOTH = `${RBM_SCOPE} ${BC_SCOPE}`;

describe('emulator: Business Communications API', () => {
	let emu: RbmEmulator;
	let token: string;
	beforeAll(async () => {
		emu = await startEmulator({ deliveryDelayMs: 10_000 });
		const key = emu.createServiceAccountKey();
		token = (await postToken(emu, makeJwt(key, { scope: BOTH }))).json().access_token as string;
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());
	const admin = (path: string, body: unknown) =>
		request(emu.url, 'POST', `/_emulator${path}`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

	it('invites, gets, lists and removes testers; the admin accepts or declines an invite', async () => {
		const created = await api(emu, token, 'POST', '/v1/testers', { agentId: 'shop-bot@rbm.goog', phoneNumber: '+447700900123' });
		expect(created.status).toBe(200);
		expect(created.json()).toEqual({ name: 'testers/+447700900123', agentId: 'shop-bot', phoneNumber: '+447700900123', inviteStatus: 'PENDING' });
		expect((await api(emu, token, 'POST', '/v1/testers', { agentId: 'shop-bot', phoneNumber: '+447700900123' })).status).toBe(409);
		expect((await api(emu, token, 'POST', '/v1/testers', { agentId: 'shop-bot', phoneNumber: '0770' })).status).toBe(400);

		expect((await admin('/testers/status', { agentId: 'shop-bot', phoneNumber: '+447700900123', inviteStatus: 'ACCEPTED' })).status).toBe(200);
		expect((await admin('/testers/status', { agentId: 'shop-bot', phoneNumber: '+447700900999', inviteStatus: 'ACCEPTED' })).status).toBe(404);
		expect((await admin('/testers/status', { agentId: 'shop-bot', phoneNumber: '+447700900123', inviteStatus: 'MAYBE' })).status).toBe(400);
		// the Business Communications host prefix works like the RBM region prefixes
		const got = await api(emu, token, 'GET', '/businesscommunications/v1/testers/%2B447700900123?agentId=shop-bot');
		expect(got.json()).toMatchObject({ phoneNumber: '+447700900123', inviteStatus: 'ACCEPTED' });

		await api(emu, token, 'POST', '/v1/testers', { agentId: 'shop-bot', phoneNumber: '+447700900124' });
		await admin('/testers/status', { agentId: 'shop-bot', phoneNumber: '+447700900124', inviteStatus: 'DECLINED' });
		const list = (await api(emu, token, 'GET', '/v1/testers?agentId=shop-bot')).json();
		expect(list.testers.map((t: { inviteStatus: string }) => t.inviteStatus)).toEqual(['ACCEPTED', 'DECLINED']);

		expect((await api(emu, token, 'DELETE', '/v1/testers/+447700900123?agentId=shop-bot')).status).toBe(200);
		expect((await api(emu, token, 'GET', '/v1/testers/+447700900123?agentId=shop-bot')).status).toBe(404);
		expect((await api(emu, token, 'GET', '/v1/testers')).status).toBe(400);
	});

	it('limits invites to 20 a day per agent (429 RESOURCE_EXHAUSTED naming the limit)', async () => {
		for (let i = 0; i < 20; i++) {
			const res = await api(emu, token, 'POST', '/v1/testers', { agentId: 'shop-bot', phoneNumber: `+4477009001${String(i).padStart(2, '0')}` });
			expect(res.status).toBe(200);
		}
		const over = await api(emu, token, 'POST', '/v1/testers', { agentId: 'shop-bot', phoneNumber: '+447700900199' });
		expect(over.status).toBe(429);
		expect(over.json().error).toMatchObject({ status: 'RESOURCE_EXHAUSTED' });
		expect(over.json().error.message).toMatch(/20 tester invites a day/);
		// another agent has its own count
		expect((await api(emu, token, 'POST', '/v1/testers', { agentId: 'other-bot', phoneNumber: '+447700900199' })).status).toBe(200);
	});

	it('reports launch state per region, verification state, regions and paged analytics', async () => {
		const empty = (await api(emu, token, 'GET', '/v1/brands/b1/agents/shop-bot/launch')).json();
		expect(empty).toEqual({ name: 'brands/b1/agents/shop-bot/launch', rcsBusinessMessaging: { launchDetails: {} } });
		expect((await admin('/launch', { agentId: 'shop-bot', region: '/v1/regions/gb-google', launchState: 'LAUNCH_STATE_LAUNCHED', comment: 'ok' })).status).toBe(200);
		expect((await admin('/launch', { agentId: 'shop-bot', region: '/v1/regions/nowhere', launchState: 'LAUNCH_STATE_LAUNCHED' })).status).toBe(400);
		expect((await admin('/launch', { agentId: 'shop-bot', region: '/v1/regions/gb-google', launchState: 'LIVE' })).status).toBe(400);
		const launch = (await api(emu, token, 'GET', '/v1/brands/b1/agents/shop-bot/launch')).json();
		expect(launch.rcsBusinessMessaging.launchDetails['/v1/regions/gb-google']).toMatchObject({ launchState: 'LAUNCH_STATE_LAUNCHED', comment: 'ok' });
		expect(typeof launch.rcsBusinessMessaging.launchDetails['/v1/regions/gb-google'].updateTime).toBe('string');

		expect((await api(emu, token, 'GET', '/v1/brands/b1/agents/shop-bot/verification')).json().verificationState).toBe('VERIFICATION_STATE_UNVERIFIED');
		await admin('/verification', { agentId: 'shop-bot', verificationState: 'VERIFICATION_STATE_VERIFIED' });
		expect((await api(emu, token, 'GET', '/v1/brands/b1/agents/shop-bot/verification')).json().verificationState).toBe('VERIFICATION_STATE_VERIFIED');

		const regions = (await api(emu, token, 'GET', '/v1/regions')).json().regions;
		expect(regions.length).toBeGreaterThan(0);
		expect(regions[0]).toEqual(expect.objectContaining({ name: expect.any(String), displayName: expect.any(String), managementType: expect.any(String) }));

		const rows = Array.from({ length: 5 }, (_, i) => ({ agent: 'brands/b1/agents/shop-bot', regionCode: `C${i}`, trafficLimit: '4' }));
		expect((await admin('/analytics', { rows })).json()).toEqual({ rows: 5 });
		const first = (await api(emu, token, 'GET', '/v1/analytics/agentPerformances?pageSize=2')).json();
		expect(first.agentPerformances.map((r: { regionCode: string }) => r.regionCode)).toEqual(['C0', 'C1']);
		const second = (await api(emu, token, 'GET', `/v1/analytics/agentPerformances?pageSize=2&pageToken=${first.nextPageToken}`)).json();
		expect(second.agentPerformances.map((r: { regionCode: string }) => r.regionCode)).toEqual(['C2', 'C3']);
		const last = (await api(emu, token, 'GET', `/v1/analytics/agentPerformances?pageSize=2&pageToken=${second.nextPageToken}`)).json();
		expect(last).toEqual({ agentPerformances: [rows[4]] });
	});

	it('answers 403 PERMISSION_DENIED without the scope or without a partner-console role (Reader reads, Manager changes)', async () => {
		const rbmOnly = emu.createServiceAccountKey();
		const rbmToken = (await postToken(emu, makeJwt(rbmOnly))).json().access_token as string;
		const noScope = await api(emu, rbmToken, 'GET', '/v1/regions');
		expect(noScope.status).toBe(403);
		expect(noScope.json().error.details[0].reason).toBe('ACCESS_TOKEN_SCOPE_INSUFFICIENT');
		// a Business Communications-only token may not send
		const bcOnly = emu.createServiceAccountKey();
		const bcToken = (await postToken(emu, makeJwt(bcOnly, { scope: BC_SCOPE }))).json().access_token as string;
		expect((await api(emu, bcToken, 'POST', '/v1/phones/+12223334444/agentMessages?messageId=m1&agentId=a', { contentMessage: { text: 'x' } })).status).toBe(403);

		const reader = emu.createServiceAccountKey();
		const readerToken = (await postToken(emu, makeJwt(reader, { scope: BOTH }))).json().access_token as string;
		expect((await admin('/roles', { clientEmail: reader.client_email, role: 'reader' })).status).toBe(200);
		expect((await api(emu, readerToken, 'GET', '/v1/regions')).status).toBe(200);
		const write = await api(emu, readerToken, 'POST', '/v1/testers', { agentId: 'shop-bot', phoneNumber: '+447700900123' });
		expect(write.status).toBe(403);
		expect(write.json().error.status).toBe('PERMISSION_DENIED');
		await admin('/roles', { clientEmail: reader.client_email, role: 'none' });
		expect((await api(emu, readerToken, 'GET', '/v1/regions')).status).toBe(403);
		expect((await admin('/roles', { clientEmail: reader.client_email, role: 'owner' })).status).toBe(400);
	});

	it('an agent whose regions are all unlaunched reaches only testers who accepted (403 for others, as Google); launched somewhere, everyone', async () => {
		const send = async (phone: string) =>
			(await api(emu, token, 'POST', sendPath(encodeURIComponent(phone), randomUUID(), 'shop-bot'), { contentMessage: { text: 'hi' } })).status;
		const tester = '+447700900123';
		const other = '+447700900555';
		expect(await send(other)).toBe(200); // no launch state given: launched, as before
		await admin('/launch', { agentId: 'shop-bot', region: '/v1/regions/gb-google', launchState: 'LAUNCH_STATE_PENDING' });
		expect(await send(other)).toBe(403);
		await api(emu, token, 'POST', '/v1/testers', { agentId: 'shop-bot', phoneNumber: tester });
		expect(await send(tester)).toBe(403); // invited, not accepted yet
		await admin('/testers/status', { agentId: 'shop-bot', phoneNumber: tester, inviteStatus: 'ACCEPTED' });
		expect(await send(tester)).toBe(200);
		expect(await send(other)).toBe(403);
		await admin('/launch', { agentId: 'shop-bot', region: '/v1/regions/gb-google', launchState: 'LAUNCH_STATE_LAUNCHED' });
		expect(await send(other)).toBe(200);
	});
});

describe('emulator: tester invite limits over days', () => {
	test('20 a day, then 200 in all per agent, whatever the day', async () => {
		const { BusinessState } = await import('../../emulator/business');
		const b = new BusinessState();
		const day = 86_400_000;
		const start = Date.UTC(2026, 11, 1, 9);
		for (let d = 0; d < 10; d++) {
			for (let n = 0; n < 20; n++) {
				expect(b.inviteLimit('bot', start + d * day)).toBeNull();
				b.invite('bot', `+4477009${String(d * 20 + n).padStart(5, '0')}`, start + d * day);
			}
			if (d < 9) expect(b.inviteLimit('bot', start + d * day)).toBe('20 tester invites a day');
		}
		expect(b.inviteLimit('bot', start + 20 * day)).toBe('200 tester invites in all');
		expect(b.inviteLimit('other-bot', start + 20 * day)).toBeNull();
	});
});
