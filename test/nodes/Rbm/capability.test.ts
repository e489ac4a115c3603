import type { IDataObject } from 'n8n-workflow';

import { startApiStub } from '../../helpers/apiStub';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential } from '../../helpers/emulator';
import { itemError, runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => {
	fx.emulator.reset();
	fx.emulator.configure({ faults: {} });
});
afterAll(async () => fx.emulator.close());

const rbm = (parameters: Record<string, unknown>, items: IDataObject[], settings = {}, credentials: Record<string, string> = {}) =>
	runNode({ type: 'n8n-nodes-rbm.rbmToolbox', items, parameters: { agentId: 'welcome-bot', ...parameters }, credentials: { ...fx.credentials, ...credentials }, settings });

describe('Capability › Check', () => {
	test('a reachable phone comes out with its features; an unreachable one on "Not Reachable"', async () => {
		const r = await rbm({ resource: 'capability', operation: 'check', phoneNumber: '={{ $json.phone }}' }, [{ phone: '+1 650 555 0123' }, { phone: '+16505550404' }]);
		expect(r.error).toBeUndefined();
		const [reachable, unreachable] = r.outputs;
		expect(reachable).toHaveLength(1);
		expect(reachable[0].json).toMatchObject({ phoneNumber: '+16505550123', agentId: 'welcome-bot', reachable: true, features: expect.arrayContaining(['RICHCARD_STANDALONE']) });
		expect(reachable[0].pairedItem).toEqual({ item: 0 });
		expect(unreachable[0].json).toMatchObject({ phoneNumber: '+16505550404', reachable: false, error: { code: 404, status: 'NOT_FOUND' } });
		expect(unreachable[0].pairedItem).toEqual({ item: 1 });
		const last = fx.emulator.stats().lastRequest.getCapabilities;
		expect(last.method).toBe('GET');
		expect(last.path).toBe('/v1/phones/+16505550404/capabilities');
		expect(last.query).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), agentId: 'welcome-bot' });
	});

	test("RBM's answer never overwrites the request's own fields (phone, agent, reachable)", async () => {
		const stub = await startApiStub(() => ({ status: 200, body: { features: ['RICHCARD_STANDALONE'], phoneNumber: '+15555550000', agentId: 'someone-else', reachable: false, newField: 1 } }));
		try {
			const r = await rbm({ resource: 'capability', operation: 'check', phoneNumber: '+16505550123' }, [{}], {}, { baseUrl: stub.url });
			expect(r.error).toBeUndefined();
			expect(r.outputs[0][0].json).toEqual({ features: ['RICHCARD_STANDALONE'], newField: 1, phoneNumber: '+16505550123', agentId: 'welcome-bot', reachable: true });
			expect(stub.requests[0]).toMatchObject({ method: 'GET', path: '/v1/phones/+16505550123/capabilities' });
		} finally {
			await stub.close();
		}
	});

	test('a 503 is retried', async () => {
		fx.emulator.configure({ faults: { getCapabilities: { script: ['503'] } } });
		const r = await rbm({ resource: 'capability', operation: 'check', phoneNumber: '+16505550123' }, [{}]);
		expect(r.outputs[0]).toHaveLength(1);
		expect(fx.emulator.stats().requests.getCapabilities).toBe(2);
	});

	test('a bad phone is a per-item error naming the field', async () => {
		const r = await rbm({ resource: 'capability', operation: 'check', phoneNumber: '={{ $json.phone }}' }, [{ phone: 'nope' }, { phone: '+16505550123' }], { onError: 'continueRegularOutput' });
		expect(itemError(r.outputs[0][0])).toMatchObject({ message: expect.stringMatching(/^Item 1: Phone Number "nope"/), field: 'phoneNumber' });
		expect(r.outputs[0][1].json.reachable).toBe(true);
	});
});

