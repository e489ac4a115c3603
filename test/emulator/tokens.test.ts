import { generateKeyPairSync } from 'node:crypto';
import { startEmulator, type RbmEmulator, type ServiceAccountKey } from '../../emulator';
import { api, GOOGLE_AUD, getToken, makeJwt, postToken, request, sendPath } from './helpers';

describe('emulator: OAuth JWT-bearer token endpoint', () => {
	let emu: RbmEmulator;
	let key: ServiceAccountKey;
	beforeAll(async () => {
		emu = await startEmulator();
		key = emu.createServiceAccountKey();
	});
	afterAll(() => emu.close());

	it('generates a Google-shaped service-account key', () => {
		expect(key.type).toBe('service_account');
		expect(key.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
		expect(key.client_email).toBe('rbm-agent@emulator-project.iam.gserviceaccount.com');
		expect(key.token_uri).toBe(`${emu.url}/token`);
		for (const f of ['project_id', 'private_key_id', 'client_id', 'auth_uri', 'auth_provider_x509_cert_url', 'client_x509_cert_url', 'universe_domain']) {
			expect(typeof (key as unknown as Record<string, unknown>)[f]).toBe('string');
		}
		const second = emu.createServiceAccountKey();
		expect(second.client_email).not.toBe(key.client_email);
		expect(emu.createServiceAccountKey({ clientEmail: 'x@p.iam.gserviceaccount.com' }).client_email).toBe('x@p.iam.gserviceaccount.com');
	});

	it.each([
		['Google token URL', GOOGLE_AUD],
		['emulator token URL', 'SELF'],
	])('grants a bearer token for a JWT whose aud is the %s', async (_label, aud) => {
		const res = await postToken(emu, makeJwt(key, { aud: aud === 'SELF' ? `${emu.url}/token` : aud }));
		expect(res.status).toBe(200);
		const body = res.json();
		expect(body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
	});

	it('accepts a JWT without kid', async () => {
		const res = await postToken(emu, makeJwt(key, {}, { kid: undefined }));
		expect(res.status).toBe(200);
	});

	it('rejects a JWT signed by another key with invalid_grant "Invalid JWT Signature."', async () => {
		const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		const res = await postToken(emu, makeJwt({ ...key, private_key: other }));
		expect(res.status).toBe(400);
		expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
	});

	it('rejects a tampered payload', async () => {
		const [h, , s] = makeJwt(key).split('.');
		const p = Buffer.from(JSON.stringify({ iss: key.client_email, scope: 'x', aud: GOOGLE_AUD, iat: 1, exp: 2 })).toString('base64url');
		const res = await postToken(emu, `${h}.${p}.${s}`);
		expect(res.json().error_description).toBe('Invalid JWT Signature.');
	});

	it('rejects a wrong scope with invalid_scope', async () => {
		const res = await postToken(emu, makeJwt(key, { scope: 'https://www.googleapis.com/auth/cloud-platform' }));
		expect(res.status).toBe(400);
		expect(res.json().error).toBe('invalid_scope');
	});

	it('accepts the RBM scope among several scopes', async () => {
		const res = await postToken(emu, makeJwt(key, { scope: `https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/rcsbusinessmessaging` }));
		expect(res.status).toBe(200);
	});

	it.each([
		['expired', { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }],
		['too long-lived', { iat: Math.floor(Date.now() / 1000) - 1, exp: Math.floor(Date.now() / 1000) + 3600 }],
		['issued in the future', { iat: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 1200 }],
	])('rejects a JWT that is %s', async (_l, claims) => {
		const res = await postToken(emu, makeJwt(key, claims));
		expect(res.status).toBe(400);
		expect(res.json().error).toBe('invalid_grant');
		expect(res.json().error_description).toMatch(/^Invalid JWT: Token must be a short-lived token \(60 minutes\)/);
	});

	it('rejects an unknown issuer and a wrong audience', async () => {
		const unknown = await postToken(emu, makeJwt({ ...key, client_email: 'nobody@x.iam.gserviceaccount.com' }));
		expect(unknown.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' });
		const aud = await postToken(emu, makeJwt(key, { aud: 'https://example.com/token' }));
		expect(aud.json().error).toBe('invalid_grant');
	});

	it('rejects an unsupported grant_type', async () => {
		const res = await postToken(emu, makeJwt(key), 'client_credentials');
		expect(res.status).toBe(400);
		expect(res.json().error).toBe('unsupported_grant_type');
	});

	it('counts grants and rejections', async () => {
		emu.reset();
		await postToken(emu, makeJwt(key));
		await postToken(emu, 'not-a-jwt');
		const s = emu.stats();
		expect(s.tokenGrants).toBe(1);
		expect(s.tokenRejections).toBe(1);
		expect(s.requests.token).toBe(2);
	});

	it('answers tokeninfo like Google', async () => {
		const token = await getToken(emu, key);
		const ok = await request(emu.url, 'GET', `/tokeninfo?access_token=${token}`);
		expect(ok.status).toBe(200);
		expect(ok.json()).toMatchObject({ email: key.client_email, scope: expect.stringContaining('rcsbusinessmessaging'), aud: key.client_id });
		expect(Number(ok.json().expires_in)).toBeGreaterThan(3500);
		const bad = await request(emu.url, 'GET', '/tokeninfo?access_token=nope');
		expect(bad.status).toBe(400);
		expect(bad.json()).toEqual({ error: 'invalid_token', error_description: 'Invalid Value' });
	});
});

describe('emulator: bearer auth on the RBM API', () => {
	let emu: RbmEmulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(() => emu.close());
	const body = { contentMessage: { text: 'hi' } };

	it('answers 401 UNAUTHENTICATED without a token or with an unknown one', async () => {
		const none = await request(emu.url, 'POST', sendPath('+12223334444', 'm-1'), { body: JSON.stringify(body) });
		expect(none.status).toBe(401);
		expect(none.json().error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', message: expect.stringContaining('Request had invalid authentication credentials') });
		const bogus = await api(emu, 'ya29.bogus', 'POST', sendPath('+12223334444', 'm-2'), body);
		expect(bogus.status).toBe(401);
		expect(emu.stats().unauthorized).toBe(2);
	});

	it('answers 401 after revokeTokens(), and a new token works', async () => {
		const token = await getToken(emu);
		expect((await api(emu, token, 'POST', sendPath('+12223334444', 'r-1'), body)).status).toBe(200);
		emu.revokeTokens();
		expect((await api(emu, token, 'POST', sendPath('+12223334444', 'r-2'), body)).status).toBe(401);
		const fresh = await getToken(emu);
		expect((await api(emu, fresh, 'POST', sendPath('+12223334444', 'r-2'), body)).status).toBe(200);
	});

	it('answers 401 once a token has expired', async () => {
		emu.configure({ tokenTtlSeconds: 0 });
		const token = await getToken(emu);
		expect((await api(emu, token, 'POST', sendPath('+12223334444', 'e-1'), body)).status).toBe(401);
		emu.configure({ tokenTtlSeconds: 3600 });
	});

	it('never stores the Authorization value', async () => {
		const token = await getToken(emu);
		await api(emu, token, 'POST', sendPath('+12223334444', 'red-1'), body);
		const last = emu.stats().lastRequest['agentMessages.create'];
		expect(last.headers.authorization).toBe('Bearer <redacted>');
		expect(JSON.stringify(emu.stats())).not.toContain(token);
		expect(last.query).toEqual({ messageId: 'red-1', agentId: 'test-agent' });
	});
});
