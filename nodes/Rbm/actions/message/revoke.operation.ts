/** Message › Revoke: take back a message that has not been delivered yet. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../../shared/itemInputs';
import type { Operation, RunContext } from '../../../shared/operation';
import { googleError, recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { agentIdField, forOperation, messageIdField, optionsField, phoneNumberField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const { client, phoneNumber, agentId } = recipient(this, i, run);
	const raw = run.read('messageId', i, '');
	const messageId = typeof raw === 'string' ? raw.trim().replace(/^.*\/agentMessages\//, '') : '';
	if (!/^[^/\s?#]{1,256}$/.test(messageId)) {
		throw inputError(this, i, 'Message ID is missing or malformed: use the messageId that RBM Send Message output', 'messageId');
	}
	const response = await client.request({
		method: 'DELETE',
		path: `/v1/phones/${phoneNumber}/agentMessages/${encodeURIComponent(messageId)}`,
		qs: { agentId },
		handledStatuses: [404],
		operation: 'revoke',
		agentId,
		itemIndex: i,
	});
	const base = { phoneNumber, agentId, messageId };
	if (response.statusCode === 404) {
		// RBM's answer once a message was delivered (or never existed): a result, not a failure.
		return succeeded({ ...base, revoked: false, reason: 'alreadyDeliveredOrUnknown', error: googleError(response) });
	}
	return succeeded({ ...base, revoked: true });
}

export const revoke: Operation = {
	outputs: 1,
	execute,
	description: forOperation('message', 'revoke', [
		phoneNumberField,
		agentIdField,
		messageIdField('The messageId RBM Send Message returned (or the message\'s full "name")'),
		optionsField(),
	]),
};
