/** Message › Revoke: take back a message that has not been delivered yet. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError, readAgentId, readPhone } from '../../../shared/itemInputs';
import type { ItemOutcome } from '../../../shared/runItems';
import type { Operation, RunContext } from '../common';
import { agentIdField, forOperation, messageIdField, optionsField, OUTPUT_SUCCESS, phoneNumberField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const client = run.client(i);
	const options = run.read('options', i, {}) as { defaultCountry?: string };
	const phoneNumber = readPhone(this, i, options.defaultCountry, run.read);
	const agentId = readAgentId(this, i, run.read);
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
	if (response.statusCode === 404) {
		// RBM's answer once a message was delivered (or never existed): a result, not a failure.
		const { code, status, message } = response.error!;
		return {
			output: OUTPUT_SUCCESS,
			json: { phoneNumber, agentId, messageId, revoked: false, reason: 'alreadyDeliveredOrUnknown', error: { code, status, message } },
		};
	}
	return { output: OUTPUT_SUCCESS, json: { phoneNumber, agentId, messageId, revoked: true } };
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
