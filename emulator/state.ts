/**
 * All mutable emulator state: options, keys/tokens, the per-agent id space (messages and events
 * share it), delivery timers and statistics.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { BusinessState } from './business';
import { FaultInjector, streamSeed } from './faults';
import { TokenAuthority } from './tokens';
import { sendWebhookEvent } from './webhooks';
import type {
	EmulatorOptions,
	Endpoint,
	EmulatorStats,
	EndpointKey,
	LastRequest,
	ResolvedOptions,
	WebhookDelivery,
	WebhookEventInput,
} from './types';

/** What simulated recipients answer (readRate/replyRate); opt-outs answer "STOP". */
export const REPLY_TEXTS = ['Thanks!', 'Is this still on tomorrow?', 'Yes please', 'What time do you open?', 'Can I get the code again?'];

/** Documented test range: numbers ending in 404 are not RCS-reachable. */
export const DEFAULT_UNREACHABLE = ['^\\+\\d+404$'];

export function resolveOptions(opts: EmulatorOptions = {}): ResolvedOptions {
	return {
		host: opts.host ?? '127.0.0.1',
		port: opts.port ?? 0,
		seed: opts.seed ?? 1,
		duplicateMode: opts.duplicateMode ?? 'conflict',
		unreachable: opts.unreachable ?? DEFAULT_UNREACHABLE,
		offline: opts.offline ?? [],
		unlaunchedAgents: opts.unlaunchedAgents ?? [],
		testers: opts.testers ?? [],
		offlineDeliveryMs: opts.offlineDeliveryMs ?? 2000,
		deliveryDelayMs: opts.deliveryDelayMs ?? 50,
		tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600,
		rateLimitPerSecond: opts.rateLimitPerSecond ?? 0,
		agentQuotaPerSecond: opts.agentQuotaPerSecond ?? 0,
		faults: opts.faults ?? {},
		webhookUrl: opts.webhookUrl,
		webhookClientToken: opts.webhookClientToken,
		readRate: opts.readRate ?? 0,
		replyRate: opts.replyRate ?? 0,
		optOutRate: opts.optOutRate ?? 0,
		webhookConcurrency: opts.webhookConcurrency ?? 0,
		timeoutMs: opts.timeoutMs ?? 30000,
		strictBatchMinimum: opts.strictBatchMinimum ?? false,
		tls: !!opts.tls,
		caFile: typeof opts.tls === 'object' && opts.tls ? opts.tls.caFile : undefined,
		rttMs: opts.rttMs ?? 0,
	};
}

function emptyStats(): EmulatorStats {
	return {
		tokenGrants: 0,
		tokenRejections: 0,
		unauthorized: 0,
		requests: {},
		faultsInjected: {},
		messages: {},
		accepted: 0,
		duplicates: 0,
		notFound: 0,
		forbidden: 0,
		invalid: 0,
		events: [],
		files: [],
		capabilityChecks: 0,
		batchGets: [],
		maxInFlight: 0,
		peakRequestsPerSecond: 0,
		rateLimited: 0,
		quotaLimited: {},
		lastRequest: {},
		webhookDeliveries: [],
		pushed: { delivered: 0, read: 0, replies: 0, optOuts: 0, failed: 0 },
		optOutPhones: [],
		pushesPending: 0,
		connections: 0,
		tlsHandshakes: 0,
		connectionsOpen: 0,
	};
}

export interface IdRecord {
	kind: 'message' | 'event';
	id: string;
	agentId: string;
	phoneNumber: string;
	/** The 200 answer given the first time (echoed again in duplicateMode 'ok'). */
	response: unknown;
	delivered: boolean;
	revoked: boolean;
	/** Epoch ms from ttl/expireTime. */
	expireAt?: number;
	timer?: NodeJS.Timeout;
}

const compile = (sources: string[]): RegExp[] => sources.map((s) => new RegExp(s));

