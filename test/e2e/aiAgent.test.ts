/**
 * RBM Send Message as an AI-agent tool in a real n8n: examples/support-agent.json (AI Agent +
 * OpenAI Chat Model + the "Reply over RCS" tool, n8n's tool form of the node,
 * `n8n-nodes-rbm.rbmSendMessageTool`, derived from `usableAsTool`) runs with a scripted
 * OpenAI-compatible model on 127.0.0.1 (test/helpers/fakeOpenAi.ts) in place of OpenAI. The model
 * calls the tool with `$fromAI()` arguments; the emulator must receive exactly that message, the
 * model must get the created message (or, for a phone RCS cannot reach, `reachable: false`) back as
 * the tool result, and the agent's output must be the model's final text. One execution runs three
 * copies of the example side by side (one n8n start): as it is, with the phone from the trigger,
 * and with AI Agent 2.2.
 */
import { randomUUID } from 'node:crypto';

import type { ChatMessage, ChatRequest, FakeOpenAi } from '../helpers/fakeOpenAi';
import { messageText, startFakeOpenAi } from '../helpers/fakeOpenAi';
import { expectNoSecrets } from '../helpers/secrets';
import type { N8nRun } from './harness';
import { E2eInstance, contactsCode, loadExample, outputs, variant } from './harness';

const example = loadExample('support-agent.json');
const API_KEY = 'sk-test-fake-openai-key';
const MODEL = 'gpt-4.1-mini';
/** n8n names a node's tool after the node (n8n-workflow's nodeNameToToolName): "Reply over RCS" + a branch's suffix. */
const TOOL = 'Reply_over_RCS';

const REACHABLE = '+16505550101';
const UNREACHABLE = '+16505550404';
const UNREACHABLE_V2 = '+16505551404';
const PINNED = '+16505550102';
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
 * Throws unless the request offers one "Reply over RCS" tool with exactly the $fromAI parameters of
 * its workflow (`phone` and `text`, or `text` alone when the phone is set from the trigger) as a
 * JSON schema; returns its name and parameters.
 */
function toolOffered(request: ChatRequest): { name: string; keys: string[] } {
	const tools = (request.tools ?? []).filter((t) => t.function.name.startsWith(TOOL));
	if (tools.length !== 1) throw new Error(`expected one ${TOOL}… tool; tools: ${JSON.stringify((request.tools ?? []).map((t) => t.function.name))}`);
	const { name, parameters, description } = tools[0].function;
	const { properties = {}, required = [] } = parameters;
	const keys = Object.keys(properties).sort();
	if (keys.join() !== 'phone,text' && keys.join() !== 'text') throw new Error(`tool ${name} has parameters ${JSON.stringify(keys)}, expected phone and text, or text`);
	for (const key of keys) {
		if (properties[key]?.type !== 'string') throw new Error(`tool ${name}: parameter "${key}" is not a string: ${JSON.stringify(parameters)}`);
		if (!required.includes(key)) throw new Error(`tool ${name} does not require "${key}"`);
	}
	if (properties.phone && !/international format/.test(properties.phone.description ?? '')) throw new Error(`parameter "phone" lacks the $fromAI description: ${JSON.stringify(properties.phone)}`);
	if (!/at most 3072 characters/.test(properties.text.description ?? '')) throw new Error(`parameter "text" lacks the $fromAI description: ${JSON.stringify(properties.text)}`);
	if (!/Sends one RCS text message/.test(description ?? '')) throw new Error(`tool ${name} lacks the node's Tool Description: ${description}`);
	return { name, keys };
}

/**
 * The scripted model, answering from the conversation it is sent: without a tool result, a call of
 * the tool offered with the customer's phone (if it takes one) and a reply; after the tool result,
 * a final text saying what the tool answered.
 */
function reply(request: ChatRequest) {
	const phone = phoneOf(request);
	const toolMessage = request.messages.find((m: ChatMessage) => m.role === 'tool');
	if (!toolMessage) {
		const { name, keys } = toolOffered(request);
		return { toolCalls: [{ name, arguments: keys.includes('phone') ? { phone, text: replyFor(phone) } : { text: replyFor(phone) } }] };
	}
	return { text: finalFor(phone, messageText(toolMessage)) };
}

