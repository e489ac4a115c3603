/**
 * Conformance of the RBM node: every operation and option sent through a recording proxy, each
 * request checked against the RBM v1 schema (method, path, query, body, regional endpoint).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Harness } from './conformance';
import { conformanceHarness, expectConformant } from './conformance';

let h: Harness;
beforeAll(async () => {
	h = await conformanceHarness();
});
afterAll(async () => h.close());

const rbm = (parameters: IDataObject, items: IDataObject[] = [{}]) =>
	h.run({ type: 'n8n-nodes-rbm.rbmToolbox', parameters: { agentId: 'welcome-bot', ...parameters }, items });

const world = [
	{ phone: '+16505550001' }, { phone: '+447700900123' }, { phone: '+6591234567' }, { phone: '+5511987654321' },
	{ phone: '+919876543210' }, { phone: '+393331234567' }, { phone: '+16505550404' },
];

const CASES: Array<[string, IDataObject, IDataObject[], string[]]> = [
	['Capability › Check', { resource: 'capability', operation: 'check', phoneNumber: '={{ $json.phone }}' }, [{ phone: '+16505550123' }, { phone: '+16505550404' }], ['phones.getCapabilities', 'phones.getCapabilities']],
	['Capability › Check Many, phones from items, numbers of three regions', { resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}', outputMode: 'perPhone' }, world, ['users.batchGet', 'users.batchGet', 'users.batchGet']],
	['Capability › Check Many, a list per item, lists output, small batches', { resource: 'capability', operation: 'checkBulk', bulkSource: 'list', phoneNumbers: '={{ $json.phones }}', outputMode: 'lists', options: { batchSize: 2 } }, [{ phones: world.map((w) => w.phone) }], ['users.batchGet', 'users.batchGet', 'users.batchGet', 'users.batchGet']],
	['Capability › Check Many, forced region', { resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}', options: { region: 'europe' } }, [{ phone: '+447700900123' }, { phone: '+393331234567' }], ['users.batchGet']],
	['Message › Revoke', { resource: 'message', operation: 'revoke', phoneNumber: '+16505550123', messageId: 'a1b2c3d4-0000-4000-8000-000000000000' }, [{}], ['phones.agentMessages.delete']],
	['Event › Send Typing', { resource: 'event', operation: 'sendTyping', phoneNumber: '+16505550123' }, [{}], ['phones.agentEvents.create']],
	['Event › Mark as Read', { resource: 'event', operation: 'markRead', phoneNumber: '+16505550123', messageId: 'MsUserMessageId123' }, [{}], ['phones.agentEvents.create']],
	['File › Upload from a URL with a thumbnail', { resource: 'file', operation: 'upload', uploadSource: 'url', fileUrl: 'https://example.com/v.mp4', thumbnailUrl: 'https://example.com/t.jpg' }, [{}], ['files.create']],
	// A workflow saved before 0.2 may still hold the removed Content Description parameter.
	['File › Upload from a URL, old workflow with Content Description', { resource: 'file', operation: 'upload', uploadSource: 'url', fileUrl: 'https://example.com/v.mp4', contentDescription: 'A video' }, [{}], ['files.create']],
];

describe('conformance: the RBM node builds only requests the RBM v1 schema accepts', () => {
	test.each(CASES)('%s', async (_name, parameters, items, methods) => {
		const { result, requests } = await rbm(parameters, items);
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.method)).toEqual(methods);
		expectConformant(requests);
	});

	test('File › Upload from binary data', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		const { result, requests } = await h.run({
			type: 'n8n-nodes-rbm.rbmToolbox',
			items: [{}],
			binary: [{ data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'logo.png' } }],
			parameters: { agentId: 'welcome-bot', resource: 'file', operation: 'upload', uploadSource: 'binary', binaryPropertyName: 'data' },
		});
		expect(result.error).toBeUndefined();
		expect(requests.map((r) => r.method)).toEqual(['files.create.upload']);
		expectConformant(requests);
	});

	test('Check Many sends each region to its own endpoint', async () => {
		const { requests } = await rbm({ resource: 'capability', operation: 'checkBulk', bulkSource: 'items', phoneNumber: '={{ $json.phone }}' }, world);
		expect(requests.map((r) => [r.request.endpoint, (r.body?.users as string[]).length])).toEqual([['us', 3], ['europe', 2], ['asia', 2]]);
	});
});
