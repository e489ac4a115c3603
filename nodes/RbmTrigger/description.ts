import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from './consent';
import { EVENT_TYPES } from './events';

/** Only nodes saved with the removed Redis filter show its option and the notice about it. */
const removedRedis = { show: { redeliveryStore: ['redis'] } };

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
			'Replies that mean "stop messaging me", separated by commas. A typed reply that is exactly one of them comes out with optOut: true; capitals, extra spaces, accents and punctuation at the ends do not count, and a longer sentence such as "don\'t stop" never matches. A tapped suggestion counts only when its postback data is one of them, never by its label. Empty: no reply counts as an opt-out.',
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
		description: 'Where the IDs of received events are kept, so that an event RBM delivers again starts no second execution. With several n8n processes, claim each event ID with n8n\'s Redis node after this trigger (see the docs).',
		options: [
			{
				name: 'In This Process (Memory)',
				value: 'memory',
				description: 'The last 10,000 IDs per trigger, in this n8n process: right for one n8n process',
			},
			{
				// Kept so that workflows saved with it still load and run (as memory); the editor offers
				// it only to a node that already has it.
				name: 'Redis (Removed: Use the Claim Pattern)',
				value: 'redis',
				description: 'Removed: this node now keeps IDs in this process\'s memory and never connects to Redis',
				displayOptions: removedRedis,
			},
		],
	},
	{
		displayName:
			'Redelivery Filter › Redis was removed: this trigger now keeps event IDs in this n8n process\'s memory, as In This Process (Memory) does, and never connects to Redis. With several n8n processes (queue mode), a redelivery that reaches another process starts a second execution: put n8n\'s Redis node right after this trigger (Increment on a key made of the event ID, with Expire, 604800 seconds) and an If node that lets the item through only when the count is 1. The package\'s example workflow trigger-redis-claim.json does this. Select In This Process (Memory) to hide this notice.',
		name: 'redisRemovedNotice',
		type: 'notice',
		default: '',
		displayOptions: removedRedis,
	},
];
