/** Agent events (typing indicator, read receipt), with the same exactly-once ids as messages. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { deriveId } from '../../../shared/ids';
import { readAgentId, readPhone } from '../../../shared/itemInputs';
import type { ItemOutcome } from '../../../shared/runItems';
import type { RunContext } from '../common';
import { OUTPUT_NOT_REACHABLE, OUTPUT_SUCCESS } from '../common';

export async function sendAgentEvent(
	this: IExecuteFunctions,
	i: number,
	run: RunContext,
	event: { eventType: 'IS_TYPING' | 'READ'; messageId?: string },
): Promise<ItemOutcome> {
	const client = run.client(i);
	const options = run.read('options', i, {}) as { defaultCountry?: string; idempotencyKey?: string };
	const phoneNumber = readPhone(this, i, options.defaultCountry, run.read);
	const agentId = readAgentId(this, i, run.read);
	const eventId = deriveId('event', { executionId: run.executionId, nodeId: this.getNode().id, runIndex: run.runIndex, itemIndex: i }, agentId, options.idempotencyKey);
	const response = await client.request({
		method: 'POST',
		path: `/v1/phones/${phoneNumber}/agentEvents`,
		qs: { eventId, agentId },
		body: { eventType: event.eventType, ...(event.messageId ? { messageId: event.messageId } : {}) },
		handledStatuses: [404, 409],
		operation: event.eventType === 'READ' ? 'read receipt' : 'typing indicator',
		agentId,
		itemIndex: i,
	});
	const base = { phoneNumber, agentId, eventId, eventType: event.eventType, ...(event.messageId ? { messageId: event.messageId } : {}) };
	if (response.statusCode === 404) {
		const { code, status, message } = response.error!;
		return { output: OUTPUT_NOT_REACHABLE, json: { ...base, error: { code, status, message } } };
	}
	if (response.statusCode === 409) return { output: OUTPUT_SUCCESS, json: { ...base, alreadyAccepted: true } };
	return { output: OUTPUT_SUCCESS, json: { ...(response.body as object), ...base } };
}
