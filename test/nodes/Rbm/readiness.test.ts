/** Tester, Agent, Region and Analytics: the Business Communications API, against the embedded emulator over HTTP. */
import type { IDataObject } from 'n8n-workflow';

import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential } from '../../helpers/emulator';
import { itemError, runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
let clientEmail: string;
beforeAll(async () => {
	fx = await emulatorWithCredential();
	clientEmail = (JSON.parse(fx.keyJson) as { client_email: string }).client_email;
});
beforeEach(async () => {
	fx.emulator.reset();
	fx.emulator.configure({ faults: {} });
	await admin('/roles', { clientEmail, role: 'manager' });
});
afterAll(async () => fx.emulator.close());

async function admin(path: string, body: unknown): Promise<IDataObject> {
	const res = await fetch(`${fx.emulator.url}/_emulator${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
	return (await res.json()) as IDataObject;
}

const rbm = (parameters: Record<string, unknown>, items: IDataObject[], settings = {}) =>
	runNode({ type: 'n8n-nodes-rbm.rbmToolbox', items, parameters: { agentId: 'welcome-bot', ...parameters }, credentials: fx.credentials, settings });

const phones = [{ phone: '+447700900001' }, { phone: '+447700900002' }];

describe('Tester', () => {
	test('Invite, Get (with inviteStatus), List and Remove, at businesscommunications through the Base URL', async () => {
		const invited = await rbm({ resource: 'tester', operation: 'invite', phoneNumber: '={{ $json.phone }}' }, phones);
		expect(invited.error).toBeUndefined();
		expect(invited.outputs[0].map((i) => [i.json, i.pairedItem])).toEqual([
			[{ name: 'testers/+447700900001', agentId: 'welcome-bot', phoneNumber: '+447700900001', inviteStatus: 'PENDING', invited: true, alreadyInvited: false }, { item: 0 }],
			[{ name: 'testers/+447700900002', agentId: 'welcome-bot', phoneNumber: '+447700900002', inviteStatus: 'PENDING', invited: true, alreadyInvited: false }, { item: 1 }],
		]);
		const last = fx.emulator.stats().lastRequest['testers.create'];
		expect(last).toMatchObject({ method: 'POST', path: '/v1/testers', endpoint: 'businesscommunications' });

		await admin('/testers/status', { agentId: 'welcome-bot', phoneNumber: '+447700900001', inviteStatus: 'ACCEPTED' });
		await admin('/testers/status', { agentId: 'welcome-bot', phoneNumber: '+447700900002', inviteStatus: 'DECLINED' });
		const got = await rbm({ resource: 'tester', operation: 'get', phoneNumber: '={{ $json.phone }}' }, [...phones, { phone: '+447700900003' }]);
		expect(got.outputs[0].map((i) => [i.json.inviteStatus, i.json.accepted, i.json.invited])).toEqual([
			['ACCEPTED', true, true],
			['DECLINED', false, true],
			['NOT_INVITED', false, false],
		]);

		const listed = await rbm({ resource: 'tester', operation: 'list' }, [{}]);
		// testers.list takes agentId only (Google's generated client): no paging parameters
		expect(fx.emulator.stats().lastRequest['testers.list'].query).toEqual({ agentId: 'welcome-bot' });
		expect(listed.outputs[0].map((i) => [i.json.phoneNumber, i.json.inviteStatus, i.pairedItem])).toEqual([
			['+447700900001', 'ACCEPTED', { item: 0 }],
			['+447700900002', 'DECLINED', { item: 0 }],
		]);

		const removed = await rbm({ resource: 'tester', operation: 'remove', phoneNumber: '={{ $json.phone }}' }, [phones[0], phones[0]]);
		expect(removed.outputs[0].map((i) => i.json.removed)).toEqual([true, false]);
		expect((await rbm({ resource: 'tester', operation: 'list' }, [{}])).outputs[0]).toHaveLength(1);
	});

	test('past 20 invites a day the item fails at once (no retries) with the limits named', async () => {
		const many = Array.from({ length: 21 }, (_, n) => ({ phone: `+4477009002${String(n).padStart(2, '0')}` }));
		const r = await rbm({ resource: 'tester', operation: 'invite', phoneNumber: '={{ $json.phone }}', options: { concurrency: 1 } }, many, { onError: 'continueRegularOutput' });
		expect(r.error).toBeUndefined();
		expect(r.outputs[0].slice(0, 20).every((i) => i.json.inviteStatus === 'PENDING')).toBe(true);
		const error = itemError(r.outputs[0][20]);
		expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', itemIndex: 20 });
		expect(error?.description).toMatch(/20 tester invites a day and 200 in all/);
		expect(fx.emulator.stats().requests['testers.create']).toBe(21);
	});
});

describe('Agent, Region, Analytics', () => {
	test('Get Launch State: one item per region; Get Verification State', async () => {
		expect((await rbm({ resource: 'agent', operation: 'getLaunch', brandId: 'b-1' }, [{}])).outputs[0]).toEqual([]);
		await admin('/launch', { agentId: 'welcome-bot', region: '/v1/regions/gb-google', launchState: 'LAUNCH_STATE_LAUNCHED' });
		await admin('/launch', { agentId: 'welcome-bot', region: '/v1/regions/us-tmobile', launchState: 'LAUNCH_STATE_PENDING', comment: 'Carrier review' });
		const launch = await rbm({ resource: 'agent', operation: 'getLaunch', brandId: 'brands/b-1' }, [{}]);
		expect(launch.error).toBeUndefined();
		expect(launch.outputs[0].map((i) => i.json)).toEqual([
			{ brandId: 'b-1', agentId: 'welcome-bot', region: '/v1/regions/gb-google', launchState: 'LAUNCH_STATE_LAUNCHED', updateTime: expect.any(String), launched: true },
			{ brandId: 'b-1', agentId: 'welcome-bot', region: '/v1/regions/us-tmobile', launchState: 'LAUNCH_STATE_PENDING', comment: 'Carrier review', updateTime: expect.any(String), launched: false },
		]);
		expect(fx.emulator.stats().lastRequest['agents.getLaunch'].path).toBe('/v1/brands/b-1/agents/welcome-bot/launch');

		await admin('/verification', { agentId: 'welcome-bot', verificationState: 'VERIFICATION_STATE_VERIFIED' });
		const verification = await rbm({ resource: 'agent', operation: 'getVerification', brandId: 'b-1' }, [{}]);
		expect(verification.outputs[0][0].json).toMatchObject({ brandId: 'b-1', agentId: 'welcome-bot', verificationState: 'VERIFICATION_STATE_VERIFIED', verified: true });
	});

	test('Region › List gives one item per region', async () => {
		const r = await rbm({ resource: 'region', operation: 'list' }, [{}]);
		expect(r.outputs[0].length).toBeGreaterThan(1);
		expect(r.outputs[0][0].json).toEqual({ name: expect.any(String), displayName: expect.any(String), managementType: expect.any(String) });
	});

	test('Analytics › Get Agent Performance: Limit reads only the pages it needs, Return All every page', async () => {
		const rows = Array.from({ length: 2500 }, (_, n) => ({ name: `analytics/agentPerformances/${n}`, displayName: 'Welcome', agentUseCase: 'TRANSACTIONAL', countryCode: `R${n}`, reputation: 'HIGH', trafficLimit: 4 }));
		await admin('/analytics', { rows });
		const limited = await rbm({ resource: 'analytics', operation: 'agentPerformance', returnAll: false, limit: 3 }, [{}]);
		expect(limited.outputs[0].map((i) => i.json.countryCode)).toEqual(['R0', 'R1', 'R2']);
		expect(fx.emulator.stats().lastRequest['agentPerformances.list'].query).toEqual({ pageSize: '3' });
		const all = await rbm({ resource: 'analytics', operation: 'agentPerformance', returnAll: true }, [{}]);
		expect(all.outputs[0]).toHaveLength(2500);
		expect(all.outputs[0][2499].json.countryCode).toBe('R2499');
		expect(fx.emulator.stats().requests['agentPerformances.list']).toBe(1 + 3);
	});
});

describe('403: no partner-console role', () => {
	test('a Reader may read but not invite; the error names the role in plain words', async () => {
		await admin('/roles', { clientEmail, role: 'reader' });
		expect((await rbm({ resource: 'region', operation: 'list' }, [{}])).error).toBeUndefined();
		const r = await rbm({ resource: 'tester', operation: 'invite', phoneNumber: '+447700900001' }, [{}]);
		expect(r.error?.message).toBe(`Item 1: tester invite failed: the service account ${clientEmail} has no partner-console role that allows it (this needs Manager)`);
		expect(r.error?.description).toMatch(/Reader for reads, Manager for changes/);
		expect(r.error?.message).not.toMatch(/PERMISSION_DENIED/);
	});

	test('without any role a read fails too, needing Reader; with Continue On Fail each item gets its own error item', async () => {
		await admin('/roles', { clientEmail, role: 'none' });
		const r = await rbm({ resource: 'tester', operation: 'list' }, [{}, {}], { onError: 'continueRegularOutput' });
		expect(r.outputs[0]).toHaveLength(2);
		expect(itemError(r.outputs[0][1])).toMatchObject({ code: 403, itemIndex: 1, message: expect.stringMatching(/has no partner-console role that allows it \(this needs Reader\)$/) });
		expect(r.outputs[0][1].pairedItem).toEqual({ item: 1 });
	});
});