export class EmulatorCore {
	opts: ResolvedOptions;
	baseUrl = '';
	readonly tokens = new TokenAuthority();
	/** Business Communications API: testers, launch, verification, analytics, partner roles. */
	readonly business = new BusinessState();
	readonly faults: FaultInjector;
	stats: EmulatorStats = emptyStats();
	private ids = new Map<string, IdRecord>();
	private readonly timers = new Set<NodeJS.Timeout>();
	readonly heldSockets = new Set<Socket>();
	/** Every TCP socket the API server accepted and that is not closed yet (destroyed by close()). */
	readonly openSockets = new Set<Socket>();
	private unreachableRes: RegExp[];
	private offlineRes: RegExp[];
	private testerRes: RegExp[];
	private inFlight = 0;
	private arrivals: number[] = [];
	private admitted: number[] = [];
	/** agentQuotaPerSecond: tokens left per agent id, as of `at` (epoch ms). */
	private buckets = new Map<string, { tokens: number; at: number }>();

	constructor(opts: EmulatorOptions = {}) {
		this.opts = resolveOptions(opts);
		this.faults = new FaultInjector(this.opts.seed, this.opts.faults);
		this.unreachableRes = compile(this.opts.unreachable);
		this.offlineRes = compile(this.opts.offline);
		this.testerRes = compile(this.opts.testers);
	}

	/** Merges options; `faults` replaces the whole table (scripts re-armed, PRNG restarted). */
	configure(partial: Partial<EmulatorOptions>): void {
		const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
		const unreachableRes = partial.unreachable ? compile(partial.unreachable) : this.unreachableRes;
		const offlineRes = partial.offline ? compile(partial.offline) : this.offlineRes;
		const testerRes = partial.testers ? compile(partial.testers) : this.testerRes;
		const seedChanged = partial.seed !== undefined && partial.seed !== this.opts.seed;
		const { host, port, tls, caFile, rttMs } = this.opts; // fixed at start
		this.opts = { ...this.opts, ...defined, host, port, tls, caFile, rttMs };
		// webhook settings may be cleared explicitly with null/'' through the admin endpoint
		if ('webhookUrl' in partial && !partial.webhookUrl) this.opts.webhookUrl = undefined;
		this.unreachableRes = unreachableRes;
		this.offlineRes = offlineRes;
		this.testerRes = testerRes;
		if (partial.faults !== undefined || seedChanged) this.faults.configure(this.opts.seed, this.opts.faults);
	}

	/** Clears messages, ids, stats and remaining fault scripts; keeps keys, tokens and options. */
	reset(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		this.ids.clear();
		this.stats = emptyStats();
		this.pendingPushes = 0;
		this.faults.clearScripts();
		this.arrivals = [];
		this.admitted = [];
		this.buckets.clear();
		this.business.clear();
	}

	isUnreachable(phone: string): boolean {
		return this.unreachableRes.some((r) => r.test(phone));
	}

	/**
	 * False when the agent is not launched and the phone is not an accepted tester. Not launched: listed
	 * in `unlaunchedAgents`, or given launch states (Business Communications admin) none of which is
	 * LAUNCH_STATE_LAUNCHED. Accepted tester: matches `testers`, or invited through the Business
	 * Communications API and accepted (admin `/testers/status`).
	 */
	mayReach(agentId: string, phone: string): boolean {
		const agent = agentId.replace(/@rbm\.goog$/, '');
		const launches = this.business.launches.get(agent);
		const launchedSomewhere = [...(launches?.values() ?? [])].some((l) => l.launchState === 'LAUNCH_STATE_LAUNCHED');
		const unlaunched = this.opts.unlaunchedAgents.includes(agentId) || this.opts.unlaunchedAgents.includes(agent) || (launches !== undefined && launches.size > 0 && !launchedSomewhere);
		if (!unlaunched) return true;
		return this.testerRes.some((r) => r.test(phone)) || this.business.testers.get(agent)?.get(phone)?.inviteStatus === 'ACCEPTED';
	}

	isOffline(phone: string): boolean {
		return this.offlineRes.some((r) => r.test(phone));
	}

	later(fn: () => void, ms: number): NodeJS.Timeout {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		t.unref();
		this.timers.add(t);
		return t;
	}

	cancel(t: NodeJS.Timeout | undefined): void {
		if (!t) return;
		clearTimeout(t);
		this.timers.delete(t);
	}

