/**
 * OAuth 2.0 JWT-bearer grant (RFC 7523) as Google's token endpoint does it for service accounts
 * (https://developers.google.com/identity/protocols/oauth2/service-account#httprest), plus service-account key generation and bearer-token checks.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { BC_SCOPE } from './business';
import { json } from './http';
import type { HttpResult, ServiceAccountKey } from './types';

export const RBM_SCOPE = 'https://www.googleapis.com/auth/rcsbusinessmessaging';
export const GOOGLE_TOKEN_AUD = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const PROJECT = 'emulator-project';
const SKEW_S = 60;

interface RegisteredKey {
	keyId: string;
	clientId: string;
	publicKey: KeyObject;
}

export interface IssuedToken {
	email: string;
	clientId: string;
	scope: string;
	expiresAt: number; // epoch ms
}

type GrantOutcome = { ok: true; result: HttpResult } | { ok: false; result: HttpResult };

const reject = (error: string, description: string): GrantOutcome => ({
	ok: false,
	result: json(400, { error, error_description: description }),
});

const SHORT_LIVED =
	'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. ' +
	'Check your iat and exp values in the JWT claim.';

function b64urlJson(part: string): Record<string, unknown> | null {
	try {
		const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

export class TokenAuthority {
	private readonly keys = new Map<string, RegisteredKey[]>();
	private readonly tokens = new Map<string, IssuedToken>();

	/** Generates an RSA-2048 key pair, registers the public half and returns Google's key JSON. */
	createKey(baseUrl: string, clientEmail?: string): ServiceAccountKey {
		let email = clientEmail;
		if (!email) {
			email = `rbm-agent@${PROJECT}.iam.gserviceaccount.com`;
			for (let n = 2; this.keys.has(email); n++) email = `rbm-agent-${n}@${PROJECT}.iam.gserviceaccount.com`;
		}
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const keyId = randomBytes(20).toString('hex');
		const existing = this.keys.get(email);
		const clientId = existing?.[0]?.clientId ?? String(100000000000000000000n + BigInt(randomBytes(6).readUIntBE(0, 6)));
		this.keys.set(email, [...(existing ?? []), { keyId, clientId, publicKey }]);
		return {
			type: 'service_account',
			project_id: PROJECT,
			private_key_id: keyId,
			private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
			client_email: email,
			client_id: clientId,
			auth_uri: 'https://accounts.google.com/o/oauth2/auth',
			token_uri: `${baseUrl}/token`,
			auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
			client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
			universe_domain: 'googleapis.com',
		};
	}

	/** Registers an existing public key (PEM) for a client email, e.g. one generated elsewhere. */
	registerPublicKey(clientEmail: string, publicKeyPem: string, keyId = randomBytes(20).toString('hex')): void {
		const existing = this.keys.get(clientEmail) ?? [];
		const clientId = existing[0]?.clientId ?? String(Date.now());
		existing.push({ keyId, clientId, publicKey: createPublicKey(publicKeyPem) });
		this.keys.set(clientEmail, existing);
	}

	grant(form: URLSearchParams, baseUrl: string, ttlSeconds: number, now = Date.now()): GrantOutcome {
		const grantType = form.get('grant_type');
		if (!grantType) return reject('invalid_request', 'Missing required parameter: grant_type');
		if (grantType !== JWT_BEARER) return reject('unsupported_grant_type', `Invalid grant_type: ${grantType}`);
		const assertion = form.get('assertion');
		if (!assertion) return reject('invalid_request', 'Missing required parameter: assertion');

		const parts = assertion.split('.');
		const header = parts.length === 3 ? b64urlJson(parts[0]) : null;
		const claims = parts.length === 3 ? b64urlJson(parts[1]) : null;
		if (!header || !claims) return reject('invalid_grant', 'Invalid JWT Signature.');
		if (header.alg !== 'RS256') return reject('invalid_grant', 'Invalid JWT Signature.');

		const iss = typeof claims.iss === 'string' ? claims.iss : '';
		const registered = this.keys.get(iss);
		if (!registered) return reject('invalid_grant', 'Invalid grant: account not found');

		const kid = typeof header.kid === 'string' ? header.kid : undefined;
		const candidates = kid ? registered.filter((k) => k.keyId === kid) : registered;
		const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
		const sig = Buffer.from(parts[2], 'base64url');
		const key = candidates.find((k) => {
			try {
				return verify('RSA-SHA256', signed, k.publicKey, sig);
			} catch {
				return false;
			}
		});
		if (!key) return reject('invalid_grant', 'Invalid JWT Signature.');

		const nowS = Math.floor(now / 1000);
		const iat = claims.iat;
		const exp = claims.exp;
		if (typeof iat !== 'number' || typeof exp !== 'number') return reject('invalid_grant', SHORT_LIVED);
		if (iat > nowS + SKEW_S || exp <= nowS || exp - iat > 3600 || exp <= iat) {
			return reject('invalid_grant', SHORT_LIVED);
		}

		const aud = claims.aud;
		const audOk = aud === GOOGLE_TOKEN_AUD || aud === `${baseUrl}/token`;
		if (!audOk) {
			return reject(
				'invalid_grant',
				`Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_AUD}`,
			);
		}

		const scope = typeof claims.scope === 'string' ? claims.scope : '';
		// Either API's scope (or both, as the nodes ask); each API then checks its own (server.ts).
		const scopes = scope.split(/\s+/);
		if (!scopes.includes(RBM_SCOPE) && !scopes.includes(BC_SCOPE)) {
			return reject(
				'invalid_scope',
				scope ? `Invalid OAuth scope or ID token audience provided.` : 'Empty or missing scope not allowed.',
			);
		}

		const accessToken = `ya29.emu-${randomBytes(32).toString('base64url')}`;
		this.tokens.set(accessToken, {
			email: iss,
			clientId: key.clientId,
			scope,
			expiresAt: now + ttlSeconds * 1000,
		});
		return {
			ok: true,
			result: json(200, { access_token: accessToken, expires_in: ttlSeconds, token_type: 'Bearer' }, {
				'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
			}),
		};
	}

	/** The token behind an `Authorization: Bearer …` header, if it is known and unexpired. */
	check(authorization: string | undefined, now = Date.now()): IssuedToken | null {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (!m) return null;
		const t = this.tokens.get(m[1]);
		if (!t || t.expiresAt <= now) return null;
		return t;
	}

	/** Google's tokeninfo shape (numbers as strings, like the real endpoint). */
	tokenInfo(accessToken: string | null, now = Date.now()): HttpResult {
		const t = accessToken ? this.tokens.get(accessToken) : undefined;
		if (!t || t.expiresAt <= now) {
			return json(400, { error: 'invalid_token', error_description: 'Invalid Value' });
		}
		return json(200, {
			azp: t.clientId,
			aud: t.clientId,
			scope: t.scope,
			exp: String(Math.floor(t.expiresAt / 1000)),
			expires_in: String(Math.max(0, Math.floor((t.expiresAt - now) / 1000))),
			email: t.email,
			email_verified: 'true',
			access_type: 'online',
		});
	}

	revokeAll(): void {
		this.tokens.clear();
	}
}
