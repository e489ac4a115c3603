/** Capability › Check: is one phone reachable over RCS, and with which features. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { newRequestId } from '../../../shared/ids';
import { readAgentId, readPhone } from '../../../shared/itemInputs';
import type { ItemOutcome } from '../../../shared/runItems';
import type { Operation, RunContext } from '../common';
import { agentIdField, forOperation, optionsField, OUTPUT_NOT_REACHABLE, OUTPUT_SUCCESS, phoneNumberField } from '../common';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const client = run.client(i);
	const options = run.read('options', i, {}) as { defaultCountry?: string };
	const phoneNumber = readPhone(this, i, options.defaultCountry, run.read);
	const agentId = readAgentId(this, i, run.read);
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
	if (response.statusCode === 404) {
		const { code, status, message } = response.error!;
		return { output: OUTPUT_NOT_REACHABLE, json: { phoneNumber, agentId, reachable: false, error: { code, status, message } } };
	}
	const body = response.body as IDataObject;
	return { output: OUTPUT_SUCCESS, json: { phoneNumber, agentId, reachable: true, features: body.features ?? [], ...body } };
}

export const check: Operation = {
	outputs: 2,
	execute,
	description: forOperation('capability', 'check', [phoneNumberField, agentIdField, optionsField()]),
};
