/**
 * examples/before-first-campaign.json in a real n8n (`n8n execute`) against the emulator over HTTPS:
 * the team's phones are invited, and while the workflow waits (n8n's Wait node, in the running
 * execution below 65 s) the test plays their owners through the emulator's admin: some accept, one
 * declines, one never answers. The loop re-checks until nobody is pending or its rounds are over;
 * only accepted testers get the test message (the agent is not launched anywhere, so the emulator
 * answers 403 to anyone else); the summary reports the answers, the messages, the launch state per
 * region and the traffic limits, checked against what the emulator saw.
 *
 * The copy differs from the example only in its timing: a 2-second Wait and at most 4 rounds
 * (the example: 1 minute, 30 rounds).
 */
import { request } from 'node:https';

import type { ExecuteResult, N8nRun } from './harness';
import { describeError, E2eInstance, loadExample, node, outputs, runOutputs, variant } from './harness';

const AGENT = 'rbm-demo-agent';
const example = loadExample('before-first-campaign.json');
const TEAM = { ada: '+16505550101', alan: '+16505550102', grace: '+447700900103', linus: '+4915112340104' };

function quick(id: string, maxRounds: number): any {
	return variant(example, id, `${example.name} (e2e ${id})`, (wf) => {
		node(wf, 'Wait a minute').parameters.amount = 2;
		const answers = node(wf, 'Who answered?').parameters;
		const edited = (answers.jsCode as string).replace(/^const MAX_ROUNDS = 30;$/m, `const MAX_ROUNDS = ${maxRounds};`);
		if (edited === answers.jsCode) throw new Error('Who answered? no longer sets MAX_ROUNDS = 30');
		answers.jsCode = edited;
	});
}

const waitFour = quick('rbmBeforeFirstE2e1', 4);
const allAccept = quick('rbmBeforeFirstE2e2', 4);

let n8n: E2eInstance;

