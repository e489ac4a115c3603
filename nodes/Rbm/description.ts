/** The RBM node's resource/operation selectors and every operation's fields. No execution logic. */
import type { INodeProperties } from 'n8n-workflow';

import { operations } from './actions/router';

export const rbmProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'capability',
		options: [
			{ name: 'Agent', value: 'agent' },
			{ name: 'Analytics', value: 'analytics' },
			{ name: 'Capability', value: 'capability' },
			{ name: 'Event', value: 'event' },
			{ name: 'File', value: 'file' },
			{ name: 'Message', value: 'message' },
			{ name: 'Region', value: 'region' },
			{ name: 'Tester', value: 'tester' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['capability'] } },
		default: 'check',
		options: [
			{ name: 'Check', value: 'check', action: 'Check the RCS capabilities of a phone', description: 'Whether one phone is reachable over RCS, and its features' },
			{ name: 'Check Many', value: 'checkBulk', action: 'Check which phones are reachable', description: 'Bulk check of up to 10,000 phones per call' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		default: 'revoke',
		options: [{ name: 'Revoke', value: 'revoke', action: 'Revoke a message', description: 'Take back a message that has not been delivered yet' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		default: 'sendTyping',
		options: [
			{ name: 'Mark as Read', value: 'markRead', action: 'Mark a user message as read', description: 'Send a read receipt for a message the user sent' },
			{ name: 'Send Typing', value: 'sendTyping', action: 'Show the typing indicator', description: 'Show "typing…" to the user for about 20 seconds' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		default: 'upload',
		options: [{ name: 'Upload', value: 'upload', action: 'Upload a file', description: 'Store a file at RBM and get its name for media messages' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tester'] } },
		default: 'invite',
		options: [
			{ name: 'Get', value: 'get', action: 'Get a tester', description: 'Whether a phone is invited and has accepted (PENDING, ACCEPTED, DECLINED)' },
			{ name: 'Invite', value: 'invite', action: 'Invite a tester', description: 'Invite a phone to test an agent before launch (20 a day, 200 in all). Needs the Manager role.' },
			{ name: 'List', value: 'list', action: 'List the testers of an agent', description: 'Every invited phone with its invite status' },
			{ name: 'Remove', value: 'remove', action: 'Remove a tester', description: 'The phone stops being a tester of the agent. Needs the Manager role.' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agent'] } },
		default: 'getLaunch',
		options: [
			{ name: 'Get Launch State', value: 'getLaunch', action: 'Get the launch state of an agent', description: 'One item per region: launched, pending, rejected …, with Google\'s comment' },
			{ name: 'Get Verification State', value: 'getVerification', action: 'Get the verification state of an agent', description: 'Whether the brand verified the agent' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['region'] } },
		default: 'list',
		options: [{ name: 'List', value: 'list', action: 'List the regions', description: 'The carriers and countries an agent can launch on' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['analytics'] } },
		default: 'agentPerformance',
		options: [
			{
				name: 'Get Agent Performance',
				value: 'agentPerformance',
				action: 'Get the performance of agents',
				description: 'Per agent and country: reputation, traffic limit per user and month, spam trends, unsubscribe reasons',
			},
		],
	},
	...Object.values(operations).flatMap((ops) => Object.values(ops).flatMap((op) => op.description)),
];
