/** Reading and checking the inputs every RBM operation shares: phone, agent, run settings, client. */
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { placeOf } from './content/place';
import { itemNoun } from './itemLabel';
import type { ItemReader } from './parameters';
import { normalizePhone } from './phone';
import { readCredential } from './transport/credential';
import type { RetryPolicy } from './transport/request';
import { DEFAULT_RETRY, RbmClient } from './transport/request';

/**
 * Bad input for one item. The message is plain and 1-based: the item, where in the message
 * (place.ts: "card 2, button 1") and what is wrong with which field, e.g. "Contact 3, card 2: Title
 * is 230 characters, at most 200". The API path of the field and n8n's 0-based Item Index are in
 * the description (and the path in `error.field` of error items, runItems.errorObject). Takes the
 * run's node (n8n's getNode() copies it on every call) or the execute context.
 */
export function inputError(node: INode | IExecuteFunctions, itemIndex: number, message: string, field: string, detail?: string): NodeOperationError {
	const theNode = 'getNode' in node ? node.getNode() : node;
	const noun = itemNoun(theNode);
	const place = placeOf(field);
	const description = [
		`Field: ${field}.`,
		...(detail ? [detail] : []),
		`${noun} ${itemIndex + 1} is n8n's Item Index ${itemIndex} (n8n and API paths count from 0). Nothing was sent for this ${noun.toLowerCase()}.`,
	].join('\n');
	const error = new NodeOperationError(theNode, `${noun} ${itemIndex + 1}${place ? `, ${place}` : ''}: ${message}`, { itemIndex, description });
	error.context.field = field;
	return error;
}

export function normalizeAgentId(raw: unknown): string | undefined {
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	// Webhooks carry "name@rbm.goog"; the API wants the short id. Accept both.
	const id = String(raw).trim().replace(/@rbm\.goog$/i, '');
	return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id) ? id : undefined;
}

export function readAgentId(ctx: IExecuteFunctions, i: number, read: ItemReader): string {
	const agentId = normalizeAgentId(read('agentId', i, ''));
	if (!agentId) {
		throw inputError(ctx, i, 'Agent ID is missing or malformed: use the agent\'s id, e.g. "my-agent" (from "my-agent@rbm.goog")', 'agentId');
	}
	return agentId;
}

export function readPhone(ctx: IExecuteFunctions, i: number, defaultCountry: string | undefined, read: ItemReader): string {
	const phone = normalizePhone(read('phoneNumber', i, ''), defaultCountry || undefined);
	if (!phone.ok) throw inputError(ctx, i, `Phone Number ${phone.reason}`, 'phoneNumber');
	return phone.e164;
}

export interface RunOptions {
	concurrency?: number;
	maxRetries?: number;
	timeout?: number;
	maxPerSecond?: number;
}

export interface RunSettings {
	concurrency: number;
	policy: Required<RetryPolicy>;
	/** Options › Max Messages per Second; 0 = no cap. */
	maxPerSecond: number;
}

/** The most Max Messages per Second accepts (far above any agent's quota). */
const MAX_PER_SECOND = 10_000;

/** Settings that shape the whole run are read once, from the first item's `options`. */
export function runSettings(ctx: IExecuteFunctions): RunSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as RunOptions;
	const concurrency = Number(options.concurrency ?? 10);
	const maxRetries = Number(options.maxRetries ?? DEFAULT_RETRY.maxRetries);
	const timeout = Number(options.timeout ?? DEFAULT_RETRY.timeoutMs);
	const fail = (message: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex: 0 });
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) throw fail(`Concurrency must be a whole number from 1 to 100, got ${String(options.concurrency)}`);
	if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw fail(`Max Retries must be a whole number from 0 to 10, got ${String(options.maxRetries)}`);
	if (!Number.isFinite(timeout) || timeout < 1000) throw fail(`Timeout must be at least 1000 ms, got ${String(options.timeout)}`);
	const maxPerSecond = Number(options.maxPerSecond ?? 0);
	if (!Number.isFinite(maxPerSecond) || maxPerSecond < 0 || maxPerSecond > MAX_PER_SECOND) {
		throw fail(`Max Messages per Second must be from 0 (no cap) to ${MAX_PER_SECOND}, got ${String(options.maxPerSecond)}`);
	}
	return { concurrency, policy: { ...DEFAULT_RETRY, maxRetries, timeoutMs: timeout }, maxPerSecond };
}

/**
 * The run's RBM client: Concurrency sizes its connection pool (one connection per request in
 * flight); its gate (pacing.ts) keeps it under Max Messages per Second and shares what 429s taught
 * with every run of this process that uses the same key.
 * A broken key fails every item, but under Continue On Fail each item must still come out with the
 * error, so the failure is returned per item instead of thrown once.
 */
export async function clientForRun(ctx: IExecuteFunctions, settings: RunSettings): Promise<(itemIndex: number) => RbmClient> {
	const credentials = await readCredential(ctx);
	let client: RbmClient | undefined;
	let failure: NodeOperationError | undefined;
	try {
		client = new RbmClient(ctx, credentials, settings.policy, settings.maxPerSecond);
	} catch (error) {
		failure = error as NodeOperationError;
	}
	return (itemIndex) => {
		if (client) return client;
		throw new NodeOperationError(ctx.getNode(), failure!.message, { itemIndex, description: failure!.description ?? undefined });
	};
}
