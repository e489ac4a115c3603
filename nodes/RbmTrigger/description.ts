import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from './consent';
import { EVENT_TYPES } from './events';
import { DEFAULT_KEY_PREFIX, DEFAULT_TTL_SECONDS } from './redeliveryStore';

const withRedis = { show: { redeliveryStore: ['redis'] } };

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
	{
		displayName: 'Opt-Out Keywords',
		name: 'optOutKeywords',
		type: 'string',
		default: DEFAULT_OPT_OUT_KEYWORDS,
		description:
			'Replies that mean "stop messaging me", separated by commas. A reply (or a tapped suggestion) that is exactly one of them comes out with optOut: true. Capitals, extra spaces, accents and punctuation at the ends do not count; a longer sentence such as "don\'t stop" never matches. Empty: no reply counts as an opt-out.',
	},
	{
		displayName: 'Opt-In Keywords',
		name: 'optInKeywords',
		type: 'string',
		default: DEFAULT_OPT_IN_KEYWORDS,
		description: 'Replies that mean "message me again", separated by commas, matched the same way; they come out with optIn: true. Empty: no reply counts as an opt-in.',
	},
	{
		displayName: 'Separate Outputs for Opt-Outs and Opt-Ins',
		name: 'consentOutputs',
		type: 'boolean',
		default: false,
		description: 'Whether opt-outs and opt-ins leave the node on their own outputs (Opt-out, Opt-in), with everything else on a third. Off: one output, where the optOut and optIn fields tell them apart.',
	},
	{
		displayName: 'Redelivery Filter',
		name: 'redeliveryStore',
		type: 'options',
		default: 'memory',
		description: 'Where the IDs of received events are kept, so that an event RBM delivers again starts no second execution',
		options: [
			{
				name: 'In This Process (Memory)',
				value: 'memory',
				description: 'The last 10,000 IDs per trigger, in this n8n process: right for one n8n process',
			},
			{
				name: 'Redis (Shared Across Processes)',
				value: 'redis',
				description: 'IDs kept in Redis, shared by every n8n process: for queue mode with several webhook processes, and across restarts',
			},
		],
	},
	{
		displayName: 'Redelivery TTL (Seconds)',
		name: 'redeliveryTtl',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: DEFAULT_TTL_SECONDS,
		displayOptions: withRedis,
		description: 'How long Redis keeps an event ID. RBM retries an undelivered event for up to 7 days (604,800 seconds).',
	},
	{
		displayName: 'Redis Key Prefix',
		name: 'redeliveryKeyPrefix',
		type: 'string',
		default: DEFAULT_KEY_PREFIX,
		displayOptions: withRedis,
		description: 'Each key is this prefix followed by workflow ID:node ID:event ID',
	},
];
