/**
 * The campaign report and suppression pattern (docs/send-message.md › Suppression, › Campaign report) in a
 * running n8n 2.40.7 (`n8n start`), with the three example workflows as they ship:
 * examples/campaign-report.json sends 300 contacts and records every send in the data table
 * rbm_campaign_messages; examples/campaign-events.json (active) records the DELIVERED and READ
 * receipts, replies and STOPs the emulator's simulated recipients push to its RBM Trigger;
 * examples/campaign-summary.json then reports per campaign exactly what the emulator counted. A STOP
 * from one more phone puts it on rbm_opt_outs, and the next campaign skips it (and everyone who
 * opted out before): suppressed, recorded as such, and nothing reaches the emulator for them.
 *
 * The workflows are started through Webhook nodes added to copies of the examples (a running n8n
 * has no CLI "execute" for them); everything else is the examples' own nodes.
 */
import { randomUUID } from 'node:crypto';

import { E2eInstance, loadExample, node, runtime, startPublished, variant } from './harness';

const CLIENT_TOKEN = ['e2e', 'report', 'token'].join('-');
const AGENT = 'rbm-demo-agent';

interface Summary {
	campaignId: string;
	sent: number;
	delivered: number;
	deliveredPercent: number;
	read: number;
	readPercent: number;
	replies: number;
	optOuts: number;
	notReachable: number;
	suppressed: number;
	segments: number;
	smsText: string;
	smsTo: string;
}
interface MessageRow {
	messageId: string;
	phone: string;
	campaignId: string;
	outcome: string;
}

/** A Webhook node that starts the workflow and answers with the last node's items when it ends. */
function startHook(name: string, path: string): Record<string, unknown> {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 400],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

function withHook(wf: any, hook: Record<string, unknown>, first: string): void {
	wf.nodes.push(hook);
	wf.connections[hook.name as string] = { main: [[{ node: first, type: 'main', index: 0 }]] };
}

const events = loadExample('campaign-events.json');
// The campaign, started by a webhook whose body holds the contacts (instead of the Contacts stand-in's list).
const campaign = variant(loadExample('campaign-report.json'), 'rbmE2eReport0001', 'e2e: campaign report', (wf) => {
	withHook(wf, startHook('Start (e2e)', 'e2e-report-campaign'), 'Contacts');
	node(wf, 'Contacts').parameters.jsCode = "return $('Start (e2e)').first().json.body.contacts.map((json) => ({ json }));";
	delete wf.connections['Run now'];
});
const summary = variant(loadExample('campaign-summary.json'), 'rbmE2eSummary001', 'e2e: campaign summary', (wf) => {
	withHook(wf, startHook('Start (e2e)', 'e2e-report-summary'), 'Messages table');
});
// Reads rbm_campaign_messages, to see what the campaign recorded.
const probe = {
	id: 'rbmE2eMsgProbe01',
	name: 'e2e: messages table',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		startHook('Start (e2e)', 'e2e-report-messages'),
		{
			id: randomUUID(),
			name: 'Messages',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			position: [220, 400],
			alwaysOutputData: true,
			parameters: { resource: 'row', operation: 'get', dataTableId: { __rl: true, mode: 'name', value: 'rbm_campaign_messages' }, returnAll: true },
		},
	],
	connections: { 'Start (e2e)': { main: [[{ node: 'Messages', type: 'main', index: 0 }]] } },
};

/**
 * 300 US contacts; every 25th number ends in 404 (not reachable over RCS in the emulator). Enough for
 * every outcome to occur many times (about 110 reads, 28 replies, 8 STOPs at the rates below) while
 * n8n runs each push as its own execution; the large runs belong to `npm run bench`.
 */
const CONTACT_COUNT = 300;
const NOT_REACHABLE = Math.ceil(CONTACT_COUNT / 25);
const phoneOf = (i: number) => `+1650${200 + Math.floor(i / 10)}${i % 25 === 0 ? '0404' : String(1000 + (i % 10))}`;
const CONTACTS = Array.from({ length: CONTACT_COUNT }, (_, i) => ({ name: `Contact ${i}`, phone: phoneOf(i), campaignId: 'spring-2026' }));

