/**
 * RBM Send Message as an AI-agent tool in a real n8n: examples/support-agent.json (AI Agent +
 * OpenAI Chat Model + the "Reply over RCS" tool, n8n's tool form of the node,
 * `n8n-nodes-rbm.rbmSendMessageTool`, derived from `usableAsTool`) runs with a scripted
 * OpenAI-compatible model on 127.0.0.1 (test/helpers/fakeOpenAi.ts) in place of OpenAI. The model
 * calls the tool with `$fromAI()` arguments; the emulator must receive exactly that message, the
 * model must get the created message (or, for a phone RCS cannot reach, `reachable: false`) back as
 * the tool result, and the agent's output must be the model's final text.
 */
import type { ChatMessage, ChatRequest, FakeOpenAi } from '../helpers/fakeOpenAi';
import { messageText, startFakeOpenAi } from '../helpers/fakeOpenAi';
import { expectNoSecrets } from '../helpers/secrets';
import { E2eInstance, contactsCode, loadExample, node, outputs, runtime, variant } from './harness';

const example = loadExample('support-agent.json');
const API_KEY = 'sk-test-fake-openai-key';
const MODEL = 'gpt-4.1-mini';
/** n8n names a node's tool after the node (n8n-workflow's nodeNameToToolName). */
const TOOL = 'Reply_over_RCS';

const REACHABLE = '+16505550101';
const UNREACHABLE = '+16505550404';
/** Too short to be a phone number: the node refuses it before any request. */
const NOT_A_PHONE = '+1650555';
const replyFor = (phone: string) => `Hello from ACME support: your order to ${phone} shipped today.`;
function finalFor(phone: string, toolResult: string): string {
	const [first] = JSON.parse(toolResult) as Array<{ reachable?: boolean; error?: unknown }>;
	if (typeof first?.error === 'string') return `Could not answer ${phone}: ${first.error}`;
	return first?.reachable === false ? `${phone} cannot receive RCS; nothing was sent.` : `Replied to ${phone} over RCS.`;
}

/** The prompt the agent builds from the example's text expression: "Customer phone: …\nQuestion: …". */
function phoneOf(request: ChatRequest): string {
	const user = request.messages.find((m) => m.role === 'user');
	const phone = user && /Customer phone: (\+\d+)/.exec(messageText(user))?.[1];
	if (!phone) throw new Error(`no user message with "Customer phone: +…" in ${JSON.stringify(request.messages)}`);
	return phone;
}

/**
 * Throws unless the request offers our tool with exactly the $fromAI parameters of the workflow
 * (`phone` and `text`, or `text` alone when the phone is set from the trigger) as a JSON schema.
 */
function checkToolOffered(request: ChatRequest): string[] {
	const tool = request.tools?.find((t) => t.function.name === TOOL);
	if (!tool) throw new Error(`tool ${TOOL} not offered; tools: ${JSON.stringify((request.tools ?? []).map((t) => t.function.name))}`);
	const { properties = {}, required = [] } = tool.function.parameters;
	const keys = Object.keys(properties).sort();
	if (keys.join() !== 'phone,text' && keys.join() !== 'text') throw new Error(`tool ${TOOL} has parameters ${JSON.stringify(keys)}, expected phone and text, or text`);
	for (const key of keys) {
		if (properties[key]?.type !== 'string') throw new Error(`tool ${TOOL}: parameter "${key}" is not a string: ${JSON.stringify(tool.function.parameters)}`);
		if (!required.includes(key)) throw new Error(`tool ${TOOL} does not require "${key}"`);
	}
	if (properties.phone && !/international format/.test(properties.phone.description ?? '')) throw new Error(`parameter "phone" lacks the $fromAI description: ${JSON.stringify(properties.phone)}`);
	if (!/at most 3072 characters/.test(properties.text.description ?? '')) throw new Error(`parameter "text" lacks the $fromAI description: ${JSON.stringify(properties.text)}`);
	if (!/Sends one RCS text message/.test(tool.function.description ?? '')) throw new Error(`tool ${TOOL} lacks the node's Tool Description: ${tool.function.description}`);
	return keys;
}

/**
 * The scripted model, answering from the conversation it is sent: without a tool result, a call of
 * our tool with the customer's phone and a reply; after the tool result, a final text.
 */
