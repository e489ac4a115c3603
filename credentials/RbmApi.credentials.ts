import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Google RBM API: a service-account key. No HTTP code here: the token exchange lives in
 * nodes/shared/transport/auth.ts and the credential test in the nodes (`testedBy: 'rbmApiTest'`).
 */
export class RbmApi implements ICredentialType {
	name = 'rbmApi';

	displayName = 'Google RBM API';

	icon: Icon = { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-rbm/n8n-nodes-rbm#credential-google-rbm-api';

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
			options: [
				{ name: 'Global', value: 'global', description: 'rcsbusinessmessaging.googleapis.com' },
				{ name: 'US', value: 'us', description: 'us-rcsbusinessmessaging.googleapis.com' },
				{ name: 'Europe', value: 'europe', description: 'europe-rcsbusinessmessaging.googleapis.com' },
				{ name: 'Asia-Pacific', value: 'asia', description: 'asia-rcsbusinessmessaging.googleapis.com' },
			],
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
