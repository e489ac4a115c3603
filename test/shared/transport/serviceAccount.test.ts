import { parseServiceAccountJson } from '../../../nodes/shared/transport/serviceAccount';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n';

describe('the Service Account JSON is checked with errors that never quote it', () => {
	test('a Google key is read, with Google\'s token URI by default', () => {
		const account = parseServiceAccountJson(JSON.stringify({ type: 'service_account', client_email: 'a@p.iam.gserviceaccount.com', private_key: PEM, private_key_id: 'k1', project_id: 'p' }));
		expect(account).toEqual({ clientEmail: 'a@p.iam.gserviceaccount.com', privateKey: PEM, privateKeyId: 'k1', projectId: 'p', tokenUri: 'https://oauth2.googleapis.com/token' });
	});

	test('the key\'s own token_uri is kept (emulator, proxies); escaped newlines in the key are restored', () => {
		const account = parseServiceAccountJson({ client_email: 'a@b', private_key: PEM.replace(/\n/g, '\\n'), token_uri: 'http://127.0.0.1:9/token' });
		expect(account.tokenUri).toBe('http://127.0.0.1:9/token');
		expect(account.privateKey).toBe(PEM);
	});

	test.each([
		['', /is empty/],
		['{"type":"service_account","private_key":"' + PEM.slice(0, 60), /is not valid JSON \(parse error at character \d+\)/],
		['[1,2]', /must be a JSON object/],
		[JSON.stringify({ type: 'authorized_user', client_id: 'x', private_key: PEM }), /"authorized_user" credential, not a service-account key/],
		[JSON.stringify({ type: 'service_account', private_key: PEM }), /missing "client_email"/],
		[JSON.stringify({ type: 'service_account' }), /missing "client_email" and "private_key"/],
		[JSON.stringify({ client_email: 'a@b', private_key: 'not a pem' }), /not a PEM private key/],
		[JSON.stringify({ client_email: 'a@b', private_key: PEM, token_uri: 'file:///etc/passwd' }), /"token_uri" that is not an http\(s\) URL/],
	])('%#: %s', (raw, message) => {
		let error: unknown;
		try {
			parseServiceAccountJson(raw);
		} catch (e) {
			error = e;
		}
		expect((error as Error).message).toMatch(message);
		expect(JSON.stringify({ m: (error as Error).message, h: (error as { hint?: string }).hint })).not.toContain('MIIEv');
	});
});
