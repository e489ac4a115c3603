import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResult } from './types';

export function json(status: number, value: unknown, headers?: Record<string, string>): HttpResult {
	return {
		status,
		body: JSON.stringify(value, null, 2),
		headers: { 'Content-Type': 'application/json; charset=UTF-8', ...headers },
	};
}

/** Google's error envelope (google.rpc.Status mapped to HTTP). */
export function googleError(
	code: number,
	status: string,
	message: string,
	details: unknown[] = [],
	headers?: Record<string, string>,
): HttpResult {
	return json(code, { error: { code, message, status, details } }, headers);
}

/** `invalidArgument`, counted in the emulator's `invalid` statistic. */
export function countedInvalid(stats: { invalid: number }): (message: string, field?: string) => HttpResult {
	return (message, field) => {
		stats.invalid++;
		return invalidArgument(message, field);
	};
}

export function invalidArgument(message: string, field?: string, description?: string): HttpResult {
	const details = field
		? [
				{
					'@type': 'type.googleapis.com/google.rpc.BadRequest',
					fieldViolations: [{ field, description: description ?? message }],
				},
			]
		: [];
	return googleError(400, 'INVALID_ARGUMENT', message, details);
}

export const notFound = (): HttpResult =>
	googleError(404, 'NOT_FOUND', 'Requested entity was not found.');

/**
 * An unlaunched agent sending to a phone that is not one of its accepted testers: 403 PERMISSION_DENIED
 * as Google documents it. Google's exact wording is not published; this one names the cause.
 */
export const notLaunchedForPhone = (phone: string): HttpResult =>
	googleError(
		403,
		'PERMISSION_DENIED',
		`The agent is not launched and ${phone} is not one of its testers (an unlaunched agent can only message testers that accepted the invitation).`,
	);

export const agentLookupFailed = (): HttpResult =>
	googleError(
		403,
		'PERMISSION_DENIED',
		'There was an error looking up the RBM agent that corresponds to the Google Cloud Platform (GCP) project ' +
			"you're authenticating with. This may be a transient error, in which case a retry can help. " +
			'Otherwise, make sure the agentId parameter is set.',
	);

export const unauthenticated = (): HttpResult =>
	googleError(
		401,
		'UNAUTHENTICATED',
		'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
		[],
		{ 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
	);

export function resourceExhausted(retryAfterSeconds: number): HttpResult {
	return googleError(
		429,
		'RESOURCE_EXHAUSTED',
		'Quota exceeded for quota metric and limit of service rcsbusinessmessaging.googleapis.com.',
		[],
		{ 'Retry-After': String(retryAfterSeconds) },
	);
}

export function send(res: ServerResponse, result: HttpResult): void {
	if (res.headersSent || res.destroyed) return;
	const body = Buffer.from(result.body, 'utf8');
	res.writeHead(result.status, { ...result.headers, 'Content-Length': String(body.length) });
	res.end(body);
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/** Reads the whole request body, giving up (without buffering more) once `limit` bytes are exceeded. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
	return new Promise((resolve) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) {
			req.pause();
			resolve({ ok: false, reason: 'too-large' });
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = (r: BodyResult): void => {
			if (!done) {
				done = true;
				resolve(r);
			}
		};
		req.on('data', (chunk: Buffer) => {
			if (done) return;
			size += chunk.length;
			if (size > limit) {
				req.pause();
				finish({ ok: false, reason: 'too-large' });
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
		req.on('error', () => finish({ ok: false, reason: 'aborted' }));
		req.on('close', () => finish({ ok: false, reason: 'aborted' }));
	});
}

export function parseJsonObject(buf: Buffer): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
	const text = buf.toString('utf8');
	if (text.trim() === '') return { ok: true, value: {} };
	try {
		const v: unknown = JSON.parse(text);
		if (v === null || typeof v !== 'object' || Array.isArray(v)) {
			return { ok: false, message: 'Invalid JSON payload received. Expected an object at the top level.' };
		}
		return { ok: true, value: v as Record<string, unknown> };
	} catch (e) {
		return { ok: false, message: `Invalid JSON payload received. ${(e as Error).message}` };
	}
}

export const E164 = /^\+[1-9]\d{6,14}$/;

/** Agent ids arrive short ("my-agent") or full ("my-agent@rbm.goog"); the API path form is short. */
export function shortAgentId(id: string): string {
	return id.endsWith('@rbm.goog') ? id.slice(0, -'@rbm.goog'.length) : id;
}

/** Path phone: literal "+" or "%2B"; returns null if it is not E.164. */
export function decodePhone(raw: string): string | null {
	let phone: string;
	try {
		phone = decodeURIComponent(raw);
	} catch {
		return null;
	}
	return E164.test(phone) ? phone : null;
}

export const invalidPhone = (raw: string): HttpResult =>
	invalidArgument(`Invalid phone number: "${raw}". Expected E.164 format like +12223334444.`, 'name');
