/** The JWT grant through google-auth-library, posted by n8n's real HTTP stack to the emulator. */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { RbmEmulator } from '../../../emulator';
import { startEmulator } from '../../../emulator';
import type { HttpSender } from '../../../nodes/shared/transport/auth';
import { getAccessToken, refreshAccessToken, requestToken, TokenRequestError } from '../../../nodes/shared/transport/auth';
import { parseServiceAccountJson } from '../../../nodes/shared/transport/serviceAccount';

const n8nHttp: HttpSender = async (options: IHttpRequestOptions) =>
	(await Container.get(OutboundHttp).requests().request(options)) as IN8nHttpFullResponse;

let emulator: RbmEmulator;
beforeAll(async () => {
	emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

async function tokenInfo(token: string): Promise<Record<string, unknown>> {
	const response = await n8nHttp({ url: `${emulator.url}/tokeninfo`, qs: { access_token: token }, returnFullResponse: true, ignoreHttpStatusErrors: true });
	return { status: response.statusCode, ...(response.body as object) };
}

test('a signed grant to the key\'s token_uri yields a token with the RBM scope', async () => {
	const account = parseServiceAccountJson(emulator.createServiceAccountKey());
	const token = await getAccessToken(account, n8nHttp);
	expect(await tokenInfo(token)).toMatchObject({ status: 200, scope: expect.stringContaining('https://www.googleapis.com/auth/rcsbusinessmessaging') });
	expect(emulator.stats().tokenGrants).toBe(1);
});

test('one token per key for the process: concurrent callers share one request, later callers the cache', async () => {
	const keyJson = JSON.stringify(emulator.createServiceAccountKey());
	const tokens = await Promise.all(Array.from({ length: 25 }, async () => await getAccessToken(parseServiceAccountJson(keyJson), n8nHttp)));
	expect(new Set(tokens).size).toBe(1);
	// A later execution reads the credential again: same key, same cached token.
	expect(await getAccessToken(parseServiceAccountJson(keyJson), n8nHttp)).toBe(tokens[0]);
	expect(emulator.stats().tokenGrants).toBe(1);
});

test('after a rejection, concurrent refreshes of the same token mint exactly one new token', async () => {
	const account = parseServiceAccountJson(emulator.createServiceAccountKey());
	const old = await getAccessToken(account, n8nHttp);
	const refreshed = await Promise.all(Array.from({ length: 10 }, async () => await refreshAccessToken(account, n8nHttp, old)));
	expect(new Set(refreshed).size).toBe(1);
	expect(refreshed[0]).not.toBe(old);
	// A late caller still holding the old token gets the new one without another grant.
	expect(await refreshAccessToken(account, n8nHttp, old)).toBe(refreshed[0]);
	expect(emulator.stats().tokenGrants).toBe(2);
});

test('different keys get different tokens', async () => {
	const a = parseServiceAccountJson(emulator.createServiceAccountKey({ clientEmail: 'a@emulator.iam.gserviceaccount.com' }));
	const b = parseServiceAccountJson(emulator.createServiceAccountKey({ clientEmail: 'b@emulator.iam.gserviceaccount.com' }));
	expect(await getAccessToken(a, n8nHttp)).not.toBe(await getAccessToken(b, n8nHttp));
});

test('a key the endpoint does not know: invalid_grant, as Google words it', async () => {
	const other = await startEmulator({ host: '127.0.0.1', port: 0 });
	try {
		const key = other.createServiceAccountKey();
		const account = parseServiceAccountJson({ ...key, token_uri: `${emulator.url}/token` });
		const error = await requestToken(account, n8nHttp).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TokenRequestError);
		expect((error as TokenRequestError).oauthError).toBe('invalid_grant');
		expect((error as TokenRequestError).httpCode).toBe(400);
		expect(JSON.stringify(error) + String(error)).not.toContain('eyJ');
	} finally {
		await other.close();
	}
});

test('an unreachable token endpoint is a network error with its code', async () => {
	const account = parseServiceAccountJson({ ...emulator.createServiceAccountKey(), token_uri: 'http://127.0.0.1:1/token' });
	const error = (await requestToken(account, n8nHttp).catch((e: unknown) => e)) as TokenRequestError;
	expect(error.networkCode).toBe('ECONNREFUSED');
	expect(error.message).toBe('Could not reach the token endpoint 127.0.0.1:1 (ECONNREFUSED)');
});
