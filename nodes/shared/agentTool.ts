/**
 * The nodes as AI-agent tools. n8n derives a tool form of every node with `usableAsTool` (type name
 * + "Tool": `n8n-nodes-rbm.rbmSendMessageTool`, `n8n-nodes-rbm.rbmTool`) and gives the model only
 * the tool's first output, so a phone on "Not Reachable" would come back to the model as an empty
 * result (docs/ai-agent-tool.md). As a tool, a node therefore answers with one output.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { OUTPUT_NOT_REACHABLE } from './operation';

/** What the model reads for a phone RCS cannot reach (RBM's 404), next to Google's error. */
export const NOT_REACHABLE_HINT =
	'The phone cannot be reached over RCS (RBM answered 404: no RCS, RCS turned off, or the agent is not launched on its carrier). Nothing was sent; use another channel, such as SMS.';

/** Whether n8n runs the node as an AI-agent tool, whichever way the agent calls it (docs/ai-agent-tool.md). */
export function runsAsAgentTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool') || (typeof ctx.isToolExecution === 'function' && ctx.isToolExecution());
}

function firstInput(item: INodeExecutionData): number {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : (paired?.item ?? Number.MAX_SAFE_INTEGER);
}

/**
 * One output: every item in input order, those of "Not Reachable" with `reachable: false` and a
 * hint for the model. Outside an agent the outputs stay as they are.
 */
export function forAgentTool(ctx: IExecuteFunctions, outputs: INodeExecutionData[][]): INodeExecutionData[][] {
	if (!runsAsAgentTool(ctx)) return outputs;
	const items = outputs.flatMap((output, index) =>
		index === OUTPUT_NOT_REACHABLE ? output.map((item) => ({ ...item, json: { ...item.json, reachable: false, hint: NOT_REACHABLE_HINT } })) : output,
	);
	// A stable sort: the items of one input (a Check Many list) keep their order.
	return [
		items
			.map((item, index) => ({ item, index }))
			.sort((a, b) => firstInput(a.item) - firstInput(b.item) || a.index - b.index)
			.map(({ item }) => item),
	];
}
