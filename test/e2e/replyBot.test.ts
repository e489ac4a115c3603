/**
 * RBM Trigger and the RBM node in a running n8n (`n8n start` on 127.0.0.1): the emulator pushes a
 * signed user reply to the trigger's production webhook URL; the workflow marks it read, shows
 * typing and answers with suggestions, and the emulator sees all three. A forged push starts
 * nothing. Plus the pre-campaign workflow (bulk check → send or SMS stand-in) via `n8n execute`.
 */
import type { N8nItem } from './harness';
import { CREDENTIAL_ID, CREDENTIAL_NAME, E2eInstance, loadExample, pairedIndex, runOutputs, runtime } from './harness';

const replyBot = loadExample('reply-bot.json');
const preCampaign = loadExample('pre-campaign.json');
const CLIENT_TOKEN = ['e2e', 'client', 'token'].join('-');

let n8n: E2eInstance;

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: 7, deliveryDelayMs: 60_000 });
	await n8n.importCredential(CREDENTIAL_ID, CREDENTIAL_NAME, n8n.keyJson, { webhookClientToken: CLIENT_TOKEN });
	await n8n.importWorkflows([replyBot, preCampaign]);
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
		const published = await runtime.runN8n(['publish:workflow', `--id=${replyBot.id}`], n8n.env);
		expect(published.code).toBe(0);
		server = await runtime.startN8n(n8n.userFolder, { port: await runtime.freePort(), env: n8n.env });
		const webhookId = replyBot.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-rbm.rbmTrigger').webhookId as string;
		n8n.emulator.configure({ webhookUrl: `${server.url}/webhook/${webhookId}/webhook`, webhookClientToken: CLIENT_TOKEN });
		// n8n registers active workflows' webhooks a moment after its REST API is up, and while it
		// starts it can answer other things than the webhook's 404 (seen under load: a 200 without the
		// secret, then Express's "Cannot POST"): wait until the handshake itself succeeds.
		const deadline = Date.now() + 90_000;
		while (!(await n8n.emulator.verifyWebhook()).ok && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
	}, 240_000);

	afterAll(async () => {
		await server?.stop();
	});

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
		expect(sent.map((i: N8nItem) => i.json.contentMessage.richCard.standaloneCard.cardContent.title)).toEqual(['Autumn offers for Ada', 'Autumn offers for Grace']);
		expect(sms.map((i: N8nItem) => i.json.phoneNumber)).toEqual(['+16505550404', '+4915112340404']);
		const stats = n8n.emulator.stats();
		// one bulk check per region, each at its regional endpoint (RBM's rule since May 2026)
		expect(stats.batchGets).toEqual([{ count: 2, endpoint: 'us' }, { count: 2, endpoint: 'europe' }]);
		expect(stats.accepted).toBe(2);
	});
});
