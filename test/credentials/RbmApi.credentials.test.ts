/** The credential test as n8n runs it: n8n-core's CredentialTestContext and its legacy request helper. */
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, INodeProperties, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { RbmApi } from '../../credentials/RbmApi.credentials';
import { checkBulk } from '../../nodes/Rbm/actions/capability/checkBulk.operation';
import type { RbmEmulator } from '../../emulator';
import { startEmulator } from '../../emulator';
import { RbmSendMessage } from '../../nodes/RbmSendMessage/RbmSendMessage.node';
import type { RbmCredentialData, Region } from '../../nodes/shared/transport/credential';
import { RBM_CREDENTIAL_TYPE, REGION_HOSTS } from '../../nodes/shared/transport/credential';
import { expectNoSecrets } from '../helpers/secrets';

let emulator: RbmEmulator;
beforeAll(async () => {
	emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => emulator.close());

const node = new RbmSendMessage();
const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData) as unknown as ICredentialTestFunctions;
const test_ = async (data: ICredentialDataDecryptedObject) => await node.methods.credentialTest.rbmApiTest.call(context, { id: '1', name: 'RBM', type: 'rbmApi', data });

describe('credential type rbmApi', () => {
	test('has the documented fields and is tested by the send node', () => {
		const credential = new RbmApi();
		expect(credential.name).toBe('rbmApi');
		expect(credential.displayName).toBe('Google RBM API');
		expect(credential.properties.map((p) => p.name)).toEqual(['serviceAccountJson', 'region', 'baseUrl', 'webhookClientToken']);
		expect(credential.properties[0].typeOptions).toMatchObject({ password: true });
		expect(credential.properties[1].options?.map((o) => (o as { value: string }).value)).toEqual(['global', 'us', 'europe', 'asia']);
		// each region's option shows the host the nodes send to (one table: transport/credential.ts)
		for (const option of credential.properties[1].options as Array<{ value: Region; description: string }>) {
			expect(`https://${option.description}`).toBe(REGION_HOSTS[option.value]);
		}
		expect(RBM_CREDENTIAL_TYPE).toBe(credential.name);
		// …and so does Check Many's Region option, for the three regional hosts
		const regionOption = checkBulk.description.flatMap((p) => (p.name === 'options' ? (p.options as INodeProperties[]) : [])).find((p) => p.name === 'region');
		const forced = (regionOption?.options as Array<{ value: string; description: string }>).filter((o) => o.value !== 'auto');
		expect(forced.map((o) => [o.value, o.description])).toEqual((['us', 'europe', 'asia'] as const).map((r) => [r, `Send every number to ${new URL(REGION_HOSTS[r]).host}`]));
		expect(node.description.credentials).toEqual([{ name: 'rbmApi', required: true, testedBy: 'rbmApiTest' }]);
		// the fields are the credential's data type, field for field
		const data: Required<RbmCredentialData> = { serviceAccountJson: '', region: '', baseUrl: '', webhookClientToken: '' };
		expect(credential.properties.map((p) => p.name).sort()).toEqual(Object.keys(data).sort());
	});
});

describe('credential test', () => {
	test('really mints a token and says where requests go', async () => {
		const before = emulator.stats().tokenGrants;
		const key = emulator.createServiceAccountKey({ clientEmail: 'tester@emulator.iam.gserviceaccount.com' });
		const result = await test_({ serviceAccountJson: JSON.stringify(key), region: 'europe', baseUrl: '' });
		expect(result).toEqual({
			status: 'OK',
			message: `Token issued for tester@emulator.iam.gserviceaccount.com by ${new URL(emulator.url).host}; RBM requests go to https://europe-rcsbusinessmessaging.googleapis.com.`,
		});
		expect(emulator.stats().tokenGrants).toBe(before + 1);
	});

	test('a key the endpoint rejects: invalid_grant with what to do, and no secret', async () => {
		const other = await startEmulator({ host: '127.0.0.1', port: 0 });
		try {
			const keyJson = JSON.stringify({ ...other.createServiceAccountKey(), token_uri: `${emulator.url}/token` });
			const result = await test_({ serviceAccountJson: keyJson, region: 'global' });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^Could not get an access token for the Google RBM API: invalid_grant: .*deleted or disabled \(create a new key in the Google Cloud console and paste it into the credential\), or this machine's clock is off by more than a few minutes\.$/);
			expectNoSecrets(result, keyJson);
		} finally {
			await other.close();
		}
	});

	test.each([
		['not JSON', '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN', /^Service Account JSON is not valid JSON/],
		['missing fields', '{"type":"service_account"}', /^Service Account JSON is missing "client_email" and "private_key"\. Paste the whole JSON key file/],
	])('%s: a clear error', async (_name, serviceAccountJson, message) => {
		const result = await test_({ serviceAccountJson, region: 'global' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain('MIIEv');
	});

	test('an unreachable token endpoint names the network problem', async () => {
		const keyJson = JSON.stringify({ ...emulator.createServiceAccountKey(), token_uri: 'http://127.0.0.1:1/token' });
		const result = await test_({ serviceAccountJson: keyJson, region: 'global' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/Could not reach the token endpoint 127\.0\.0\.1:1 \(ECONNREFUSED\).*network, proxy settings/) });
	});
});
