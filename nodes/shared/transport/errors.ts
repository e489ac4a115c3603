import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { placeOf } from '../content/place';
import { itemLabel } from '../itemLabel';

/** Google's error envelope, reduced to what is safe and useful to show. */
export interface GoogleError {
	code: number;
	status: string;
	message: string;
	details?: unknown[];
}

export function parseJsonBody(body: unknown): { ok: true; value: unknown } | { ok: false; text: string } {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return { ok: true, value: body };
	try {
		return { ok: true, value: JSON.parse(body) };
	} catch {
		return { ok: false, text: body };
	}
}

const STATUS_NAMES: Record<number, string> = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	409: 'ALREADY_EXISTS',
	429: 'RESOURCE_EXHAUSTED',
	500: 'INTERNAL',
	502: 'BAD_GATEWAY',
	503: 'UNAVAILABLE',
	504: 'DEADLINE_EXCEEDED',
};

/** Reads `{error:{code,status,message,details}}`; anything else (HTML from a proxy) becomes a short summary. */
export function googleErrorOf(statusCode: number, body: unknown): GoogleError {
	const parsed = parseJsonBody(body);
	if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null) {
		const error = (parsed.value as { error?: unknown }).error;
		if (typeof error === 'object' && error !== null) {
			const e = error as Record<string, unknown>;
			return {
				code: typeof e.code === 'number' ? e.code : statusCode,
				status: typeof e.status === 'string' ? e.status : (STATUS_NAMES[statusCode] ?? `HTTP_${statusCode}`),
				message: typeof e.message === 'string' ? e.message : `HTTP ${statusCode}`,
				...(Array.isArray(e.details) && e.details.length > 0 ? { details: e.details } : {}),
			};
		}
	}
	const text = parsed.ok ? '' : parsed.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
	return {
		code: statusCode,
		status: STATUS_NAMES[statusCode] ?? `HTTP_${statusCode}`,
		message: text ? `HTTP ${statusCode}: ${text}` : `HTTP ${statusCode} with no error details`,
	};
}

/** What to do about an RBM error, by status: the part of the error users act on. */
export function hintFor(error: GoogleError, context: { agentId?: string; operation: string; hints?: Partial<Record<number, string>> }): string {
	const own = context.hints?.[error.code];
	if (own !== undefined) return own;
	const agent = context.agentId ? `"${context.agentId}"` : 'the agent id';
	switch (error.code) {
		case 0:
			return 'No answer from RBM after all retries: check the network, proxy settings and the credential\'s Region / Base URL. Message ids are stable, so running again does not double-send.';
		case 400:
			return `RBM rejected the request: ${error.message}. Check the field it names; if the content is valid, the phone may not support this feature (check its capabilities first).`;
		case 401:
			return 'The access token was rejected even after a refresh. The service-account key may have been deleted or disabled (create a new key and paste it into the credential), or this machine\'s clock is off by more than a few minutes.';
		case 403:
			return `Permission denied for agent ${agent}. Check that: the Agent ID is the short id without "@rbm.goog"; the agent belongs to the partner account of this service account; and, while the agent is not launched (for this phone's carrier or region), the phone is a tester that accepted the invitation: invite it, or wait for the launch. A 403 for some phones while others get through points to the launch.`;
		case 404:
			return 'The phone is not reachable over RCS for this agent (RCS off, carrier not launched, or not a tester). Route it to SMS.';
		case 429:
			return 'RBM is rate limiting this agent. Lower Options › Concurrency or spread the campaign over time; retries already waited as RBM asked.';
		default:
			if (error.code >= 300 && error.code < 400) {
				return 'RBM does not redirect, so this answer came from something else at the credential\'s Base URL (a proxy, a login page, a wrong host). Check Base URL, or leave it empty to use the Region. The redirect was not followed: the access token was not sent on.';
			}
			if (error.code >= 500) return 'RBM had a temporary problem and retries did not get through. Run the workflow again: message ids are stable, so nothing is sent twice.';
			return `RBM ${context.operation} failed.`;
	}
}

