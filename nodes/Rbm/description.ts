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
			{ name: 'Capability', value: 'capability' },
			{ name: 'Event', value: 'event' },
			{ name: 'File', value: 'file' },
			{ name: 'Message', value: 'message' },
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
	...Object.values(operations).flatMap((ops) => Object.values(ops).flatMap((op) => op.description)),
];
