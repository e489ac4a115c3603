/** Tester › Invite: invite a phone to test an agent (Business Communications testers.create). */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { Operation, RunContext } from '../../../shared/operation';
import { recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { businessRequest } from '../business';
import { agentIdField, forOperation, optionsField, phoneNumberField } from '../common';

/** Google's limits on tester invites (429 RESOURCE_EXHAUSTED past them). */
export const INVITE_LIMIT_HINT =
	'Google allows 20 tester invites a day and 200 in all per agent. Invite the rest tomorrow; if the agent has used its 200, testing more phones needs the agent launched. Not retried: this limit does not pass in seconds.';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const { client, phoneNumber, agentId } = recipient(this, i, run);
	const response = await businessRequest(client, {
		method: 'POST',
		path: '/v1/testers',
		body: { agentId, phoneNumber },
		handledStatuses: [409],
		noRetry: [429],
		hints: { 429: INVITE_LIMIT_HINT },
		operation: 'tester invite',
		agentId,
		itemIndex: i,
	});
	if (response.statusCode === 409) return succeeded({ phoneNumber, agentId, invited: true, alreadyInvited: true });
	return succeeded({ phoneNumber, agentId, invited: true, alreadyInvited: false }, response.body);
}

export const invite: Operation = {
	outputs: 1,
	execute,
	nouns: { one: 'invite', many: 'invites' },
	description: forOperation('tester', 'invite', [
		{ ...phoneNumberField, description: `The phone to invite. Its owner gets an invitation in Google Messages and must accept it. ${phoneNumberField.description ?? ''}` },
		agentIdField,
		optionsField(),
	]),
};
