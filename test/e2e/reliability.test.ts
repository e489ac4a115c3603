/**
 * Exactly-once under failure, in a real n8n: injected 429s (with Retry-After), 503s, connection
 * resets and lost responses (reset after accept); n8n's own "Retry On Fail" re-running the node;
 * "Continue On Fail" in both modes (error items keep the contact: n8n-core must not reduce them to
 * `{ error }`); without it, a bad row fails the node before anything is sent. Every reachable item
 * must be accepted by RBM exactly once.
 */
import type { N8nItem, N8nRun } from './harness';
import { contactsCode, E2eInstance, loadExample, node, pairedIndex, runOutputs, variant } from './harness';

const campaign = loadExample('campaign.json');

/** 12 reachable contacts first (so scripted faults hit them), then every 5th one unreachable. */
function contacts(n: number, campaignId: string): Array<Record<string, string>> {
	return Array.from({ length: n }, (_, i) => ({
		name: `Contact ${i + 1}`,
		phone: i >= 12 && i % 5 === 0 ? `+1650555${String(1000 + i).slice(-1)}404` : `+1650556${String(1000 + i).slice(-4)}`,
		campaignId,
	}));
}

const faultsWorkflow = variant(campaign, 'rbmE2eFaults0001', 'e2e faults', (wf) => {
	node(wf, 'Contacts').parameters.jsCode = contactsCode(contacts(40, 'faults'));
	node(wf, 'Send RCS').parameters.options.concurrency = 8;
});

const retryOnFailWorkflow = variant(campaign, 'rbmE2eRetryOnF01', 'e2e retry on fail', (wf) => {
	node(wf, 'Contacts').parameters.jsCode = contactsCode(contacts(15, 'retry-on-fail'));
	const send = node(wf, 'Send RCS');
	// No idempotency key: the ids come from execution id + node + run index + item index.
	send.parameters.options = { maxRetries: 0, concurrency: 4 };
	Object.assign(send, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });
});

const CONTINUE_ITEMS = [
	{ name: 'Ok 1', phone: '+16505570001', campaignId: 'cof' },
	{ name: 'Ok 2', phone: '+16505570002', campaignId: 'cof' },
	{ name: 'Broken', phone: 'call me maybe', campaignId: 'cof' },
	{ name: 'Gone', phone: '+16505570404', campaignId: 'cof' },
	{ name: 'Ok 3', phone: '+16505570003', campaignId: 'cof' },
];

/** Options › Campaign ID from the contact, as docs/send-message.md › Campaign report shows it. */
function withCampaignId(wf: any) {
	node(wf, 'Send RCS').parameters.options.campaignId = '={{ $json.campaignId }}';
}

const continueRegular = variant(campaign, 'rbmE2eContRegul1', 'e2e continue (regular output)', (wf) => {
	node(wf, 'Contacts').parameters.jsCode = contactsCode(CONTINUE_ITEMS);
	withCampaignId(wf);
	node(wf, 'Send RCS').onError = 'continueRegularOutput';
});

/** Without Continue On Fail: row 2 is bad, so nothing may be sent (every row is checked first). */
const badRowTwo = variant(campaign, 'rbmE2eBadRow2001', 'e2e bad row 2', (wf) => {
	node(wf, 'Contacts').parameters.jsCode = contactsCode([
		{ name: 'Ok 1', phone: '+16505580001', campaignId: 'row2', optedOut: 'FALSE' },
		{ name: 'Bad', phone: '+16505580002', campaignId: 'row2', optedOut: 'yes' },
		{ name: 'Ok 3', phone: '+16505580003', campaignId: 'row2', optedOut: 'false' },
	]);
	node(wf, 'Send RCS').parameters.options.suppress = '={{ $json.optedOut }}';
});

const continueError = variant(campaign, 'rbmE2eContError1', 'e2e continue (error output)', (wf) => {
	node(wf, 'Contacts').parameters.jsCode = contactsCode(CONTINUE_ITEMS);
	withCampaignId(wf);
	node(wf, 'Send RCS').onError = 'continueErrorOutput';
	wf.nodes.push({ id: '0b6f7e58-0d1f-4a8e-9c53-6f1b2a0000ee', name: 'Failed items', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [700, 300], parameters: {} });
	wf.connections['Send RCS'].main.push([{ node: 'Failed items', type: 'main', index: 0 }]);
});

