import { tryParseJson } from '../json';

/** A parsed, checked service-account key. Never log or return `privateKey`. */
export interface ServiceAccount {
	clientEmail: string;
	privateKey: string;
	privateKeyId?: string;
	projectId?: string;
	tokenUri: string;
}

export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

export class ServiceAccountKeyError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'ServiceAccountKeyError';
	}
}

const HOW_TO_GET_A_KEY =
	'Paste the whole JSON key file of the RBM service account (Business Communications Developer Console › your agent › Service account › Create key), including the braces.';

/**
 * Reads the credential's "Service Account JSON". Error messages never quote the input: a
 * JSON.parse message would echo part of the private key.
 */
export function parseServiceAccountJson(raw: unknown): ServiceAccount {
	let data: unknown = raw;
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (text === '') throw new ServiceAccountKeyError('Service Account JSON is empty', HOW_TO_GET_A_KEY);
		const parsed = tryParseJson(text);
		if (!parsed.ok) {
			throw new ServiceAccountKeyError(
				`Service Account JSON is not valid JSON${parsed.position ? ` (parse error at character ${parsed.position})` : ''}`,
				`${HOW_TO_GET_A_KEY} A truncated copy or a missing quote is the usual cause.`,
			);
		}
		data = parsed.value;
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new ServiceAccountKeyError('Service Account JSON must be a JSON object', HOW_TO_GET_A_KEY);
	}
	const key = data as Record<string, unknown>;
	if (key.type !== undefined && key.type !== 'service_account') {
		throw new ServiceAccountKeyError(
			`Service Account JSON is a "${String(key.type)}" credential, not a service-account key`,
			`${HOW_TO_GET_A_KEY} OAuth client secrets and user credentials do not work with RBM.`,
		);
	}
	const missing = ['client_email', 'private_key'].filter((field) => typeof key[field] !== 'string' || key[field] === '');
	if (missing.length > 0) {
		throw new ServiceAccountKeyError(
			`Service Account JSON is missing ${missing.map((f) => `"${f}"`).join(' and ')}`,
			HOW_TO_GET_A_KEY,
		);
	}
	const privateKey = String(key.private_key).replace(/\\n/g, '\n');
	if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
		throw new ServiceAccountKeyError(
			'Service Account JSON has a "private_key" that is not a PEM private key',
			`${HOW_TO_GET_A_KEY} The key starts with "-----BEGIN PRIVATE KEY-----".`,
		);
	}
	const tokenUri = typeof key.token_uri === 'string' && key.token_uri !== '' ? key.token_uri : GOOGLE_TOKEN_URI;
	if (!/^https?:\/\//.test(tokenUri)) {
		throw new ServiceAccountKeyError('Service Account JSON has a "token_uri" that is not an http(s) URL', HOW_TO_GET_A_KEY);
	}
	return {
		clientEmail: String(key.client_email),
		privateKey,
		privateKeyId: typeof key.private_key_id === 'string' ? key.private_key_id : undefined,
		projectId: typeof key.project_id === 'string' ? key.project_id : undefined,
		tokenUri,
	};
}
