/**
 * The `rbmApi` credential, in one place: its data as n8n decrypts it, the API host it points at
 * (region or Base URL), reading its service-account key, the credential test n8n runs from the
 * credential dialog, and what a token failure tells the user to do.
 *
 * Hosts (global and regional service endpoints): https://developers.google.com/business-communications/rcs-business-messaging/reference/rest
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeCredentialTestResult,
	INodePropertyOptions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HttpSender } from './auth';
import { requestToken, TokenRequestError } from './auth';
import type { ServiceAccount } from './serviceAccount';
import { parseServiceAccountJson, ServiceAccountKeyError } from './serviceAccount';

/** The credential type's name (credentials/RbmApi.credentials.ts). */
export const RBM_CREDENTIAL_TYPE = 'rbmApi';

/** The credential `rbmApi` as n8n decrypts it (fields: credentials/RbmApi.credentials.ts). */
export interface RbmCredentialData {
	serviceAccountJson: string;
	/** global (default), us, europe or asia. */
	region?: string;
	/** Replaces the RBM host (emulator, proxy); `{region}` in it becomes the region of each call. */
	baseUrl?: string;
	/** RBM Trigger: the webhook's client token, which verifies X-Goog-Signature. */
	webhookClientToken?: string;
	/** Hidden, expirable: the token n8n's preAuthentication stored (the nodes keep their own, auth.ts). */
	accessToken?: string;
}

export type RegionalEndpoint = 'us' | 'europe' | 'asia';
export type Region = 'global' | RegionalEndpoint;

export const REGION_HOSTS: Record<Region, string> = {
	global: 'https://rcsbusinessmessaging.googleapis.com',
	us: 'https://us-rcsbusinessmessaging.googleapis.com',
	europe: 'https://europe-rcsbusinessmessaging.googleapis.com',
	asia: 'https://asia-rcsbusinessmessaging.googleapis.com',
};

const REGION_LABELS: Record<Region, string> = { global: 'Global', us: 'US', europe: 'Europe', asia: 'Asia-Pacific' };

/** The credential's Region options: each region with its host. */
export const REGION_OPTIONS: INodePropertyOptions[] = (Object.keys(REGION_HOSTS) as Region[]).map((value) => ({
	name: REGION_LABELS[value],
	value,
	description: new URL(REGION_HOSTS[value]).host,
}));

/** The credential's data, typed: every node reads it through here. */
export async function readCredential(ctx: IExecuteFunctions | ITriggerFunctions | IWebhookFunctions): Promise<RbmCredentialData> {
	return await ctx.getCredentials<RbmCredentialData>(RBM_CREDENTIAL_TYPE);
}

/**
 * The API host for a request: the region's Google host, or the credential's Base URL. A Base URL
 * may hold `{region}` (replaced by global, us, europe or asia) so that a proxy or the emulator
 * sees which regional endpoint a request is for; without it every request goes to the Base URL.
 */
export function hostFor(credentials: Pick<RbmCredentialData, 'region' | 'baseUrl'>, region?: RegionalEndpoint): string {
	const name: Region = region ?? (credentials.region && credentials.region in REGION_HOSTS ? (credentials.region as Region) : 'global');
	const override = (credentials.baseUrl ?? '').trim();
	if (override !== '') return override.replace(/\{region\}/g, name).replace(/\/+$/, '');
	return REGION_HOSTS[name];
}

export const BUSINESS_COMMUNICATIONS_HOST = 'https://businesscommunications.googleapis.com';

/**
 * The Business Communications API host (testers, launch, verification, analytics): Google has
 * one, global. A Base URL stands for it too, with `{region}` replaced by `businesscommunications`
 * (the emulator serves both APIs on one server, so one Base URL routes both).
 */
export function businessHostFor(credentials: Pick<RbmCredentialData, 'baseUrl' | 'region'>): string {
	const override = (credentials.baseUrl ?? '').trim();
	if (override !== '') return override.replace(/\{region\}/g, 'businesscommunications').replace(/\/+$/, '');
	return BUSINESS_COMMUNICATIONS_HOST;
}

/** The credential's service-account key, or an error for the item that needs it. */
export function parseCredentials(node: INode, credentials: RbmCredentialData, itemIndex = 0): ServiceAccount {
	try {
		return parseServiceAccountJson(credentials.serviceAccountJson);
	} catch (error) {
		const keyError = error instanceof ServiceAccountKeyError;
		throw new NodeOperationError(node, `Credential "Google RBM API": ${keyError ? error.message : 'the Service Account JSON could not be read'}`, {
			description: keyError ? error.hint : undefined,
			itemIndex,
		});
	}
}

/** What to do about a failed token request: the one wording, for node errors and the credential test. */
export function tokenErrorHint(error: TokenRequestError, account: Pick<ServiceAccount, 'clientEmail' | 'tokenUri'>): string {
	const host = new URL(account.tokenUri).host;
	if (error.oauthError === 'invalid_grant') {
		return `${host} rejected the service-account key ${account.clientEmail}. The key may have been deleted or disabled (create a new key in the Google Cloud console and paste it into the credential), or this machine's clock is off by more than a few minutes.`;
	}
	if (error.oauthError === 'invalid_scope' || error.oauthError === 'unauthorized_client') {
		return `${host} refused the RBM and Business Communications scopes for ${account.clientEmail}: use the key of the service account created for your RBM agent.`;
	}
	if (error.oauthError === 'invalid_key') return 'The private_key of the Service Account JSON could not sign: paste the complete, unmodified key file.';
	if (error.networkCode) return `Check the network, proxy settings and the key's token_uri (${account.tokenUri}).`;
	return `The token endpoint ${host} did not issue a token for ${account.clientEmail}.`;
}