/**
 * A copy of the example for one execution: node names + `suffix`, started by hand (a Code node in
 * place of its Webhook gives the agent these customers' questions, the webhook's body).
 */
function branch(suffix: string, phones: string[], edit: (nodes: Record<string, any>) => void = () => {}): { nodes: any[]; connections: Record<string, any>; start: string } {
	const wf = variant(example, 'branch', 'branch');
	const rename = (name: string) => `${name}${suffix}`;
	const nodes = wf.nodes.map((n: any) => ({ ...n, name: rename(n.name), id: randomUUID(), position: [n.position[0], n.position[1] + 50 * suffix.length] }));
	const byName = Object.fromEntries(nodes.map((n: any) => [n.name, n]));
	const question = byName[rename('Customer question')];
	Object.assign(question, {
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: contactsCode(phones.map((phone) => ({ body: { phone, question: 'Where is my order?' } }))) },
	});
	delete question.webhookId;
	edit(byName);
	const connections = Object.fromEntries(
		Object.entries(wf.connections as Record<string, Record<string, Array<Array<{ node: string }>>>>).map(([from, byType]) => [
			rename(from),
			Object.fromEntries(Object.entries(byType).map(([type, outs]) => [type, outs.map((targets) => targets.map((t) => ({ ...t, node: rename(t.node) })))])),
		]),
	);
	return { nodes, connections, start: question.name };
}

const branches = [
	branch('', [REACHABLE, UNREACHABLE, NOT_A_PHONE]),
	// docs/ai-agent.md: the recipient from the trigger, out of the model's reach.
	branch(' pinned', [PINNED], (nodes) => {
		nodes['Reply over RCS pinned'].parameters.phoneNumber = "={{ $('Customer question pinned').item.json.body.phone }}";
	}),
	// AI Agent 2.2 calls a tool inside its own run (n8n-core's tool wrapper, docs/ai-agent-tool.md).
	branch(' v2', [UNREACHABLE_V2], (nodes) => {
		nodes['Support agent v2'].typeVersion = 2.2;
	}),
];
const workflow = {
	...variant(example, 'rbmSupportAgentE2e', 'support agent e2e'),
	nodes: [{ id: '5c0a9e1f-0000-4000-8000-0000000000ff', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-220, 0], parameters: {} }, ...branches.flatMap((b) => b.nodes)],
	connections: Object.assign({ 'Run now': { main: [branches.map((b) => ({ node: b.start, type: 'main', index: 0 }))] } }, ...branches.map((b) => b.connections)),
};

let n8n: E2eInstance;
let model: FakeOpenAi;
let run: N8nRun;

beforeAll(async () => {
	model = await startFakeOpenAi({ apiKey: API_KEY, model: MODEL, reply });
	n8n = await E2eInstance.create({ seed: 7 }, [{ id: 'openai-account', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: API_KEY, url: model.baseUrl } }]);
	await n8n.importWorkflows([workflow]);
	run = await n8n.executeOk(workflow.id);
}, 5 * 60 * 1000);

afterAll(async () => {
	await n8n?.close();
	await model?.close();
});

/** The model's requests for one customer. */
const chatsOf = (phone: string) => model.chats.filter((c) => phoneOf(c) === phone);
/** What the model was told the tool answered, for one customer. */
const toolResult = (phone: string) => JSON.parse(messageText(chatsOf(phone)[1].messages.find((m) => m.role === 'tool') as ChatMessage));
const agentOutput = (name: string) => outputs(run, name)[0].map((i) => i.json.output);
const NOT_REACHABLE_ANSWER = [
	expect.objectContaining({ reachable: false, hint: expect.stringMatching(/cannot be reached over RCS/), error: expect.objectContaining({ code: 404, status: 'NOT_FOUND' }) }),
];

