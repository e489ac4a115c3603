/**
 * Local Google RCS Business Messaging (RBM) emulator — programmatic API.
 * An independent witness of the RBM REST API: it imports nothing from nodes/ or credentials/.
 */
import type { AddressInfo } from 'node:net';
import { checkOptions } from './routes/admin';
import { createServer } from './server';
import { EmulatorCore } from './state';
import type { EmulatorOptions, EmulatorStats, ServiceAccountKey, WebhookEventInput } from './types';
import { sendWebhookEvent, verifyWebhook } from './webhooks';

export type {
	EmulatorOptions,
	EmulatorStats,
	EndpointKey,
	FaultKind,
	FaultSpec,
	ScriptStep,
	ServiceAccountKey,
	WebhookEventInput,
	WebhookEventType,
} from './types';
export { RBM_SCOPE, GOOGLE_TOKEN_AUD } from './tokens';
export { buildEnvelope, buildPayload, sign as signWebhookData } from './webhooks';

export interface RbmEmulator {
	url: string;
	port: number;
	host: string;
	/** Generates an RSA-2048 service-account key and registers its public half; token_uri = `${url}/token`. */
	createServiceAccountKey(opts?: { clientEmail?: string }): ServiceAccountKey;
	/** Merges options; `faults` replaces the whole table. host/port cannot change. */
	configure(opts: Partial<EmulatorOptions>): void;
	stats(): EmulatorStats;
	/** Clears messages, ids, stats and remaining fault scripts; keeps keys, tokens, options and fault rates. */
	reset(): void;
	/** Every issued access token becomes invalid (next API call → 401). */
	revokeTokens(): void;
	sendWebhookEvent(ev: WebhookEventInput): Promise<{ status: number; body: string }>;
	verifyWebhook(): Promise<{ status: number; body: string; ok: boolean }>;
	close(): Promise<void>;
}

function assertOptions(opts: Partial<EmulatorOptions>): void {
	const err = checkOptions(opts);
	if (err) throw new Error(`Invalid emulator options: ${err}`);
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RbmEmulator> {
	assertOptions(opts);
	const core = new EmulatorCore(opts);
	core.webhookPoster = sendWebhookEvent;
	const server = createServer(core);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(core.opts.port, core.opts.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const host = core.opts.host;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	core.baseUrl = url;
	core.opts = { ...core.opts, port };

	let closed: Promise<void> | undefined;
	return {
		url,
		port,
		host,
		createServiceAccountKey: (o) => core.tokens.createKey(url, o?.clientEmail),
		configure: (o) => {
			assertOptions(o);
			core.configure(o);
		},
		stats: () => core.snapshot(),
		reset: () => core.reset(),
		revokeTokens: () => core.tokens.revokeAll(),
		sendWebhookEvent: (ev) => sendWebhookEvent(core, ev),
		verifyWebhook: () => verifyWebhook(core),
		close: () => {
			closed ??= new Promise<void>((resolve) => {
				core.shutdown();
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closed;
		},
	};
}
