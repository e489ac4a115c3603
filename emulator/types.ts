/**
 * Shared types of the RBM emulator. The emulator is an independent witness of Google's RBM API:
 * nothing here is imported from nodes/ or credentials/, and nothing there should import this.
 */

export type EndpointKey =
	| 'token'
	| 'agentMessages.create'
	| 'agentMessages.delete'
	| 'agentEvents.create'
	| 'getCapabilities'
	| 'users.batchGet'
	| 'files.create'
	| 'testers.create'
	| 'testers.get'
	| 'testers.list'
	| 'testers.delete'
	| 'agents.getLaunch'
	| 'agents.getVerification'
	| 'regions.list'
	| 'agentPerformances.list';

export const ENDPOINT_KEYS: readonly EndpointKey[] = [
	'token',
	'agentMessages.create',
	'agentMessages.delete',
	'agentEvents.create',
	'getCapabilities',
	'users.batchGet',
	'files.create',
	'testers.create',
	'testers.get',
	'testers.list',
	'testers.delete',
	'agents.getLaunch',
	'agents.getVerification',
	'regions.list',
	'agentPerformances.list',
];

export type ScriptStep =
	| 'ok'
	| '400'
	| '403'
	| '429'
	| '500'
	| '502'
	| '503'
	| '504'
	| 'reset'
	| 'timeout'
	| 'reset-after-accept'
	| 'garbage-html'
	| 'empty-body'
	| 'truncated-json';

/** A fault that actually happened (a script 'ok' step is not a fault). */
export type FaultKind = Exclude<ScriptStep, 'ok'>;

export interface FaultSpec {
	latencyMs?: number;
	jitterMs?: number;
	/** Probabilities 0..1, drawn from a seeded PRNG (one stream per endpoint key). */
	rate429?: number;
	retryAfterSeconds?: number;
	rate500?: number;
	rate503?: number;
	rateReset?: number;
	rateTimeout?: number;
	/** Consumed in order by the next requests to that endpoint, before rates apply. */
	script?: ScriptStep[];
}

export interface EmulatorOptions {
	host?: string;
	port?: number;
	seed?: number;
	duplicateMode?: 'conflict' | 'ok';
	unreachable?: string[];
	offline?: string[];
	/**
	 * Launch state, minimal form: ids of agents that are not launched. Their sends (messages and
	 * events) to a phone that is not an accepted tester (`testers`) answer 403 PERMISSION_DENIED, as
	 * Google's do. Default [] (every agent launched, as before).
	 */
	unlaunchedAgents?: string[];
	/** Regex sources of the phones that accepted an invitation to test the unlaunched agents. */
	testers?: string[];
	offlineDeliveryMs?: number;
	deliveryDelayMs?: number;
	tokenTtlSeconds?: number;
	rateLimitPerSecond?: number;
	/**
	 * An agent's message quota: a token bucket per agent id over agentMessages.create and
	 * agentEvents.create, refilled at this many per second and holding at most one second's worth;
	 * a call finding it empty gets 429 RESOURCE_EXHAUSTED with Retry-After (whole seconds until a
	 * token is back, at least 1). 0 = off.
	 */
	agentQuotaPerSecond?: number;
	faults?: Record<string, FaultSpec>;
	webhookUrl?: string;
	webhookClientToken?: string;
	/**
	 * Simulated recipients, with a webhook set (README › Simulated recipients): of the delivered
	 * messages this share is read (READ pushed `deliveryDelayMs` after DELIVERED); of the read ones
	 * `replyRate` are answered by a text reply; of the replies `optOutRate` are "STOP". Each draw is a
	 * hash of the seed and the message id: the same seed and ids give the same events in any order.
	 * 0..1, default 0 (only DELIVERED, as before).
	 */
	readRate?: number;
	replyRate?: number;
	optOutRate?: number;
	/**
	 * At most this many of the emulator's own pushes (receipts, simulated recipients) waiting for the
	 * webhook's answer at once; the others queue in order, as Pub/Sub push flow control holds back
	 * messages while the endpoint is busy. 0 (default) = no limit.
	 */
	webhookConcurrency?: number;
	timeoutMs?: number;
	/** Enforce the documented 500-number minimum of users.batchGet (default off). */
	strictBatchMinimum?: boolean;
	/**
	 * Serve HTTPS (start-time only). A local CA and a server certificate signed by it are made at start;
	 * the CA PEM is written to `caFile` (else a new file under os.tmpdir()) and exposed as
	 * `emulator.ca` / `emulator.caFile`. Default false (plain HTTP).
	 */
	tls?: boolean | { caFile?: string };
	/**
	 * Round-trip time of a loopback TCP relay put in front of the server (start-time only; 0 = no relay).
	 * Every chunk waits rttMs/2 in each direction; `emulator.url` points at the relay.
	 */
	rttMs?: number;
}

export interface ResolvedOptions {
	host: string;
	port: number;
	seed: number;
	duplicateMode: 'conflict' | 'ok';
	unreachable: string[];
	offline: string[];
	unlaunchedAgents: string[];
	testers: string[];
	offlineDeliveryMs: number;
	deliveryDelayMs: number;
	tokenTtlSeconds: number;
	rateLimitPerSecond: number;
	agentQuotaPerSecond: number;
	faults: Record<string, FaultSpec>;
	webhookUrl?: string;
	webhookClientToken?: string;
	readRate: number;
	replyRate: number;
	optOutRate: number;
	webhookConcurrency: number;
	timeoutMs: number;
	strictBatchMinimum: boolean;
	/** Fixed at start. */
	tls: boolean;
	caFile?: string;
	rttMs: number;
}

