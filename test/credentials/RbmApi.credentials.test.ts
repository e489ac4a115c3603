/**
 * The credential n8n's way: its preAuthentication through n8n's real HTTP stack (@n8n/backend-network,
 * what n8n passes as `this.helpers.httpRequest`) against the emulator's token endpoint, and the
 * credential test (the same grant) through n8n-core's CredentialTestContext. In a running n8n:
 * test/e2e/credentials.test.ts.
 */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IHttpRequestHelper, IHttpRequestOptions, INodeProperties, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

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
const credential = new RbmApi();
const helpers: IHttpRequestHelper = { helpers: { httpRequest: async (options: IHttpRequestOptions) => await Container.get(OutboundHttp).requests().request(options) } };
const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData) as unknown as ICredentialTestFunctions;
/** The dialog's Test button: n8n-core's CredentialTestContext and its legacy request helper. */
const test_ = async (data: ICredentialDataDecryptedObject) => await node.methods.credentialTest.rbmApiTest.call(context, { id: '1', name: 'RBM', type: 'rbmApi', data });
/** n8n's preAuthentication call: the token, or the Error n8n shows in the credential dialog. */
const preAuth = async (data: ICredentialDataDecryptedObject): Promise<{ accessToken?: string; message?: string }> =>
	await credential.preAuthentication.call(helpers, data).then(
		(out) => ({ accessToken: String(out.accessToken) }),
		(error: Error) => ({ message: error.message }),
	);

describe('credential type rbmApi', () => {
	test('has the documented fields, a token field n8n refreshes, and the Bearer header', () => {
		expect(credential.name).toBe('rbmApi');
		expect(credential.displayName).toBe('Google RBM API');
		expect(credential.properties.map((p) => p.name)).toEqual(['accessToken', 'keyNotice', 'serviceAccountJson', 'region', 'baseUrl', 'webhookClientToken']);
		const [tokenField, , keyField, regionField] = credential.properties;
		// n8n runs preAuthentication when the hidden, expirable field is empty or a request got a 401
		expect(tokenField).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(credential.authenticate).toEqual({ type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } } });
		expect(keyField.typeOptions).toMatchObject({ password: true });
		expect(regionField.options?.map((o) => (o as { value: string }).value)).toEqual(['global', 'us', 'europe', 'asia']);
		// each region's option shows the host the nodes send to (one table: transport/credential.ts)
		for (const option of regionField.options as Array<{ value: Region; description: string }>) {
			expect(`https://${option.description}`).toBe(REGION_HOSTS[option.value]);
		}
		expect(RBM_CREDENTIAL_TYPE).toBe(credential.name);
		// …and so does Check Many's Region option, for the three regional hosts
		const regionOption = checkBulk.description.flatMap((p) => (p.name === 'options' ? (p.options as INodeProperties[]) : [])).find((p) => p.name === 'region');
		const forced = (regionOption?.options as Array<{ value: string; description: string }>).filter((o) => o.value !== 'auto');
		expect(forced.map((o) => [o.value, o.description])).toEqual((['us', 'europe', 'asia'] as const).map((r) => [r, `Send every number to ${new URL(REGION_HOSTS[r]).host}`]));
		expect(node.description.credentials).toEqual([{ name: 'rbmApi', required: true, testedBy: 'rbmApiTest' }]);
		// the fields are the credential's data type, field for field
		const data: Required<RbmCredentialData> = { accessToken: '', serviceAccountJson: '', region: '', baseUrl: '', webhookClientToken: '' };
		expect(credential.properties.filter((p) => p.type !== 'notice').map((p) => p.name).sort()).toEqual(Object.keys(data).sort());
	});

	test('a visible note (issue 25 item 10): where the key comes from, with Google\'s guide, and Base URL stays empty for Google', () => {
		const notice = credential.properties.find((p) => p.name === 'keyNotice');
		// shown above the key field, not in a tooltip
		expect(notice).toMatchObject({ type: 'notice', default: '' });
		expect(credential.properties.indexOf(notice!)).toBeLessThan(credential.properties.findIndex((p) => p.name === 'serviceAccountJson'));
		expect(notice?.displayName).toContain('href="https://developers.google.com/business-communications/rcs-business-messaging/guides/get-started/partner-account#set_up_service_account_to_authenticate_api_calls"');
		expect(notice?.displayName).toMatch(/Partner account settings › Service account/);
		expect(notice?.displayName).toMatch(/Leave Base URL empty<\/b> to talk to Google/);
		// the placeholder does not look like a value to type in; the emulator's URL is in the help
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.placeholder).toBe('Empty for Google');
		expect(baseUrl?.placeholder).not.toMatch(/https?:|\{region\}/);
		expect(baseUrl?.description).toMatch(/^Leave empty for Google\./);
		expect(baseUrl?.description).toContain('http://127.0.0.1:8787/{region}');
	});
});

