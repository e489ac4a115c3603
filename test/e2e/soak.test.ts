/**
 * Short reliability soak (the long one is `npm run soak`, bench/soak.js): a few hundred contacts
 * through a real n8n while the emulator injects ~10 % faults from a seeded script — 429 with
 * Retry-After, 503, resets, timeouts and lost responses (reset-after-accept) — and through n8n's
 * own "Retry On Fail" after a mid-run failure. Every contact must be accepted by RBM exactly once:
 * nothing lost, no contact with two accepted message ids, and every Sent item carries the id RBM
 * holds for its phone.
 */
import type { EmulatorStats, ScriptStep } from '../../emulator';
import type { N8nRun } from './harness';
import { CREDENTIAL_ID, CREDENTIAL_NAME, E2eInstance, pairedIndex, runOutputs } from './harness';

const ITEMS = 300;
const SEED = 20261125;

const phoneOf = (i: number): string => `+447${String(i).padStart(8, '0')}1`;

/** mulberry32 (as the emulator's PRNG): the same seed gives the same fault sequence. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** One step per request in arrival order; ~rate of them faults (same mix as bench/soak.js). */
function faultScript(length: number, rate: number, seed: number): ScriptStep[] {
	const rnd = prng(seed);
	const mix: Array<[number, ScriptStep]> = [
		[0.3, '429'],
		[0.3, '503'],
		[0.15, 'reset'],
		[0.05, 'timeout'],
		[0.2, 'reset-after-accept'],
	];
	return Array.from({ length }, () => {
		const r = rnd();
		if (r >= rate) return 'ok';
		let acc = 0;
		for (const [p, kind] of mix) {
			acc += p;
			if (r / rate < acc) return kind;
		}
		return 'reset-after-accept';
	});
}

function soakWorkflow(id: string, name: string, options: Record<string, unknown>, settings: Record<string, unknown> = {}): any {
	const jsCode = `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { name: 'Contact ' + (i + 1), phone: '+447' + String(i).padStart(8, '0') + '1' } }));`;
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: '5e0a4f4c-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: '5e0a4f4c-0000-4000-8000-000000000002', name: 'Contacts', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode } },
			{
				id: '5e0a4f4c-0000-4000-8000-000000000003',
				name: 'Send RCS',
				type: 'n8n-nodes-rbm.rbmSendMessage',
				typeVersion: 1,
				position: [440, 0],
				parameters: { phoneNumber: '={{ $json.phone }}', agentId: 'soak-agent', messageType: 'text', text: '=Hi {{ $json.name }}, the soak says hello.', options },
				credentials: { rbmApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
				...settings,
			},
		],
		connections: {
			Start: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'Send RCS', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

// The node's timeout (1 s, its minimum) is shorter than the emulator's held 'timeout' socket (3 s).
const faults = soakWorkflow('rbmE2eSoakFault1', 'e2e soak: faults', { concurrency: 16, timeout: 1000 });
const retryOnFail = soakWorkflow('rbmE2eSoakRetry1', 'e2e soak: retry on fail', { concurrency: 16, maxRetries: 0 }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });

let n8n: E2eInstance;

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: SEED, timeoutMs: 3000 });
	await n8n.importWorkflows([faults, retryOnFail]);
});

afterAll(async () => {
	await n8n?.close();
});

beforeEach(() => {
	n8n.emulator.configure({ faults: {} });
	n8n.emulator.reset();
});

/** Accepted exactly once per contact, as RBM sees it and as n8n reports it. */
function expectExactlyOnce(run: N8nRun, stats: EmulatorStats): void {
	const idsByPhone = new Map<string, string[]>();
	for (const [id, m] of Object.entries(stats.messages)) idsByPhone.set(m.phoneNumber, [...(idsByPhone.get(m.phoneNumber) ?? []), id]);
	const lost: string[] = [];
	const doubleSent: string[] = [];
	for (let i = 0; i < ITEMS; i++) {
		const ids = idsByPhone.get(phoneOf(i)) ?? [];
		if (ids.length === 0) lost.push(phoneOf(i));
		if (ids.length > 1) doubleSent.push(phoneOf(i));
	}
	expect({ lost, doubleSent }).toEqual({ lost: [], doubleSent: [] });
	expect(stats.accepted).toBe(ITEMS);

	const [sent, notReachable] = runOutputs(run, 'Send RCS');
	expect(notReachable).toHaveLength(0);
	expect(sent).toHaveLength(ITEMS);
	expect(new Set(sent.map(pairedIndex)).size).toBe(ITEMS);
	const wrongId = sent.filter((item) => (idsByPhone.get(item.json.phoneNumber) ?? []).join() !== item.json.messageId);
	expect(wrongId).toHaveLength(0);
	// alreadyAccepted exactly where RBM saw the id more than once (lost response or earlier try).
	const wrongFlag = sent.filter((item) => (item.json.alreadyAccepted === true) !== stats.messages[item.json.messageId].count > 1);
	expect(wrongFlag).toHaveLength(0);
	expect(stats.tokenGrants).toBe(1);
}

describe(`short soak: ${ITEMS} contacts`, () => {
	it('~10 % faults (429 + Retry-After, 503, resets, timeouts, lost responses): each contact accepted exactly once', async () => {
		n8n.emulator.configure({ seed: SEED, faults: { 'agentMessages.create': { latencyMs: 5, retryAfterSeconds: 1, script: faultScript(ITEMS * 3, 0.1, SEED) } } });
		const run = await n8n.executeOk(faults.id);
		const stats = n8n.emulator.stats();
		expectExactlyOnce(run, stats);
		const injected = Object.values(stats.faultsInjected).reduce((a, b) => a + b, 0);
		expect(injected).toBeGreaterThanOrEqual(ITEMS * 0.06);
		expect(stats.faultsInjected['reset-after-accept']).toBeGreaterThanOrEqual(1);
		expect(stats.duplicates).toBeGreaterThanOrEqual(stats.faultsInjected['reset-after-accept']);
		expect(stats.maxInFlight).toBeLessThanOrEqual(16);
	});

	it('Retry On Fail (node retries off): a lost response half-way fails try 1, a reset fails try 2; try 3 completes, nothing sent twice', async () => {
		const half = ITEMS / 2;
		const script: ScriptStep[] = [...Array<ScriptStep>(half).fill('ok'), 'reset-after-accept', ...Array<ScriptStep>(Math.floor(ITEMS * 0.7)).fill('ok'), 'reset'];
		n8n.emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 5, script } } });
		const run = await n8n.executeOk(retryOnFail.id);
		const stats = n8n.emulator.stats();
		expect(run.data.resultData.runData['Send RCS']).toHaveLength(1);
		expect(stats.faultsInjected).toEqual({ 'reset-after-accept': 1, reset: 1 });
		// Three tries: the first two re-sent what got through before (409 → alreadyAccepted).
		expect(stats.requests['agentMessages.create']).toBeGreaterThan(ITEMS * 2);
		expect(stats.duplicates).toBeGreaterThanOrEqual(half);
		expectExactlyOnce(run, stats);
	});
});
