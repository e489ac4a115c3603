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
 * cache on kept-alive connections (nodes/shared/transport/auth.ts, docs/credentials.md). No HTTP code here: what the
 * fields mean is nodes/shared/transport/credential.ts, whose RbmCredentialData is this list as a type.
 */
export class RbmApi implements ICredentialType {
	name = 'rbmApi';

	displayName = 'Google RBM API';

	icon: Icon = { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' };

	// A literal, as n8n's lint wants; test/shared/docs.test.ts checks it is a README section of the package page (Credentials).
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-rbm#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName:
				'<b>Where the key comes from:</b> in the <a href="https://business-communications.cloud.google.com/" target="_blank">RBM Developer Console</a>, open Partner account settings › Service account, create a key and download it as JSON (<a href="https://developers.google.com/business-communications/rcs-business-messaging/guides/get-started/partner-account#set_up_service_account_to_authenticate_api_calls" target="_blank">Google\'s guide</a>). Paste the whole file below. <b>Leave Base URL empty</b> to talk to Google; fill it only for the local RBM emulator or a proxy.',
			name: 'keyNotice',
			type: 'notice',
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
			description: 'The whole JSON key file of your RBM partner account\'s service account (RBM Developer Console › Partner account settings › Service account › Create key)',
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
			placeholder: 'Empty for Google',
			description: 'Leave empty for Google. Only for the local RBM emulator or a proxy: replaces the RBM host, e.g. http://127.0.0.1:8787/{region} for the emulator; {region} becomes global, us, europe or asia for each call (bulk checks go to the region of their numbers).',
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
