/** Types and fields every operation of the RBM node shares. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemOutcome } from '../../shared/runItems';
import type { RbmClient } from '../../shared/transport/request';

export interface RunContext {
	client: (itemIndex: number) => RbmClient;
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

export const phoneNumberField: INodeProperties = {
	displayName: 'Phone Number',
	name: 'phoneNumber',
	type: 'string',
	required: true,
	default: '',
	placeholder: '+16505550123',
	description: 'The phone, in international format (E.164); spaces, dashes and brackets are fine',
};

export const agentIdField: INodeProperties = {
	displayName: 'Agent ID',
	name: 'agentId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'my-agent',
	description: 'The RBM agent, without "@rbm.goog" (it is removed if present)',
};

export const runOptionFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 10,
		description: 'How many requests are in flight at once. Outputs keep the input order.',
	},
	{
		displayName: 'Default Country',
		name: 'defaultCountry',
		type: 'string',
		default: '',
		placeholder: 'US',
		description: 'Two-letter country code used for numbers written without a country code',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 5,
		description: 'Retries for 429, 5xx, timeouts and dropped connections, with backoff that honours Retry-After',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: 30000,
		description: 'How long to wait for RBM to answer one request before retrying it',
	},
];

export function optionsField(extra: INodeProperties[] = [], without: string[] = []): INodeProperties {
	const options = [...runOptionFields.filter((o) => !without.includes(o.name)), ...extra].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}
