/** The RBM node's operations by resource, and the route from the node's parameters to one of them. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Operation } from '../../shared/operation';
import { runOperation } from '../../shared/operation';
import { check } from './capability/check.operation';
import { checkBulk } from './capability/checkBulk.operation';
import { markRead } from './event/markRead.operation';
import { sendTyping } from './event/sendTyping.operation';
import { upload } from './file/upload.operation';
import { revoke } from './message/revoke.operation';
import { getLaunch } from './agent/launch.operation';
import { getVerification } from './agent/verification.operation';
import { agentPerformance } from './analytics/agentPerformance.operation';
import { list as listRegions } from './region/list.operation';
import { get as getTester } from './tester/get.operation';
import { invite } from './tester/invite.operation';
import { list as listTesters } from './tester/list.operation';
import { remove } from './tester/remove.operation';

/** Every resource with its operations (as n8n's own nodes type theirs in node.type.ts). */
export type RbmNodeOperations = {
	capability: 'check' | 'checkBulk';
	message: 'revoke';
	event: 'sendTyping' | 'markRead';
	file: 'upload';
	tester: 'invite' | 'get' | 'list' | 'remove';
	agent: 'getLaunch' | 'getVerification';
	region: 'list';
	analytics: 'agentPerformance';
};

export const operations: { [R in keyof RbmNodeOperations]: Record<RbmNodeOperations[R], Operation> } = {
	capability: { check, checkBulk },
	message: { revoke },
	event: { sendTyping, markRead },
	file: { upload },
	tester: { invite, get: getTester, list: listTesters, remove },
	agent: { getLaunch, getVerification },
	region: { list: listRegions },
	analytics: { agentPerformance },
};

/** Operations that route unreachable phones to a second output. */
export const TWO_OUTPUT_OPERATIONS = Object.values(operations).flatMap((ops: Record<string, Operation>) =>
	Object.entries(ops)
		.filter(([, op]) => op.outputs === 2)
		.map(([name]) => name),
);

function operationOf(resource: string, operation: string): Operation | undefined {
	const byResource = (operations as Record<string, Record<string, Operation> | undefined>)[resource];
	return byResource && Object.prototype.hasOwnProperty.call(byResource, operation) ? byResource[operation] : undefined;
}

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationOf(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of resource "${resource}" is not known to this version of the node`);
	}
	return await runOperation.call(this, operation);
}
