/**
 * Access tokens for a service-account key: the JWT-bearer grant (jwt.ts) posted to the key's own
 * `token_uri`, one cached token per key in this process, refreshed 5 minutes before it expires (as
 * google-auth-library does) or after a 401. Concurrent callers share one in-flight grant, so a run
 * makes at most one grant per process.
 */
import { createHash } from 'node:crypto';
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { grantForm, signGrantAssertion } from './jwt';
import type { ServiceAccount } from './serviceAccount';

export { RBM_SCOPE } from './jwt';

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

/** A token is replaced this long before Google says it expires (google-auth-library's eager refresh). */
export const EAGER_REFRESH_MS = 5 * 60 * 1000;
/** When the endpoint gives no expires_in: Google's tokens last an hour. */
const DEFAULT_LIFETIME_S = 3600;

export interface AccessToken {
	token: string;
	/** ms since the epoch */
	expiresAt: number;
}

interface CacheEntry {
	current?: AccessToken;
	inflight?: Promise<AccessToken>;
}

const cache = new Map<string, CacheEntry>();

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
	if (typeof error !== 'object' || error === null) return undefined;
	const e = error as { code?: unknown; cause?: { code?: unknown } };
	if (typeof e.code === 'string') return e.code;
	if (typeof e.cause?.code === 'string') return e.cause.code;
	return undefined;
}

/** One grant: signs an assertion, posts it, reads the token or says why there is none. */
export async function requestToken(account: ServiceAccount, send: HttpSender, nowMs = Date.now()): Promise<AccessToken> {
	let response: IN8nHttpFullResponse | undefined;
	let failure: unknown;
	let assertion: string | undefined;
	try {
		assertion = signGrantAssertion(account, nowMs);
	} catch {
		assertion = undefined;
	}
	// node:crypto's message may quote the PEM's first line: say only what is wrong.
	if (assertion === undefined) throw new TokenRequestError('the private key could not be used to sign the token request', undefined, 'invalid_key');
	try {
		response = await send({
			method: 'POST',
			url: account.tokenUri,
			body: grantForm(assertion),
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
	if (response.statusCode >= 200 && response.statusCode < 300 && typeof data?.access_token === 'string' && data.access_token !== '') {
		const lifetime = Number(data.expires_in);
		const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_S;
		return { token: data.access_token, expiresAt: nowMs + seconds * 1000 };
	}
	const oauthError = typeof data?.error === 'string' ? data.error : undefined;
	const description = typeof data?.error_description === 'string' ? data.error_description : undefined;
	throw new TokenRequestError(
		oauthError ? `${oauthError}${description ? `: ${description}` : ''}` : `token endpoint answered HTTP ${response.statusCode} without an access token`,
		response.statusCode,
		oauthError,
	);
}

function entryFor(account: ServiceAccount): CacheEntry {
	const key = cacheKey(account);
	let entry = cache.get(key);
	if (!entry) cache.set(key, (entry = {}));
	return entry;
}

/** Starts a grant unless one is on its way; every caller waiting meanwhile gets its token. */
function grant(entry: CacheEntry, account: ServiceAccount, send: HttpSender): Promise<AccessToken> {
	if (!entry.inflight) {
		entry.inflight = requestToken(account, send)
			.then((token) => (entry.current = token))
			.finally(() => {
				entry.inflight = undefined;
			});
	}
	return entry.inflight;
}

/** One cached token per key per process; concurrent callers share one in-flight request. */
export async function getAccessToken(account: ServiceAccount, send: HttpSender): Promise<string> {
	const entry = entryFor(account);
	const current = entry.current;
	if (current && current.expiresAt - EAGER_REFRESH_MS > Date.now()) return current.token;
	return (await grant(entry, account, send)).token;
}

/**
 * After a 401: mint a new token unless another caller already replaced the rejected one. All
 * callers that saw the same rejected token share a single refresh.
 */
export async function refreshAccessToken(account: ServiceAccount, send: HttpSender, rejected: string): Promise<string> {
	const entry = entryFor(account);
	if (entry.inflight) return (await entry.inflight).token;
	if (entry.current && entry.current.token !== rejected) return entry.current.token;
	entry.current = undefined;
	return (await grant(entry, account, send)).token;
}