/** The emulator's admin (POST /_emulator/…), over its HTTPS with its own CA. */
async function admin(path: string, body: unknown): Promise<void> {
	const payload = JSON.stringify(body);
	const status = await new Promise<number>((resolve, reject) => {
		const req = request(
			`${n8n.emulator.url}/_emulator${path}`,
			{ method: 'POST', ca: n8n.emulator.ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
	if (status !== 200) throw new Error(`admin ${path} ${payload}: ${status}`);
}

const answer = (phoneNumber: string, inviteStatus: 'ACCEPTED' | 'DECLINED') => admin('/testers/status', { agentId: AGENT, phoneNumber, inviteStatus });

/**
 * Waits (bounded) until the emulator has had `count` requests of one kind (`testers.get`…), then
 * 300 ms more: requests are counted on arrival, and the last ones must be answered before the test
 * changes the state they read. The workflow's Wait (2 s) leaves room for it.
 */
async function requestsDone(kind: string, count: number): Promise<void> {
	const deadline = Date.now() + 120_000;
	while ((n8n.emulator.stats().requests[kind] ?? 0) < count) {
		if (Date.now() > deadline) throw new Error(`the workflow made ${n8n.emulator.stats().requests[kind] ?? 0} ${kind} requests, not ${count}, in 2 minutes`);
		await new Promise((r) => setTimeout(r, 50));
	}
	await new Promise((r) => setTimeout(r, 300));
}

async function seed(launches: Array<[string, string, string?]>): Promise<void> {
	for (const [region, launchState, comment] of launches) await admin('/launch', { agentId: AGENT, region, launchState, ...(comment ? { comment } : {}) });
	await admin('/analytics', {
		replace: true,
		rows: [
			{ name: 'analytics/agentPerformances/1', displayName: 'Demo agent', agentUseCase: 'PROMOTIONAL', countryCode: 'US', reputation: 'MEDIUM', trafficLimit: 4 },
			{ name: 'analytics/agentPerformances/2', displayName: 'Demo agent', agentUseCase: 'PROMOTIONAL', countryCode: 'GB', reputation: 'HIGH', trafficLimit: '8' },
		],
	});
}

/** The run of a successful `n8n execute`; n8n's output otherwise. */
function finished(result: ExecuteResult): N8nRun {
	if (result.code !== 0 || !result.run || result.run.data.resultData.error) {
		throw new Error(`n8n execute failed (exit ${result.code}):\n${describeError(result.run)}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
	}
	return result.run;
}

function summaryOf(run: N8nRun): Record<string, any> {
	const [items] = runOutputs(run, 'Summary');
	expect(items).toHaveLength(1);
	return items[0].json;
}

const names = (list: Array<{ name: string; phoneNumber: string }>) => list.map((p) => `${p.name} ${p.phoneNumber}`).sort();
const sentTo = () => Object.values(n8n.emulator.stats().messages).map((m) => m.phoneNumber).sort();

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: 1 });
	await n8n.importWorkflows([waitFour, allAccept]);
});

afterAll(async () => {
	await n8n?.close();
});

beforeEach(() => {
	n8n.emulator.reset();
});

describe('examples/before-first-campaign.json in real n8n', () => {
	it('invites the team, waits while two accept, one declines and one never answers, messages only the accepted, reports launch and limits', async () => {
		await seed([
			['/v1/regions/us-tmobile', 'LAUNCH_STATE_PENDING', 'Carrier review'],
			['/v1/regions/gb-google', 'LAUNCH_STATE_REJECTED', 'Logo does not match the brand'],
		]);
		const execution = n8n.execute(waitFour.id);
		// The first round of lookups: everyone is still PENDING. Their owners answer while n8n waits.
		await requestsDone('testers.get', 4);
		expect(n8n.emulator.stats().requests['testers.create']).toBe(4);
		await answer(TEAM.ada, 'ACCEPTED');
		await answer(TEAM.grace, 'ACCEPTED');
		await answer(TEAM.alan, 'DECLINED');
		const run = finished(await execution);

		// Four rounds (Linus stayed PENDING until the bound), each a Wait and a lookup of every phone.
		expect(run.data.resultData.runData['Wait a minute']).toHaveLength(4);
		expect(run.data.resultData.runData['Check invite']).toHaveLength(4);
		expect(n8n.emulator.stats().requests['testers.get']).toBe(16);
		expect(runOutputs(run, 'Who answered?', 0)[0].map((i) => i.json.inviteStatus)).toEqual(['PENDING', 'PENDING', 'PENDING', 'PENDING']);
		expect(runOutputs(run, 'Who answered?', 1)[0].map((i) => i.json.inviteStatus)).toEqual(['ACCEPTED', 'DECLINED', 'ACCEPTED', 'PENDING']);
		// Rounds 1-3 went back to the Wait, round 4 on to the send.
		expect(outputs(run, 'Done waiting?')[1]).toHaveLength(12);

		// Test messages only to the phones that accepted; the others skipped, nothing forbidden.
		const [sent, notReachable] = runOutputs(run, 'Send test message');
		expect(notReachable).toHaveLength(0);
		expect(sent.filter((i) => i.json.suppressed === true).map((i) => i.json.phoneNumber).sort()).toEqual([TEAM.alan, TEAM.linus].sort());
		expect(sentTo()).toEqual([TEAM.ada, TEAM.grace].sort());
		expect(n8n.emulator.stats().forbidden).toBe(0);

		const summary = summaryOf(run);
		expect(summary).toMatchObject({ agentId: AGENT, rounds: 4, notInvited: [], testMessagesFailed: [], launchedRegions: [] });
		expect(names(summary.accepted)).toEqual([`Ada ${TEAM.ada}`, `Grace ${TEAM.grace}`]);
		expect(names(summary.declined)).toEqual([`Alan ${TEAM.alan}`]);
		expect(names(summary.notAnswered)).toEqual([`Linus ${TEAM.linus}`]);
		const messages = n8n.emulator.stats().messages;
		expect(summary.testMessages.map((m: any) => [m.name, m.phoneNumber, messages[m.messageId]?.phoneNumber]).sort()).toEqual([
			['Ada', TEAM.ada, TEAM.ada],
			['Grace', TEAM.grace, TEAM.grace],
		]);
		expect((messages[summary.testMessages[0].messageId].body as any).contentMessage.text).toMatch(/^Hi (Ada|Grace), this is a test message/);
		expect(summary.launch).toEqual([
			{ region: '/v1/regions/us-tmobile', launchState: 'LAUNCH_STATE_PENDING', launched: false, comment: 'Carrier review', updateTime: expect.any(String) },
			{ region: '/v1/regions/gb-google', launchState: 'LAUNCH_STATE_REJECTED', launched: false, comment: 'Logo does not match the brand', updateTime: expect.any(String) },
		]);
		expect(summary.trafficLimits).toEqual([
			{ agent: 'Demo agent', country: 'US', reputation: 'MEDIUM', trafficLimit: 4, agentUseCase: 'PROMOTIONAL' },
			{ agent: 'Demo agent', country: 'GB', reputation: 'HIGH', trafficLimit: 8, agentUseCase: 'PROMOTIONAL' },
		]);
		expect(summary.text).toBe('2 of 4 phones accepted after 4 round(s); declined: Alan; not answered: Linus; 2 test message(s) sent; launched in 0 of 2 region(s); traffic limits: US 4, GB 8');
	});

	it('stops waiting as soon as nobody is pending: everyone accepted before the first re-check, everyone gets the message', async () => {
		await seed([['/v1/regions/gb-google', 'LAUNCH_STATE_LAUNCHED']]);
		const execution = n8n.execute(allAccept.id);
		await requestsDone('testers.create', 4);
		for (const phone of Object.values(TEAM)) await answer(phone, 'ACCEPTED');
		const run = finished(await execution);

		expect(run.data.resultData.runData['Check invite']).toHaveLength(1);
		expect(sentTo()).toEqual(Object.values(TEAM).sort());
		const summary = summaryOf(run);
		expect(summary).toMatchObject({ rounds: 1, declined: [], notAnswered: [], launchedRegions: ['/v1/regions/gb-google'] });
		expect(summary.accepted).toHaveLength(4);
		expect(summary.testMessages).toHaveLength(4);
	});
});