describe('examples/support-agent.json: RBM Send Message as an AI Agent tool in real n8n', () => {
	it('every request the model got was well formed and offered the tool; RBM got exactly the messages of the tool calls', () => {
		expect(model.failures).toEqual([]);
		const stats = n8n.emulator.stats();
		expect(Object.values(stats.messages).map((m) => m.phoneNumber).sort()).toEqual([REACHABLE, PINNED].sort());
		expect(stats).toMatchObject({ accepted: 2, notFound: 2 });
		expect(stats.requests['agentMessages.create']).toBe(4); // none for the phone the node refused
		// Neither the run data nor what the model was sent carries a key or a token.
		expectNoSecrets(run, n8n.keyJson);
		expectNoSecrets(model.chats, n8n.keyJson);
		expect(JSON.stringify(run)).not.toContain(API_KEY);
	});

	it('the agent sends the model’s message with the model’s arguments, the model gets the created message back (reachable: false for a phone without RCS, the error naming item and field for a phone the node refuses), the output is its final text', () => {
		// Per customer: a tool call first, then one request carrying the tool result; nothing else.
		for (const phone of [REACHABLE, UNREACHABLE, NOT_A_PHONE]) {
			const chats = chatsOf(phone);
			expect(chats.map((c) => c.messages.some((m) => m.role === 'tool'))).toEqual([false, true]);
			const call = chats[1].messages.find((m) => m.role === 'assistant')?.tool_calls?.[0];
			expect(call?.function.name).toBe(TOOL);
			// n8n replays the call with its id added to the arguments (buildSteps in @n8n/n8n-nodes-langchain).
			expect(JSON.parse(call?.function.arguments ?? '{}')).toEqual({ phone, text: replyFor(phone), id: call?.id });
			expect(chats[1].messages.find((m) => m.role === 'tool')?.tool_call_id).toBe(call?.id);
		}
		// The emulator got the model's phone and text …
		const [[messageId, record]] = Object.entries(n8n.emulator.stats().messages).filter(([, m]) => m.phoneNumber === REACHABLE);
		expect(record).toMatchObject({ count: 1, agentId: 'rbm-demo-agent' });
		expect(record.body).toMatchObject({ contentMessage: { text: replyFor(REACHABLE) }, messageTrafficType: 'SERVICEREQUEST' });
		// … and the model was told the created AgentMessage;
		expect(toolResult(REACHABLE)).toEqual([
			expect.objectContaining({ name: `phones/${REACHABLE}/agentMessages/${messageId}`, messageId, phoneNumber: REACHABLE, agentId: 'rbm-demo-agent' }),
		]);
		// for the phone RCS cannot reach, that it is not reachable (not an empty result);
		expect(toolResult(UNREACHABLE)).toEqual(NOT_REACHABLE_ANSWER);
		expect(toolResult(UNREACHABLE)[0].phoneNumber).toBe(UNREACHABLE);
		// for a phone the node refuses, the error naming the item and the field.
		expect(toolResult(NOT_A_PHONE)).toEqual([{ error: expect.stringMatching(/^Contact 1: Phone Number .*\+1650555/) }]);

		// The agent's output per customer is the model's final text.
		expect(agentOutput('Support agent')).toEqual([
			`Replied to ${REACHABLE} over RCS.`,
			`${UNREACHABLE} cannot receive RCS; nothing was sent.`,
			expect.stringMatching(/^Could not answer \+1650555: Contact 1: Phone Number/),
		]);
		// n8n ran our node in its tool form, once per tool call.
		expect(run.data.resultData.runData['Reply over RCS']).toHaveLength(3);
	});

	it('with Phone Number set from the trigger, the tool offers the model only the text, and the message goes to the customer who asked', () => {
		const [first] = chatsOf(PINNED);
		expect(first.tools?.find((t) => t.function.name === `${TOOL}_pinned`)?.function.parameters.required).toEqual(['text']);
		const [record] = Object.values(n8n.emulator.stats().messages).filter((m) => m.phoneNumber === PINNED);
		expect(record).toMatchObject({ count: 1, body: { contentMessage: { text: replyFor(PINNED) } } });
		expect(agentOutput('Support agent pinned')).toEqual([`Replied to ${PINNED} over RCS.`]);
	});

	it('AI Agent 2.2, which runs the tool itself: the model learns the same way that a phone is not reachable', () => {
		expect(chatsOf(UNREACHABLE_V2).map((c) => c.messages.some((m) => m.role === 'tool'))).toEqual([false, true]);
		expect(toolResult(UNREACHABLE_V2)).toEqual(NOT_REACHABLE_ANSWER);
		expect(agentOutput('Support agent v2')).toEqual([`${UNREACHABLE_V2} cannot receive RCS; nothing was sent.`]);
	});
});
