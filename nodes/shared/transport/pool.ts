/**
 * The connections to the RBM API host and to the key's token endpoint. n8n's `httpRequest` helper
 * builds a new agent, so a new TCP connection and a full TLS handshake, for every request; over
 * HTTPS that is two extra round trips and most of the CPU of a message. Here undici keeps
 * connections alive and reuses them: a campaign at concurrency C opens about C connections per
 * host, not one per message.
 *
 * - One pool (undici Agent) per process, proxy and size, shared by the executions of nodes with
 *   the same concurrency: at most that many sockets per host (a request waits for a free one
 *   rather than opening more), closed after IDLE_MS without use; idle sockets do not keep the
 *   process alive.
 * - Proxies as n8n picks them: proxy-from-env's getProxyForUrl, the function n8n's own HTTP stack
 *   uses (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, upper or lower case), decided once per
 *   host and process (n8n's environment does not change while it runs).
 * - CAs: Node's default store, which holds NODE_EXTRA_CA_CERTS (how n8n trusts a corporate CA).
 * - No redirects are followed (the bearer token never goes to another host).
 * URLs a user supplies (File › Upload from a URL) never come here: they stay on n8n's helper,
 * which applies n8n's SSRF and proxy rules.
 */
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { getProxyForUrl } from 'proxy-from-env';
import type { Dispatcher } from 'undici';
import { Agent, ProxyAgent, request } from 'undici';

import type { HttpSender } from './auth';

/** Idle keep-alive sockets close after this long (servers may ask for less). */
export const IDLE_MS = 4_000;

const pools = new Map<string, Dispatcher>();
/** Pool per origin and size: the proxy decision (an env read and a URL parse) is made once per host. */
const byOrigin = new Map<string, Dispatcher>();

function poolFor(url: string, connections: number): Dispatcher {
	const slash = url.indexOf('/', url.indexOf('//') + 2);
	const origin = slash === -1 ? url : url.slice(0, slash);
	const originKey = `${connections} ${origin}`;
	const known = byOrigin.get(originKey);
	if (known) return known;
	const proxy = getProxyForUrl(url) || '';
	const key = `${connections} ${proxy}`;
	let pool = pools.get(key);
	if (!pool) {
		const options = { connections, keepAliveTimeout: IDLE_MS, keepAliveMaxTimeout: IDLE_MS, pipelining: 1 };
		pool = proxy ? new ProxyAgent({ ...options, uri: proxy }) : new Agent(options);
		pools.set(key, pool);
	}
	byOrigin.set(originKey, pool);
	return pool;
}

function bodyOf(options: IHttpRequestOptions): { body?: string | Buffer; contentType?: string } {
	const { body } = options;
	if (body === undefined || body === null) return {};
	if (Buffer.isBuffer(body) || typeof body === 'string') return { body };
	return { body: JSON.stringify(body), contentType: 'application/json' };
}

const senders = new Map<number, HttpSender>();

/**
 * An HttpSender (the shape of n8n's `httpRequest` with `returnFullResponse` and
 * `ignoreHttpStatusErrors`) on keep-alive pools of `connections` sockets per host. Network
 * failures throw with the socket's code (ECONNREFUSED, ECONNRESET, UND_ERR_HEADERS_TIMEOUT …);
 * every HTTP status is returned.
 */
export function pooledSender(connections: number): HttpSender {
	let sender = senders.get(connections);
	if (!sender) {
		sender = async (options) => await send(options, connections);
		senders.set(connections, sender);
	}
	return sender;
}

async function send(options: IHttpRequestOptions, connections: number): Promise<IN8nHttpFullResponse> {
	const url = options.url;
	const { body, contentType } = bodyOf(options);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
	}
	if (contentType && !headers['content-type']) headers['content-type'] = contentType;
	const timeout = options.timeout ?? 30_000;
	const response = await request(url, {
		method: (options.method ?? 'GET') as Dispatcher.HttpMethod,
		headers,
		body,
		dispatcher: poolFor(url, connections),
		signal: options.abortSignal,
		headersTimeout: timeout,
		bodyTimeout: timeout,
		maxRedirections: 0,
	});
	const text = await response.body.text();
	return { statusCode: response.statusCode, headers: response.headers, body: text } as IN8nHttpFullResponse;
}

/** Open pools (for tests and diagnostics): "size proxy-URL" (no URL = direct) → undici dispatcher. */
export function openPools(): ReadonlyMap<string, Dispatcher> {
	return pools;
}

/** Closes every pool and its sockets (a new pool is made on the next request). */
export async function closePools(): Promise<void> {
	const all = [...pools.values()];
	pools.clear();
	byOrigin.clear();
	await Promise.all(all.map(async (pool) => await pool.close()));
}
