/** Tester › List: every tester of an agent, one item each (testers.list takes only agentId: no pages). */
import type { IDataObject } from 'n8n-workflow';

import { readAgentId } from '../../../shared/itemInputs';
import { businessRequest, listOperation } from '../business';
import { agentIdField } from '../common';

export const list = listOperation('tester', 'list', [agentIdField], async (ctx, i, run) => {
	const agentId = readAgentId(ctx, i, run.read);
	const response = await businessRequest(run.client(i), { method: 'GET', path: '/v1/testers', qs: { agentId }, operation: 'tester list', agentId, itemIndex: i });
	const testers = (response.body as { testers?: unknown }).testers;
	return (Array.isArray(testers) ? (testers as IDataObject[]) : []).map((t) => ({ ...t, agentId, accepted: t.inviteStatus === 'ACCEPTED' }));
});
