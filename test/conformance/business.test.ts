/**
 * Conformance of the Business Communications operations of RBM Toolbox (Tester, Agent, Region,
 * Analytics): every request they send through the recording proxy is checked against
 * schema/businesscommunications-v1.json (scripts/schema/business.js, from Google's generated
 * Node.js client cross-checked with the Java and C# clients): method and path, the tester's phone in
 * the path, query parameters and body fields; and every answer the emulator gives them is checked
 * against the method's response message.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Captured } from '../helpers/capture';
import { runNode } from '../helpers/workflow';
import type { Harness } from './conformance';
import { BC_SCHEMA, conformanceHarness, conformanceOf, expectConformant, responseShapeProblems } from './conformance';

let h: Harness;
beforeAll(async () => {
	h = await conformanceHarness();
});
afterAll(async () => h.close());

async function admin(path: string, body: unknown): Promise<void> {
	const res = await fetch(`${h.fx.emulator.url}/_emulator${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
}

const AGENT = 'welcome-bot';
const phones = [{ phone: '+447700900001' }, { phone: '+447700900002' }];
/** Both phones invited (straight to the emulator, not through the proxy), the first has accepted. */
const invite = async (): Promise<void> => {
	const run = await runNode({ type: 'n8n-nodes-rbm.rbmToolbox', items: phones, parameters: { agentId: AGENT, resource: 'tester', operation: 'invite', phoneNumber: '={{ $json.phone }}' }, credentials: h.fx.credentials });
	if (run.error) throw run.error;
	await admin('/testers/status', { agentId: AGENT, phoneNumber: phones[0].phone, inviteStatus: 'ACCEPTED' });
};
const launch = async (): Promise<void> => {
	await admin('/launch', { agentId: AGENT, region: '/v1/regions/us-tmobile', launchState: 'LAUNCH_STATE_LAUNCHED' });
	await admin('/launch', { agentId: AGENT, region: '/v1/regions/gb-google', launchState: 'LAUNCH_STATE_REJECTED', comment: 'Opt-in description missing' });
	await admin('/verification', { agentId: AGENT, verificationState: 'VERIFICATION_STATE_VERIFIED' });
};
/** Rows with every field of AgentPerformance in Google's generated client. */
const performanceRows = (n: number): IDataObject[] =>
	Array.from({ length: n }, (_, i) => ({
		name: `brands/b1/agents/${AGENT}`,
		displayName: 'Welcome Bot',
		agentUseCase: 'PROMOTIONAL',
		countryCode: ['US', 'GB', 'DE', 'FR', 'IN'][i % 5],
		reputation: 'HIGH',
		trafficLimit: 4 + (i % 3),
		metricsPeriodEndTime: '2026-12-05T08:00:00Z',
	}));

const toolbox = (parameters: IDataObject, items: IDataObject[] = [{}], prepare?: () => Promise<void>) =>
	h.run({ type: 'n8n-nodes-rbm.rbmToolbox', parameters: { agentId: AGENT, ...parameters }, items, prepare });

const brand = { brandId: 'b1' };
const CASES: Array<[string, IDataObject, IDataObject[], (() => Promise<void>) | undefined, string[]]> = [
	['Tester › Invite', { resource: 'tester', operation: 'invite', phoneNumber: '={{ $json.phone }}' }, phones, undefined, ['testers.create', 'testers.create']],
	['Tester › Invite, already invited (409)', { resource: 'tester', operation: 'invite', phoneNumber: '={{ $json.phone }}' }, phones, invite, ['testers.create', 'testers.create']],
	['Tester › Get, accepted, pending, never invited', { resource: 'tester', operation: 'get', phoneNumber: '={{ $json.phone }}' }, [...phones, { phone: '+447700900003' }], invite, ['testers.get', 'testers.get', 'testers.get']],
	['Tester › List', { resource: 'tester', operation: 'list' }, [{}], invite, ['testers.list']],
	['Tester › Remove', { resource: 'tester', operation: 'remove', phoneNumber: '={{ $json.phone }}' }, [phones[0], { phone: '+447700900003' }], invite, ['testers.delete', 'testers.delete']],
	['Agent › Get Launch State', { resource: 'agent', operation: 'getLaunch', ...brand }, [{}], launch, ['brands.agents.getLaunch']],
	['Agent › Get Launch State, never launched', { resource: 'agent', operation: 'getLaunch', ...brand }, [{}], undefined, ['brands.agents.getLaunch']],
	['Agent › Get Verification State', { resource: 'agent', operation: 'getVerification', ...brand }, [{}], launch, ['brands.agents.getVerification']],
	['Region › List', { resource: 'region', operation: 'list' }, [{}], undefined, ['regions.list']],
	['Analytics › Get Agent Performance, Limit', { resource: 'analytics', operation: 'agentPerformance', returnAll: false, limit: 3 }, [{}], async () => admin('/analytics', { rows: performanceRows(12) }), ['analytics.agentPerformances.list']],
	['Analytics › Get Agent Performance, Return All over two pages', { resource: 'analytics', operation: 'agentPerformance', returnAll: true }, [{}], async () => admin('/analytics', { rows: performanceRows(1003) }), ['analytics.agentPerformances.list', 'analytics.agentPerformances.list']],
];

