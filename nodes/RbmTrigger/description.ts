import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from './consent';
import { EVENT_TYPES } from './events';
import { CUSTOM } from './triggerOn';

/** Only nodes saved with the removed Redis filter show its option and the notice about it. */
const removedRedis = { show: { redeliveryStore: ['redis'] } };

/** The Production URL must be public HTTPS for Google; publishing the workflow turns it on. */
export const WEBHOOK_URL_NOTICE =
	'<b>Google only calls a public HTTPS address.</b> If the Production URL (Webhook URLs, above) starts with <code>http://</code> or shows <code>localhost</code> or <code>127.0.0.1</code>, Google cannot reach it: set n8n\'s <code>WEBHOOK_URL</code> to your public <code>https://</code> address (or a tunnel\'s) and restart n8n. Then <b>publish (activate) the workflow</b>: the Production URL answers only while the workflow is published; the Test URL only while the editor listens for a test event.';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: WEBHOOK_URL_NOTICE,
		name: 'webhookUrlNotice',
		type: 'notice',
		default: '',
	},
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
		// The nodes panel lists these options as the trigger's entries, in this order and by their
		// `action` (triggerOn.ts); names sort as n8n's lint wants and still put replies first.
		displayName: 'Trigger On',
		name: 'triggerOn',
		type: 'options',
		noDataExpression: true,
		default: CUSTOM,
		description: 'Which events start the workflow; the others are acknowledged and dropped',
		options: [
			{
				name: 'All Replies and Taps',
				value: 'replies',
				action: 'On replies and taps',
				description: 'Typed messages, tapped buttons and chips, shared locations and files',
			},
			{
				name: 'Any Event',
				value: 'any',
				action: 'On any event',
				description: 'Replies, taps, delivered and read receipts, typing, subscribe / unsubscribe, expired messages and launch changes',
			},
			{
				name: 'Delivered / Read Receipts',
				value: 'receipts',
				action: 'On delivered/read receipts',
				description: 'A message reached the phone, or the person read it',
			},
			{
				name: 'Expired Messages',
				value: 'serverEvent',
				action: 'On expired messages',
				description: 'RBM took back a message that was not delivered in time (Time to Live)',
			},
			{
				name: 'Launch State Changes',
				value: 'agentLaunch',
				action: 'On agent launch changes',
				description: 'The agent was launched, suspended or unlaunched on a carrier',
			},
			{
				name: 'Subscribe / Unsubscribe',
				value: 'subscription',
				action: 'On subscribe/unsubscribe',
				description: 'The person opted in or out of the agent\'s messages',
			},
			{
				name: 'Typing',
				value: 'IS_TYPING',
				action: 'On typing',
				description: 'The person is typing (fires on every pause in typing)',
			},
			{
				name: 'Your Choice of Events',
				value: 'custom',
				action: 'On events you choose',
				description: 'Pick any combination in Events below',
			},
		],
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		// Everything but the typing indicator, which fires on every keystroke pause.
		default: ['text', 'suggestionResponse', 'location', 'file', 'DELIVERED', 'READ', 'subscription', 'serverEvent', 'agentLaunch'],
		description: 'Which events start the workflow; the others are acknowledged and dropped',
		options: [...EVENT_TYPES].sort((a, b) => a.name.localeCompare(b.name)),
		displayOptions: { show: { triggerOn: [CUSTOM] } },
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
		// Was "Redelivery Filter › In This Process (Memory)"; the value stays for saved workflows.
		displayName: 'Events Google Sends Twice',
		name: 'redeliveryStore',
		type: 'options',
		default: 'memory',
		description: 'Google sometimes delivers the same event again (for example when n8n answered slowly). This node remembers the events it received and starts no second execution for a repeat. With several n8n processes (queue mode), also claim each event ID with n8n\'s Redis node after this trigger (see the docs).',
		options: [
			{
				name: 'Ignore Repeats',
				value: 'memory',
				description: 'This n8n remembers the last 10,000 events of this trigger: enough when n8n runs as one process',
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
			'Redelivery Filter › Redis was removed: this trigger now remembers event IDs in this n8n process\'s memory, as Events Google Sends Twice › Ignore Repeats does, and never connects to Redis. With several n8n processes (queue mode), a redelivery that reaches another process starts a second execution: put n8n\'s Redis node right after this trigger (Increment on a key made of the event ID, with Expire, 604800 seconds) and an If node that lets the item through only when the count is 1. The package\'s example workflow trigger-redis-claim.json does this. Select Ignore Repeats to hide this notice.',
		name: 'redisRemovedNotice',
		type: 'notice',
		default: '',
		displayOptions: removedRedis,
	},
];