	shutdown(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const s of this.heldSockets) s.destroy();
		this.heldSockets.clear();
	}

	// ---- request accounting -------------------------------------------------------------------

	noteArrival(key: EndpointKey, req: IncomingMessage, url: URL, endpoint: Endpoint = 'global', path = url.pathname): void {
		this.stats.requests[key] = (this.stats.requests[key] ?? 0) + 1;
		const headers: LastRequest['headers'] = { ...req.headers };
		if (headers.authorization !== undefined) headers.authorization = 'Bearer <redacted>';
		this.stats.lastRequest[key] = {
			method: req.method ?? '',
			path,
			endpoint,
			query: Object.fromEntries(url.searchParams),
			headers,
		};
		const now = Date.now();
		this.arrivals.push(now);
		while (this.arrivals.length && this.arrivals[0] <= now - 1000) this.arrivals.shift();
		this.stats.peakRequestsPerSecond = Math.max(this.stats.peakRequestsPerSecond, this.arrivals.length);
	}

	enter(): () => void {
		this.inFlight++;
		this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
		let left = false;
		return () => {
			if (!left) {
				left = true;
				this.inFlight--;
			}
		};
	}

	/** Sliding 1 s window over admitted API requests; true when this request must get a 429. */
	overRateLimit(): boolean {
		const limit = this.opts.rateLimitPerSecond;
		if (!limit || limit <= 0) return false;
		const now = Date.now();
		while (this.admitted.length && this.admitted[0] <= now - 1000) this.admitted.shift();
		if (this.admitted.length >= limit) {
			this.stats.rateLimited++;
			return true;
		}
		this.admitted.push(now);
		return false;
	}

	/**
	 * The agent's quota (agentQuotaPerSecond): 0 when this call may go on (a token is taken), else
	 * the Retry-After in whole seconds (≥ 1) until the bucket holds a token again.
	 */
	overAgentQuota(agentId: string, now = Date.now()): number {
		const rate = this.opts.agentQuotaPerSecond;
		if (!rate || rate <= 0) return 0;
		const bucket = this.buckets.get(agentId) ?? { tokens: rate, at: now };
		bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
		bucket.at = now;
		this.buckets.set(agentId, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		this.stats.quotaLimited[agentId] = (this.stats.quotaLimited[agentId] ?? 0) + 1;
		return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
	}

	countFault(kind: string): void {
		this.stats.faultsInjected[kind] = (this.stats.faultsInjected[kind] ?? 0) + 1;
	}

	// ---- id space (messages and events of one agent share it) ---------------------------------

	private idKey(agentId: string, id: string): string {
		return `${agentId}\u0000${id}`;
	}

	findId(agentId: string, id: string): IdRecord | undefined {
		return this.ids.get(this.idKey(agentId, id));
	}

	addId(rec: IdRecord): void {
		this.ids.set(this.idKey(rec.agentId, rec.id), rec);
	}

	/** Schedules delivery of an accepted message; a revoked message is never delivered. */
	scheduleDelivery(rec: IdRecord): void {
		const delay = Math.max(0, this.isOffline(rec.phoneNumber) ? this.opts.offlineDeliveryMs : this.opts.deliveryDelayMs);
		const untilExpiry = rec.expireAt === undefined ? Infinity : Math.max(0, rec.expireAt - Date.now());
		rec.timer = untilExpiry < delay ? this.later(() => this.expire(rec), untilExpiry) : this.later(() => this.deliver(rec), delay);
	}

	/** ttl/expireTime passed before delivery: revoked by the platform, TTL_EXPIRATION_REVOKED pushed. */
	private expire(rec: IdRecord): void {
		rec.timer = undefined;
		if (rec.revoked || rec.delivered) return;
		rec.revoked = true;
		const stat = this.stats.messages[rec.id];
		if (stat && stat.agentId === rec.agentId) {
			stat.revoked = true;
			stat.expired = true;
		}
		this.push({ type: 'TTL_EXPIRATION_REVOKED', phoneNumber: rec.phoneNumber, agentId: rec.agentId, messageId: rec.id });
	}

	private push(ev: WebhookEventInput): void {
		if (this.opts.webhookUrl) this.pushInTurn(ev).catch(() => undefined);
	}

	private pushesOut = 0;
	private readonly pushQueue: Array<() => void> = [];

	/** sendWebhookEvent, at most webhookConcurrency at once (the rest wait in order; Pub/Sub push flow control). */
	private async pushInTurn(ev: WebhookEventInput): Promise<{ status: number; body: string }> {
		const limit = this.opts.webhookConcurrency;
		// A finished push hands its slot straight to the next in the queue.
		if (limit > 0 && this.pushesOut >= limit) await new Promise<void>((resolve) => this.pushQueue.push(resolve));
		else this.pushesOut++;
		try {
			return await sendWebhookEvent(this, ev);
		} finally {
			const next = this.pushQueue.shift();
			if (next) next();
			else this.pushesOut--;
		}
	}

	private deliver(rec: IdRecord): void {
		rec.timer = undefined;
		if (rec.revoked || rec.delivered) return;
		rec.delivered = true;
		const stat = this.stats.messages[rec.id];
		if (stat && stat.agentId === rec.agentId) stat.delivered = true;
		if (!this.opts.webhookUrl) return;
		const { phoneNumber, agentId, id: messageId } = rec;
		const done = this.pending();
		void this.pushCounted({ type: 'DELIVERED', phoneNumber, agentId, messageId }, 'delivered').then((ok) => {
			if (ok) this.simulateRecipient(rec);
			done();
		});
	}

	/** Receipts and simulated steps scheduled or being pushed, of the current stats (reset() starts afresh). */
	private pendingPushes = 0;

	/** Counts one more pending push; the returned function ends it (once, and only if no reset() came between). */
	private pending(): () => void {
		const stats = this.stats;
		this.pendingPushes++;
		let ended = false;
		return () => {
			if (ended || stats !== this.stats) return;
			ended = true;
			this.pendingPushes--;
		};
	}

	/** A uniform draw in [0, 1) for one decision about one message: a hash of the seed, the kind and the id. */
	private draw(kind: string, messageId: string): number {
		return streamSeed(this.opts.seed, `${kind}:${messageId}`) / 4294967296;
	}

	/**
	 * The recipient of a delivered message (readRate, replyRate, optOutRate): reads it, may answer,
	 * and may answer STOP; one step every deliveryDelayMs, each after the previous push was accepted
	 * (a refused push ends that recipient's story, so `pushed` and the receiver always agree).
	 */
	private simulateRecipient(rec: IdRecord): void {
		const { phoneNumber, agentId, id: messageId } = rec;
		if (this.draw('read', messageId) >= this.opts.readRate) return;
		const step = Math.max(0, this.opts.deliveryDelayMs);
		const readDone = this.pending();
		this.later(() => {
			void this.pushCounted({ type: 'READ', phoneNumber, agentId, messageId }, 'read').then((ok) => {
				readDone();
				if (!ok || this.draw('reply', messageId) >= this.opts.replyRate) return;
				const optOut = this.draw('optOut', messageId) < this.opts.optOutRate;
				const text = optOut ? 'STOP' : REPLY_TEXTS[Math.floor(this.draw('text', messageId) * REPLY_TEXTS.length)];
				const replyDone = this.pending();
				this.later(() => {
					void this.pushCounted({ type: 'text', phoneNumber, agentId, text }, optOut ? 'optOuts' : 'replies').then((ok) => {
						if (ok && optOut) this.stats.optOutPhones.push(phoneNumber);
						replyDone();
					});
				}, step);
			});
		}, step);
	}

	/** Pushes an event of the emulator's own; counts it under `kind` when the webhook answered 200. */
	private async pushCounted(ev: WebhookEventInput, kind: Exclude<keyof EmulatorStats['pushed'], 'failed'>): Promise<boolean> {
		const pushed = this.stats.pushed;
		try {
			const res = await this.pushInTurn(ev);
			if (res.status === 200) {
				// reset() may have replaced the stats meanwhile: count in the object the push started with.
				pushed[kind]++;
				return true;
			}
		} catch {
			// recorded in webhookDeliveries by sendWebhookEvent
		}
		pushed.failed++;
		return false;
	}

	recordWebhook(d: WebhookDelivery): void {
		if (this.stats.webhookDeliveries.length < 10000) this.stats.webhookDeliveries.push(d);
	}

	/** Counts a TCP connection accepted by the API server and tracks it until it closes. */
	noteConnection(socket: Socket): void {
		this.stats.connections++;
		this.openSockets.add(socket);
		socket.once('close', () => this.openSockets.delete(socket));
	}

	snapshot(): EmulatorStats {
		return { ...structuredClone(this.stats), connectionsOpen: this.openSockets.size, pushesPending: this.pendingPushes };
	}
}
