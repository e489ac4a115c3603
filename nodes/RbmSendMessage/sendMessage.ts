/** What one input item becomes: a checked AgentMessage sent once, routed to Sent or Not Reachable. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildContentMessage } from '../shared/content/message';
import { LIMITS, TRAFFIC_TYPES, validateAgentMessage } from '../shared/content/limits';
import type { AgentMessage } from '../shared/content/types';
import { ContentError } from '../shared/content/types';
import { deriveId } from '../shared/ids';
import { normalizePhone } from '../shared/phone';
import { runItems } from '../shared/runItems';
import type { RbmCredentialData } from '../shared/transport/request';
import { DEFAULT_RETRY, RbmClient } from '../shared/transport/request';

export const OUTPUT_SENT = 0;
export const OUTPUT_NOT_REACHABLE = 1;

export interface SendOptions {
	messageTrafficType?: string;
	ttl?: number;
	expireTime?: string;
	idempotencyKey?: string;
	concurrency?: number;
	maxRetries?: number;
	timeout?: number;
	defaultCountry?: string;
}

function inputErrorOptions(itemIndex: number, field: string) {
	return { itemIndex, description: `Field: ${field}. Nothing was sent for this item.` };
}

function inputError(ctx: IExecuteFunctions, itemIndex: number, message: string, field: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: ${message}`, inputErrorOptions(itemIndex, field));
}

export function normalizeAgentId(raw: unknown): string | undefined {
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	// Webhooks carry "name@rbm.goog"; the API wants the short id. Accept both.
	const id = String(raw).trim().replace(/@rbm\.goog$/i, '');
	return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id) ? id : undefined;
}

function expiryFields(ctx: IExecuteFunctions, i: number, options: SendOptions): Pick<AgentMessage, 'ttl' | 'expireTime'> {
	const hasTtl = options.ttl !== undefined && options.ttl !== null && String(options.ttl) !== '';
	const hasExpire = options.expireTime !== undefined && options.expireTime !== null && options.expireTime !== '';
	if (hasTtl && hasExpire) {
		throw inputError(ctx, i, 'set either TTL or Expire Time, not both (RBM accepts one expiry)', 'options.ttl / options.expireTime');
	}
	if (hasTtl) {
		const seconds = Number(options.ttl);
		if (!Number.isFinite(seconds) || seconds <= 0 || seconds > LIMITS.maxExpirySeconds) {
			throw inputError(ctx, i, `TTL must be between 1 and ${LIMITS.maxExpirySeconds} seconds (15 days), got ${String(options.ttl)}`, 'options.ttl');
		}
		return { ttl: `${Number(seconds.toFixed(3))}s` };
	}
	if (hasExpire) {
		const at = Date.parse(String(options.expireTime));
		if (Number.isNaN(at)) throw inputError(ctx, i, `Expire Time "${String(options.expireTime)}" is not a date-time`, 'options.expireTime');
		const now = Date.now();
		if (at <= now) throw inputError(ctx, i, 'Expire Time is in the past', 'options.expireTime');
		if (at - now > LIMITS.maxExpirySeconds * 1000) throw inputError(ctx, i, 'Expire Time is more than 15 days ahead', 'options.expireTime');
		return { expireTime: new Date(at).toISOString() };
	}
	return {};
}

/** Parameters that shape the whole run are read once, from the first item. */
function runSettings(ctx: IExecuteFunctions) {
	const options = ctx.getNodeParameter('options', 0, {}) as SendOptions;
	const concurrency = Number(options.concurrency ?? 10);
	const maxRetries = Number(options.maxRetries ?? DEFAULT_RETRY.maxRetries);
	const timeout = Number(options.timeout ?? DEFAULT_RETRY.timeoutMs);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
		throw new NodeOperationError(ctx.getNode(), `Concurrency must be a whole number from 1 to 100, got ${String(options.concurrency)}`, { itemIndex: 0 });
	}
	if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
		throw new NodeOperationError(ctx.getNode(), `Max Retries must be a whole number from 0 to 10, got ${String(options.maxRetries)}`, { itemIndex: 0 });
	}
	if (!Number.isFinite(timeout) || timeout < 1000) {
		throw new NodeOperationError(ctx.getNode(), `Timeout must be at least 1000 ms, got ${String(options.timeout)}`, { itemIndex: 0 });
	}
	return { concurrency, policy: { ...DEFAULT_RETRY, maxRetries, timeoutMs: timeout } };
}