function reply(request: ChatRequest) {
	const phone = phoneOf(request);
	const toolMessage = request.messages.find((m: ChatMessage) => m.role === 'tool');
	if (!toolMessage) {
		const args = checkToolOffered(request).includes('phone') ? { phone, text: replyFor(phone) } : { text: replyFor(phone) };
		return { toolCalls: [{ name: TOOL, arguments: args }] };
	}
	return { text: finalFor(phone, messageText(toolMessage)) };
}

/** README › Use as an AI-agent tool: the recipient from the trigger, out of the model's reach. */
const PHONE_FROM_TRIGGER = "={{ $('Customer question').item.json.body.phone }}";
const PINNED = '+16505550102';

/**
 * The example as it is, but started by hand: a Manual Trigger and a Code node in place of its
 * Webhook, giving the agent these customers' questions (the webhook's body) in one execution.
 */
function startedByHand(id: string, phones: string[], edit: (wf: any) => void = () => {}): unknown {
	return variant(example, id, id, (wf) => {
		const question = node(wf, 'Customer question');
		Object.assign(question, {
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: { jsCode: contactsCode(phones.map((phone) => ({ body: { phone, question: 'Where is my order?' } }))) },
		});
		delete question.webhookId;
		wf.nodes.push({ id: '5c0a9e1f-0000-4000-8000-0000000000ff', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-220, 0], parameters: {} });
		wf.connections['Run now'] = { main: [[{ node: 'Customer question', type: 'main', index: 0 }]] };
		edit(wf);
	});
}

let n8n: E2eInstance;
let model: FakeOpenAi;

beforeAll(async () => {
	model = await startFakeOpenAi({ apiKey: API_KEY, model: MODEL, reply });
	n8n = await E2eInstance.create({ seed: 7 }, [{ id: 'openai-account', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: API_KEY, url: model.baseUrl } }]);
	// Both workflows in one `n8n import:workflow` (a file holding an array): one CLI start less.
	const workflows = [
		startedByHand('rbmSupportAgentE2e', [REACHABLE, UNREACHABLE, NOT_A_PHONE]),
		startedByHand('rbmSupportPinned1', [PINNED], (wf) => {
			node(wf, 'Reply over RCS').parameters.phoneNumber = PHONE_FROM_TRIGGER;
		}),
		// AI Agent 2.2 calls a tool inside its own run (n8n-core's tool wrapper, docs/ai-agent-tool.md).
		startedByHand('rbmSupportAgentV2', [UNREACHABLE], (wf) => {
			node(wf, 'Support agent').typeVersion = 2.2;
		}),
	];
	await runtime.importWorkflow(n8n.userFolder, workflows, n8n.env);
}, 120_000);

afterAll(async () => {
	await n8n?.close();
	await model?.close();
});

