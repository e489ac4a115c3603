/**
 * HTTP front of the emulator: routing, per-request accounting, fault injection, bearer auth and
 * the rate limit, then the route handlers. Order for an API request:
 *   arrival stats → latency → pre-processing fault → body → auth (401) → rate limit (429) →
 *   agent quota (429, sends and events) → handler
 *   → post-processing fault (reset-after-accept, truncated-json) → answer.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { googleError, invalidArgument, json, readBody, resourceExhausted, send, unauthenticated } from './http';
import { BC_SCOPE } from './business';
import { handleAdmin } from './routes/admin';
import { createTester, deleteTester, getLaunch, getTester, getVerification, listAgentPerformances, listRegions, listTesters } from './routes/business';
import { batchGet, getCapabilities } from './routes/capabilities';
import { createEvent } from './routes/events';
import { MAX_FILE_BYTES, createFileFromUrl, uploadFile } from './routes/files';
import { createMessage, deleteMessage } from './routes/messages';
import { unknownQueryParameter } from './schema';
import { RBM_SCOPE, type IssuedToken } from './tokens';
import type { Socket } from 'node:net';
import type { EmulatorCore } from './state';
import type { RouteContext } from './routes/context';
import type { Endpoint, EndpointKey, FaultKind, HttpResult } from './types';

type Handler = (ctx: RouteContext) => HttpResult | Promise<HttpResult>;

interface Route {
	method: string;
	re: RegExp;
	key: EndpointKey;
	handler: Handler;
	limit: number;
	/** Business Communications API: the scope it needs and whether Reader may call it or only Manager. */
	bc?: 'read' | 'write';
}

const JSON_LIMIT = 4 * 1024 * 1024;
const REGION_PREFIX = /^\/(global|us|europe|asia|businesscommunications)(\/.*)$/;
const PHONE = '([^/]+)';
/** The calls an agent's message quota (agentQuotaPerSecond) counts. */
const QUOTA_KEYS = new Set<string>(['agentMessages.create', 'agentEvents.create']);

const ROUTES: Route[] = [
	{ method: 'POST', re: /^\/token$/, key: 'token', handler: () => json(500, {}), limit: 64 * 1024 },
	{ method: 'POST', re: new RegExp(`^/v1/phones/${PHONE}/agentMessages$`), key: 'agentMessages.create', handler: createMessage, limit: JSON_LIMIT },
	{ method: 'DELETE', re: new RegExp(`^/v1/phones/${PHONE}/agentMessages/([^/]+)$`), key: 'agentMessages.delete', handler: deleteMessage, limit: JSON_LIMIT },
	{ method: 'POST', re: new RegExp(`^/v1/phones/${PHONE}/agentEvents$`), key: 'agentEvents.create', handler: createEvent, limit: JSON_LIMIT },
	{ method: 'GET', re: new RegExp(`^/v1/phones/${PHONE}/capabilities$`), key: 'getCapabilities', handler: getCapabilities, limit: JSON_LIMIT },
	{ method: 'POST', re: /^\/v1\/users(?::|%3A)batchGet$/i, key: 'users.batchGet', handler: batchGet, limit: JSON_LIMIT },
	{ method: 'POST', re: /^\/v1\/files$/, key: 'files.create', handler: createFileFromUrl, limit: JSON_LIMIT },
	{ method: 'POST', re: /^\/upload\/v1\/files$/, key: 'files.create', handler: uploadFile, limit: MAX_FILE_BYTES },
	// Business Communications API (businesscommunications.googleapis.com): same server, paths do not overlap RBM's.
	{ method: 'POST', re: /^\/v1\/testers$/, key: 'testers.create', handler: createTester, limit: JSON_LIMIT, bc: 'write' },
	{ method: 'GET', re: /^\/v1\/testers$/, key: 'testers.list', handler: listTesters, limit: JSON_LIMIT, bc: 'read' },
	{ method: 'GET', re: new RegExp(`^/v1/testers/${PHONE}$`), key: 'testers.get', handler: getTester, limit: JSON_LIMIT, bc: 'read' },
	{ method: 'DELETE', re: new RegExp(`^/v1/testers/${PHONE}$`), key: 'testers.delete', handler: deleteTester, limit: JSON_LIMIT, bc: 'write' },
	{ method: 'GET', re: /^\/v1\/brands\/([^/]+)\/agents\/([^/]+)\/launch$/, key: 'agents.getLaunch', handler: getLaunch, limit: JSON_LIMIT, bc: 'read' },
	{ method: 'GET', re: /^\/v1\/brands\/([^/]+)\/agents\/([^/]+)\/verification$/, key: 'agents.getVerification', handler: getVerification, limit: JSON_LIMIT, bc: 'read' },
	{ method: 'GET', re: /^\/v1\/regions$/, key: 'regions.list', handler: listRegions, limit: JSON_LIMIT, bc: 'read' },
	{ method: 'GET', re: /^\/v1\/analytics\/agentPerformances$/, key: 'agentPerformances.list', handler: listAgentPerformances, limit: JSON_LIMIT, bc: 'read' },
];

