/**
 * The RBM Trigger's redelivery filter. RBM redelivers a push until it gets a 200, so the trigger
 * claims each push's id before it starts a workflow; a push whose id was already claimed is
 * answered 200 and starts nothing. Two stores:
 *
 * - memory: in this n8n process, the last 10,000 ids per trigger node (one process);
 * - Redis: shared by every process that uses the same Redis (queue mode with several webhook
 *   processes, restarts). A claim is one atomic `SET <key> <token> NX EX <ttl>`.
 *
 * The one module that imports ioredis (README › Lint and the runtime dependencies).
 */
import { createHash, randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** `first`: the first delivery of the id, now claimed; `duplicate`: claimed before; else the store could not answer. */
export type Claim = 'first' | 'duplicate' | { unavailable: string };

export interface RedeliveryFilter {
	claim(scope: string, id: string): Promise<Claim>;
}

/**
 * How long a claimed id is kept in Redis. Google's RBM webhook guide says failed deliveries are
 * retried with back-off for up to 7 days
 * (https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks,
 * noted in docs/api-currency.md), so an id kept 7 days outlives every redelivery of it.
 */
export const DEFAULT_TTL_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_KEY_PREFIX = 'n8n-rbm:redelivery:';

/** Ids per scope (workflow + trigger node), in this process; the oldest go first beyond `maxPerScope`. */
export class MemoryFilter implements RedeliveryFilter {
	private readonly seen = new Map<string, Map<string, true>>();

	constructor(private readonly maxPerScope = 10_000) {}

	async claim(scope: string, id: string): Promise<Claim> {
		let ids = this.seen.get(scope);
		if (!ids) this.seen.set(scope, (ids = new Map()));
		if (ids.has(id)) return 'duplicate';
		ids.set(id, true);
		if (ids.size > this.maxPerScope) ids.delete(ids.keys().next().value as string);
		return 'first';
	}
}

/** The filter of this process: every memory-mode trigger node uses it, each under its own scope. */
export const processMemoryFilter = new MemoryFilter();

/** n8n's built-in Redis credential (type `redis`), the fields this module uses. */
export interface RedisConnection {
	host: string;
	port: number;
	user?: string;
	password?: string;
	database?: number;
	ssl?: boolean;
	disableTlsVerification?: boolean;
}

export function readRedisCredential(data: ICredentialDataDecryptedObject): RedisConnection {
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
	return {
		host: text(data.host) ?? 'localhost',
		port: Number(data.port) || 6379,
		user: text(data.user),
		password: text(data.password),
		database: Number(data.database) || 0,
		ssl: data.ssl === true,
		disableTlsVerification: data.disableTlsVerification === true,
	};
}

/** Why Redis could not answer a claim: names host:port, never the password. */
function unavailable(connection: RedisConnection, reason: string): { unavailable: string } {
	const { password } = connection;
	const safe = password ? reason.split(password).join('***') : reason;
	return { unavailable: `Redis at ${connection.host}:${connection.port} did not answer (${safe})` };
}

interface CachedClient {
	client: Redis;
	/** The last connection error, for messages: a command that gave up only says it gave up. */
	lastError?: string;
}

/** One client per connection settings per process, so a burst of pushes shares one connection. */
const clients = new Map<string, CachedClient>();

function clientFor(connection: RedisConnection): CachedClient {
	const { host, port, user, password, database, ssl, disableTlsVerification } = connection;
	const key = createHash('sha256').update(JSON.stringify([host, port, user, password, database, ssl, disableTlsVerification])).digest('hex');
	const cached = clients.get(key);
	if (cached) return cached;
	const client = new Redis({
		host,
		port,
		username: user,
		password,
		db: database,
		tls: ssl ? { rejectUnauthorized: !disableTlsVerification } : undefined,
		connectionName: 'n8n-rbm-redelivery',
		// Connect on the first claim, not when a workflow is loaded.
		lazyConnect: true,
		// A claim waits for Redis at most 2 s (connecting included) or two failed connection
		// attempts, then the push gets a 503 and RBM delivers it again later: a webhook request never
		// hangs on Redis. Claims made while connecting wait in the offline queue within that bound.
		connectTimeout: 2000,
		commandTimeout: 2000,
		enableOfflineQueue: true,
		maxRetriesPerRequest: 1,
		// After 5 failed reconnections in a row the client ends and leaves the cache; the next push
		// makes a new one.
		retryStrategy: (times: number) => (times > 5 ? null : Math.min(times * 200, 1000)),
		// A claim whose answer was lost has already failed (503); it is never sent again.
		autoResendUnfulfilledCommands: false,
	});
	const entry: CachedClient = { client };
	client.on('error', (error: Error) => (entry.lastError = error.message));
	client.on('ready', () => (entry.lastError = undefined));
	client.once('end', () => {
		if (clients.get(key) === entry) clients.delete(key);
	});
	clients.set(key, entry);
	return entry;
}

/** Deletes the key only if it still holds this claim's token. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export function redisFilter(connection: RedisConnection, options: { ttlSeconds: number; keyPrefix: string }): RedeliveryFilter {
	const ttl = Number.isFinite(options.ttlSeconds) && options.ttlSeconds >= 1 ? Math.floor(options.ttlSeconds) : DEFAULT_TTL_SECONDS;
	return {
		async claim(scope: string, id: string): Promise<Claim> {
			const entry = clientFor(connection);
			const key = `${options.keyPrefix}${scope}:${id}`;
			// A token of its own (not just "1"), so a failed claim can be taken back without
			// touching another process's claim on the same id.
			const token = randomBytes(12).toString('base64url');
			try {
				return (await entry.client.set(key, token, 'EX', ttl, 'NX')) === 'OK' ? 'first' : 'duplicate';
			} catch (error) {
				// The SET may have reached Redis though its answer did not reach us: take the claim
				// back (if it is ours), so the redelivery the 503 asks for is not taken for a duplicate.
				entry.client.eval(RELEASE, 1, key, token).catch(() => undefined);
				const message = error instanceof Error ? error.message : String(error);
				const reason = entry.lastError && entry.lastError !== message ? `${message}; last connection error: ${entry.lastError}` : message;
				return unavailable(connection, reason);
			}
		},
	};
}

/** Closes every cached client (tests; a process that shuts down). */
export async function closeRedisClients(): Promise<void> {
	const all = [...clients.values()];
	clients.clear();
	await Promise.all(all.map(async ({ client }) => (client.status === 'ready' ? await client.quit().catch(() => client.disconnect()) : client.disconnect())));
}
