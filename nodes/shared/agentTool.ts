/**
 * The nodes as AI-agent tools. n8n derives a tool form of every node with `usableAsTool` (type name
 * + "Tool": `n8n-nodes-rbm.rbmSendMessageTool`, `n8n-nodes-rbm.rbmTool`) and gives the model only
 * the tool's first output, so a phone on "Not Reachable" would come back to the model as an empty
 * result (docs/ai-agent-tool.md). As a tool, a node therefore answers with one output; a message
 * held back by RBM Send Message's Send Window says so, and until when (docs/send-window.md).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { OUTPUT_DEFERRED, OUTPUT_NOT_REACHABLE } from './operation';

/** What the model reads for a phone RCS cannot reach (RBM's 404), next to Google's error. */
export const NOT_REACHABLE_HINT =
	'The phone cannot be reached over RCS (RBM answered 404: no RCS, RCS turned off, or the agent is not launched on its carrier). Nothing was sent; use another channel, such as SMS.';

/** What the model reads for a recipient skipped by Options › Skip (Suppressed) (docs/send-message.md › Suppression). */
export const SUPPRESSED_HINT = 'Not sent: this person is suppressed (for example on the opt-out list). Do not message them on any channel.';

/** What the model reads for a message the Send Window held back (the "Deferred" output). */
export function deferredHint(json: IDataObject): string {
	return (
		`Not sent: it is outside the send window for the recipient, whose time zone is ${String(json.timeZone)}. ` +
		`The window opens at ${String(json.deferredUntilLocal)} (${String(json.deferredUntil)}); send it then, or tell the user it will go then.`
	);
}

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
 * hint for the model, those of "Deferred" with `sent: false`, `deferred: true` and a hint. Outside an agent the outputs stay as they are.
 */
export function forAgentTool(ctx: IExecuteFunctions, outputs: INodeExecutionData[][]): INodeExecutionData[][] {
	if (!runsAsAgentTool(ctx)) return outputs;
	const items = outputs.flatMap((output, index) => {
		if (index === OUTPUT_NOT_REACHABLE) return output.map((item) => ({ ...item, json: { ...item.json, reachable: false, hint: NOT_REACHABLE_HINT } }));
		if (index === OUTPUT_DEFERRED) return output.map((item) => ({ ...item, json: { ...item.json, sent: false, deferred: true, hint: deferredHint(item.json) } }));
		// Options › Skip (Suppressed): on "Sent" but not sent; the model must not say it was.
		return output.map((item) => (item.json.suppressed === true ? { ...item, json: { ...item.json, hint: SUPPRESSED_HINT } } : item));
	});
	// A stable sort: the items of one input (a Check Many list) keep their order.
	return [
		items
			.map((item, index) => ({ item, index }))
			.sort((a, b) => firstInput(a.item) - firstInput(b.item) || a.index - b.index)
			.map(({ item }) => item),
	];
}