/** A token failure that is not a TokenRequestError, without key material. */
function otherTokenFailure(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.includes('PRIVATE KEY') ? 'the private key could not be used' : message;
}

const TOKEN_FAILED = 'Could not get an access token for the Google RBM API';

/** Token failures as n8n errors, with what to do. The assertion and key never reach the message. */
export function tokenError(node: INode, error: unknown, account: ServiceAccount, itemIndex: number): NodeApiError {
	if (error instanceof TokenRequestError) {
		return new NodeApiError(
			node,
			{ message: error.message, code: error.httpCode ?? error.networkCode ?? 'TOKEN_ERROR' },
			{
				message: `${TOKEN_FAILED}: ${error.message}`,
				description: tokenErrorHint(error, account),
				httpCode: error.httpCode !== undefined ? String(error.httpCode) : undefined,
				itemIndex,
			},
		);
	}
	return new NodeApiError(
		node,
		{ message: 'token request failed' },
		{ message: `${TOKEN_FAILED}: ${otherTokenFailure(error)}`, description: 'Check that the Service Account JSON is the complete, unmodified key file.', itemIndex },
	);
}

/**
 * The credential's `preAuthentication` (n8n's mechanism for token services): a fresh token for the
 * key, through n8n's own HTTP helper. n8n keeps it in the credential's hidden `accessToken` field,
 * adds it to the requests it authenticates with this credential (the credential test, the HTTP
 * Request node's "Google RBM API" credential), and calls this again after a 401. Failures are
 * thrown with what to do, without key material (n8n shows the message in the credential dialog).
 */
export async function preAuthenticate(send: HttpSender, data: Partial<RbmCredentialData>): Promise<{ accessToken: string }> {
	const parsed = readKey(data.serviceAccountJson ?? '');
	if ('problem' in parsed) throw new Error(parsed.problem);
	const result = await requestToken(parsed.account, send).then(
		(token) => ({ token: token.token }),
		(error: unknown) => ({ problem: tokenProblem(error, parsed.account) }),
	);
	if ('problem' in result) throw new Error(result.problem);
	return { accessToken: result.token };
}

function readKey(json: string): { account: ServiceAccount } | { problem: string } {
	try {
		return { account: parseServiceAccountJson(json) };
	} catch (error) {
		if (error instanceof ServiceAccountKeyError) return { problem: `${error.message}. ${error.hint}` };
		return { problem: 'The Service Account JSON could not be read' };
	}
}

function tokenProblem(error: unknown, account: ServiceAccount): string {
	if (error instanceof TokenRequestError) return `${TOKEN_FAILED}: ${error.message}. ${tokenErrorHint(error, account)}`;
	return `${TOKEN_FAILED}: ${otherTokenFailure(error)}`;
}

/** Credential tests only get n8n's legacy `request` helper; adapt it to the sender auth.ts takes. */
function legacySender(ctx: ICredentialTestFunctions): HttpSender {
	return async (options: IHttpRequestOptions): Promise<IN8nHttpFullResponse> => {
		const response = (await ctx.helpers.request({
			method: options.method ?? 'GET',
			uri: options.url,
			body: options.body,
			headers: options.headers,
			json: false,
			resolveWithFullResponse: true,
			simple: false,
			timeout: options.timeout,
		})) as { statusCode: number; body: unknown; headers: IN8nHttpFullResponse['headers'] };
		return { statusCode: response.statusCode, body: response.body as IN8nHttpFullResponse['body'], headers: response.headers ?? {} };
	};
}

/**
 * The credential test (the dialog's Test button): the credential's own preAuthentication, a real
 * grant with the key, never cached. A test request after it cannot carry the new token to Google's
 * tokeninfo (n8n resolves the request before preAuthentication runs), and RBM has no endpoint to
 * probe without an agent and a phone, so the grant is the test; it says which account got the
 * token and where RBM requests will go.
 */
export async function testRbmCredential(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as Partial<RbmCredentialData>;
	const parsed = readKey(data.serviceAccountJson ?? '');
	if ('problem' in parsed) return { status: 'Error', message: parsed.problem };
	const { account } = parsed;
	return await requestToken(account, legacySender(this)).then(
		(): INodeCredentialTestResult => ({ status: 'OK', message: `Token issued for ${account.clientEmail} by ${new URL(account.tokenUri).host}; RBM requests go to ${hostFor(data)}.` }),
		(error: unknown): INodeCredentialTestResult => ({ status: 'Error', message: tokenProblem(error, account) }),
	);
}

/** The `methods.credentialTest` block every RBM node declares (`testedBy: 'rbmApiTest'`). */
export const rbmCredentialTestMethods = {
	async rbmApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		return await testRbmCredential.call(this, credential);
	},
};