describe('conformance: the Business Communications operations build only requests the Business Communications v1 schema accepts', () => {
	test.each(CASES)('%s', async (_name, parameters, items, prepare, methods) => {
		const { result, requests } = await toolbox(parameters, items, prepare);
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => [r.request.endpoint, r.method])).toEqual(methods.map((m) => ['businesscommunications', m]));
		// every 2xx answer was checked against its response message (a 404/409 has no body to check)
		expect(requests.every((r) => r.request.response !== undefined)).toBe(true);
		expectConformant(requests);
	});

	test('paging sends only pageSize and pageToken, the second page with the token of the first', async () => {
		const { requests } = await toolbox({ resource: 'analytics', operation: 'agentPerformance', returnAll: true }, [{}], async () => admin('/analytics', { rows: performanceRows(1003) }));
		const queries = requests.map((r) => Object.fromEntries(new URL(r.request.url, 'http://x').searchParams));
		expect(queries[0]).toEqual({ pageSize: '1000' });
		expect(Object.keys(queries[1]).sort()).toEqual(['pageSize', 'pageToken']);
	});
});

describe('the check itself', () => {
	const captured = (over: Partial<Captured>): Captured => ({ method: 'GET', url: '/v1/regions', endpoint: 'businesscommunications', headers: {}, body: '', ...over });

	test('refuses what Google would: unknown body fields, a bad tester phone, a query parameter a method lacks, a path no method has', () => {
		const problems = [
			conformanceOf(captured({ method: 'POST', url: '/v1/testers', body: JSON.stringify({ agentId: AGENT, phone: '+447700900001' }) })),
			conformanceOf(captured({ method: 'POST', url: '/v1/testers', body: JSON.stringify({ agentId: AGENT, phoneNumber: '07700900001' }) })),
			conformanceOf(captured({ url: '/v1/analytics/agentPerformances?pageSize=10&agentId=welcome-bot' })),
			conformanceOf(captured({ url: '/v1/testers/07700900001?agentId=welcome-bot' })),
			conformanceOf(captured({ url: '/v1/brands/b1/agents/welcome-bot/launchState' })),
		].map((c) => c.problems);
		expect(problems.map((p) => p.length > 0)).toEqual([true, true, true, true, true]);
		expect(problems[0].join()).toMatch(/Unknown name "phone"/);
		expect(problems[2].join()).toMatch(/agentId/);
	});

	test('refuses an answer with a field or a type the response message lacks', () => {
		const answer = (body: unknown) => conformanceOf(captured({ url: '/v1/testers?agentId=welcome-bot', response: { status: 200, body: JSON.stringify(body) } })).problems;
		expect(answer({ testers: [{ name: 'testers/+447700900001', agentId: AGENT, phoneNumber: '+447700900001', inviteStatus: 'PENDING' }] })).toEqual([]);
		expect(answer({ testers: [{ phoneNumber: '+447700900001', accepted: true }] })).toEqual(['testers.list answer: testers[0].accepted: Tester has no field "accepted"']);
		expect(answer({ testers: {} })).toEqual(['testers.list answer: testers: not a list']);
		expect(responseShapeProblems('RcsBusinessMessagingRegionLaunch', { launchState: 'LAUNCHED', updateTime: 'yesterday' }, '', BC_SCHEMA)).toEqual([
			'launchState: "LAUNCHED" is not a value of LaunchState',
			'updateTime: "yesterday" is not a timestamp',
		]);
		expect(responseShapeProblems('AgentPerformance', { trafficLimit: 'many', spamTrend: [] }, '', BC_SCHEMA)).toEqual([
			'trafficLimit: "many" is not a int32',
			'spamTrend: AgentPerformance has no field "spamTrend"',
		]);
	});

	test('the schema holds the resources the Toolbox uses, from the generated clients', () => {
		expect(Object.keys(BC_SCHEMA.methods).sort()).toEqual([
			'analytics.agentPerformances.list', 'brands.agents.getLaunch', 'brands.agents.getVerification', 'regions.list',
			'testers.create', 'testers.delete', 'testers.get', 'testers.list',
		]);
		expect(BC_SCHEMA.methods['testers.get']).toMatchObject({ httpMethod: 'GET', path: '/v1/testers/{phoneNumber}', query: { agentId: { type: 'string' } }, response: 'Tester' });
		expect(BC_SCHEMA.messages.Tester.fields.phoneNumber).toMatchObject({ type: 'string', format: 'e164', required: true });
		expect(BC_SCHEMA.messages.RcsBusinessMessagingLaunch.fields.launchDetails).toMatchObject({ type: 'map', valueType: 'message', ref: 'RcsBusinessMessagingRegionLaunch' });
		expect(BC_SCHEMA.messages.RcsBusinessMessagingRegionLaunch.fields.updateTime.type).toBe('timestamp');
	});
});
