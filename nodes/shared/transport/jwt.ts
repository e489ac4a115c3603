/**
 * The OAuth 2.0 JWT-bearer grant of a Google service account, signed with `node:crypto` (RS256):
 * https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
 *
 * Written here rather than taken from google-auth-library: that library's token client reads
 * environment variables and files, which n8n's verification forbids a community node. It stays a
 * test oracle: test/shared/transport/jwt.test.ts checks that the assertion and the form below are
 * byte for byte what google-auth-library builds for the same key and clock, and that its own
 * verifier accepts them.
 */
import { createSign } from 'node:crypto';

import type { ServiceAccount } from './serviceAccount';

export const RBM_SCOPE = 'https://www.googleapis.com/auth/rcsbusinessmessaging';
/** Business Communications API (testers, launch, verification, analytics). */
export const BUSINESS_COMMUNICATIONS_SCOPE = 'https://www.googleapis.com/auth/businesscommunications';
/**
 * One token for both APIs: one grant, one cached token and one credential. Google issues it to any
 * service account (scopes are not permissions); what the account may do in Business
 * Communications depends on its partner-console role, and without one that API answers 403.
 */
export const TOKEN_SCOPES = [RBM_SCOPE, BUSINESS_COMMUNICATIONS_SCOPE];
/** The audience Google expects in the assertion, whatever the key's token_uri (as google-auth-library signs it). */
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google's longest assertion lifetime (and the token's): one hour. */
const LIFETIME_S = 3600;

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The signed assertion for `scope`, issued at `nowMs` (the clock is a parameter for the tests). */
export function signGrantAssertion(account: Pick<ServiceAccount, 'clientEmail' | 'privateKey'>, nowMs = Date.now(), scope = TOKEN_SCOPES.join(' ')): string {
	const iat = Math.floor(nowMs / 1000);
	// Field order as google-auth-library writes it: the assertions are then identical.
	const payload = { iss: account.clientEmail, scope, aud: GOOGLE_TOKEN_AUDIENCE, exp: iat + LIFETIME_S, iat };
	const unsigned = `${base64url(JSON.stringify({ alg: 'RS256' }))}.${base64url(JSON.stringify(payload))}`;
	const signature = createSign('RSA-SHA256').update(unsigned).sign(account.privateKey).toString('base64url');
	return `${unsigned}.${signature}`;
}

/** The form posted to the key's token_uri. */
export function grantForm(assertion: string): string {
	return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString();
}
