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
 *   with NODE_USE_ENV_PROXY=1 (Node ≥ 22.21 / 24; README › Proxies).
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

function connectionError(error: unknown, timeoutMs: number): ConnectionError {
	const e = error as { name?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
	if (e?.name === 'TimeoutError') return new ConnectionError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT');
	if (e?.name === 'AbortError') return new ConnectionError('the request was cancelled', 'ABORTED');
	const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : 'NETWORK_ERROR';
	const message = typeof e?.cause?.message === 'string' ? e.cause.message : error instanceof Error ? error.message : String(error);
	return new ConnectionError(message, code);
}

/**
 * An HttpSender (the shape of n8n's `httpRequest` with `returnFullResponse` and
 * `ignoreHttpStatusErrors`) on kept-alive connections. Network failures throw a ConnectionError
 * with the socket's code; every HTTP status is returned.
 */
export const keepAliveSender: HttpSender = async (options) => {
	const { body, contentType } = bodyOf(options);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
	}
	if (contentType && !headers['content-type']) headers['content-type'] = contentType;
	const timeoutMs = options.timeout ?? 30_000;
	const timeout = AbortSignal.timeout(timeoutMs);
	// n8n types its signal loosely (GenericAbortSignal); callers pass the execution's real AbortSignal.
	const signal = options.abortSignal ? AbortSignal.any([options.abortSignal as AbortSignal, timeout]) : timeout;
	try {
		const response = await fetch(options.url, { method: options.method ?? 'GET', headers, body, redirect: 'manual', signal });
		const text = await response.text();
		// Node's fetch frees the socket for the next request on the next tick, after the body ends:
		// a request started before that would open another connection. One timer turn (n8n's sleep)
		// lets the socket go back to the pool first, so C requests in flight use C connections.
		await sleep(0);
		const responseHeaders: Record<string, string> = {};
		response.headers.forEach((value, name) => {
			responseHeaders[name] = value;
		});
		return { statusCode: response.status, headers: responseHeaders, body: text } as IN8nHttpFullResponse;
	} catch (error) {
		throw connectionError(error, timeoutMs);
	}
};