let n8n: E2eInstance;

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: 42 });
	await n8n.importWorkflows([faultsWorkflow, retryOnFailWorkflow, continueRegular, continueError, badRowTwo]);
});

afterAll(async () => {
	await n8n?.close();
});

beforeEach(() => {
	n8n.emulator.configure({ faults: {} });
	n8n.emulator.reset();
});

/** Every reachable contact accepted exactly once, with the id n8n reports; nothing lost. */
function expectExactlyOnce(run: N8nRun, sent: N8nItem[], notReachable: N8nItem[], contactCount: number) {
	const [contactItems] = runOutputs(run, 'Contacts');
	expect(contactItems).toHaveLength(contactCount);
	expect(sent.length + notReachable.length).toBe(contactCount);
	expect(new Set([...sent, ...notReachable].map(pairedIndex)).size).toBe(contactCount);

	const stats = n8n.emulator.stats();
	const reachablePhones = new Set(contactItems.map((c) => c.json.phone).filter((p: string) => !p.endsWith('404')));
	expect(stats.accepted).toBe(reachablePhones.size);
	const storedByPhone = new Map<string, string[]>();
	for (const [id, m] of Object.entries(stats.messages)) storedByPhone.set(m.phoneNumber, [...(storedByPhone.get(m.phoneNumber) ?? []), id]);
	for (const phone of reachablePhones) expect([phone, storedByPhone.get(phone)?.length]).toEqual([phone, 1]);
	for (const item of sent) {
		expect(storedByPhone.get(item.json.phoneNumber)).toEqual([item.json.messageId]);
		// A lost response made RBM see the id twice: the retry's 409 is reported as accepted.
		const count = stats.messages[item.json.messageId].count;
		expect([item.json.phoneNumber, item.json.alreadyAccepted === true]).toEqual([item.json.phoneNumber, count > 1]);
	}
	return stats;
}

describe('faults injected by the emulator (fixed seed)', () => {
	it('429 with Retry-After, 503, resets and lost responses: every item accepted exactly once', async () => {
		n8n.emulator.configure({
			seed: 42,
			faults: {
				'agentMessages.create': {
					script: ['429', '503', 'reset', 'reset-after-accept', '503', 'reset-after-accept', '429'],
					rate429: 0.1,
					rate503: 0.1,
					rateReset: 0.05,
					retryAfterSeconds: 1,
				},
			},
		});
		const run = await n8n.executeOk(faultsWorkflow.id);
		const [sent, notReachable] = runOutputs(run, 'Send RCS');
		const [sms] = runOutputs(run, 'SMS fallback (stand-in)');
		const stats = expectExactlyOnce(run, sent, notReachable, 40);

		expect(notReachable.length).toBe(5);
		expect(sms.map((i) => i.json.phoneNumber)).toEqual(notReachable.map((i) => i.json.phoneNumber));
		expect(stats.faultsInjected['429']).toBeGreaterThanOrEqual(2);
		expect(stats.faultsInjected['503']).toBeGreaterThanOrEqual(2);
		expect(stats.faultsInjected.reset).toBeGreaterThanOrEqual(1);
		expect(stats.faultsInjected['reset-after-accept']).toBe(2);
		expect(sent.filter((i) => i.json.alreadyAccepted === true).length).toBeGreaterThanOrEqual(2);
		expect(stats.tokenGrants).toBe(1);
	});
});