let n8n: E2eInstance;
let server: Awaited<ReturnType<typeof runtime.startN8n>> | undefined;

beforeAll(async () => {
	// Simulated recipients: 40 % read, a quarter of those answer, three in ten answers are STOP.
	// At most 8 pushes unanswered at once: n8n takes a few dozen webhook runs a second here, the
	// campaign's receipts come faster (emulator/README.md › Simulated recipients).
	n8n = await E2eInstance.create({ seed: 17, deliveryDelayMs: 20, readRate: 0.4, replyRate: 0.25, optOutRate: 0.3, webhookConcurrency: 8 }, [], { webhookClientToken: CLIENT_TOKEN });
	await n8n.importWorkflows([events, campaign, summary, probe]);
	// Successful executions are not saved (about 1,500 webhook runs); the expression isolate only when
	// needed (docs/trigger.md: the setting for the process that takes RBM's webhooks).
	const env = { ...n8n.env, EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };
	server = await startPublished(n8n, [events, campaign, summary, probe].map((wf) => wf.id as string), env);
	n8n.emulator.configure({ webhookUrl: `${server.url}/webhook/${node(events, 'RBM Trigger').webhookId as string}/webhook`, webhookClientToken: CLIENT_TOKEN });
	const deadline = Date.now() + 90_000;
	while (!(await n8n.emulator.verifyWebhook().catch(() => ({ ok: false }))).ok) {
		if (Date.now() > deadline) throw new Error('the events workflow\'s RBM Trigger never answered the handshake');
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await n8n?.close();
});

async function call<T>(path: string, body: unknown = {}): Promise<T> {
	const res = await runtime.httpJson('POST', `${server!.url}/webhook/${path}`, { body, timeoutMs: 150_000 });
	if (res.status !== 200) throw new Error(`POST /webhook/${path}: ${res.status} ${res.text.slice(0, 500)}`);
	return res.json as T;
}

const summaries = async () => Object.fromEntries((await call<Summary[]>('e2e-report-summary')).map((s) => [s.campaignId, s]));

/** Polls every 1.5 s until `probe` returns a value (bounded). */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 1500));
	}
}

