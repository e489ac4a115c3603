/** Message › Send (the RBM Send Message node): one checked AgentMessage per item, sent once, routed to Sent or Not Reachable. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { combineFields, optionFields } from '../../../shared/content/agentMessageFields';
import { checkMessageSize } from '../../../shared/content/limits';
import { buildMessage } from '../../../shared/content/message';
import type { AgentMessage } from '../../../shared/content/types';
import { ContentError } from '../../../shared/content/types';
import { deriveId } from '../../../shared/ids';
import { inputErrorOptions } from '../../../shared/itemInputs';
import type { Operation, RecipientOptions, RunContext } from '../../../shared/operation';
import { notReachable, recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { sendMessageProperties } from '../../description';

export interface SendOptions extends RecipientOptions {
	messageTrafficType?: string;
	ttl?: number;
	expireTime?: string;
	idempotencyKey?: string;
}

/** The item's AgentMessage: content (checked once, in buildMessage), Options' and JSON's fields, size. */
function messageOf(i: number, run: RunContext, options: SendOptions): AgentMessage {
	try {
		const fromOptions = optionFields(options);
		const built = buildMessage(run.read('messageType', i) as string, (name, fallback) => run.read(name, i, fallback), { defaultCountry: options.defaultCountry });
		// A JSON AgentMessage may carry traffic type and expiry too: see combineFields for the rule.
		const message: AgentMessage = { contentMessage: built.contentMessage, ...combineFields(fromOptions, built.fields) };
		checkMessageSize(message);
		return message;
	} catch (error) {
		if (error instanceof ContentError) throw new NodeOperationError(run.node, `Item ${i + 1}: ${error.message}`, inputErrorOptions(i, error.field));
		throw new NodeOperationError(run.node, error as Error, { itemIndex: i });
	}
}

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const { client, options, phoneNumber, agentId } = recipient<SendOptions>(this, i, run);
	const message = messageOf(i, run, options);
	const messageId = deriveId('message', { executionId: run.executionId, nodeId: run.node.id, runIndex: run.runIndex, itemIndex: i }, agentId, options.idempotencyKey);
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
	const base = { messageId, phoneNumber, agentId };
	if (response.statusCode === 404) return notReachable(base, response);
	// RBM has our id already (an earlier try or run got through): accepted, not an error.
	if (response.statusCode === 409) return succeeded({ name: `phones/${phoneNumber}/agentMessages/${messageId}`, ...base, alreadyAccepted: true });
	return succeeded(base, response.body);
}

export const send: Operation = {
	outputs: 2,
	execute,
	description: sendMessageProperties,
};
