/**
 * The only importer of google-auth-library. The library signs the JWT grant, caches the access
 * token and refreshes it before expiry; we give it a transporter that posts the grant to the key's
 * own `token_uri` through n8n's HTTP helper (the library would post to Google's fixed URL and
 * bypass n8n's proxy/TLS settings).
 */
import { createHash } from 'node:crypto';
import { JWT } from 'google-auth-library';
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { ServiceAccount } from './serviceAccount';

export const RBM_SCOPE = 'https://www.googleapis.com/auth/rcsbusinessmessaging';

/** n8n's `helpers.httpRequest` with `returnFullResponse: true` (or an adapter with that shape). */
export type HttpSender = (options: IHttpRequestOptions) => Promise<IN8nHttpFullResponse>;

/** A failed token exchange. Carries what the token endpoint said, never the assertion or key. */
export class TokenRequestError extends Error {
	constructor(
		message: string,
		readonly httpCode: number | undefined,
		readonly oauthError: string | undefined,
		readonly networkCode?: string,
	) {
		super(message);
		this.name = 'TokenRequestError';
	}
}

interface CachedClient {
	client: JWT;
	/** The sender of the most recent caller: every n8n execution brings its own helper. */
	sender: { current: HttpSender };
	refreshing?: Promise<string>;
}

const clients = new Map<string, CachedClient>();

/** The key's hash, computed once per parsed key (a run parses its credential once, not per item). */
const keysOf = new WeakMap<ServiceAccount, string>();

function cacheKey(account: ServiceAccount): string {
	let key = keysOf.get(account);
	if (key === undefined) {
		key = createHash('sha256')
			.update([account.clientEmail, account.privateKeyId ?? '', account.tokenUri, account.privateKey].join('\u0000'))
			.digest('hex');
		keysOf.set(account, key);
	}
	return key;
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
	if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	try {
		const parsed: unknown = JSON.parse(text);
		return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

function networkCodeOf(error: unknown): string | undefined {
	if (typeof error === 'object' && error !== null && 'code' in error) {
		const code = (error as { code: unknown }).code;
		if (typeof code === 'string') return code;
	}
	return undefined;
}

function createTransporter(account: ServiceAccount, sender: { current: HttpSender }) {
	return {
		async request(options: { data?: unknown }) {
			const form = options.data instanceof URLSearchParams ? options.data.toString() : String(options.data ?? '');
			let response: IN8nHttpFullResponse | undefined;
			let failure: unknown;
			try {
				response = await sender.current({
					method: 'POST',
					url: account.tokenUri,
					body: form,
					headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					json: false,
					timeout: 30_000,
				});
			} catch (error) {
				failure = error;
			}
			if (response === undefined) {
				const code = networkCodeOf(failure);
				throw new TokenRequestError(
					`Could not reach the token endpoint ${new URL(account.tokenUri).host}${code ? ` (${code})` : ''}`,
					undefined,
					undefined,
					code ?? 'NETWORK_ERROR',
				);
			}
			const data = parseBody(response.body);
			if (response.statusCode >= 200 && response.statusCode < 300 && typeof data?.access_token === 'string') {
				return { data, status: response.statusCode, headers: response.headers };
			}
			const oauthError = typeof data?.error === 'string' ? data.error : undefined;
			const description = typeof data?.error_description === 'string' ? data.error_description : undefined;
			throw new TokenRequestError(
				oauthError
					? `${oauthError}${description ? `: ${description}` : ''}`
					: `token endpoint answered HTTP ${response.statusCode} without an access token`,
				response.statusCode,
				oauthError,
			);
		},
	};
}

function newClient(account: ServiceAccount, sender: { current: HttpSender }): JWT {
	return new JWT({
		email: account.clientEmail,
		key: account.privateKey,
		keyId: account.privateKeyId,
		scopes: [RBM_SCOPE],
		// google-auth-library only calls `request()` on it; the cast bridges its Gaxios type.
		transporter: createTransporter(account, sender) as unknown as JWT['transporter'],
		useAuthRequestParameters: false,
	});
}

function entryFor(account: ServiceAccount, send: HttpSender): CachedClient {
	const key = cacheKey(account);
	let entry = clients.get(key);
	if (!entry) {
		const sender = { current: send };
		entry = { client: newClient(account, sender), sender };
		clients.set(key, entry);
	} else {
		entry.sender.current = send;
	}
	return entry;
}

async function tokenOf(client: JWT): Promise<string> {
	const { token } = await client.getAccessToken();
	if (!token) throw new TokenRequestError('token endpoint returned no access token', undefined, undefined);
	return token;
}

/** One cached token per key per process; concurrent callers share one in-flight request. */
export async function getAccessToken(account: ServiceAccount, send: HttpSender): Promise<string> {
	const entry = entryFor(account, send);
	if (entry.refreshing) return await entry.refreshing;
	return await tokenOf(entry.client);
}

/**
 * After a 401: mint a new token unless another caller already replaced the rejected one. All
 * callers that saw the same rejected token share a single refresh.
 */
export async function refreshAccessToken(account: ServiceAccount, send: HttpSender, rejected: string): Promise<string> {
	const entry = entryFor(account, send);
	if (entry.refreshing) return await entry.refreshing;
	const current = entry.client.credentials.access_token;
	if (current && current !== rejected) return current;
	entry.client.credentials = { ...entry.client.credentials, access_token: undefined, expiry_date: 1 };
	entry.refreshing = tokenOf(entry.client).finally(() => {
		entry.refreshing = undefined;
	});
	return await entry.refreshing;
}

/** A fresh token from a throw-away client: what a credential test must prove. */
export async function mintTokenUncached(account: ServiceAccount, send: HttpSender): Promise<string> {
	return await tokenOf(newClient(account, { current: send }));
}
