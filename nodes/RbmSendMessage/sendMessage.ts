/** What one input item becomes: a checked AgentMessage sent once, routed to Sent or Not Reachable. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AgentMessageFields } from '../shared/content/agentMessageFields';
import { combineFields } from '../shared/content/agentMessageFields';
import { buildMessage } from '../shared/content/message';
import { LIMITS, TRAFFIC_TYPES, checkMessageSize } from '../shared/content/limits';
import type { AgentMessage } from '../shared/content/types';
import { ContentError } from '../shared/content/types';
import { deriveId } from '../shared/ids';
import type { RunOptions } from '../shared/itemInputs';
import { clientForRun, inputError, inputErrorOptions, readAgentId, readPhone, runSettings } from '../shared/itemInputs';
import { parameterReader } from '../shared/parameters';
import { runItems } from '../shared/runItems';

export const OUTPUT_SENT = 0;
export const OUTPUT_NOT_REACHABLE = 1;

export interface SendOptions extends RunOptions {
	messageTrafficType?: string;
	ttl?: number;
	expireTime?: string;
	idempotencyKey?: string;
	defaultCountry?: string;
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

export async function executeSendMessage(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { concurrency, policy } = runSettings(this);
	const clientFor = await clientForRun(this, policy, concurrency);
	const node = this.getNode();
	const executionId = this.getExecutionId();
	const runIndex = this.getWorkflowDataProxy(0).$runIndex;
	const read = parameterReader(this);

	return await runItems(this, { outputs: 2, concurrency }, async (i) => {
		const client = clientFor(i);
		const options = read('options', i, {}) as SendOptions;
		const phoneNumber = readPhone(this, i, options.defaultCountry, read);
		const agentId = readAgentId(this, i, read);
		const trafficType = options.messageTrafficType;
		if (trafficType && !(TRAFFIC_TYPES as readonly string[]).includes(trafficType)) {
			throw inputError(this, i, `Traffic Type must be one of ${TRAFFIC_TYPES.join(', ')}, got "${trafficType}"`, 'options.messageTrafficType');
		}
		const fromOptions: AgentMessageFields = { ...(trafficType ? { messageTrafficType: trafficType } : {}), ...expiryFields(this, i, options) };
		const type = read('messageType', i) as string;
		let message: AgentMessage;
		try {
			const built = buildMessage(type, (name, fallback) => read(name, i, fallback), { defaultCountry: options.defaultCountry });
			// A JSON AgentMessage may carry traffic type and expiry too: see combineFields for the rule.
			message = { contentMessage: built.contentMessage, ...combineFields(fromOptions, built.fields) };
			checkMessageSize(message);
		} catch (error) {
			if (error instanceof ContentError) throw new NodeOperationError(node, `Item ${i + 1}: ${error.message}`, inputErrorOptions(i, error.field));
			throw new NodeOperationError(node, error as Error, { itemIndex: i });
		}
		const messageId = deriveId('message', { executionId, nodeId: node.id, runIndex, itemIndex: i }, agentId, options.idempotencyKey);

		const response = await client.request({
			method: 'POST',
			path: `/v1/phones/${phoneNumber}/agentMessages`,
			qs: { messageId, agentId },
			body: message as unknown as IDataObject,
			handledStatuses: [404, 409],
			operation: 'send',
			agentId,
			itemIndex: i,
		});
		if (response.statusCode === 404) {
			const { code, status, message: text } = response.error!;
			return { output: OUTPUT_NOT_REACHABLE, json: { phoneNumber: phoneNumber, agentId, messageId, error: { code, status, message: text } } };
		}
		if (response.statusCode === 409) {
			// RBM has our id already (an earlier try or run got through): accepted, not an error.
			return {
				output: OUTPUT_SENT,
				json: { name: `phones/${phoneNumber}/agentMessages/${messageId}`, messageId, phoneNumber: phoneNumber, agentId, alreadyAccepted: true },
			};
		}
		return { output: OUTPUT_SENT, json: { ...(response.body as IDataObject), messageId, phoneNumber: phoneNumber, agentId } };
	});
}
