/** Types and fields every operation of the RBM node shares. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ParameterReader } from '../../shared/parameters';
import type { ItemOutcome } from '../../shared/runItems';
import type { RbmClient } from '../../shared/transport/request';

export interface RunContext {
	client: (itemIndex: number) => RbmClient;
	/** Reads a parameter for an item; expression-free parameters are resolved once per run. */
	read: ParameterReader;
	executionId: string | undefined;
	runIndex: number;
}

/** One item in, one outcome out; the router runs these with bounded concurrency. */
export type ItemOperation = (this: IExecuteFunctions, itemIndex: number, run: RunContext) => Promise<ItemOutcome>;

/** An operation that needs all items at once (bulk capability check). */
export type BatchOperation = (this: IExecuteFunctions, run: RunContext) => Promise<import('n8n-workflow').INodeExecutionData[][]>;

export interface Operation {
	description: INodeProperties[];
	execute?: ItemOperation;
	executeBatch?: BatchOperation;
	/** Output count: 2 when the operation routes unreachable phones to "Not Reachable". */
	outputs: 1 | 2;
}

export const OUTPUT_SUCCESS = 0;
export const OUTPUT_NOT_REACHABLE = 1;

export function forOperation(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, properties);
}

export { agentIdField, optionsField, phoneNumberField } from '../../shared/fields';

/** The id of a message an operation acts on; `description` says whose. */
export function messageIdField(description: string): INodeProperties {
	return { displayName: 'Message ID', name: 'messageId', type: 'string', required: true, default: '', placeholder: '={{ $json.messageId }}', description };
}
