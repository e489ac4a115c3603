/** RBM never redirects: a redirect answer is an error, and the access token never goes elsewhere. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { expectNoSecrets } from '../../helpers/secrets';
import { itemError, runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
let trap: Server;
let redirector: Server;
const trapped: Array<string | undefined> = [];

const listen = async (server: Server) =>
	await new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

beforeAll(async () => {
	fx = await emulatorWithCredential();
	trap = createServer((req, res) => {
		trapped.push(req.headers.authorization);
		res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"name":"phones/x/agentMessages/y"}');
	});
	const trapUrl = await listen(trap);
	redirector = createServer((req, res) => res.writeHead(307, { Location: `${trapUrl}${req.url}` }).end());
	await listen(redirector);
});
afterAll(async () => {
	await fx.emulator.close();
	await new Promise((resolve) => trap.close(resolve));
	await new Promise((resolve) => redirector.close(resolve));
});

test('a 307 from the API host fails the item with the status; the redirect target sees nothing', async () => {
	const baseUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
	const r = await runNode({
		items: [{ phone: '+16505551234', name: 'Ana' }],
		parameters: textParams(),
		credentials: { ...fx.credentials, baseUrl },
		settings: { onError: 'continueRegularOutput' },
	});
	expect(itemError(r.outputs[0][0])).toMatchObject({ message: expect.stringMatching(/^Contact 1: RBM send failed: 307 /), code: 307, description: expect.stringMatching(/RBM does not redirect.*Base URL/) });
	expect(trapped).toEqual([]);
	expectNoSecrets(r.run, fx.keyJson);
});
