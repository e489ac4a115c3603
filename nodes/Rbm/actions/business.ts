/**
 * What the Business Communications operations (Tester, Agent, Region, Analytics) share: the call
 * to businesscommunications.googleapis.com, paging, list operations with one output item per row,
 * and their fields.
 * Reference: https://developers.google.com/business-communications/rcs-business-messaging/reference/business-communications/rest/v1
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { inputError, readAgentId } from '../../shared/itemInputs';
import type { Operation, RunContext } from '../../shared/operation';
import { OUTPUT_SUCCESS } from '../../shared/operation';
import type { BatchResult } from '../../shared/runItems';
import { errorObject, runBatch } from '../../shared/runItems';
import type { RbmClient, RbmRequest, RbmResponse } from '../../shared/transport/request';
import { forOperation, optionsField } from './common';

/** One call to the Business Communications API (same credential and token as RBM). */
export async function businessRequest(client: RbmClient, req: Omit<RbmRequest, 'api'>): Promise<RbmResponse> {
	return await client.request({ ...req, api: 'businesscommunications' });
}

/** Pages are read until there is no next page, `limit` rows are in, or this many pages (a bound). */
const MAX_PAGES = 10_000;
/** The largest page Google serves (analytics.agentPerformances.list: 1,000). */
const MAX_PAGE_SIZE = 1000;

/** Every row of a paged list (`key` holds the rows, `nextPageToken` the next page), at most `limit` of them. */
export async function listPages(
	client: RbmClient,
	req: Omit<RbmRequest, 'api' | 'method'>,
	key: string,
	limit?: number,
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	let pageToken: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const pageSize = String(Math.min(MAX_PAGE_SIZE, limit === undefined ? MAX_PAGE_SIZE : limit - rows.length));
		const qs = { ...req.qs, pageSize, ...(pageToken ? { pageToken } : {}) };
		const response = await businessRequest(client, { ...req, method: 'GET', qs });
		const body = response.body as IDataObject;
		const got = Array.isArray(body[key]) ? (body[key] as IDataObject[]) : [];
		rows.push(...got);
		const next = typeof body.nextPageToken === 'string' && body.nextPageToken !== '' ? body.nextPageToken : undefined;
		if (!next || next === pageToken || (limit !== undefined && rows.length >= limit)) break;
		pageToken = next;
	}
	return limit === undefined ? rows : rows.slice(0, limit);
}

/**
 * An operation that lists: every input item gives zero or more output items (one per row), each
 * paired with it. With Continue On Fail a failing item gives one error item and the others go on.
 */
export function listOperation(
	resource: string,
	operation: string,
	fields: INodeProperties[],
	list: (ctx: IExecuteFunctions, i: number, run: RunContext) => Promise<IDataObject[]>,
): Operation {
	return {
		outputs: 1,
		description: forOperation(resource, operation, [...fields, optionsField([], ['concurrency', 'defaultCountry', 'maxPerSecond'])]),
		async executeBatch(this: IExecuteFunctions, run: RunContext) {
			const continueOnFail = this.continueOnFail();
			return await runBatch(this, { outputs: 1 }, (i) => i, async (prepared) => {
				const results: BatchResult[] = [];
				for (const { index } of prepared) {
					try {
						for (const json of await list(this, index, run)) results.push({ output: OUTPUT_SUCCESS, json, items: [index] });
					} catch (caught) {
						const error = caught instanceof NodeApiError || caught instanceof NodeOperationError ? caught : new NodeOperationError(run.node, String(caught), { itemIndex: index });
						if (!continueOnFail) throw error;
						results.push({ output: OUTPUT_SUCCESS, json: { ...this.getInputData()[index]?.json, error: errorObject(error, index) }, items: [index] });
					}
				}
				return results;
			});
		},
	};
}

export const returnAllFields: INodeProperties[] = [
	{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, description: 'Whether to return all results or only up to a given limit' },
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

/** Return All → no limit; else the Limit, checked. */
export function readLimit(ctx: IExecuteFunctions, i: number, run: RunContext): number | undefined {
	if (run.read('returnAll', i, false) === true) return undefined;
	const limit = run.read('limit', i, 50);
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw inputError(ctx, i, 'Limit must be a whole number of 1 or more', 'limit');
	return limit;
}

export const brandIdField: INodeProperties = {
	displayName: 'Brand ID',
	name: 'brandId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1a2b3c4d-…',
	description: 'The brand the agent belongs to: the part after "brands/" in the agent\'s name (Business Communications Developer Console › agent › Agent information)',
};

export function readBrandId(ctx: IExecuteFunctions, i: number, run: RunContext): string {
	const raw = run.read('brandId', i, '');
	const brand = typeof raw === 'string' ? raw.trim().replace(/^brands\//, '').replace(/\/.*$/, '') : '';
	if (!/^[A-Za-z0-9._~-]{1,128}$/.test(brand)) throw inputError(ctx, i, 'Brand ID is missing or malformed: use the id after "brands/" in the agent\'s name', 'brandId');
	return brand;
}

/** The item's agent as Business Communications names it: brands/{brandId}/agents/{agentId}, with its API path. */
export function readAgentName(ctx: IExecuteFunctions, i: number, run: RunContext): { brandId: string; agentId: string; path: string } {
	const brandId = readBrandId(ctx, i, run);
	const agentId = readAgentId(ctx, i, run.read);
	return { brandId, agentId, path: `/v1/brands/${encodeURIComponent(brandId)}/agents/${encodeURIComponent(agentId)}` };
}
