/**
 * The RBM Trigger's redelivery filter. RBM redelivers a push until it gets a 200, so the trigger
 * claims each push's id before it starts a workflow; a push whose id was already claimed is
 * answered 200 and starts nothing.
 *
 * The ids are kept in this n8n process's memory only: the package talks to no service but RBM
 * (n8n's verification rules). Across several webhook processes, or restarts, the workflow makes
 * the claim itself with n8n's Redis node (docs/queue-mode.md, examples/trigger-redis-claim.json).
 */

/** `first`: the first delivery of the id, now claimed; `duplicate`: claimed before. */
export type Claim = 'first' | 'duplicate';

/** Ids per scope (workflow + trigger node), in this process; the oldest go first beyond `maxPerScope`. */
export class MemoryFilter {
	private readonly seen = new Map<string, Map<string, true>>();

	constructor(private readonly maxPerScope = 10_000) {}

	claim(scope: string, id: string): Claim {
		let ids = this.seen.get(scope);
		if (!ids) this.seen.set(scope, (ids = new Map()));
		if (ids.has(id)) return 'duplicate';
		ids.set(id, true);
		if (ids.size > this.maxPerScope) ids.delete(ids.keys().next().value as string);
		return 'first';
	}
}

/** The filter of this process: every trigger node uses it, each under its own scope. */
export const processMemoryFilter = new MemoryFilter();
