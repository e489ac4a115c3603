/** Tester › Remove: the phone is no longer a tester of the agent. */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { Operation, RunContext } from '../../../shared/operation';
import { recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { businessRequest } from '../business';
import { agentIdField, forOperation, optionsField, phoneNumberField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const { client, phoneNumber, agentId } = recipient(this, i, run);
	const response = await businessRequest(client, {
		method: 'DELETE',
		path: `/v1/testers/${phoneNumber}`,
		qs: { agentId },
		handledStatuses: [404],
		operation: 'tester removal',
		agentId,
		itemIndex: i,
	});
	if (response.statusCode === 404) return succeeded({ phoneNumber, agentId, removed: false, reason: 'notATester' });
	return succeeded({ phoneNumber, agentId, removed: true });
}

export const remove: Operation = {
	outputs: 1,
	execute,
	nouns: { one: 'removal', many: 'removals' },
	description: forOperation('tester', 'remove', [phoneNumberField, agentIdField, optionsField()]),
};
