/** Tester › Get: a phone's tester invite and its status (PENDING, ACCEPTED, DECLINED). */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { Operation, RunContext } from '../../../shared/operation';
import { recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { businessRequest } from '../business';
import { agentIdField, forOperation, optionsField, phoneNumberField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const { client, phoneNumber, agentId } = recipient(this, i, run);
	const response = await businessRequest(client, {
		method: 'GET',
		path: `/v1/testers/${phoneNumber}`,
		qs: { agentId },
		handledStatuses: [404],
		operation: 'tester lookup',
		agentId,
		itemIndex: i,
	});
	// Never invited (or removed): a result a readiness check branches on, not a failure.
	if (response.statusCode === 404) return succeeded({ phoneNumber, agentId, invited: false, accepted: false, inviteStatus: 'NOT_INVITED' });
	const body = response.body as { inviteStatus?: unknown };
	return succeeded({ phoneNumber, agentId, invited: true, accepted: body.inviteStatus === 'ACCEPTED' }, body);
}

export const get: Operation = {
	outputs: 1,
	execute,
	nouns: { one: 'lookup', many: 'lookups' },
	description: forOperation('tester', 'get', [phoneNumberField, agentIdField, optionsField()]),
};