describe('Capability › Check Many', () => {
	const contacts = [{ phone: '+16505550001' }, { phone: '+16505550404' }, { phone: '+16505550002' }, { phone: '+16505550001' }, { phone: '+447700900404' }];

	test('one item per phone: reachable first, unreachable on the second output, each paired to its contact', async () => {
		const r = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}', outputMode: 'perPhone' }, contacts);
		expect(r.error).toBeUndefined();
		const [reachable, unreachable] = r.outputs;
		expect(reachable.map((i) => [i.json.phoneNumber, i.pairedItem])).toEqual([
			['+16505550001', { item: 0 }],
			['+16505550002', { item: 2 }],
			['+16505550001', { item: 3 }],
		]);
		expect(unreachable.map((i) => i.json)).toEqual([
			{ phoneNumber: '+16505550404', agentId: 'welcome-bot', reachable: false, region: 'us' },
			{ phoneNumber: '+447700900404', agentId: 'welcome-bot', reachable: false, region: 'europe' },
		]);
		// reachable US numbers carry their carrier from reachableUsersMap
		expect(reachable.map((i) => [i.json.region, typeof i.json.carrier])).toEqual([['us', 'string'], ['us', 'string'], ['us', 'string']]);
		// duplicates are sent once; one call per region, each to its regional endpoint, agentId in the body
		expect(fx.emulator.stats().batchGets).toEqual([{ count: 3, endpoint: 'us' }, { count: 1, endpoint: 'europe' }]);
		expect(fx.emulator.stats().lastRequest['users.batchGet']).toMatchObject({ path: '/v1/users:batchGet', endpoint: 'europe', query: {} });
	});

	test('numbers of three regions: three calls in input order of regions, results merged back in input order', async () => {
		const world = [{ phone: '+6591234567' }, { phone: '+393331234567' }, { phone: '+16505550001' }, { phone: '+919876543210' }, { phone: '+5511987654321' }];
		const r = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}' }, world);
		expect(r.error).toBeUndefined();
		expect(fx.emulator.stats().batchGets).toEqual([{ count: 2, endpoint: 'us' }, { count: 1, endpoint: 'europe' }, { count: 2, endpoint: 'asia' }]);
		expect(r.outputs[0].map((i) => [i.json.phoneNumber, i.json.region, i.pairedItem])).toEqual([
			['+6591234567', 'asia', { item: 0 }],
			['+393331234567', 'europe', { item: 1 }],
			['+16505550001', 'us', { item: 2 }],
			['+919876543210', 'asia', { item: 3 }],
			['+5511987654321', 'us', { item: 4 }],
		]);
	});

	test('Options › Region sends every number to one endpoint (and RBM answers 400 for numbers of another region)', async () => {
		const ok = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}', options: { region: 'europe' } }, [{ phone: '+393331234567' }]);
		expect(ok.outputs[0][0].json).toMatchObject({ phoneNumber: '+393331234567', region: 'europe', reachable: true });
		const wrong = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}', options: { region: 'asia' } }, [{ phone: '+393331234567' }]);
		expect(wrong.error?.message).toMatch(/400|Bad request/i);
		expect(JSON.stringify(wrong.error?.description ?? '') + (wrong.error?.message ?? '')).toMatch(/europe-rcsbusinessmessaging\.googleapis\.com/);
	});

	test('a number of no country (+800) fails its item with a hint to set the region', async () => {
		const r = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}' }, [{ phone: '+80012345678' }, { phone: '+16505550001' }], { onError: 'continueRegularOutput' });
		expect(r.outputs[0].map((i) => itemError(i)?.message ?? i.json.phoneNumber)).toEqual([expect.stringMatching(/^Item 1: Phone Number \+80012345678 belongs to no country.*Options › Region/), '+16505550001']);
	});

	test('big lists are chunked and the calls are paced under the per-minute quota', async () => {
		const many = Array.from({ length: 7 }, (_, i) => ({ phone: `+1650555${String(1000 + i)}` }));
		const started = Date.now();
		const r = await rbm(
			{ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}', outputMode: 'lists', options: { batchSize: 3, callsPerMinute: 300 } },
			many,
		);
		const elapsed = Date.now() - started;
		expect(fx.emulator.stats().batchGets).toEqual([{ count: 3, endpoint: 'us' }, { count: 3, endpoint: 'us' }, { count: 1, endpoint: 'us' }]);
		expect(elapsed).toBeGreaterThanOrEqual(2 * 200 - 20); // 300/min → one call every 200 ms
		expect(r.outputs[0]).toHaveLength(1);
		expect(r.outputs[0][0].json).toMatchObject({ agentId: 'welcome-bot', checked: 7, unreachable: [] });
		expect((r.outputs[0][0].json.reachable as string[]).length).toBe(7);
		expect(r.outputs[0][0].pairedItem).toEqual(many.map((_, item) => ({ item })));
	});

	test('a list in each item: one result per item with both lists', async () => {
		const r = await rbm(
			{ resource: 'capability', operation: 'checkBulk', bulkSource: 'list', phoneNumbers: '={{ $json.phones }}', outputMode: 'lists' },
			[{ phones: ['+16505550001', '+16505550404'] }, { phones: '+16505550002, +16505550003' }],
		);
		expect(r.outputs[0].map((i) => [i.json.reachable, i.json.unreachable, i.pairedItem])).toEqual([
			[['+16505550001'], ['+16505550404'], { item: 0 }],
			[['+16505550002', '+16505550003'], [], { item: 1 }],
		]);
	});

	test('an invalid phone fails its item only under Continue On Fail; the rest are checked', async () => {
		const r = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}' }, [{ phone: '+16505550001' }, { phone: 'x' }], { onError: 'continueRegularOutput' });
		expect(r.outputs[0].map((i) => itemError(i)?.message ?? i.json.phoneNumber)).toEqual(['+16505550001', expect.stringMatching(/^Item 2: Phone Number "x"/)]);
		const off = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}' }, [{ phone: 'x' }]);
		expect(off.error?.message).toMatch(/^Item 1: Phone Number "x"/);
	});
});
