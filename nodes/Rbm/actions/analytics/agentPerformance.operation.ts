/**
 * Analytics › Get Agent Performance (analytics.agentPerformances.list): one item per agent and
 * country with its reputation, traffic limit (messages per user per month), spam trends and
 * unsubscribe reasons. A daily snapshot; countries without enough data have no row.
 */
import { listOperation, listPages, readLimit, returnAllFields } from '../business';

export const agentPerformance = listOperation('analytics', 'agentPerformance', returnAllFields, async (ctx, i, run) => {
	const limit = readLimit(ctx, i, run);
	return await listPages(run.client(i), { path: '/v1/analytics/agentPerformances', operation: 'agent performance list', itemIndex: i }, 'agentPerformances', limit);
});
