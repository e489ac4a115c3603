/** The credential test n8n runs from the credential dialog: it really mints a token. */
import type { ICredentialTestFunctions, ICredentialsDecrypted, IHttpRequestOptions, IN8nHttpFullResponse, INodeCredentialTestResult } from 'n8n-workflow';

import type { HttpSender } from './transport/auth';
import { mintTokenUncached, TokenRequestError } from './transport/auth';
import { hostFor } from './transport/request';
import { parseServiceAccountJson, ServiceAccountKeyError } from './transport/serviceAccount';

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

export async function testRbmCredential(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as { serviceAccountJson?: string; region?: string; baseUrl?: string };
	try {
		const account = parseServiceAccountJson(data.serviceAccountJson ?? '');
		await mintTokenUncached(account, legacySender(this));
		return {
			status: 'OK',
			message: `Token issued for ${account.clientEmail} by ${new URL(account.tokenUri).host}; RBM requests go to ${hostFor(data as { serviceAccountJson: string })}.`,
		};
	} catch (error) {
		if (error instanceof ServiceAccountKeyError) return { status: 'Error', message: `${error.message}. ${error.hint}` };
		if (error instanceof TokenRequestError) {
			const hint =
				error.oauthError === 'invalid_grant'
					? ' The key was rejected: it may have been deleted or disabled (create a new key), or this machine\'s clock is off.'
					: error.networkCode
						? ' Check the network, proxy settings and the key\'s token_uri.'
						: '';
			return { status: 'Error', message: `Could not get an access token: ${error.message}.${hint}` };
		}
		const message = error instanceof Error ? error.message : String(error);
		return { status: 'Error', message: `Could not get an access token: ${message.includes('PRIVATE KEY') ? 'the private key could not be used' : message}` };
	}
}

/** The `methods.credentialTest` block every RBM node declares (`testedBy: 'rbmApiTest'`). */
export const rbmCredentialTestMethods = {
	async rbmApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		return await testRbmCredential.call(this, credential);
	},
};
