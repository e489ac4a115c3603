/**
 * The JWT-bearer grant we sign with node:crypto (nodes/shared/transport/jwt.ts), against
 * google-auth-library as the oracle (a devDependency: its token client reads environment variables
 * and files, so it cannot ship in a verified community node): for the same key and clock the
 * assertion and the posted form are byte for byte what the library builds, and the library's own
 * verifier accepts our assertion.
 */
import { generateKeyPairSync } from 'node:crypto';

import { JWT, OAuth2Client } from 'google-auth-library';

import { GOOGLE_TOKEN_AUDIENCE, grantForm, signGrantAssertion, TOKEN_SCOPES } from '../../../nodes/shared/transport/jwt';

const keys = Array.from({ length: 3 }, () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }));
const accounts = keys.map((key, i) => ({ clientEmail: `sa-${i}@agent-${i}.iam.gserviceaccount.com`, privateKey: key.privateKey }));
// Whole seconds, a fraction of a second, a leap-year day, far ahead: iat is floor(ms / 1000) in both.
const clocks = [Date.UTC(2026, 11, 6, 12, 0, 0), Date.UTC(2026, 11, 6, 12, 0, 0) + 999, Date.UTC(2028, 1, 29, 23, 59, 59, 500), Date.UTC(2038, 0, 19, 3, 14, 8)];

/** What google-auth-library posts to the token endpoint for this key at this clock. */
async function libraryGrant(account: { clientEmail: string; privateKey: string }, now: number): Promise<string> {
	jest.setSystemTime(now);
	let posted = '';
	const transporter = {
		async request(options: { url?: string; data?: unknown }) {
			posted = String(options.data);
			return { data: { access_token: 'ya29.test', expires_in: 3600, token_type: 'Bearer' }, status: 200, headers: {} };
		},
	};
	const client = new JWT({ email: account.clientEmail, key: account.privateKey, scopes: TOKEN_SCOPES, transporter: transporter as unknown as JWT['transporter'], useAuthRequestParameters: false });
	await client.getAccessToken();
	return posted;
}

beforeAll(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] }));
afterAll(() => jest.useRealTimers());

describe('the JWT-bearer grant, against google-auth-library', () => {
	test.each(accounts.flatMap((account, k) => clocks.map((now) => [k, now, account] as const)))('key %i at %i: the same form, assertion included, byte for byte', async (_k, now, account) => {
		const ours = grantForm(signGrantAssertion(account, now));
		expect(ours).toBe(await libraryGrant(account, now));
	});

	test('google-auth-library verifies our assertion: signature, issuer, audience, one-hour lifetime', async () => {
		const now = Date.UTC(2026, 11, 6, 12, 0, 0);
		jest.setSystemTime(now + 10_000);
		const [account] = accounts;
		const assertion = signGrantAssertion(account, now);
		// The header carries no kid (as the library signs it): the verifier then looks the cert up under "undefined".
		const login = await new OAuth2Client().verifySignedJwtWithCertsAsync(assertion, { undefined: keys[0].publicKey }, GOOGLE_TOKEN_AUDIENCE, [account.clientEmail], 3600);
		expect(login.getPayload()).toEqual({ iss: account.clientEmail, scope: TOKEN_SCOPES.join(' '), aud: GOOGLE_TOKEN_AUDIENCE, iat: now / 1000, exp: now / 1000 + 3600 });
		// …and rejects it when signed by another key
		await expect(new OAuth2Client().verifySignedJwtWithCertsAsync(assertion, { undefined: keys[1].publicKey }, GOOGLE_TOKEN_AUDIENCE, [account.clientEmail], 3600)).rejects.toThrow(/Invalid token signature/);
	});
});
