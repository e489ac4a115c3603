/**
 * Message and event ids (nodes/shared/ids.ts) without the uuid package at run time: our v5 against
 * uuid's v5 (a devDependency, the oracle) for many names, and isUuid against uuid's validate.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { v1, v5, v6, v7, validate } from 'uuid';

import { deriveId, isUuid, uuidv5 } from '../../nodes/shared/ids';

const RBM_NAMESPACE = '6b0b4e0c-4c52-5e0e-9d7b-2c1b0f6a8e31';

describe('v5 ids equal the uuid package’s', () => {
	test('10,000 names: random bytes, unicode, empty, long; our namespace, DNS, URL and random ones', () => {
		const namespaces = [RBM_NAMESPACE, v5.DNS, v5.URL, randomUUID(), randomUUID().toUpperCase()];
		const names = [
			'',
			'message:key:agent:campaign-42/+16505551234',
			'évènement 🚀 中文 \u0000 \uffff',
			'x'.repeat(10_000),
			...Array.from({ length: 9_996 }, (_, i) => (i % 2 ? randomBytes(1 + (i % 64)).toString('latin1') : `message:n8n:${i}:node:0:${i * 7}`)),
		];
		let compared = 0;
		names.forEach((name, i) => {
			const ns = namespaces[i % namespaces.length];
			expect(uuidv5(name, ns)).toBe(v5(name, ns));
			compared++;
		});
		expect(compared).toBe(10_000);
	});

	test('deriveId keeps the ids of earlier releases (fixed namespace and name layout)', () => {
		const identity = { executionId: '812', nodeId: 'node-1', runIndex: 0, itemIndex: 3 };
		expect(deriveId('message', identity, 'agent')).toBe(v5('message:n8n:812:node-1:0:3', RBM_NAMESPACE));
		expect(deriveId('event', identity, 'agent', 'campaign-7/+16505551234')).toBe(v5('event:key:agent:campaign-7/+16505551234', RBM_NAMESPACE));
	});
});

describe('isUuid agrees with uuid’s validate', () => {
	const samples = [
		randomUUID(),
		randomUUID().toUpperCase(),
		v1(),
		v6(),
		v7(),
		v5('a', v5.DNS),
		'00000000-0000-0000-0000-000000000000',
		'ffffffff-ffff-ffff-ffff-ffffffffffff',
		'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
		'6b0b4e0c-4c52-0e0e-9d7b-2c1b0f6a8e31', // version 0
		'6b0b4e0c-4c52-9e0e-9d7b-2c1b0f6a8e31', // version 9
		'6b0b4e0c-4c52-5e0e-cd7b-2c1b0f6a8e31', // variant c
		'6b0b4e0c4c525e0e9d7b2c1b0f6a8e31',
		'{6b0b4e0c-4c52-5e0e-9d7b-2c1b0f6a8e31}',
		' 6b0b4e0c-4c52-5e0e-9d7b-2c1b0f6a8e31',
		'campaign-42',
		'',
	];
	test.each(samples)('%s', (value) => {
		expect(isUuid(value)).toBe(validate(value));
	});
});
