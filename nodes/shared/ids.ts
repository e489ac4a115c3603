import { v4 as uuidv4, v5 as uuidv5, validate as isUuid } from 'uuid';

/**
 * Namespace for our name-based (v5) ids. Fixed forever: changing it would change every derived
 * message id and break exactly-once across an upgrade.
 */
const RBM_NAMESPACE = '6b0b4e0c-4c52-5e0e-9d7b-2c1b0f6a8e31';

export interface ItemIdentity {
	executionId: string | undefined;
	nodeId: string;
	runIndex: number;
	itemIndex: number;
}

/**
 * The id RBM de-duplicates on. The same item gets the same id whenever it is sent again: by our
 * own retries (the id is computed once per item), and by n8n's "Retry On Fail", which re-runs the
 * node in the same execution and run. A user key ("campaign-42/+1650…") makes it stable across
 * executions too; a key that already is a UUID is used as it is.
 */
export function deriveId(kind: 'message' | 'event', identity: ItemIdentity, agentId: string, idempotencyKey?: string): string {
	if (idempotencyKey !== undefined && idempotencyKey !== '') {
		if (isUuid(idempotencyKey)) return idempotencyKey.toLowerCase();
		return uuidv5(`${kind}:key:${agentId}:${idempotencyKey}`, RBM_NAMESPACE);
	}
	if (!identity.executionId) {
		// No execution id (should not happen in n8n): nothing stable to derive from.
		return uuidv4();
	}
	const name = [kind, 'n8n', identity.executionId, identity.nodeId, identity.runIndex, identity.itemIndex].join(':');
	return uuidv5(name, RBM_NAMESPACE);
}

export function newRequestId(): string {
	return uuidv4();
}
