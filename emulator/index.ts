/**
 * Local Google RCS Business Messaging (RBM) emulator — programmatic API.
 * An independent witness of the RBM REST API: it imports nothing from nodes/ or credentials/.
 */
import type { AddressInfo } from 'node:net';
import { startRelay, type Relay } from './relay';
import { checkOptions, checkStartOnly } from './routes/admin';
import { createServer } from './server';
import { EmulatorCore } from './state';
import { generateTlsMaterial, writeCaFile } from './tls';
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
	/** Where clients go: `http(s)://host:port` — the RTT relay when `rttMs` > 0, else the API server. */
	url: string;
	port: number;
	host: string;
	/** The API server itself, bypassing the RTT relay (equals `url` without `rttMs`). */
	directUrl: string;
	/** HTTPS mode: PEM of the emulator's CA certificate (for in-process clients: `ca: emulator.ca`). */
	ca?: string;
	/** HTTPS mode: the file holding `ca` (for another process: NODE_EXTRA_CA_CERTS=<caFile>). */
	caFile?: string;
	/** HTTPS mode: milliseconds spent making the CA and server keys and certificates at start. */
	tlsGenerationMs?: number;
	/** Generates an RSA-2048 service-account key and registers its public half; token_uri = `${url}/token`. */
	createServiceAccountKey(opts?: { clientEmail?: string }): ServiceAccountKey;
	/** Merges options; `faults` replaces the whole table. host, port, tls and rttMs cannot change (throws). */
	configure(opts: Partial<EmulatorOptions>): void;
	stats(): EmulatorStats;
	/** Clears messages, ids, stats (connections, tlsHandshakes too) and remaining fault scripts; keeps keys, tokens, options and fault rates. */
	reset(): void;
	/** Every issued access token becomes invalid (next API call → 401). */
	revokeTokens(): void;
	sendWebhookEvent(ev: WebhookEventInput): Promise<{ status: number; body: string }>;
	verifyWebhook(): Promise<{ status: number; body: string; ok: boolean }>;
	/** Stops the relay and the server, destroys every socket; removes a CA file it made under os.tmpdir(). */
	close(): Promise<void>;
}

function assertOptions(opts: Partial<EmulatorOptions>): void {
	const err = checkOptions(opts);
	if (err) throw new Error(`Invalid emulator options: ${err}`);
}

const urlOf = (scheme: string, host: string, port: number): string => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RbmEmulator> {
	assertOptions(opts);
	const core = new EmulatorCore(opts);
	const host = core.opts.host;
	const rttMs = core.opts.rttMs;

	const material = core.opts.tls ? await generateTlsMaterial(host) : undefined;
	const caOut = material ? writeCaFile(material.caPem, core.opts.caFile) : undefined;
	const server = createServer(core, material && { key: material.keyPem, cert: material.certPem });
	// With the relay, the relay takes the configured port and the API server an ephemeral one.
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(rttMs > 0 ? 0 : core.opts.port, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (e) {
		caOut?.cleanup();
		throw e;
	}
	const serverPort = (server.address() as AddressInfo).port;
	let relay: Relay | undefined;
	if (rttMs > 0) {
		try {
			relay = await startRelay({ host, port: core.opts.port, targetHost: host, targetPort: serverPort, rttMs });
		} catch (e) {
			await new Promise<void>((r) => server.close(() => r()));
			caOut?.cleanup();
			throw e;
		}
	}
	const scheme = material ? 'https' : 'http';
	const port = relay ? relay.port : serverPort;
	const url = urlOf(scheme, host, port);
	core.baseUrl = url;
	core.opts = { ...core.opts, port, caFile: caOut?.path };

	let closed: Promise<void> | undefined;
	return {
		url,
		port,
		host,
		directUrl: urlOf(scheme, host, serverPort),
		ca: material?.caPem,
		caFile: caOut?.path,
		tlsGenerationMs: material?.generationMs,
		createServiceAccountKey: (o) => core.tokens.createKey(url, o?.clientEmail),
		configure: (o) => {
			assertOptions(o);
			const err = checkStartOnly(core.opts, o);
			if (err) throw new Error(`Invalid emulator options: ${err}`);
			core.configure(o);
		},
		stats: () => core.snapshot(),
		reset: () => core.reset(),
		revokeTokens: () => core.tokens.revokeAll(),
		sendWebhookEvent: (ev) => sendWebhookEvent(core, ev),
		verifyWebhook: () => verifyWebhook(core),
		close: () => {
			closed ??= (async () => {
				core.shutdown();
				const relayClosed = relay?.close();
				const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
				const sockets = [...core.openSockets];
				const socketsClosed = sockets.map((s) => new Promise<void>((r) => (s.closed ? r() : s.once('close', () => r()))));
				server.closeAllConnections();
				for (const s of sockets) s.destroy(); // also those still in a TLS handshake
				await Promise.all([relayClosed, serverClosed, ...socketsClosed]);
				caOut?.cleanup();
				// A server's 'close' event comes before libuv has run its handle's close callback (end of the
				// loop turn): wait past that turn so that no TCPServerWrap is left when close() resolves.
				await new Promise<void>((r) => setImmediate(() => setImmediate(r)));
			})();
			return closed;
		},
	};
}
