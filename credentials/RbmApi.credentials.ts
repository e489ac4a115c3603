import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	IN8nHttpFullResponse,
	INodeProperties,
} from 'n8n-workflow';

import type { RbmCredentialData } from '../nodes/shared/transport/credential';
import { preAuthenticate, REGION_OPTIONS } from '../nodes/shared/transport/credential';

/**
 * Google RBM API: a service-account key, n8n's way for token services. `preAuthentication` signs
 * the JWT grant with node:crypto and gets an access token through n8n's HTTP helper; n8n keeps it
 * in the hidden, expirable `accessToken` field, `authenticate` adds it as a Bearer header, and
 * n8n calls `preAuthentication` again after a 401 (the HTTP Request node with this credential
 * works that way). The credential test is the same grant (testedBy 'rbmApiTest' on the nodes:
 * transport/credential.ts says why it is not a test request). The RBM nodes keep their own token
 * cache on kept-alive connections (nodes/shared/transport/auth.ts, README › Credential). No HTTP code here: what the
 * fields mean is nodes/shared/transport/credential.ts, whose RbmCredentialData is this list as a type.
 */
export class RbmApi implements ICredentialType {
	name = 'rbmApi';

	displayName = 'Google RBM API';

	icon: Icon = { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' };

	// A literal, as n8n's lint wants; test/shared/docs.test.ts checks it is the package page's README section.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-rbm#credential-google-rbm-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Service Account JSON',
			name: 'serviceAccountJson',
			type: 'string',
			typeOptions: { password: true, rows: 8 },
			required: true,
			default: '',
			placeholder: '{ "type": "service_account", "client_email": "…", "private_key": "-----BEGIN PRIVATE KEY-----…", … }',
			description: 'The whole JSON key file of your RBM agent\'s service account (Business Communications Developer Console › agent › Service account › Create key)',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'global',
			options: REGION_OPTIONS,
			description: 'The RBM endpoint closest to where n8n runs',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/{region}',
			description: 'Optional. Replaces the RBM host, e.g. for the local RBM emulator or a proxy. {region} in it becomes global, us, europe or asia for each call (bulk checks go to the region of their numbers); the emulator needs it.',
		},
		{
			displayName: 'Webhook Client Token',
			name: 'webhookClientToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional, for the RBM Trigger: the client token shown by the RBM console for your webhook. It verifies X-Goog-Signature.',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await preAuthenticate(
			async (options) => (await this.helpers.httpRequest(options)) as IN8nHttpFullResponse,
			credentials as Partial<RbmCredentialData>,
		);
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};
}
