/**
 * A scripted OpenAI-compatible chat model on 127.0.0.1, for n8n's OpenAI Chat Model node (its
 * credential's Base URL points here). It answers what n8n calls:
 * - `POST /v1/chat/completions` (https://platform.openai.com/docs/api-reference/chat/create): the
 *   test's `reply` decides each answer from the request (a tool call or a final text), as a
 *   `chat.completion` object (a streaming request is refused: n8n's agent streams only to a
 *   trigger set to stream, and no test scripts that);
 * - `GET /v1/models` (https://platform.openai.com/docs/api-reference/models/list): the one model.
 * Every request is checked: the API key as a Bearer token, the model, the messages' roles, the
 * tools' function schemas; a request that fails a check (or that `reply` throws for) gets a 400
 * naming what was wrong and is kept in `failures`, so a test fails when a tool is not offered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatToolFunction {
	name: string;
	description?: string;
	parameters: { type: string; properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: Array<{ type: 'function'; function: ChatToolFunction }>;
	stream?: boolean;
}

/** What the scripted model answers: tool calls (arguments as an object) or a final text. */
export type ChatAnswer = { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> } | { text: string };

export interface FakeOpenAi {
	/** The credential's Base URL: `http://127.0.0.1:<port>/v1`. */
	baseUrl: string;
	/** Every chat completion request, parsed, in arrival order. */
	chats: ChatRequest[];
	/** Requests refused with a 400 or 404, and why. */
	failures: string[];
	close(): Promise<void>;
}

export interface FakeOpenAiOptions {
	apiKey: string;
	model: string;
	reply: (request: ChatRequest) => ChatAnswer;
}

/** The text of a message, whether n8n sent it as a string or as content parts. */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	return (message.content ?? []).map((part) => part.text ?? '').join('');
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

/** Throws naming the first thing in the request that is not what OpenAI's API takes. */
function checkRequest(body: unknown, model: string): ChatRequest {
	if (typeof body !== 'object' || body === null) throw new Error('body is not a JSON object');
	const request = body as ChatRequest;
	if (request.model !== model) throw new Error(`model is ${JSON.stringify(request.model)}, expected ${JSON.stringify(model)}`);
	if (!Array.isArray(request.messages) || request.messages.length === 0) throw new Error('messages is not a non-empty array');
	request.messages.forEach((m, i) => {
		if (!ROLES.has(m.role)) throw new Error(`messages[${i}].role is ${JSON.stringify(m.role)}`);
		if (m.role === 'tool' && typeof m.tool_call_id !== 'string') throw new Error(`messages[${i}] (tool) has no tool_call_id`);
	});
	(request.tools ?? []).forEach((t, i) => {
		if (t.type !== 'function' || typeof t.function?.name !== 'string') throw new Error(`tools[${i}] is not a function tool`);
		if (t.function.parameters?.type !== 'object') throw new Error(`tools[${i}] (${t.function.name}).parameters is not an object schema`);
	});
	return request;
}

let callCounter = 0;

function completion(model: string, answer: ChatAnswer): Record<string, unknown> {
	const message =
		'text' in answer
			? { role: 'assistant', content: answer.text }
			: {
					role: 'assistant',
					content: null,
					tool_calls: answer.toolCalls.map((call) => ({ id: `call_${++callCounter}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } })),
				};
	return {
		id: `chatcmpl-${++callCounter}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: 'text' in answer ? 'stop' : 'tool_calls' }],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

export async function startFakeOpenAi(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
	const chats: ChatRequest[] = [];
	const failures: string[] = [];
	const refuse = (res: ServerResponse, status: number, why: string) => {
		failures.push(why);
		res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: why, type: 'invalid_request_error', code: null } }));
	};
	const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
		const path = new URL(req.url ?? '/', 'http://fake').pathname;
		const where = `${req.method} ${path}`;
		if (req.headers.authorization !== `Bearer ${options.apiKey}`) return refuse(res, 401, `${where}: no Bearer token with the test's API key`);
		if (req.method === 'GET' && path === '/v1/models') {
			res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: options.model, object: 'model', created: 0, owned_by: 'test' }] }));
			return;
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions') return refuse(res, 404, `${where}: not an endpoint of this fake`);
		let answer: ChatAnswer;
		let request: ChatRequest;
		try {
			request = checkRequest(JSON.parse(text) as unknown, options.model);
			chats.push(request);
			if (request.stream) throw new Error('a streaming request: this fake answers whole completions only');
			answer = options.reply(request);
		} catch (error) {
			return refuse(res, 400, `${where} (request ${chats.length}): ${error instanceof Error ? error.message : String(error)}`);
		}
		res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(completion(options.model, answer)));
	};
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
		chats,
		failures,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
