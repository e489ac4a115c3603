/** UI fields more than one RBM node shows. */
import type { INodeProperties } from 'n8n-workflow';

/** How to write a phone, in plain words (RBM wants E.164: + country code + number, no spaces). */
export const PHONE_HELP =
	'With + and the country code, e.g. +14155550123 (US) or +447700900123 (UK). Spaces, dashes, dots, brackets and a leading 00 are fine. Numbers without a country code need Options › Default Country.';

export const phoneNumberField: INodeProperties = {
	displayName: 'Phone Number',
	name: 'phoneNumber',
	type: 'string',
	required: true,
	default: '',
	placeholder: '+14155550123',
	description: PHONE_HELP,
};

export const agentIdField: INodeProperties = {
	displayName: 'Agent ID',
	name: 'agentId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'my-agent',
	description: 'The RBM agent, without "@rbm.goog" (it is removed if present)',
};

/** Options every operation that calls RBM per item offers. */
export const runOptionFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 10,
		description: 'How many requests are in flight at once. Outputs keep the input order.',
	},
	{
		displayName: 'Default Country',
		name: 'defaultCountry',
		type: 'string',
		default: '',
		placeholder: 'US',
		description: 'Two-letter country code used for numbers written without a country code',
	},
	{
		displayName: 'Max Messages per Second',
		name: 'maxPerSecond',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10000 },
		default: 0,
		description:
			"Caps the requests this node starts per second, in each n8n process (in queue mode, split your agent's quota across the workers). 0 = no cap. Either way the node sends fewer at once when RBM answers 429 (quota exceeded), and more again as it recovers.",
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 5,
		description: 'Retries for 429, 5xx, timeouts and dropped connections, with backoff that honours Retry-After. Always with the same ID.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: 30000,
		description: 'How long to wait for RBM to answer one request before retrying it',
	},
];

/** An Options collection: the run options plus `extra`, sorted by name as n8n's lint asks. */
export function optionsField(extra: INodeProperties[] = [], without: string[] = []): INodeProperties {
	const options = [...runOptionFields.filter((o) => !without.includes(o.name)), ...extra].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}