export interface ServiceAccountKey {
	type: 'service_account';
	project_id: string;
	private_key_id: string;
	private_key: string;
	client_email: string;
	client_id: string;
	auth_uri: string;
	token_uri: string;
	auth_provider_x509_cert_url: string;
	client_x509_cert_url: string;
	universe_domain: string;
}

export interface MessageStat {
	count: number;
	phoneNumber: string;
	agentId: string;
	body: unknown;
	acceptedAt: string;
	delivered: boolean;
	revoked: boolean;
	/** Set when ttl/expireTime ran out before delivery (the platform revoked it). */
	expired?: boolean;
}

export interface EventStat {
	eventId: string;
	phoneNumber: string;
	agentId: string;
	eventType: string;
	messageId?: string;
}

export interface FileStat {
	name: string;
	agentId: string;
	source: 'url' | 'upload';
	fileUrl?: string;
	thumbnailUrl?: string;
	mimeType?: string;
	sizeBytes?: number;
	createdAt: string;
}

export interface LastRequest {
	method: string;
	path: string;
	/** The endpoint the request was for (see RouteContext.endpoint). */
	endpoint: Endpoint;
	query: Record<string, string>;
	/** Authorization is always stored as "Bearer <redacted>". */
	headers: Record<string, string | string[] | undefined>;
}

export interface WebhookDelivery {
	type: string;
	status: number;
	ok: boolean;
	error?: string;
}

export interface EmulatorStats {
	tokenGrants: number;
	tokenRejections: number;
	unauthorized: number;
	requests: Record<string, number>;
	faultsInjected: Record<string, number>;
	messages: Record<string, MessageStat>;
	accepted: number;
	duplicates: number;
	notFound: number;
	/** Sends refused with 403 (an unlaunched agent to a non-tester). */
	forbidden: number;
	invalid: number;
	events: EventStat[];
	files: FileStat[];
	capabilityChecks: number;
	batchGets: Array<{ count: number; endpoint: Endpoint }>;
	maxInFlight: number;
	peakRequestsPerSecond: number;
	/** Requests refused by rateLimitPerSecond (not counted in faultsInjected). */
	rateLimited: number;
	/** Calls refused by agentQuotaPerSecond, by agent id (not counted in faultsInjected nor rateLimited). */
	quotaLimited: Record<string, number>;
	lastRequest: Record<string, LastRequest>;
	webhookDeliveries: WebhookDelivery[];
	/**
	 * What the emulator pushed on its own to the webhook and the webhook answered 200 for, per kind:
	 * DELIVERED receipts, simulated READ receipts, replies (text other than STOP) and opt-outs
	 * ("STOP" replies); `failed` counts those pushes the webhook did not answer 200.
	 * Pushes asked for with sendWebhookEvent are not counted here.
	 */
	pushed: { delivered: number; read: number; replies: number; optOuts: number; failed: number };
	/** Phones whose simulated reply was "STOP", in the order pushed. */
	optOutPhones: string[];
	/**
	 * Receipts and simulated-recipient events scheduled or being pushed right now (a live value):
	 * 0 once everything the delivered messages lead to has been pushed.
	 */
	pushesPending: number;
	/** TCP connections accepted by the API server (through the RTT relay: one per relayed connection). */
	connections: number;
	/** Completed TLS handshakes (the https server's secureConnection event); 0 in plain-HTTP mode. */
	tlsHandshakes: number;
	/** API-server connections open right now (live value, not reset by reset(); for leak checks). */
	connectionsOpen: number;
}

export type WebhookEventType =
	| 'text'
	| 'suggestionResponse'
	| 'location'
	| 'file'
	| 'DELIVERED'
	| 'READ'
	| 'IS_TYPING'
	| 'UNSUBSCRIBE'
	| 'SUBSCRIBE'
	| 'TTL_EXPIRATION_REVOKED'
	| 'agentLaunch';

export interface WebhookEventInput {
	type: WebhookEventType;
	phoneNumber: string;
	agentId: string;
	text?: string;
	postbackData?: string;
	/** suggestionResponse.type, default REPLY */
	suggestionType?: 'REPLY' | 'ACTION' | 'UNKNOWN';
	messageId?: string;
	eventId?: string;
	latitude?: number;
	longitude?: number;
	fileUri?: string;
	mimeType?: string;
	fileName?: string;
	fileSizeBytes?: number;
	signature?: 'valid' | 'invalid' | 'none';
}

export interface HttpResult {
	status: number;
	body: string;
	headers?: Record<string, string>;
}

/** The RBM hosts: rcsbusinessmessaging.googleapis.com (global) and its us-, europe-, asia- regional twins. */
export type Endpoint = 'global' | 'us' | 'europe' | 'asia' | 'businesscommunications';

/** Where webhook events go and where their deliveries are recorded (the emulator's core is one). */
export interface WebhookTarget {
	readonly opts: { webhookUrl?: string; webhookClientToken?: string };
	recordWebhook(delivery: WebhookDelivery): void;
}
