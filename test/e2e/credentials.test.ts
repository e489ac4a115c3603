/**
 * The rbmApi credential in a real n8n: the credential test of the installed package (run with
 * n8n's n8n-core CredentialTestContext, as n8n's CredentialsTester does) mints a real token from
 * the emulator; a key the emulator does not know fails the test and a workflow run with
 * invalid_grant, and nothing n8n prints or stores in the run carries key material or a token.
 */
import { startEmulator } from '../../emulator';
import { expectNoSecrets } from '../helpers/secrets';
import { E2E_OWNER, E2eInstance, loadExample, node, runCredentialTest, runOutputs, runtime, variant } from './harness';

const campaign = loadExample('campaign.json');
const WRONG_ID = 'rbm-wrong-key';

const wrongKeyWorkflow = variant(campaign, 'rbmE2eWrongKey01', 'e2e wrong key', (wf) => {
	node(wf, 'Send RCS').credentials = { rbmApi: { id: WRONG_ID, name: 'RBM wrong key' } };
});

/** n8n's HTTP Request node with the credential as a predefined type: n8n's preAuthentication + Bearer. */
const httpRequestWorkflow = (url: string) => ({
	id: 'rbmE2eHttpReqCred',
	name: 'e2e HTTP Request with Google RBM API',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 'h1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'h2',
			name: 'Capabilities',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [220, 0],
			parameters: { url, authentication: 'predefinedCredentialType', nodeCredentialType: 'rbmApi', options: {} },
			credentials: { rbmApi: { id: 'rbm-emulator', name: 'RBM Emulator' } },
		},
	],
	connections: { Start: { main: [[{ node: 'Capabilities', type: 'main', index: 0 }]] } },
});

let n8n: E2eInstance;
let unknownKeyJson: string;

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: 3 });
	// A well-formed key from another emulator: same token_uri as ours, but our emulator never saw it.
	const other = await startEmulator({ host: '127.0.0.1', port: 0 });
	const key = other.createServiceAccountKey({ clientEmail: 'stranger@rbm-e2e.iam.gserviceaccount.com' });
	await other.close();
	unknownKeyJson = JSON.stringify({ ...key, token_uri: `${n8n.emulator.url}/token` });
	await n8n.importCredential(WRONG_ID, 'RBM wrong key', unknownKeyJson);
	await n8n.importWorkflows([wrongKeyWorkflow, httpRequestWorkflow(`${n8n.emulator.url}/global/v1/phones/+16505551234/capabilities?requestId=e2e-cap-1&agentId=welcome-bot`)]);
});

afterAll(async () => {
	await n8n?.close();
});

beforeEach(() => {
	n8n.emulator.configure({ faults: {} });
	n8n.emulator.reset();
});

describe('credential test (the editor\'s "Test" button)', () => {
	it('passes with the emulator key: a real token grant', async () => {
		const { result, output } = await runCredentialTest(n8n, n8n.credentialData());
		expect(result).toEqual({ status: 'OK', message: expect.stringContaining('Token issued for') });
		expect(n8n.emulator.stats().tokenGrants).toBe(1);
		expectNoSecrets(output, n8n.keyJson);
	});

	it('fails with a key the emulator does not know: invalid_grant, no secrets in the message', async () => {
		const { result, output } = await runCredentialTest(n8n, n8n.credentialData(unknownKeyJson));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/invalid_grant/);
		expect(n8n.emulator.stats().tokenGrants).toBe(0);
		expect(n8n.emulator.stats().tokenRejections).toBeGreaterThanOrEqual(1);
		expectNoSecrets(output, unknownKeyJson);
	});

	it('fails clearly with a key that is not a service-account key', async () => {
		const { result } = await runCredentialTest(n8n, n8n.credentialData('{"type":"authorized_user"}'));
		expect(result.status).toBe('Error');
		expect(result.message).toBeTruthy();
	});
});

