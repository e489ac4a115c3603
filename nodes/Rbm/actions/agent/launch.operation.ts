/** Agent › Get Launch State: per region, whether the agent is launched (brands.agents.getLaunch). */
import type { IDataObject } from 'n8n-workflow';

import { brandIdField, businessRequest, listOperation, readAgentName } from '../business';
import { agentIdField } from '../common';

/** One item per region: { region, launchState, launched, comment, updateTime }, or none before any launch request. */
export const getLaunch = listOperation('agent', 'getLaunch', [brandIdField, agentIdField], async (ctx, i, run) => {
	const { brandId, agentId, path } = readAgentName(ctx, i, run);
	const response = await businessRequest(run.client(i), {
		method: 'GET',
		path: `${path}/launch`,
		operation: 'launch state lookup',
		agentId,
		itemIndex: i,
	});
	const rbm = (response.body as { rcsBusinessMessaging?: { launchDetails?: Record<string, IDataObject> } }).rcsBusinessMessaging;
	return Object.entries(rbm?.launchDetails ?? {}).map(([region, detail]) => ({
		brandId,
		agentId,
		region,
		...detail,
		launched: detail.launchState === 'LAUNCH_STATE_LAUNCHED',
	}));
});
