/**
 * The connections to the RBM API host and to the key's token endpoint: Node's global `fetch`.
 *
 * n8n's `helpers.httpRequest` builds a new agent, so a new TCP connection and a full TLS handshake,
 * for every request; over HTTPS that is two extra round trips and most of the CPU of a message.
 * Node's `fetch` (the undici inside Node, no import needed) keeps connections alive in its global
 * pool and reuses them: a campaign at concurrency C opens at most C connections per host (the item
 * loop never has more than C requests in flight), not one per message. Idle sockets close after
 * IDLE_MS and do not keep the process alive.
 *
 * - Proxies: Node's fetch honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY when the n8n process runs
 *   with NODE_USE_ENV_PROXY=1 (Node ≥ 22.21 / 24; docs/installation.md › Proxies).
 * - CAs: Node's default store, which holds NODE_EXTRA_CA_CERTS (how n8n trusts a corporate CA).
 * - No redirects are followed (the bearer token never goes to another host).
 * URLs a user supplies (File › Upload from a URL) never come here: they stay on n8n's helper,
 * which applies n8n's SSRF and proxy rules.
 */
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { HttpSender } from './auth';

/** Idle keep-alive sockets close after this long: the default of the undici inside Node (servers may ask for less). */
export const IDLE_MS = 4_000;

function bodyOf(options: IHttpRequestOptions): { body?: string | Buffer; contentType?: string } {
	const { body } = options;
	if (body === undefined || body === null) return {};
	if (Buffer.isBuffer(body) || typeof body === 'string') return { body };
	return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** A network failure with a code request.ts can report and retry on (ECONNREFUSED, ECONNRESET, ETIMEDOUT …). */
export class ConnectionError extends Error {
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
		this.name = 'ConnectionError';
	}
}

/** How often the watch over running requests looks for one past its timeout (ms). */
export const DEADLINE_TICK_MS = 250;

interface Running {
	controller: AbortController;
	/** ms since the epoch */
	deadline: number;
	timeoutMs: number;
}

/**
 * Timeouts and cancellation without a timer or a listener per request. `AbortSignal.timeout()`
 * keeps a timer (and its signal) alive for the whole timeout, 30 s by default: tens of thousands
 * at hundreds of messages a second; `AbortSignal.any()` adds a listener to the execution's signal
 * per request. Instead each request has its own AbortController, one watch per process wakes every
 * DEADLINE_TICK_MS (n8n's sleep) while requests run and aborts those past their deadline, and an
 * execution's cancel signal has one listener for all its requests.
 */
const running = new Set<Running>();
let watching = false;

async function watchDeadlines(): Promise<void> {
	watching = true;
	try {
		while (running.size > 0) {
			await sleep(DEADLINE_TICK_MS);
			const now = Date.now();
			for (const request of running) {
				if (request.deadline > now) continue;
				running.delete(request);
				request.controller.abort(new ConnectionError(`no answer within ${request.timeoutMs} ms`, 'ETIMEDOUT'));
			}
		}
	} finally {
		watching = false;
	}
}

/** The requests each cancel signal (an execution's) stops: one listener per signal, not one per request. */
const byCancelSignal = new WeakMap<AbortSignal, Set<Running>>();

function followCancel(signal: AbortSignal, request: Running): () => void {
	const cancelled = () => new ConnectionError('the request was cancelled', 'ABORTED');
	if (signal.aborted) {
		request.controller.abort(cancelled());
		return () => undefined;
	}
	let requests = byCancelSignal.get(signal);
	if (!requests) {
		const set = new Set<Running>();
		requests = set;
		byCancelSignal.set(signal, set);
		signal.addEventListener(
			'abort',
			() => {
				for (const r of set) r.controller.abort(cancelled());
				set.clear();
			},
			{ once: true },
		);
	}
	const mine = requests;
	mine.add(request);
	return () => mine.delete(request);
}

function connectionError(error: unknown, signal: AbortSignal): ConnectionError {
	// An abort of ours carries its reason: the timeout or the cancellation.
	if (signal.aborted && signal.reason instanceof ConnectionError) return signal.reason;
	const e = error as { code?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
	const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : 'NETWORK_ERROR';
	const message = typeof e?.cause?.message === 'string' ? e.cause.message : error instanceof Error ? error.message : String(error);
	return new ConnectionError(message, code);
}

interface Answer {
	status: number;
	headers: Record<string, string>;
	text: string;
}

/** One exchange: the status, headers and body text (the body is read whole: the socket is then free). */
async function exchange(url: string, init: RequestInit): Promise<Answer> {
	const response = await fetch(url, init);
	const text = await response.text();
	const headers: Record<string, string> = {};
	response.headers.forEach((value, name) => {
		headers[name] = value;
	});
	return { status: response.status, headers, text };
}

/**
 * An HttpSender (the shape of n8n's `httpRequest` with `returnFullResponse` and
 * `ignoreHttpStatusErrors`) on kept-alive connections. Network failures, timeouts and
 * cancellations throw a ConnectionError with a code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ABORTED
 * …); every HTTP status is returned.
 */
export const keepAliveSender: HttpSender = async (options) => {
	const { body, contentType } = bodyOf(options);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
	}
	if (contentType && !headers['content-type']) headers['content-type'] = contentType;
	const timeoutMs = options.timeout ?? 30_000;
	const controller = new AbortController();
	const request: Running = { controller, deadline: Date.now() + timeoutMs, timeoutMs };
	running.add(request);
	if (!watching) void watchDeadlines();
	// n8n types its signal loosely (GenericAbortSignal); callers pass the execution's real AbortSignal.
	const unfollow = options.abortSignal ? followCancel(options.abortSignal as AbortSignal, request) : undefined;
	try {
		const { status, headers: responseHeaders, text } = await exchange(options.url, { method: options.method ?? 'GET', headers, body, redirect: 'manual', signal: controller.signal });
		// Node's fetch frees the socket for the next request on the next tick, after the body ends:
		// a request started before that would open another connection. One timer turn (n8n's sleep)
		// lets the socket go back to the pool first, so C requests in flight use C connections.
		await sleep(0);
		return { statusCode: status, headers: responseHeaders, body: text } as IN8nHttpFullResponse;
	} catch (error) {
		throw connectionError(error, controller.signal);
	} finally {
		running.delete(request);
		unfollow?.();
	}
};