describe('examples/support-agent.json: RBM Send Message as an AI Agent tool in real n8n', () => {
	beforeEach(() => {
		n8n.emulator.reset();
		model.chats.length = 0;
	});

	it('the agent sends the model’s message with the model’s arguments, the model gets the created message back (reachable: false for a phone without RCS, the error naming item and field for a phone the node refuses), the output is its final text', async () => {
		const run = await n8n.executeOk('rbmSupportAgentE2e');
		expect(model.failures).toEqual([]);

		// The emulator got exactly one message, to the reachable phone, with the model's text.
		const stats = n8n.emulator.stats();
		expect(stats.accepted).toBe(1);
		expect(stats.notFound).toBe(1);
		expect(stats.requests['agentMessages.create']).toBe(2); // none for the phone the node refused
		const sent = Object.entries(stats.messages);
		expect(sent).toHaveLength(1);
		const [messageId, record] = sent[0];
		expect(record).toMatchObject({ count: 1, phoneNumber: REACHABLE, agentId: 'rbm-demo-agent' });
		expect(record.body).toMatchObject({ contentMessage: { text: replyFor(REACHABLE) }, messageTrafficType: 'SERVICEREQUEST' });

		// Per customer: a tool call first, then one request carrying the tool result; nothing else.
		const byPhone = (phone: string) => model.chats.filter((c) => phoneOf(c) === phone);
		for (const phone of [REACHABLE, UNREACHABLE, NOT_A_PHONE]) {
			const chats = byPhone(phone);
			expect(chats.map((c) => c.messages.some((m) => m.role === 'tool'))).toEqual([false, true]);
			const assistant = chats[1].messages.find((m) => m.role === 'assistant');
			const call = assistant?.tool_calls?.[0];
			expect(call?.function.name).toBe(TOOL);
			// n8n replays the call with its id added to the arguments (buildSteps in @n8n/n8n-nodes-langchain).
			expect(JSON.parse(call?.function.arguments ?? '{}')).toEqual({ phone, text: replyFor(phone), id: call?.id });
			expect(chats[1].messages.find((m) => m.role === 'tool')?.tool_call_id).toBe(call?.id);
		}

		// What the model was told: the created AgentMessage …
		const toolResult = (phone: string) => JSON.parse(messageText(byPhone(phone)[1].messages.find((m) => m.role === 'tool') as ChatMessage));
		expect(toolResult(REACHABLE)).toEqual([
			expect.objectContaining({ name: `phones/${REACHABLE}/agentMessages/${messageId}`, messageId, phoneNumber: REACHABLE, agentId: 'rbm-demo-agent' }),
		]);
		// … and, for the phone RCS cannot reach, that it is not reachable (not an empty result).
		expect(toolResult(UNREACHABLE)).toEqual([
			expect.objectContaining({ phoneNumber: UNREACHABLE, reachable: false, hint: expect.stringMatching(/cannot be reached over RCS/), error: expect.objectContaining({ code: 404 }) }),
		]);
		// … and for a phone the node refuses, the error naming the item and the field.
		expect(toolResult(NOT_A_PHONE)).toEqual([{ error: expect.stringMatching(/^Item 1: Phone Number .*\+1650555/) }]);

		// The agent's output per customer is the model's final text.
		const [agentOut] = outputs(run, 'Support agent');
		expect(agentOut.map((i) => i.json.output)).toEqual([
			`Replied to ${REACHABLE} over RCS.`,
			`${UNREACHABLE} cannot receive RCS; nothing was sent.`,
			expect.stringMatching(/^Could not answer \+1650555: Item 1: Phone Number/),
		]);
		// n8n ran our node in its tool form, once per tool call.
		expect(run.data.resultData.runData['Reply over RCS']).toHaveLength(3);
		// Neither the run data nor what the model was sent carries a key or a token.
		expectNoSecrets(run, n8n.keyJson);
		expectNoSecrets(model.chats, n8n.keyJson);
		expect(JSON.stringify(run)).not.toContain(API_KEY);
	});

	it('with Phone Number set from the trigger, the tool offers the model only the text, and the message goes to the customer who asked', async () => {
		const run = await n8n.executeOk('rbmSupportPinned1');
		expect(model.failures).toEqual([]);
		expect(model.chats[0].tools?.find((t) => t.function.name === TOOL)?.function.parameters.required).toEqual(['text']);
		const sent = Object.values(n8n.emulator.stats().messages);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ count: 1, phoneNumber: PINNED });
		expect(sent[0].body).toMatchObject({ contentMessage: { text: replyFor(PINNED) } });
		const [agentOut] = outputs(run, 'Support agent');
		expect(agentOut.map((i) => i.json.output)).toEqual([`Replied to ${PINNED} over RCS.`]);
	});

	it('AI Agent 2.2, which runs the tool itself: the model learns the same way that a phone is not reachable', async () => {
		const run = await n8n.executeOk('rbmSupportAgentV2');
		expect(model.failures).toEqual([]);
		expect(model.chats.map((c) => c.messages.some((m) => m.role === 'tool'))).toEqual([false, true]);
		const toolMessage = model.chats[1].messages.find((m) => m.role === 'tool') as ChatMessage;
		expect(JSON.parse(messageText(toolMessage))).toEqual([
			expect.objectContaining({ phoneNumber: UNREACHABLE, reachable: false, hint: expect.stringMatching(/cannot be reached over RCS/), error: expect.objectContaining({ code: 404 }) }),
		]);
		expect(n8n.emulator.stats()).toMatchObject({ accepted: 0, notFound: 1 });
		const [agentOut] = outputs(run, 'Support agent');
		expect(agentOut.map((i) => i.json.output)).toEqual([`${UNREACHABLE} cannot receive RCS; nothing was sent.`]);
	});
});
