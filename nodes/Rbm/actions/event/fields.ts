import type { INodeProperties } from 'n8n-workflow';

export const idempotencyKeyField: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	description: 'A stable key per event: the event ID is derived from it, so a re-run never repeats the event. Empty: stable within this execution.',
};
