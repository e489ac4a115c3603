/** Agent › Get Verification State: whether the brand's verification of the agent is done (brands.agents.getVerification). */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { Operation, RunContext } from '../../../shared/operation';
import { succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { brandIdField, businessRequest, readAgentName } from '../business';
import { agentIdField, forOperation, optionsField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const { brandId, agentId, path } = readAgentName(this, i, run);
	const response = await businessRequest(run.client(i), {
		method: 'GET',
		path: `${path}/verification`,
		operation: 'verification state lookup',
		agentId,
		itemIndex: i,
	});
	const body = response.body as { verificationState?: unknown };
	return succeeded({ brandId, agentId, verified: body.verificationState === 'VERIFICATION_STATE_VERIFIED' }, body);
}

export const getVerification: Operation = {
	outputs: 1,
	execute,
	nouns: { one: 'lookup', many: 'lookups' },
	description: forOperation('agent', 'getVerification', [brandIdField, agentIdField, optionsField([], ['defaultCountry', 'maxPerSecond'])]),
};
