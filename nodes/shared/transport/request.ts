/**
 * rbmRequest: the one place that speaks HTTP to RBM. Host from region/baseUrl, bearer token from
 * auth.ts, retries with exponential backoff + jitter honouring Retry-After, one token refresh on
 * 401, and error mapping. Callers get parsed JSON for 2xx and for the statuses they asked to
 * handle themselves (404 "not reachable", 409 "already accepted"); everything else throws.
 */
import type { IHttpRequestMethods, IHttpRequestOptions, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { HttpSender } from './auth';
import { getAccessToken, refreshAccessToken, TokenRequestError } from './auth';
import type { RbmCredentialData, RegionalEndpoint } from './credential';
import { businessHostFor, hostFor, parseCredentials, tokenError } from './credential';
import type { GoogleError } from './errors';
import { businessPermissionError, googleErrorOf, parseJsonBody, rbmApiError } from './errors';
import type { ServiceAccount } from './serviceAccount';
import type { Gate } from './pacing';
import { RunGate, sharedGate } from './pacing';
import { keepAliveSender } from './connection';

export interface RbmCallContext {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
	getNode(): INode;
	/** n8n's cancel signal: a cancelled execution stops waiting and retrying. */
	getExecutionCancelSignal?(): AbortSignal | undefined;
}

export interface RetryPolicy {
	/** Retries after the first attempt for 429, 5xx, timeouts, resets and unreadable 2xx bodies. */
	maxRetries: number;
	timeoutMs: number;
	/** First backoff step; doubles per attempt up to maxDelayMs. */
	baseDelayMs?: number;
	maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryPolicy> = { maxRetries: 5, timeoutMs: 30_000, baseDelayMs: 500, maxDelayMs: 20_000 };
/** A Retry-After longer than this is not waited for inside one execution. */
const MAX_RETRY_AFTER_MS = 120_000;

export interface RbmRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: Record<string, string>;
	body?: IHttpRequestOptions['body'];
	/** For raw bodies (file uploads): the media type sent as Content-Type. */
	contentType?: string;
	/** Statuses returned to the caller as data instead of thrown (e.g. 404, 409). */
	handledStatuses?: number[];
	/** Human name for errors: "send", "revoke", … */
	operation: string;
	/**
	 * Send to this regional endpoint instead of the credential's region (users.batchGet must go to
	 * the region of its numbers: https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/users/batchGet).
	 */
	region?: RegionalEndpoint;
	/** The Business Communications API (businesscommunications.googleapis.com) instead of RBM. */
	api?: 'businesscommunications';
	/** Statuses not retried even though they usually are (a 429 for a daily quota will not pass in seconds). */
	noRetry?: number[];
	/** What to do about a status, replacing the general hint (e.g. the tester invite limits for 429). */
	hints?: Partial<Record<number, string>>;
	agentId?: string;
	itemIndex: number;
}

export interface RbmResponse {
	statusCode: number;
	body: unknown;
	/** Google's error for a handled non-2xx status. */
	error?: GoogleError;
	attempts: number;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

function retryAfterMs(headers: IN8nHttpFullResponse['headers']): number | undefined {
	const raw = headers?.['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoffMs(attempt: number, policy: Required<RetryPolicy>, retryAfter?: number): number {
	// Jitter spreads the retries of concurrent items so they do not come back as one burst.
	if (retryAfter !== undefined) return Math.min(retryAfter, MAX_RETRY_AFTER_MS) + Math.random() * 250;
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return step / 2 + Math.random() * (step / 2);
}

function networkCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const e = error as { code?: unknown; cause?: { code?: unknown } };
	if (typeof e.code === 'string') return e.code;
	if (typeof e.cause?.code === 'string') return e.cause.code;
	return undefined;
}

export class RbmClient {
	private readonly account: ServiceAccount;
	/** The credential's host; a request with its own `region` goes to that region's host. */
	readonly host: string;
	private readonly credentials: RbmCredentialData;
	private readonly send: HttpSender;
	/** Every attempt waits for its place, and reports a 429 back (pacing.ts). */
	private readonly gate: Gate;
	/** n8n's getNode() deep-copies the node on every call: once per client, not once per request. */
	private readonly node: INode;

	constructor(
		private readonly ctx: RbmCallContext,
		credentials: RbmCredentialData,
		private readonly policy: Required<RetryPolicy> = DEFAULT_RETRY,
		/** The run's cap (0 = none); every attempt also waits on the process's gate for this key (pacing.ts). */
		maxPerSecond = 0,
	) {
		this.node = ctx.getNode();
		this.account = parseCredentials(this.node, credentials);
		this.credentials = credentials;
		this.host = hostFor(credentials);
		this.gate = new RunGate(sharedGate(`${this.host} ${this.account.clientEmail}`), maxPerSecond);
		// RBM and the token endpoint go through kept-alive connections (connection.ts), not n8n's
		// per-request agents; a run has at most its Concurrency in flight (runItems.ts).
		this.send = keepAliveSender;
	}

	async request(req: RbmRequest): Promise<RbmResponse> {
		const node = this.node;
		let refreshed = false;
		let lastProblem: GoogleError | undefined;
		const maxAttempts = this.policy.maxRetries + 1;
		// The query is serialised once per request, not per attempt.
		const host = req.api === 'businesscommunications' ? businessHostFor(this.credentials) : req.region ? hostFor(this.credentials, req.region) : this.host;
		const url = `${host}${req.path}${req.qs ? `?${new URLSearchParams(req.qs).toString()}` : ''}`;
		const cancel = this.ctx.getExecutionCancelSignal?.();
		const cancelled = () => new NodeOperationError(node, `RBM ${req.operation} stopped: the execution was cancelled`, { itemIndex: req.itemIndex });
		// Backoff waits end early when the execution is cancelled (n8n's sleep takes the signal).
		const wait = async (ms: number) => {
			try {
				await sleep(ms, cancel);
			} catch {
				throw new NodeOperationError(node, `RBM ${req.operation} stopped: the execution was cancelled`, { itemIndex: req.itemIndex });
			}
		};
		for (let attempt = 1; attempt <= maxAttempts; attempt++) {
			if (cancel?.aborted) throw cancelled();
			let token: string;
			try {
				token = await getAccessToken(this.account, this.send);
			} catch (error) {
				if (!isTransientTokenError(error) || attempt === maxAttempts) {
					throw tokenError(node, error, this.account, req.itemIndex);
				}
				await wait(backoffMs(attempt - 1, this.policy));
				continue;
			}
			let response: IN8nHttpFullResponse;
			const ticket = await this.gate.acquire();
			try {
				response = await this.send({
					method: req.method,
					url,
					body: req.body,
					json: req.body !== undefined && !Buffer.isBuffer(req.body),
					headers: {
						Authorization: `Bearer ${token}`,
						Accept: 'application/json',
						...(req.contentType ? { 'Content-Type': req.contentType } : {}),
					},
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: this.policy.timeoutMs,
					// RBM does not redirect; a redirect is answered as the error it is, and the bearer
					// token is never sent on to another host (the pool follows no redirects).
					disableFollowRedirect: true,
					abortSignal: cancel,
				});
			} catch (error) {
				this.gate.release(ticket, false);
				const code = networkCode(error) ?? 'NETWORK_ERROR';
				lastProblem = { code: 0, status: code, message: `no answer from ${new URL(host).host} (${code})` };
				if (attempt < maxAttempts) await wait(backoffMs(attempt - 1, this.policy));
				continue;
			}
			const { statusCode } = response;
			this.gate.release(ticket, statusCode === 429);
			if (statusCode === 401 && !refreshed) {
				// One refresh per request; concurrent items that saw the same token share it.
				refreshed = true;
				await this.refresh(req, token);
				attempt--;
				continue;
			}
			if (statusCode >= 200 && statusCode < 300) {
				const parsed = parseJsonBody(response.body);
				if (parsed.ok && ((typeof parsed.value === 'object' && parsed.value !== null) || (req.method === 'DELETE' && parsed.value === ''))) {
					return { statusCode, body: parsed.value === '' ? {} : parsed.value, attempts: attempt };
				}
				// A 2xx we cannot read may or may not have been accepted: retrying with the same id
				// is safe (RBM ignores a repeated id) and tells us which.
				lastProblem = { code: statusCode, status: 'UNREADABLE_RESPONSE', message: `RBM answered HTTP ${statusCode} with a body that is not JSON` };
			} else if (req.api === 'businesscommunications' && statusCode === 403) {
				throw businessPermissionError(node, googleErrorOf(statusCode, response.body), { ...req, clientEmail: this.account.clientEmail });
			} else if (RETRYABLE_STATUS.has(statusCode) && !req.noRetry?.includes(statusCode)) {
				lastProblem = googleErrorOf(statusCode, response.body);
				if (attempt < maxAttempts) await wait(backoffMs(attempt - 1, this.policy, retryAfterMs(response.headers)));
				continue;
			} else if (req.handledStatuses?.includes(statusCode)) {
				return { statusCode, body: response.body, error: googleErrorOf(statusCode, response.body), attempts: attempt };
			} else {
				throw rbmApiError(node, googleErrorOf(statusCode, response.body), { ...req, attempts: attempt });
			}
			if (attempt < maxAttempts) await wait(backoffMs(attempt - 1, this.policy));
		}
		const problem = lastProblem ?? { code: 0, status: 'UNKNOWN', message: 'no attempt was made' };
		throw rbmApiError(node, problem, { ...req, attempts: maxAttempts });
	}

	private async refresh(req: RbmRequest, rejected: string): Promise<void> {
		try {
			await refreshAccessToken(this.account, this.send, rejected);
		} catch (error) {
			throw tokenError(this.node, error, this.account, req.itemIndex);
		}
	}
}

function isTransientTokenError(error: unknown): boolean {
	if (!(error instanceof TokenRequestError)) return false;
	if (error.networkCode) return true;
	return error.httpCode !== undefined && RETRYABLE_STATUS.has(error.httpCode);
}
