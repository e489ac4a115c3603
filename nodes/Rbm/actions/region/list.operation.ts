/** Region › List: the regions (carriers, or Google-managed countries) an agent can launch on. */
import type { IDataObject } from 'n8n-workflow';

import { businessRequest, listOperation } from '../business';

export const list = listOperation('region', 'list', [], async (_ctx, i, run) => {
	const response = await businessRequest(run.client(i), { method: 'GET', path: '/v1/regions', operation: 'region list', itemIndex: i });
	const regions = (response.body as { regions?: unknown }).regions;
	return Array.isArray(regions) ? (regions as IDataObject[]) : [];
});
