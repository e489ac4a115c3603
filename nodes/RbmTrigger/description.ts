import type { INodeProperties } from 'n8n-workflow';

import { EVENT_TYPES } from './events';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Paste this node\'s Production URL into the RBM console (partner or agent › Integrations › Webhook) with the client token shown there, then click Verify. The token goes into the credential (Webhook Client Token) or the field below.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Client Token',
		name: 'clientToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Overrides the credential\'s Webhook Client Token: the token the RBM console shows for this webhook. It verifies the handshake and every X-Goog-Signature.',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		// Everything but the typing indicator, which fires on every keystroke pause.
		default: ['text', 'suggestionResponse', 'location', 'file', 'DELIVERED', 'READ', 'subscription', 'serverEvent', 'agentLaunch'],
		description: 'Which events start the workflow; the others are acknowledged and dropped',
		options: [...EVENT_TYPES].sort((a, b) => a.name.localeCompare(b.name)),
	},
];
