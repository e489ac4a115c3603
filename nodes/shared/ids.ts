import { createHash, randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^0{8}-0{4}-0{4}-0{4}-0{12}$|^f{8}-f{4}-f{4}-f{4}-f{12}$/i;

/** A UUID as RFC 9562 writes it (versions 1–8, the nil and the max UUID): what the uuid package's `validate` accepts. */
export function isUuid(value: string): boolean {
	return UUID.test(value);
}

/**
 * A name-based UUID, version 5 (SHA-1), RFC 9562 §5.5: the namespace's 16 bytes then the name's
 * UTF-8 bytes, hashed; the first 16 bytes of the hash with the version and variant bits set.
 * test/shared/ids.test.ts checks it equals the uuid package's v5 for many names.
 */
export function uuidv5(name: string, namespace: string): string {
	const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.toString('hex', 0, 16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const uuidv4 = (): string => randomUUID();

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