describe('n8n node settings', () => {
	it('Retry On Fail (node retries off, first try loses a response): n8n re-runs the node, same ids, each accepted once', async () => {
		n8n.emulator.configure({ faults: { 'agentMessages.create': { script: ['reset-after-accept'] } } });
		const run = await n8n.executeOk(retryOnFailWorkflow.id);
		expect(run.data.resultData.runData['Send RCS']).toHaveLength(1);
		const [sent, notReachable] = runOutputs(run, 'Send RCS');
		const stats = expectExactlyOnce(run, sent, notReachable, 15);
		expect(stats.faultsInjected['reset-after-accept']).toBe(1);
		// The first try was cut short after the failure; what it got through comes back as already accepted.
		const already = sent.filter((i) => i.json.alreadyAccepted === true);
		expect(already.length).toBeGreaterThanOrEqual(1);
		expect(stats.duplicates).toBeGreaterThanOrEqual(already.length);
	});

	it('Retry On Fail gives up after maxTries when every try fails', async () => {
		n8n.emulator.configure({ faults: { 'agentMessages.create': { rate503: 1 } } });
		const result = await n8n.execute(retryOnFailWorkflow.id);
		expect(result.code).not.toBe(0);
		expect(result.run?.data.resultData.error?.message).toMatch(/503|UNAVAILABLE|unavailable/i);
		const stats = n8n.emulator.stats();
		// 3 tries of at most `concurrency` (4) requests each, no retries inside the node.
		expect(stats.faultsInjected['503']).toBeGreaterThanOrEqual(3);
		expect(stats.faultsInjected['503']).toBeLessThanOrEqual(12);
		expect(stats.requests['agentMessages.create']).toBe(stats.faultsInjected['503']);
		expect(stats.accepted).toBe(0);
	});

	/** The error of the invalid contact (item 3), as both modes give it. */
	const invalidContactError = {
		message: 'Contact 3: Phone Number "call me maybe" contains characters that are not part of a phone number',
		description: "Field: phoneNumber.\nContact 3 is n8n's Item Index 2 (n8n and API paths count from 0). Nothing was sent for this contact.",
		field: 'phoneNumber',
		itemIndex: 2,
	};
	/** The recipient as the node read it: the phone as given (it is not a phone number), the agent, the campaign. */
	const invalidContactRecipient = { phoneNumber: 'call me maybe', agentId: 'rbm-demo-agent', campaignId: 'cof' };

	it('Continue On Fail (regular output): the invalid item comes out paired, with the contact and a structured error; the others are sent', async () => {
		const run = await n8n.executeOk(continueRegular.id);
		const [sent, notReachable] = runOutputs(run, 'Send RCS');
		const errors = sent.filter((i) => i.json.error);
		const ok = sent.filter((i) => !i.json.error);
		expect(ok.map(pairedIndex)).toEqual([0, 1, 4]);
		expect(ok.every((i) => i.json.campaignId === 'cof')).toBe(true);
		expect(notReachable.map(pairedIndex)).toEqual([3]);
		expect(errors).toHaveLength(1);
		expect(pairedIndex(errors[0])).toBe(2);
		// n8n 2.x replaces the json of an item with an item-level error by { error } (normalizeNodeErrors): not here.
		expect(errors[0].json).toEqual({ ...CONTINUE_ITEMS[2], ...invalidContactRecipient, error: invalidContactError, details: invalidContactRecipient });
		expect(n8n.emulator.stats().accepted).toBe(3);
	});

	it('Continue On Fail (error output): the invalid item goes to the error output, paired, with the contact and a structured error; the others are sent', async () => {
		const run = await n8n.executeOk(continueError.id);
		const [sent, notReachable, failed] = runOutputs(run, 'Send RCS');
		expect(sent.map(pairedIndex)).toEqual([0, 1, 4]);
		expect(sent.every((i) => !i.json.error && i.json.messageId)).toBe(true);
		expect(notReachable.map(pairedIndex)).toEqual([3]);
		expect(failed).toHaveLength(1);
		expect(pairedIndex(failed[0])).toBe(2);
		// n8n moves only items whose json is error / message / details to the error output and adds the input's fields.
		expect(failed[0].json).toEqual({ ...CONTINUE_ITEMS[2], error: invalidContactError, details: invalidContactRecipient });
		const [received] = runOutputs(run, 'Failed items');
		expect(received.map((i) => i.json)).toEqual([failed[0].json]);
		expect(n8n.emulator.stats().accepted).toBe(3);
	});

	it('without Continue On Fail a bad row 2 fails the node before anything is sent, naming the row and the field', async () => {
		const result = await n8n.execute(badRowTwo.id);
		expect(result.code).not.toBe(0);
		expect(result.run?.data.resultData.error?.message).toBe(
			'Contact 2: Options › Skip (Suppressed) is "yes"; it must be true or false (a boolean, or the text true/false in any letter case), e.g. {{ $json.optedOut }}',
		);
		expect(n8n.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});
});