describe('a workflow run with a key the emulator does not know', () => {
	it('fails with invalid_grant and prints no key material or token', async () => {
		const result = await n8n.execute(wrongKeyWorkflow.id);
		expect(result.code).not.toBe(0);
		const error = result.run?.data.resultData.error;
		expect(error).toBeDefined();
		expect(`${error.message} ${error.description ?? ''}`).toMatch(/invalid_grant/);
		expect(result.run?.data.resultData.lastNodeExecuted).toBe('Send RCS');
		expect(n8n.emulator.stats().accepted).toBe(0);
		expect(n8n.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
		const everything = `${result.stdout}\n${result.stderr}`;
		expectNoSecrets(everything, unknownKeyJson);
		expectNoSecrets(everything, n8n.keyJson);
	});
});

describe('through the editor\'s REST API (n8n start)', () => {
	let server: { url: string; output(): string; stop(): Promise<unknown> } | undefined;
	let headers: Record<string, string>;

	beforeAll(async () => {
		server = await runtime.startN8n(n8n.userFolder, { port: await runtime.freePort(), env: n8n.env });
		headers = await runtime.ownerSession(server.url, E2E_OWNER);
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('lists the package\'s node and credential types for the editor', async () => {
		const nodes = await runtime.httpJson('GET', `${server!.url}/types/nodes.json`, { headers });
		expect(nodes.status).toBe(200);
		const types = (nodes.json as Array<{ name: string; outputNames?: string[] }>).filter((t) => t.name.startsWith('n8n-nodes-rbm.'));
		// Outputs are an expression: "Deferred" only with Options › Send Window (docs/send-window.md).
		expect(types.find((t) => t.name === 'n8n-nodes-rbm.rbmSendMessage')?.outputNames).toEqual(['Sent', 'Not Reachable', 'Deferred']);
		const credentials = await runtime.httpJson('GET', `${server!.url}/types/credentials.json`, { headers });
		expect((credentials.json as Array<{ name: string }>).some((c) => c.name === 'rbmApi')).toBe(true);
	});

	it('POST /rest/credentials/test: OK for the emulator key, invalid_grant for the unknown one', async () => {
		const ok = await runtime.httpJson('POST', `${server!.url}/rest/credentials/test`, {
			headers,
			body: { credentials: { id: 'rbm-emulator', name: 'RBM Emulator', type: 'rbmApi', data: n8n.credentialData() } },
		});
		expect(ok.status).toBe(200);
		expect(ok.json.data).toEqual({ status: 'OK', message: expect.stringContaining('Token issued for') });
		expect(n8n.emulator.stats().tokenGrants).toBe(1);

		const bad = await runtime.httpJson('POST', `${server!.url}/rest/credentials/test`, {
			headers,
			body: { credentials: { id: WRONG_ID, name: 'RBM wrong key', type: 'rbmApi', data: n8n.credentialData(unknownKeyJson) } },
		});
		expect(bad.status).toBe(200);
		expect(bad.json.data.status).toBe('Error');
		expect(bad.json.data.message).toMatch(/invalid_grant/);
		expectNoSecrets(bad.text, unknownKeyJson);
		expectNoSecrets(server!.output(), unknownKeyJson);
		expectNoSecrets(server!.output(), n8n.keyJson);
	});
});

describe("n8n's HTTP Request node with the Google RBM API credential (preAuthentication, Bearer)", () => {
	it('gets a token through the credential, calls RBM with it, and gets a new one after a 401', async () => {
		const first = await n8n.executeOk('rbmE2eHttpReqCred');
		expect(runOutputs(first, 'Capabilities')[0][0].json).toHaveProperty('features');
		expect(n8n.emulator.stats().tokenGrants).toBe(1);
		// The token n8n stored in the credential is used again by the next execution: no new grant …
		await n8n.executeOk('rbmE2eHttpReqCred');
		expect(n8n.emulator.stats().tokenGrants).toBe(1);
		// … until RBM answers 401: n8n runs preAuthentication again and resends.
		n8n.emulator.revokeTokens();
		const third = await n8n.executeOk('rbmE2eHttpReqCred');
		expect(runOutputs(third, 'Capabilities')[0][0].json).toHaveProperty('features');
		expect(n8n.emulator.stats().tokenGrants).toBe(2);
		expectNoSecrets(JSON.stringify(third), n8n.keyJson);
	});
});
