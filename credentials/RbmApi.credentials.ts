import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { REGION_OPTIONS } from '../nodes/shared/transport/credential';

/**
 * Google RBM API: a service-account key. No HTTP code here: what the nodes do with these fields
 * (host, key, credential test, token-error hints) is nodes/shared/transport/credential.ts, whose
 * RbmCredentialData is this list of fields as a type.
 */
export class RbmApi implements ICredentialType {
	name = 'rbmApi';

	displayName = 'Google RBM API';

	icon: Icon = { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' };

	// A literal, as n8n's lint wants; test/shared/docs.test.ts checks it is the package page's README section.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-rbm#credential-google-rbm-api';

	properties: INodeProperties[] = [
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
}