describe('preAuthentication (the token of requests n8n authenticates with the credential)', () => {
	test('really mints a token with the key, one grant per call', async () => {
		const before = emulator.stats().tokenGrants;
		const key = emulator.createServiceAccountKey({ clientEmail: 'tester@emulator.iam.gserviceaccount.com' });
		const result = await preAuth({ serviceAccountJson: JSON.stringify(key), region: 'europe', baseUrl: '' });
		expect(result.message).toBeUndefined();
		expect(emulator.stats().tokenGrants).toBe(before + 1);
		const info = await Container.get(OutboundHttp).requests().request({ url: `${emulator.url}/tokeninfo`, qs: { access_token: result.accessToken } });
		expect(info).toMatchObject({ scope: expect.stringContaining('https://www.googleapis.com/auth/rcsbusinessmessaging') });
	});
});

describe('credential test (the dialog\'s Test button)', () => {
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
});

/** The failure message of each way n8n asks for a token (undefined when it got one). */
const ways: Array<[string, (data: ICredentialDataDecryptedObject) => Promise<string | undefined>]> = [
	['preAuthentication', async (data) => (await preAuth(data)).message],
	['credential test', async (data) => {
		const result = await test_(data);
		return result.status === 'OK' ? undefined : result.message;
	}],
];

describe.each(ways)('%s: failures say what to do, with no secret', (_way, failure) => {
	test('a key the endpoint rejects: invalid_grant', async () => {
		const other = await startEmulator({ host: '127.0.0.1', port: 0 });
		try {
			const keyJson = JSON.stringify({ ...other.createServiceAccountKey(), token_uri: `${emulator.url}/token` });
			const message = await failure({ serviceAccountJson: keyJson, region: 'global' });
			expect(message).toMatch(/^Could not get an access token for the Google RBM API: invalid_grant: .*deleted or disabled \(create a new key in the Google Cloud console and paste it into the credential\), or this machine's clock is off by more than a few minutes\.$/);
			expectNoSecrets(message, keyJson);
		} finally {
			await other.close();
		}
	});

	test.each([
		['not JSON', '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN', /^Service Account JSON is not valid JSON/],
		['missing fields', '{"type":"service_account"}', /^Service Account JSON is missing "client_email" and "private_key"\. Paste the whole JSON key file/],
		['a key that cannot sign', JSON.stringify({ type: 'service_account', client_email: 'x@y.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----\n' }), /^Could not get an access token for the Google RBM API: the private key could not be used to sign the token request\. The private_key of the Service Account JSON could not sign/],
	])('%s', async (_name, serviceAccountJson, expected) => {
		const message = await failure({ serviceAccountJson, region: 'global' });
		expect(message).toMatch(expected);
		expect(message).not.toContain('MIIEv');
	});

	test('an unreachable token endpoint names the network problem', async () => {
		const keyJson = JSON.stringify({ ...emulator.createServiceAccountKey(), token_uri: 'http://127.0.0.1:1/token' });
		expect(await failure({ serviceAccountJson: keyJson, region: 'global' })).toMatch(/Could not reach the token endpoint 127\.0\.0\.1:1 \(ECONNREFUSED\).*network, proxy settings/);
	});
});