/** Calls to a phone that RBM refuses with 403 when the agent is not launched and the phone is not a tester. */
const TO_A_PHONE = new Set(['send', 'read receipt', 'typing indicator', 'capability check']);
const AGENT_LOOKUP = /looking up the RBM agent|agentId parameter/i;
const LAUNCH = /launch|tester/i;

/**
 * The likely reason for a 403 on a call to a phone, read from Google's answer (message and details)
 * without another call: RBM could not find the agent (its agent-lookup message), or, otherwise, the
 * agent is not launched for this phone and the phone is not an accepted tester, the cause Google
 * documents for these calls (Google's message does not always say so: it may be a bare "The caller
 * does not have permission"). Undefined for other calls and statuses.
 */
export function likelyReason(error: GoogleError, operation: string): string | undefined {
	if (error.code !== 403 || !TO_A_PHONE.has(operation)) return undefined;
	const said = `${error.message} ${error.details ? JSON.stringify(error.details) : ''}`;
	if (AGENT_LOOKUP.test(said) && !LAUNCH.test(error.message)) {
		return 'RBM cannot find the agent for this Agent ID and service account';
	}
	return 'the agent is not launched for this phone (its carrier or region) and the phone is not a tester that accepted the invitation';
}

/** Google's field path in its message ("Invalid value at 'agent_message.content_message.text'"). */
const GOOGLE_PATH = /\s+at '([a-z0-9_.[\]]+)'/i;

/**
 * An RBM error answer as n8n shows it. The message names the item 1-based ("Contact 2"), where in
 * the message Google found the problem in the node's words ("card 2, button 1"), and Google's
 * status and message without its field path; the path and Google's message as sent are in the
 * description, with what to do.
 */
export function rbmApiError(
	node: INode,
	error: GoogleError,
	context: { agentId?: string; operation: string; itemIndex: number; attempts?: number; hints?: Partial<Record<number, string>> },
): NodeApiError {
	const attempts = context.attempts && context.attempts > 1 ? ` (after ${context.attempts} attempts)` : '';
	const safe: JsonObject = { code: error.code, status: error.status, message: error.message };
	if (error.details) safe.details = error.details as JsonObject[];
	const path = GOOGLE_PATH.exec(error.message)?.[1];
	const place = path ? placeOf(path) : undefined;
	const plain = path ? error.message.replace(GOOGLE_PATH, '') : error.message;
	const where = path ? `\nField: ${path} (Google's message: ${error.message})` : '';
	const likely = likelyReason(error, context.operation);
	const apiError = new NodeApiError(node, safe, {
		message: `${itemLabel(node, context.itemIndex)}${place ? `, ${place}` : ''}: RBM ${context.operation} failed: ${error.code} ${error.status}: ${plain}${attempts}${likely ? `. Likely reason: ${likely}` : ''}`,
		description: `${hintFor(error, context)}${where}`,
		httpCode: error.code > 0 ? String(error.code) : undefined,
		itemIndex: context.itemIndex,
	});
	return apiError;
}

/**
 * A 403 from the Business Communications API, in plain words: the service account lacks the
 * partner-console role the call needs (Reader to read, Manager to change). Google's status and
 * message stay in the error's details.
 */
export function businessPermissionError(
	node: INode,
	error: GoogleError,
	context: { method: string; operation: string; itemIndex: number; clientEmail: string },
): NodeApiError {
	const role = context.method === 'GET' ? 'Reader' : 'Manager';
	const safe: JsonObject = { code: error.code, status: error.status, message: error.message };
	if (error.details) safe.details = error.details as JsonObject[];
	return new NodeApiError(node, safe, {
		message: `${itemLabel(node, context.itemIndex)}: ${context.operation} failed: the service account ${context.clientEmail} has no partner-console role that allows it (this needs ${role})`,
		description:
			`In the RBM Developer Console (Partner account › Users / Service accounts) give ${context.clientEmail} the ${role} role ` +
			`(Reader for reads, Manager for changes such as inviting or removing testers), or use a key of a service account that has it. ` +
			`Google answered: ${error.code} ${error.status}: ${error.message}`,
		httpCode: String(error.code),
		itemIndex: context.itemIndex,
	});
}
