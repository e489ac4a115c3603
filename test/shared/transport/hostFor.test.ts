import { businessHostFor, hostFor } from '../../../nodes/shared/transport/credential';

const key = { serviceAccountJson: '{}' };

describe('hostFor: the RBM host of a call', () => {
	test.each([
		[{ region: 'global' }, undefined, 'https://rcsbusinessmessaging.googleapis.com'],
		[{ region: 'europe' }, undefined, 'https://europe-rcsbusinessmessaging.googleapis.com'],
		[{ region: 'global' }, 'asia', 'https://asia-rcsbusinessmessaging.googleapis.com'],
		[{ region: 'nonsense' }, undefined, 'https://rcsbusinessmessaging.googleapis.com'],
		[{ baseUrl: 'http://127.0.0.1:8787/{region}/' }, undefined, 'http://127.0.0.1:8787/global'],
		[{ baseUrl: 'http://127.0.0.1:8787/{region}', region: 'us' }, undefined, 'http://127.0.0.1:8787/us'],
		[{ baseUrl: 'http://127.0.0.1:8787/{region}', region: 'us' }, 'europe', 'http://127.0.0.1:8787/europe'],
		[{ baseUrl: 'https://proxy.example/rbm' }, 'asia', 'https://proxy.example/rbm'],
	] as const)('%j, request region %s → %s', (credential, region, host) => {
		expect(hostFor({ ...key, ...credential }, region)).toBe(host);
	});
});

describe('businessHostFor: the Business Communications API host', () => {
	test.each([
		[{ region: 'europe' }, 'https://businesscommunications.googleapis.com'],
		[{ baseUrl: 'http://127.0.0.1:8787/{region}/', region: 'us' }, 'http://127.0.0.1:8787/businesscommunications'],
		[{ baseUrl: 'https://proxy.example/rbm' }, 'https://proxy.example/rbm'],
	] as const)('%j → %s', (credential, host) => {
		expect(businessHostFor({ ...key, ...credential })).toBe(host);
	});
});
