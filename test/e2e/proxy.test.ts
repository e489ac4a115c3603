/**
 * The campaign example in real n8n over HTTPS through a real forward proxy (Debian's tinyproxy,
 * installed with apt-get when missing, started here on 127.0.0.1): n8n gets HTTPS_PROXY and
 * NODE_USE_ENV_PROXY=1 as README and docs/installation.md tell users to set them, and trusts the emulator's CA through
 * NODE_EXTRA_CA_CERTS. The proxy's log must show the
 * CONNECT tunnels, the sends must succeed, and the connections must be reused.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { E2eInstance, loadExample, runOutputs } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('../../scripts/n8n-runtime.js') as { freePort(): Promise<number> };

/** campaign.json with 60 generated contacts (every 10th unreachable), enough to see reuse. */
const campaign = loadExample('campaign.json');
campaign.id = 'rbmProxyCampaign';
const contactsNode = campaign.nodes.find((n: { name: string }) => n.name === 'Contacts');
contactsNode.parameters.jsCode = [
	"const campaignId = 'proxy-test';",
	"return Array.from({ length: 60 }, (_, i) => ({ json: { name: 'C' + i, phone: (i + 1) % 10 === 0 ? '+1650' + (100 + i) + '0404' : '+1650555' + (1000 + i), campaignId } }));",
].join('\n');

function tinyproxyBinary(): string {
	const found = spawnSync('sh', ['-c', 'command -v tinyproxy'], { encoding: 'utf8' }).stdout.trim();
	if (found) return found;
	// CI runs as root on Debian; the proxy comes from Debian's packages.
	execFileSync('sh', ['-c', 'apt-get install -y -q tinyproxy >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q tinyproxy >/dev/null)'], { stdio: 'inherit', timeout: 5 * 60 * 1000 });
	return spawnSync('sh', ['-c', 'command -v tinyproxy'], { encoding: 'utf8' }).stdout.trim();
}

let n8n: E2eInstance;
let proxy: ChildProcess | undefined;
let proxyLog: string;
let proxyUrl: string;

beforeAll(async () => {
	const bin = tinyproxyBinary();
	expect(bin).not.toBe('');
	const dir = mkdtempSync(join(tmpdir(), 'rbm-proxy-'));
	const port = await runtime.freePort();
	proxyLog = join(dir, 'tinyproxy.log');
	proxyUrl = `http://127.0.0.1:${port}`;
	// No ConnectPort line: tinyproxy then tunnels to any port (the emulator's is random).
	writeFileSync(join(dir, 'tinyproxy.conf'), [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 60', `LogFile "${proxyLog}"`, 'LogLevel Connect', 'MaxClients 100', 'Allow 127.0.0.1', ''].join('\n'));
	writeFileSync(proxyLog, '');
	proxy = spawn(bin, ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
	const deadline = Date.now() + 10_000;
	while (!readFileSync(proxyLog, 'utf8').includes('listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

	n8n = await E2eInstance.create({ seed: 2 });
	expect(n8n.emulator.url).toMatch(/^https:/);
	// Exactly what docs/installation.md › Proxies tells users to set: Node's fetch honours the proxy variables
	// with NODE_USE_ENV_PROXY=1.
	n8n.env = { ...n8n.env, HTTPS_PROXY: proxyUrl, NODE_USE_ENV_PROXY: '1', NO_PROXY: '', no_proxy: '' };
	await n8n.importWorkflows([campaign]);
});

afterAll(async () => {
	await n8n?.close();
	proxy?.kill('SIGTERM');
});

describe('examples/campaign.json over HTTPS through tinyproxy', () => {
	it('tunnels the token grant and every send through the proxy, reusing connections', async () => {
		n8n.emulator.reset();
		const run = await n8n.executeOk(campaign.id);
		const [contacts] = runOutputs(run, 'Contacts');
		const [sent, notReachable] = runOutputs(run, 'Send RCS');
		expect(sent.length + notReachable.length).toBe(contacts.length);
		expect(sent.length).toBeGreaterThan(0);

		const emulatorHost = new URL(n8n.emulator.url).host;
		const connects = readFileSync(proxyLog, 'utf8').split('\n').filter((line) => line.includes('CONNECT') && line.includes(emulatorHost));
		expect(connects.length).toBeGreaterThan(0);
		const stats = n8n.emulator.stats();
		expect(stats.accepted).toBe(sent.length);
		// Every connection the emulator saw came through the proxy, and they were kept alive:
		// far fewer TLS handshakes than requests.
		const requests = Object.values(stats.requests).reduce((a, n) => a + n, 0);
		expect(requests).toBeGreaterThanOrEqual(61);
		expect(stats.tlsHandshakes).toBeGreaterThan(0);
		expect(stats.tlsHandshakes).toBeLessThanOrEqual(11); // Concurrency 10 + the token endpoint's connection
	});

	it('NO_PROXY: a listed host is reached directly, nothing goes through the proxy', async () => {
		n8n.emulator.reset();
		const before = readFileSync(proxyLog, 'utf8').split('\n').filter((line) => line.includes('CONNECT')).length;
		const saved = n8n.env;
		n8n.env = { ...saved, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
		try {
			const run = await n8n.executeOk(campaign.id);
			const [sent] = runOutputs(run, 'Send RCS');
			expect(sent.length).toBeGreaterThan(0);
			expect(n8n.emulator.stats().accepted).toBe(sent.length);
		} finally {
			n8n.env = saved;
		}
		expect(readFileSync(proxyLog, 'utf8').split('\n').filter((line) => line.includes('CONNECT')).length).toBe(before);
	});
});
