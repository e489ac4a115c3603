/** Tester › List: every tester of an agent, one item each. */
import { readAgentId } from '../../../shared/itemInputs';
import { listOperation, listPages } from '../business';
import { agentIdField } from '../common';

export const list = listOperation('tester', 'list', [agentIdField], async (ctx, i, run) => {
	const agentId = readAgentId(ctx, i, run.read);
	const testers = await listPages(run.client(i), { path: '/v1/testers', qs: { agentId }, operation: 'tester list', agentId, itemIndex: i }, 'testers');
	return testers.map((t) => ({ ...t, agentId, accepted: t.inviteStatus === 'ACCEPTED' }));
});
