/**
 * Notices in the editor's output panel after a run (n8n execution hints), only when they tell the
 * user something about this run:
 * - items RBM already had (409: same message id as an earlier run) were not sent again, so a second
 *   run of a campaign that "sends nothing" says why instead of looking broken;
 * - phones came out of "Not Reachable" while nothing is connected to that output (their SMS
 *   fallback would be lost);
 * - the Send Window held messages back ("Deferred", docs/send-window.md): how many and when the
 *   first window opens, or a warning when nothing is connected to that output;
 * - people skipped by Options › Skip (Suppressed) (an opt-out list): "N suppressed".
 * n8n shows hints returned by `addExecutionHints` under the node's output:
 * https://docs.n8n.io/integrations/creating-nodes/build/reference/node-base-files/ (hints).
 */
import type { IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

import { OUTPUT_DEFERRED, OUTPUT_NOT_REACHABLE, OUTPUT_SUCCESS } from './outputs';

/** What the notices call the things the operation sends. */
export interface HintNouns {
	one: string;
	many: string;
}

const MESSAGES: HintNouns = { one: 'message', many: 'messages' };

/** One connection into a node, as n8n-core's execute context reports it (`getConnections`). */
interface SourceConnection {
	node: string;
	index: number;
}

/** n8n-core's execute context has `getConnections` (n8n ≥ 1.x); the typed interface does not declare it. */
type WithConnections = IExecuteFunctions & {
	getConnections?: (destination: { name: string }, connectionType: string) => Array<SourceConnection[] | null>;
};

/**
 * Whether anything is connected to output `outputIndex` of the running node. Undefined when this
 * n8n cannot tell (no `getConnections`): callers then stay quiet rather than guess.
 */
export function isOutputConnected(ctx: IExecuteFunctions, nodeName: string, outputIndex: number): boolean | undefined {
	const getConnections = (ctx as WithConnections).getConnections;
	if (typeof getConnections !== 'function') return undefined;
	const children = ctx.getChildNodes(nodeName);
	return children.some((child) =>
		(getConnections.call(ctx, { name: child.name }, 'main') ?? []).some((input) => (input ?? []).some((c) => c.node === nodeName && c.index === outputIndex)),
	);
}

const plural = (n: number, nouns: HintNouns): string => (n === 1 ? nouns.one : nouns.many);

/** The hints for one run's outputs (exported for tests; `addRunHints` adds them to the run). */
export function runHints(
	outputs: INodeExecutionData[][],
	notReachableConnected: boolean | undefined,
	nouns: HintNouns = MESSAGES,
	deferredConnected?: boolean,
): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	const sent = outputs[OUTPUT_SUCCESS] ?? [];
	const already = sent.filter((item) => item.json.alreadyAccepted === true).length;
	if (already > 0) {
		const total = outputs.reduce((n, items) => n + (items?.length ?? 0), 0);
		hints.push({
			type: 'info',
			location: 'outputPane',
			message:
				`${already} of ${total} ${plural(total, nouns)} had been sent before with the same ids: not sent again ` +
				`(they are marked "alreadyAccepted": true). To send them as new ${nouns.many}, change Options › Idempotency Key, e.g. add the date.`,
		});
	}
	// RBM Send Message's Options › Skip (Suppressed): people on an opt-out list, not sent to (docs/send-message.md › Suppression).
	const suppressed = sent.filter((item) => item.json.suppressed === true).length;
	if (suppressed > 0) {
		hints.push({
			type: 'info',
			location: 'outputPane',
			message: `${suppressed} suppressed: not sent, because Options › Skip (Suppressed) was true for them. They came out of "Sent" marked "suppressed": true and "sent": false.`,
		});
	}
	const unreachable = outputs[OUTPUT_NOT_REACHABLE]?.length ?? 0;
	if (unreachable > 0 && notReachableConnected === false) {
		hints.push({
			type: 'warning',
			location: 'outputPane',
			message:
				`${unreachable} ${unreachable === 1 ? 'phone' : 'phones'} cannot be reached over RCS and came out of "Not Reachable", ` +
				'which is connected to nothing: connect an SMS node there so they still get the message.',
		});
	}
	const deferred = outputs[OUTPUT_DEFERRED] ?? [];
	if (deferred.length > 0) {
		const they = `${deferred.length} ${plural(deferred.length, nouns)}`;
		// deferredUntil is ISO UTC ("2026-12-01T02:00:00Z"): shown as "2026-12-01 02:00 UTC".
		const first = deferred
			.map((item) => String(item.json.deferredUntil))
			.sort()[0]
			.replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\dZ$/, '$1 $2 UTC');
		hints.push(
			deferredConnected === false
				? {
						type: 'warning',
						location: 'outputPane',
						message:
							`${they} were not sent: the Send Window was closed for their recipients. They came out of "Deferred", which is connected to nothing: ` +
							'connect a Wait node (Resume: At Specified Time, {{ $json.deferredUntil }}) that leads back into this node, or store them to send later.',
					}
				: { type: 'info', location: 'outputPane', message: `${they} were not sent yet: the Send Window was closed for their recipients. They came out of "Deferred"; the first window opens at ${first}.` },
		);
	}
	return hints;
}

/** Adds this run's hints (if any) to the node's output panel. */
export function addRunHints(ctx: IExecuteFunctions, outputs: INodeExecutionData[][], nouns?: HintNouns): void {
	const twoOutputs = outputs.length > OUTPUT_NOT_REACHABLE;
	const connected = twoOutputs && (outputs[OUTPUT_NOT_REACHABLE]?.length ?? 0) > 0 ? isOutputConnected(ctx, ctx.getNode().name, OUTPUT_NOT_REACHABLE) : undefined;
	const deferredConnected = (outputs[OUTPUT_DEFERRED]?.length ?? 0) > 0 ? isOutputConnected(ctx, ctx.getNode().name, OUTPUT_DEFERRED) : undefined;
	const hints = runHints(outputs, connected, nouns, deferredConnected);
	// Contexts without hints (n8n before 1.x, some tool wrappers) just don't show them.
	if (hints.length > 0 && typeof ctx.addExecutionHints === 'function') ctx.addExecutionHints(...hints);
}