test(`${CONTACT_COUNT} contacts: the summary equals what the emulator counted; a STOP suppresses the phone in the next campaign`, async () => {
	const emu = n8n.emulator;
	const t0 = Date.now();
	await call('e2e-report-campaign', { contacts: CONTACTS });
	console.log(`campaign of ${CONTACT_COUNT} sent and recorded in ${Date.now() - t0} ms; pushed so far ${JSON.stringify(emu.stats().pushed)}`);
	const afterSend = emu.stats();
	expect(afterSend.accepted + afterSend.notFound).toBe(CONTACT_COUNT);
	expect(afterSend.notFound).toBe(NOT_REACHABLE);

	// The emulator is done when every accepted message's DELIVERED was pushed and nothing it leads to
	// (READ, replies, STOPs) is still scheduled or on its way.
	const pushed = await until(
		'the simulated recipients',
		async () => {
			const { pushed: now, pushesPending } = emu.stats();
			if (process.env.RBM_E2E_VERBOSE) console.log(`${Date.now() - t0} ms: ${JSON.stringify(now)}, pending ${pushesPending}`);
			return now.delivered + now.failed >= afterSend.accepted && pushesPending === 0 ? now : undefined;
		},
		300_000,
	);
	if (pushed.failed > 0) {
		const refused = emu.stats().webhookDeliveries.filter((d) => !d.ok).slice(0, 3);
		throw new Error(`${pushed.failed} pushes to the events workflow failed, e.g. ${JSON.stringify(refused)}\n--- n8n (tail)\n${server!.output().slice(-4000)}`);
	}
	console.log(`receipts and replies all pushed after ${Date.now() - t0} ms: ${JSON.stringify(pushed)}`);
	// Rates 0.4 / 0.25 / 0.3 of 288 reached: expected 115 reads, 29 replies, 9 STOPs (bounds far below).
	expect(pushed.read).toBeGreaterThan(80);
	expect(pushed.replies).toBeGreaterThan(10);
	expect(pushed.optOuts).toBeGreaterThan(1);

	// n8n may still be running the last pushes' executions: the report is final when it stops changing.
	let seen = '';
	const report = await until(
		'a stable report',
		async () => {
			const all = await summaries();
			const key = JSON.stringify(all);
			const stable = key === seen;
			seen = key;
			return stable ? all : undefined;
		},
		120_000,
	);
	const spring = report['spring-2026'];
	expect({ sent: spring.sent, delivered: spring.delivered, read: spring.read, replies: spring.replies, optOuts: spring.optOuts, notReachable: spring.notReachable, suppressed: spring.suppressed }).toEqual({
		sent: afterSend.accepted,
		delivered: pushed.delivered,
		read: pushed.read,
		replies: pushed.replies,
		optOuts: pushed.optOuts,
		notReachable: NOT_REACHABLE,
		suppressed: 0,
	});
	expect(spring.deliveredPercent).toBe(Math.round((1000 * pushed.delivered) / afterSend.accepted) / 10);
	expect(spring.readPercent).toBe(Math.round((1000 * pushed.read) / afterSend.accepted) / 10);
	expect(spring.smsText).toBe(
		`spring-2026: ${spring.sent} sent, ${spring.deliveredPercent}% delivered, ${spring.readPercent}% read, ${pushed.replies} replies, ${pushed.optOuts} opt-outs, ${NOT_REACHABLE} not reachable (SMS), 0 suppressed, ${afterSend.accepted} US rich message segments`,
	);
	// Every contact is a US number and the text is under 160 characters: RBM (the emulator) bills 1 segment each.
	expect(spring.segments).toBe(afterSend.accepted);

	// Phone X, reached but not opted out, answers STOP.
	const optedOut = new Set(emu.stats().optOutPhones);
	const x = CONTACTS.map((c) => c.phone).find((p, i) => i % 25 !== 0 && !optedOut.has(p))!;
	expect(await emu.sendWebhookEvent({ type: 'text', phoneNumber: x, agentId: AGENT, text: 'Stop' })).toMatchObject({ status: 200 });
	await until('the STOP in the report', async () => ((await summaries())['spring-2026'].optOuts === pushed.optOuts + 1 ? true : undefined), 60_000);

	// The next campaign: the first 100 contacts, everyone who opted out, and X.
	const suppressedPhones = new Set([...optedOut, x]);
	const next = [...new Set([...CONTACTS.slice(0, 100).map((c) => c.phone), ...suppressedPhones])].map((phone) => ({ name: 'again', phone, campaignId: 'summer-2026' }));
	emu.reset();
	await call('e2e-report-campaign', { contacts: next });
	const sentTo = new Set(Object.values(emu.stats().messages).map((m) => m.phoneNumber));
	expect(sentTo.has(x)).toBe(false);
	expect([...suppressedPhones].filter((p) => sentTo.has(p))).toEqual([]);
	expect(emu.stats().accepted + emu.stats().notFound).toBe(next.length - suppressedPhones.size);

	const rows = (await call<MessageRow[]>('e2e-report-messages')).filter((r) => r.campaignId === 'summer-2026');
	expect(rows).toHaveLength(next.length);
	const suppressedRows = rows.filter((r) => r.outcome === 'suppressed');
	expect(suppressedRows.map((r) => r.phone).sort()).toEqual([...suppressedPhones].sort());
	expect(suppressedRows.every((r) => r.messageId === '')).toBe(true);
	expect(rows.find((r) => r.phone === x)).toMatchObject({ outcome: 'suppressed', campaignId: 'summer-2026' });
}, 600_000);
