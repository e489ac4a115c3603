/** Agent events (typing indicator, read receipt), with the same exactly-once ids as messages. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { deriveId } from '../../../shared/ids';
import type { RecipientOptions, RunContext } from '../../../shared/operation';
import { notReachable, recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';

export async function sendAgentEvent(
	this: IExecuteFunctions,
	i: number,
	run: RunContext,
	event: { eventType: 'IS_TYPING' | 'READ'; messageId?: string },
): Promise<ItemOutcome> {
	const { client, options, phoneNumber, agentId } = recipient<RecipientOptions & { idempotencyKey?: string }>(this, i, run);
	const eventId = deriveId('event', { executionId: run.executionId, nodeId: run.node.id, runIndex: run.runIndex, itemIndex: i }, agentId, options.idempotencyKey);
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
	if (response.statusCode === 404) return notReachable(base, response);
	// RBM has this event id already (an earlier try or run got through): accepted, not an error.
	if (response.statusCode === 409) return succeeded({ ...base, alreadyAccepted: true });
	return succeeded(base, response.body);
}