export async function executeSendMessage(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { concurrency, policy } = runSettings(this);
	const credentials = await this.getCredentials<RbmCredentialData>('rbmApi');
	const node = this.getNode();
	const executionId = this.getExecutionId();
	const runIndex = this.getWorkflowDataProxy(0).$runIndex;
	let client: RbmClient | undefined;
	let clientError: unknown;
	try {
		client = new RbmClient(this, credentials, policy);
	} catch (error) {
		// A broken key fails every item, but with Continue On Fail each item still reports it.
		clientError = error;
	}

	return await runItems(this, { outputs: 2, concurrency }, async (i) => {
		if (!client) {
			const e = clientError as NodeOperationError;
			throw new NodeOperationError(node, e.message, { itemIndex: i, description: e.description ?? undefined });
		}
		const options = this.getNodeParameter('options', i, {}) as SendOptions;
		const phone = normalizePhone(this.getNodeParameter('phoneNumber', i, ''), options.defaultCountry || undefined);
		if (!phone.ok) throw inputError(this, i, `Phone Number ${phone.reason}`, 'phoneNumber');
		const agentId = normalizeAgentId(this.getNodeParameter('agentId', i, ''));
		if (!agentId) {
			throw inputError(this, i, 'Agent ID is missing or malformed: use the agent\'s id, e.g. "my-agent" (from "my-agent@rbm.goog")', 'agentId');
		}
		const trafficType = options.messageTrafficType;
		if (trafficType && !(TRAFFIC_TYPES as readonly string[]).includes(trafficType)) {
			throw inputError(this, i, `Traffic Type must be one of ${TRAFFIC_TYPES.join(', ')}, got "${trafficType}"`, 'options.messageTrafficType');
		}
		const expiry = expiryFields(this, i, options);
		const type = this.getNodeParameter('messageType', i) as string;
		let message: AgentMessage;
		try {
			message = {
				contentMessage: buildContentMessage(type, (name, fallback) => this.getNodeParameter(name, i, fallback)),
				...(trafficType ? { messageTrafficType: trafficType } : {}),
				...expiry,
			};
			validateAgentMessage(message);
		} catch (error) {
			if (error instanceof ContentError) throw new NodeOperationError(node, `Item ${i + 1}: ${error.message}`, inputErrorOptions(i, error.field));
			throw new NodeOperationError(node, error as Error, { itemIndex: i });
		}
		const messageId = deriveId('message', { executionId, nodeId: node.id, runIndex, itemIndex: i }, agentId, options.idempotencyKey);

		const response = await client.request({
			method: 'POST',
			path: `/v1/phones/${phone.e164}/agentMessages`,
			qs: { messageId, agentId },
			body: message as unknown as IDataObject,
			handledStatuses: [404, 409],
			operation: 'send',
			agentId,
			itemIndex: i,
		});
		if (response.statusCode === 404) {
			const { code, status, message: text } = response.error!;
			return { output: OUTPUT_NOT_REACHABLE, json: { phoneNumber: phone.e164, agentId, messageId, error: { code, status, message: text } } };
		}
		if (response.statusCode === 409) {
			// RBM has our id already (an earlier try or run got through): accepted, not an error.
			return {
				output: OUTPUT_SENT,
				json: { name: `phones/${phone.e164}/agentMessages/${messageId}`, messageId, phoneNumber: phone.e164, agentId, alreadyAccepted: true },
			};
		}
		return { output: OUTPUT_SENT, json: { ...(response.body as IDataObject), messageId, phoneNumber: phone.e164, agentId } };
	});
}