/**
 * 403 as Google answers it: a token without the API's scope, or (Business Communications) a
 * service account without a partner-console role that allows the call (Reader reads, Manager changes).
 */
function permissionProblem(core: EmulatorCore, route: Route, token: IssuedToken): HttpResult | null {
	const scopes = token.scope.split(/\s+/);
	const needed = route.bc ? BC_SCOPE : RBM_SCOPE;
	if (!scopes.includes(needed)) {
		return googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [
			{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { method: route.key } },
		]);
	}
	if (!route.bc) return null;
	const role = core.business.roleOf(token.email);
	if (role === 'manager' || (role === 'reader' && route.bc === 'read')) return null;
	return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
}

const PRE_KINDS = new Set<FaultKind>(['400', '403', '429', '500', '502', '503', '504', 'reset', 'timeout', 'garbage-html', 'empty-body']);

const PROXY_502 =
	'<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>' +
	'<p>The server encountered a temporary error and could not complete your request.</p></body></html>';
const GARBAGE_HTML =
	'<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>' +
	'<p>Please accept the terms of use to continue.</p></body></html>';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/** Plain HTTP by default; HTTPS with `tls` (PEM key and certificate chain). */
export function createServer(core: EmulatorCore, tls?: { key: string; cert: string }): http.Server | https.Server {
	const holdTimers = new Set<NodeJS.Timeout>();

	/** Answers (or drops) a request hit by a fault that happens before any processing. */
	function preFault(kind: FaultKind, retryAfter: number, req: IncomingMessage, res: ServerResponse): void {
		core.countFault(kind);
		switch (kind) {
			case '400':
				// What RBM answers when the phone's client cannot show the content.
				return send(res, googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'));
			case '403':
				return send(res, googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'));
			case '429':
				return send(res, resourceExhausted(retryAfter));
			case '500':
				return send(res, googleError(500, 'INTERNAL', 'Internal error encountered.'));
			case '502':
				return send(res, { status: 502, body: PROXY_502, headers: { 'Content-Type': 'text/html; charset=UTF-8' } });
			case '503':
				return send(res, googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'));
			case '504':
				return send(res, { status: 504, body: 'upstream request timeout', headers: { 'Content-Type': 'text/plain' } });
			case 'garbage-html':
				return send(res, { status: 200, body: GARBAGE_HTML, headers: { 'Content-Type': 'text/html; charset=UTF-8' } });
			case 'empty-body':
				return send(res, { status: 200, body: '', headers: { 'Content-Type': 'application/json; charset=UTF-8' } });
			case 'timeout': {
				const socket = req.socket;
				core.heldSockets.add(socket);
				const t = setTimeout(() => {
					holdTimers.delete(t);
					core.heldSockets.delete(socket);
					socket.destroy();
				}, core.opts.timeoutMs);
				t.unref();
				holdTimers.add(t);
				socket.once('close', () => {
					clearTimeout(t);
					holdTimers.delete(t);
					core.heldSockets.delete(socket);
				});
				return;
			}
			default: // 'reset'
				req.socket.destroy();
		}
	}

	function tokenGrant(req: IncomingMessage, body: Buffer): HttpResult {
		const text = body.toString('utf8');
		let form: URLSearchParams;
		if (String(req.headers['content-type'] ?? '').includes('application/json')) {
			try {
				form = new URLSearchParams(JSON.parse(text) as Record<string, string>);
			} catch {
				form = new URLSearchParams();
			}
		} else form = new URLSearchParams(text);
		const out = core.tokens.grant(form, core.baseUrl, core.opts.tokenTtlSeconds);
		if (out.ok) core.stats.tokenGrants++;
		else core.stats.tokenRejections++;
		return out.result;
	}

	async function handleApi(route: Route, m: RegExpExecArray, req: IncomingMessage, res: ServerResponse, url: URL, endpoint: Endpoint): Promise<void> {
		core.noteArrival(route.key, req, url, endpoint, m[0]);
		const leave = core.enter();
		res.once('close', leave); // also fires when the connection dies (one listener per request, none per socket)

		const decision = core.faults.next(route.key);
		if (decision.delayMs > 0) await sleep(decision.delayMs);
		if (res.destroyed || req.socket.destroyed) return;
		const kind = decision.kind;
		if (kind && PRE_KINDS.has(kind)) return preFault(kind, decision.retryAfterSeconds, req, res);

		const read = await readBody(req, route.limit);
		if (!read.ok) {
			if (read.reason === 'aborted') return;
			core.stats.invalid++;
			res.setHeader('Connection', 'close');
			res.once('finish', () => req.socket.destroy());
			const what = route.key === 'files.create' ? 'File exceeds the maximum size of 100 MiB.' : 'Request payload size exceeds the limit.';
			return send(res, invalidArgument(what));
		}

		let result: HttpResult;
		let quotaWait = 0;
		let denied: HttpResult | null = null;
		const token = route.key === 'token' ? null : core.tokens.check(req.headers.authorization);
		if (route.key === 'token') result = tokenGrant(req, read.body);
		else if (!token) {
			core.stats.unauthorized++;
			result = unauthenticated();
		} else if ((denied = permissionProblem(core, route, token))) result = denied;
		else if (core.overRateLimit()) result = resourceExhausted(1);
		else if ((quotaWait = QUOTA_KEYS.has(route.key) ? core.overAgentQuota(url.searchParams.get('agentId') ?? '') : 0) > 0) result = resourceExhausted(quotaWait);
		else {
			const badQuery = unknownQueryParameter(req.method ?? '', m[0], url.searchParams);
			if (badQuery) {
				core.stats.invalid++;
				result = invalidArgument(badQuery);
			} else {
				const params = m.slice(1).map((p, i) => (i === 0 ? p : safeDecode(p))); // phone decoded by the route
				result = await route.handler({ core, req, url, params, body: read.body, endpoint });
			}
		}

		if (kind === 'reset-after-accept') {
			core.countFault(kind);
			req.socket.destroy();
			return;
		}
		if (kind === 'truncated-json') {
			core.countFault(kind);
			return send(res, { status: 200, body: '{"name": "phones/', headers: { 'Content-Type': 'application/json; charset=UTF-8' } });
		}
		send(res, result);
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://emulator.local');
		const method = req.method ?? 'GET';
		// One emulator serves every RBM host: /us/v1/… stands for us-rcsbusinessmessaging.googleapis.com/v1/…
		// (a credential Base URL of http://127.0.0.1:8787/{region}); a path without a prefix is the global host.
		const regional = REGION_PREFIX.exec(url.pathname);
		const endpoint: Endpoint = regional ? (regional[1] as Endpoint) : 'global';
		const path = regional ? regional[2] : url.pathname;

		if (path === '/healthz' || path.startsWith('/_emulator/')) {
			const read = await readBody(req, JSON_LIMIT);
			const admin = await handleAdmin(core, method, path, read.ok ? read.body : Buffer.alloc(0));
			return send(res, admin ?? json(404, { error: 'not found' }));
		}
		if (path === '/tokeninfo' && (method === 'GET' || method === 'POST')) {
			const read = await readBody(req, 64 * 1024);
			const form = new URLSearchParams(read.ok ? read.body.toString('utf8') : '');
			return send(res, core.tokens.tokenInfo(url.searchParams.get('access_token') ?? form.get('access_token')));
		}
		for (const route of ROUTES) {
			const m = route.re.exec(path);
			if (m && route.method === method) return handleApi(route, m, req, res, url, endpoint);
		}
		send(res, googleError(404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`));
	}

	const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
		handle(req, res).catch((e: unknown) => {
			send(res, googleError(500, 'INTERNAL', `Emulator error: ${(e as Error).message}`));
		});
	};
	const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
	// 'connection' is the raw TCP socket (before any TLS); 'secureConnection' a finished TLS handshake.
	server.on('connection', (socket: Socket) => core.noteConnection(socket));
	if (tls) {
		server.on('secureConnection', () => {
			core.stats.tlsHandshakes++;
		});
		// a client that refuses the certificate (or speaks plain HTTP) is the client's problem, not ours
		server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
	}
	server.on('close', () => {
		for (const t of holdTimers) clearTimeout(t);
		holdTimers.clear();
	});
	return server;
}
