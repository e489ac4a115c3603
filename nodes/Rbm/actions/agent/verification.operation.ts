/** Agent › Get Verification State: whether the brand's verification of the agent is done (brands.agents.getVerification). */
import type { IExecuteFunctions } from 'n8n-workflow';

import { readAgentId } from '../../../shared/itemInputs';
import type { Operation, RunContext } from '../../../shared/operation';
import { succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { brandIdField, businessRequest, readBrandId } from '../business';
import { agentIdField, forOperation, optionsField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const brandId = readBrandId(this, i, run);
	const agentId = readAgentId(this, i, run.read);
	const response = await businessRequest(run.client(i), {
		method: 'GET',
		path: `/v1/brands/${encodeURIComponent(brandId)}/agents/${encodeURIComponent(agentId)}/verification`,
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
