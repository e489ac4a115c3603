/** Reads resource and operation once and runs the operation over the items. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { clientForRun, runSettings } from '../../shared/itemInputs';
import { parameterReader } from '../../shared/parameters';
import { runItems } from '../../shared/runItems';
import type { Operation, RunContext } from './common';
import { check } from './capability/check.operation';
import { checkBulk } from './capability/checkBulk.operation';
import { markRead } from './event/markRead.operation';
import { sendTyping } from './event/sendTyping.operation';
import { upload } from './file/upload.operation';
import { revoke } from './message/revoke.operation';

export const operations: Record<string, Record<string, Operation>> = {
	capability: { check, checkBulk },
	message: { revoke },
	event: { sendTyping, markRead },
	file: { upload },
};

/** Operations that route unreachable phones to a second output. */
export const TWO_OUTPUT_OPERATIONS = Object.values(operations).flatMap((ops) => Object.entries(ops).filter(([, op]) => op.outputs === 2).map(([name]) => name));

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of resource "${resource}" is not known to this version of the node`);
	}
	const { concurrency, policy } = runSettings(this);
	const run: RunContext = {
		client: await clientForRun(this, policy, concurrency),
		read: parameterReader(this),
		executionId: this.getExecutionId(),
		runIndex: this.getWorkflowDataProxy(0).$runIndex,
	};
	if (operation.executeBatch) return await operation.executeBatch.call(this, run);
	const execute = operation.execute!;
	return await runItems(this, { outputs: operation.outputs, concurrency }, async (i) => await execute.call(this, i, run));
}
