/** Test helpers: raw HTTP(S) over loopback (no keep-alive unless an agent is given) and a hand-made RS256 JWT. */
import { createSign } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { RbmEmulator, ServiceAccountKey } from '../../emulator';

export const RBM_SCOPE = 'https://www.googleapis.com/auth/rcsbusinessmessaging';
export const GOOGLE_AUD = 'https://oauth2.googleapis.com/token';

export interface Res {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function request(
	base: string,
	method: string,
	path: string,
	opts: {
		headers?: Record<string, string>;
		body?: string | Buffer;
		token?: string;
		timeoutMs?: number;
		/** https only: the CA to trust (e.g. emulator.ca). */
		ca?: string;
		/** Default false (a new connection per request). */
		agent?: http.Agent | false;
	} = {},
): Promise<Res> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = { ...opts.headers };
		if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
		if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
		const target = `${base}${path}`;
		const agent = opts.agent ?? false;
		const onResponse = (res: http.IncomingMessage): void => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
			});
			res.on('error', reject);
		};
		const req = target.startsWith('https:')
			? https.request(target, { method, headers, agent, ca: opts.ca }, onResponse)
			: http.request(target, { method, headers, agent }, onResponse);
		req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error('client timeout')));
		req.on('error', reject);
		req.end(opts.body);
	});
}

export function makeJwt(
	key: Pick<ServiceAccountKey, 'private_key' | 'client_email' | 'private_key_id'>,
	claims: Record<string, unknown> = {},
	header: Record<string, unknown> = {},
): string {
	const now = Math.floor(Date.now() / 1000);
	const h = { alg: 'RS256', typ: 'JWT', kid: key.private_key_id, ...header };
	const c = { iss: key.client_email, scope: RBM_SCOPE, aud: GOOGLE_AUD, iat: now, exp: now + 3600, ...claims };
	const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
	const data = `${enc(h)}.${enc(c)}`;
	const sig = createSign('RSA-SHA256').update(data).sign(key.private_key).toString('base64url');
	return `${data}.${sig}`;
}

export function postToken(emu: RbmEmulator, assertion: string, grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer'): Promise<Res> {
	const body = new URLSearchParams({ grant_type: grantType, assertion }).toString();
	return request(emu.url, 'POST', '/token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, ca: emu.ca });
}

export async function getToken(emu: RbmEmulator, key?: ServiceAccountKey): Promise<string> {
	const k = key ?? emu.createServiceAccountKey();
	const res = await postToken(emu, makeJwt(k));
	if (res.status !== 200) throw new Error(`token grant failed: ${res.status} ${res.body}`);
	return res.json().access_token as string;
}

/** POST a JSON body with a bearer token. */
export function api(emu: RbmEmulator, token: string, method: string, path: string, body?: unknown): Promise<Res> {
	return request(emu.url, method, path, {
		token,
		ca: emu.ca,
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

export const sendPath = (phone: string, messageId: string, agentId = 'test-agent'): string =>
	`/v1/phones/${phone}/agentMessages?messageId=${encodeURIComponent(messageId)}&agentId=${agentId}`;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until fn() is truthy or the deadline passes (bounded). */
export async function waitFor(fn: () => boolean, timeoutMs = 3000, stepMs = 10): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!fn()) {
		if (Date.now() > end) throw new Error('waitFor: condition not met in time');
		await sleep(stepMs);
	}
}
