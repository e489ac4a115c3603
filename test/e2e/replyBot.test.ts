/**
 * RBM Trigger and the RBM node in a running n8n (`n8n start` on 127.0.0.1): the emulator pushes a
 * signed user reply to the trigger's production webhook URL; the workflow marks it read, shows
 * typing and answers with suggestions, and the emulator sees all three. A forged push starts
 * nothing. STOP and START replies come out flagged (optOut / optIn, keyword), on the trigger's one
 * output or, with Separate Outputs for Opt-Outs and Opt-Ins, on its Opt-out and Opt-in outputs
 * (docs/opt-out.md). Plus the pre-campaign workflow (bulk check → send or SMS stand-in) via `n8n execute`.
 */
import type { N8nItem } from './harness';
import { CREDENTIAL_ID, CREDENTIAL_NAME, E2eInstance, loadExample, pairedIndex, runOutputs, runtime, startPublished } from './harness';

const replyBot = loadExample('reply-bot.json');
const preCampaign = loadExample('pre-campaign.json');
const CLIENT_TOKEN = ['e2e', 'client', 'token'].join('-');

const credentials = { rbmApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
/** An RBM Send Message node that answers the trigger's user with `text` (an expression on the trigger's item). */
const answer = (name: string, x: number, y: number, text: string) => ({
	id: `opt-out-${name.toLowerCase().replace(/\W+/g, '-')}`,
	name,
	type: 'n8n-nodes-rbm.rbmSendMessage',
	typeVersion: 1,
	position: [x, y],
	parameters: { phoneNumber: '={{ $json.phoneNumber }}', agentId: '={{ $json.agentId }}', messageType: 'text', text, options: { messageTrafficType: 'SERVICEREQUEST' } },
	credentials,
});
const FLAGS = "optOut=' + $json.optOut + ' optIn=' + $json.optIn + ' keyword=' + ($json.keyword || '-')";
/**
 * RBM Trigger → answers that show what came out where: with `separate`, one answer per output
 * (Everything Else, Opt-out, Opt-in), else one answer on the only output.
 */
function optOutBot(id: string, separate: boolean): any {
	const trigger = {
		id: `${id}-trigger`,
		name: 'RBM Trigger',
		type: 'n8n-nodes-rbm.rbmTrigger',
		typeVersion: 1.1,
		position: [0, 0],
		parameters: { events: ['text', 'suggestionResponse', 'subscription'], ...(separate ? { consentOutputs: true } : {}) },
		credentials,
		webhookId: id,
	};
	const outputs = separate ? ['Everything Else', 'Opt-out', 'Opt-in'] : ['Only output'];
	const nodes = outputs.map((output, i) => answer(`Answer ${output}`, 300, i * 200, `={{ '${output}: ${FLAGS} }}`));
	return {
		id,
		name: `RBM opt-out (${separate ? 'separate outputs' : 'one output'})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [trigger, ...nodes],
		connections: { 'RBM Trigger': { main: nodes.map((n) => [{ node: n.name, type: 'main', index: 0 }]) } },
	};
}
const optOutOneOutput = optOutBot('rbmOptOutOne0001', false);
const optOutSeparate = optOutBot('rbmOptOutSep0001', true);

let n8n: E2eInstance;

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: 7, deliveryDelayMs: 60_000 }, [], { webhookClientToken: CLIENT_TOKEN });
	await n8n.importWorkflows([replyBot, preCampaign, optOutOneOutput, optOutSeparate]);
});

afterAll(async () => {
	await n8n?.close();
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

describe('reply bot in a running n8n', () => {
	let server: Awaited<ReturnType<typeof runtime.startN8n>> | undefined;

	beforeAll(async () => {
		server = await startPublished(n8n, [replyBot.id, optOutOneOutput.id, optOutSeparate.id]);
		// n8n registers active workflows' webhooks a moment after its REST API is up, and while it
		// starts it can answer other things than the webhook's 404 (seen under load: a 200 without the
		// secret, then Express's "Cannot POST"): wait until the handshake itself succeeds.
		const deadline = Date.now() + 90_000;
		for (const workflow of [optOutOneOutput, optOutSeparate, replyBot]) {
			pushTo(workflow);
			while (!(await n8n.emulator.verifyWebhook()).ok && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
	});

	/** Points the emulator's pushes at this workflow's RBM Trigger (production URL). */
	function pushTo(workflow: any): void {
		const webhookId = workflow.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-rbm.rbmTrigger').webhookId as string;
		n8n.emulator.configure({ webhookUrl: `${server!.url}/webhook/${webhookId}/webhook`, webhookClientToken: CLIENT_TOKEN });
	}

	/** Pushes each text from its own phone; resolves with each phone's answer text. */
	async function answersTo(workflow: any, texts: Array<{ phoneNumber: string; text?: string; postbackData?: string; type?: 'text' | 'suggestionResponse' | 'UNSUBSCRIBE' }>): Promise<Record<string, string>> {
		n8n.emulator.reset();
		pushTo(workflow);
		try {
			for (const [i, t] of texts.entries()) {
				const push = await n8n.emulator.sendWebhookEvent({ type: 'text', agentId: 'rbm-demo-agent', messageId: `MxOptE2e${workflow.id}${i}`, eventId: `MxOptE2eEv${workflow.id}${i}`, ...t });
				expect(push).toEqual({ status: 200, body: '' });
			}
			const messages = await until('an answer to every push', () => {
				const all = Object.values(n8n.emulator.stats().messages);
				return all.length >= texts.length ? all : undefined;
			});
			// no second answer to anyone
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(Object.values(n8n.emulator.stats().messages)).toHaveLength(texts.length);
			return Object.fromEntries(messages.map((m) => [m.phoneNumber, (m.body as { contentMessage: { text: string } }).contentMessage.text]));
		} finally {
			pushTo(replyBot);
		}
	}

	it('answers the console\'s verification handshake with the secret', async () => {
		const result = await n8n.emulator.verifyWebhook();
		expect(result).toMatchObject({ status: 200, ok: true });
	});

	it('a signed reply is marked read, gets a typing indicator and an answer with suggestions', async () => {
		n8n.emulator.reset();
		const userMessageId = 'MxE2eUserMessage1';
		const push = await n8n.emulator.sendWebhookEvent({ type: 'suggestionResponse', phoneNumber: '+16505550177', agentId: 'rbm-demo-agent', text: 'Show offers', postbackData: 'show_offers', messageId: userMessageId });
		// an accepted push: a clean, empty 200 (not n8n's default text "firstEntryJson")
		expect(push).toEqual({ status: 200, body: '' });

		const answer = await until('the bot\'s answer', () => Object.values(n8n.emulator.stats().messages)[0]);
		expect(answer).toMatchObject({ phoneNumber: '+16505550177', agentId: 'rbm-demo-agent', count: 1 });
		const body = answer.body as { contentMessage: { text: string; suggestions: unknown[] }; messageTrafficType: string };
		expect(body.contentMessage.text).toMatch(/this week's offers/);
		expect(body.contentMessage.suggestions).toHaveLength(3);
		expect(body.messageTrafficType).toBe('SERVICEREQUEST');

		const events = n8n.emulator.stats().events;
		expect(events.map((e) => [e.eventType, e.phoneNumber])).toEqual([
			['READ', '+16505550177'],
			['IS_TYPING', '+16505550177'],
		]);
		expect(events[0].messageId).toBe(userMessageId);
	});

	it('a forged push (wrong signature) and a replay start nothing', async () => {
		n8n.emulator.reset();
		const forged = await n8n.emulator.sendWebhookEvent({ type: 'text', phoneNumber: '+16505550178', agentId: 'rbm-demo-agent', text: 'forged', signature: 'invalid' });
		expect(forged.status).toBe(403);
		const unsigned = await n8n.emulator.sendWebhookEvent({ type: 'text', phoneNumber: '+16505550178', agentId: 'rbm-demo-agent', text: 'unsigned', signature: 'none' });
		expect(unsigned.status).toBe(401);

		const first = await n8n.emulator.sendWebhookEvent({ type: 'text', phoneNumber: '+16505550179', agentId: 'rbm-demo-agent', text: 'hello', messageId: 'MxReplayE2e' });
		expect(first.status).toBe(200);
		await until('the answer to the genuine message', () => Object.values(n8n.emulator.stats().messages)[0]);
		const replay = await n8n.emulator.sendWebhookEvent({ type: 'text', phoneNumber: '+16505550179', agentId: 'rbm-demo-agent', text: 'hello', messageId: 'MxReplayE2e' });
		expect(replay.status).toBe(200);

		// Give n8n time to (wrongly) run anything, then check only the genuine message was answered.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const stats = n8n.emulator.stats();
		expect(Object.values(stats.messages).map((m) => m.phoneNumber)).toEqual(['+16505550179']);
		expect(stats.events.filter((e) => e.phoneNumber === '+16505550178')).toEqual([]);
	});

	it('the example honours STOP: one confirmation on its Opt-out output, no offers, not marked read; START gets the welcome back', async () => {
		const answers = await answersTo(replyBot, [
			{ phoneNumber: '+16505550321', text: 'STOP' },
			{ phoneNumber: '+16505550322', text: 'Start' },
		]);
		expect(answers).toEqual({
			'+16505550321': 'You will get no more messages from us. Reply START if you change your mind.',
			'+16505550322': 'Welcome back! You will get our offers again. Reply STOP to stop them.',
		});
		// the Everything Else branch (Mark as read, Show typing) did not run for them
		expect(n8n.emulator.stats().events).toEqual([]);
	});

	it('opt-out: STOP comes out flagged with its keyword on the one output; ordinary messages with both flags false', async () => {
		const answers = await answersTo(optOutOneOutput, [
			{ phoneNumber: '+16505550301', text: 'Stop!' },
			{ phoneNumber: '+16505550302', text: 'ARRÊT' },
			{ phoneNumber: '+16505550303', text: 'stop sending me this' },
			{ phoneNumber: '+16505550304', text: 'start' },
		]);
		expect(answers).toEqual({
			'+16505550301': 'Only output: optOut=true optIn=false keyword=STOP',
			'+16505550302': 'Only output: optOut=true optIn=false keyword=ARRÊT',
			'+16505550303': 'Only output: optOut=false optIn=false keyword=-',
			'+16505550304': 'Only output: optOut=false optIn=true keyword=START',
		});
	});

	it('opt-out with Separate Outputs: STOP, a chip with postback data "unsubscribe" and RBM\'s UNSUBSCRIBE leave on Opt-out, START on Opt-in, the rest (a "Cancel" chip for an order too) on Everything Else', async () => {
		const answers = await answersTo(optOutSeparate, [
			{ phoneNumber: '+16505550311', text: 'STOP' },
			{ phoneNumber: '+16505550312', type: 'suggestionResponse', text: 'No more offers', postbackData: 'unsubscribe' },
			{ phoneNumber: '+16505550313', type: 'UNSUBSCRIBE' },
			{ phoneNumber: '+16505550314', text: 'Unstop' },
			{ phoneNumber: '+16505550315', text: "Don't stop" },
			{ phoneNumber: '+16505550316', type: 'suggestionResponse', text: 'Cancel', postbackData: 'cancel_order_42' },
		]);
		expect(answers).toEqual({
			'+16505550311': 'Opt-out: optOut=true optIn=false keyword=STOP',
			'+16505550312': 'Opt-out: optOut=true optIn=false keyword=UNSUBSCRIBE',
			'+16505550313': 'Opt-out: optOut=true optIn=false keyword=-',
			'+16505550314': 'Opt-in: optOut=false optIn=true keyword=UNSTOP',
			'+16505550315': 'Everything Else: optOut=false optIn=false keyword=-',
			'+16505550316': 'Everything Else: optOut=false optIn=false keyword=-',
		});
	});
});

describe('examples/pre-campaign.json in real n8n', () => {
	it('bulk check → reachable phones get the card, the others go to the SMS stand-in', async () => {
		n8n.emulator.reset();
		const run = await n8n.executeOk(preCampaign.id);
		const [contacts] = runOutputs(run, 'Contacts');
		const [reachable, unreachable] = runOutputs(run, 'Who has RCS?');
		const [sent] = runOutputs(run, 'Send RCS');
		const [sms] = runOutputs(run, 'SMS fallback (stand-in)');
		expect(contacts).toHaveLength(4);
		expect(reachable.map((i: N8nItem) => i.json.phoneNumber)).toEqual(['+16505550201', '+447700900202']);
		expect(unreachable.map((i: N8nItem) => [i.json.phoneNumber, pairedIndex(i)])).toEqual([
			['+16505550404', 1],
			['+4915112340404', 3],
		]);
		const stats = n8n.emulator.stats();
		expect(sent.map((i: N8nItem) => (stats.messages[i.json.messageId].body as any).contentMessage.richCard.standaloneCard.cardContent.title)).toEqual(['Autumn offers for Ada', 'Autumn offers for Grace']);
		expect(sent.map((i: N8nItem) => [i.json.sendStatus, i.json.reachable])).toEqual([['sent', true], ['sent', true]]);
		expect(sms.map((i: N8nItem) => i.json.phoneNumber)).toEqual(['+16505550404', '+4915112340404']);
		// one bulk check per region, each at its regional endpoint (RBM's rule since May 2026)
		expect(stats.batchGets).toEqual([{ count: 2, endpoint: 'us' }, { count: 2, endpoint: 'europe' }]);
		expect(stats.accepted).toBe(2);
	});
});
