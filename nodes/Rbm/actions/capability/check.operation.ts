/** Capability › Check: is one phone reachable over RCS, and with which features. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { newRequestId } from '../../../shared/ids';
import type { Operation, RunContext } from '../../../shared/operation';
import { notReachable, recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import { agentIdField, forOperation, optionsField, phoneNumberField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const { client, phoneNumber, agentId } = recipient(this, i, run);
	// RBM ignores a repeated requestId, so one id per item, reused only by our own retries.
	const requestId = newRequestId();
	const response = await client.request({
		method: 'GET',
		path: `/v1/phones/${phoneNumber}/capabilities`,
		qs: { requestId, agentId },
		handledStatuses: [404],
		operation: 'capability check',
		agentId,
		itemIndex: i,
	});
	if (response.statusCode === 404) return notReachable({ phoneNumber, agentId, reachable: false }, response);
	const body = response.body as IDataObject;
	return succeeded({ phoneNumber, agentId, reachable: true }, { features: [], ...body });
}

export const check: Operation = {
	outputs: 2,
	execute,
	description: forOperation('capability', 'check', [phoneNumberField, agentIdField, optionsField()]),
};
