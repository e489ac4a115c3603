import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RbmEmulator } from '../../emulator';
import { main, parseArgs } from '../../emulator/cli';
import { api, makeJwt, postToken, request, sendPath } from './helpers';

describe('emulator: admin endpoints', () => {
	let emu: RbmEmulator;
	beforeAll(async () => {
		emu = await startEmulator({ deliveryDelayMs: 10_000 });
	});
	afterAll(() => emu.close());
	const admin = (method: string, path: string, body?: unknown) =>
		request(emu.url, method, path, { headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

	it('serves /healthz', async () => {
		const res = await admin('GET', '/healthz');
		expect(res.status).toBe(200);
		expect(res.json()).toEqual({ status: 'ok' });
	});

	it('creates keys, configures, revokes tokens, reports and resets stats over HTTP', async () => {
		const key = (await admin('POST', '/_emulator/keys')).json();
		expect(key.token_uri).toBe(`${emu.url}/token`);
		const token = (await postToken(emu, makeJwt(key))).json().access_token as string;

		const cfg = await admin('POST', '/_emulator/config', { duplicateMode: 'ok', unreachable: ['^\\+1555'] });
		expect(cfg.status).toBe(200);
		expect((await api(emu, token, 'POST', sendPath('+15551234567', 'a-1'), { contentMessage: { text: 'x' } })).status).toBe(404);
		expect((await api(emu, token, 'POST', sendPath('+12223330404', 'a-2'), { contentMessage: { text: 'x' } })).status).toBe(200);

		const stats = (await admin('GET', '/_emulator/stats')).json();
		expect(stats.accepted).toBe(1);
		expect(stats.notFound).toBe(1);
		expect(stats.messages['a-2']).toMatchObject({ count: 1, phoneNumber: '+12223330404', agentId: 'test-agent', delivered: false, revoked: false });

		await admin('POST', '/_emulator/tokens/revoke');
		expect((await api(emu, token, 'POST', sendPath('+12223334444', 'a-3'), { contentMessage: { text: 'x' } })).status).toBe(401);

		expect((await admin('POST', '/_emulator/reset')).status).toBe(200);
		const after = emu.stats();
		expect(after.accepted).toBe(0);
		expect(after.messages).toEqual({});
		// keys survive a reset
		expect((await postToken(emu, makeJwt(key))).status).toBe(200);
	});

	it('rejects bad config', async () => {
		expect((await admin('POST', '/_emulator/config', { unreachable: ['('] })).status).toBe(400);
		expect((await admin('POST', '/_emulator/config', { faults: { '*': { script: ['boom'] } } })).status).toBe(400);
		expect((await admin('POST', '/_emulator/config', { duplicateMode: 'maybe' })).status).toBe(400);
	});

	it('refuses invalid options programmatically', async () => {
		expect(() => emu.configure({ faults: { '*': { rate429: 2 } } })).toThrow(/rate429/);
		await expect(startEmulator({ unreachable: ['['] })).rejects.toThrow(/invalid regex/);
	});

	it('answers unknown API paths with a Google 404 envelope', async () => {
		const res = await admin('GET', '/v1/nothing');
		expect(res.status).toBe(404);
		expect(res.json().error.status).toBe('NOT_FOUND');
	});

	it('reset() drops remaining fault scripts but keeps the fault table', async () => {
		emu.configure({ faults: { getCapabilities: { script: ['500', '500'] } } });
		const key = emu.createServiceAccountKey();
		const token = (await postToken(emu, makeJwt(key))).json().access_token as string;
		expect((await api(emu, token, 'GET', '/v1/phones/+12223334444/capabilities?agentId=a')).status).toBe(500);
		emu.reset();
		expect((await api(emu, token, 'GET', '/v1/phones/+12223334444/capabilities?agentId=a')).status).toBe(200);
	});
});

describe('emulator: CLI', () => {
	it('parses flags', () => {
		const args = parseArgs([
			'--host', '0.0.0.0', '--port', '0', '--seed', '9', '--duplicate-mode', 'ok',
			'--unreachable', '^\\+1555', '--unreachable=404$', '--offline', '^\\+1999',
			'--unlaunched-agent', 'dark-agent', '--tester', '^\\+1650',
			'--latency', '20', '--jitter', '5', '--rate-429', '0.1', '--rate-503', '0.05', '--rate-reset', '0.01',
			'--rate-limit', '50', '--webhook-url', 'http://127.0.0.1:9/hook', '--webhook-token', 'tok', '--write-key', 'k.json',
		]);
		expect(args.help).toBe(false);
		expect(args.writeKey).toBe('k.json');
		expect(args.options).toEqual({
			host: '0.0.0.0', port: 0, seed: 9, duplicateMode: 'ok',
			unreachable: ['^\\+1555', '404$'], offline: ['^\\+1999'], rateLimitPerSecond: 50,
			unlaunchedAgents: ['dark-agent'], testers: ['^\\+1650'],
			webhookUrl: 'http://127.0.0.1:9/hook', webhookClientToken: 'tok',
			faults: { '*': { latencyMs: 20, jitterMs: 5, rate429: 0.1, rate503: 0.05, rateReset: 0.01 } },
		});
		expect(parseArgs([]).options).toEqual({ port: 8787 });
		expect(parseArgs(['--help']).help).toBe(true);
	});

	it('rejects bad flags', () => {
		expect(() => parseArgs(['--nope'])).toThrow(/Unknown option/);
		expect(() => parseArgs(['--port'])).toThrow(/needs a value/);
		expect(() => parseArgs(['--rate-429', '2'])).toThrow(/probability/);
		expect(() => parseArgs(['--duplicate-mode', 'x'])).toThrow();
		expect(() => parseArgs(['--unreachable', '('])).toThrow(/regex/);
	});

	it('starts on port 0, writes a key, answers /healthz and stops', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'rbm-emu-'));
		const lines: string[] = [];
		const run = await main(['--port', '0', '--write-key', join(dir, 'key.json')], { log: (s) => lines.push(s) });
		try {
			const url = run.emulator!.url;
			expect(lines[0]).toBe(`RBM emulator listening on ${url}`);
			expect(lines.join('\n')).toContain(join(dir, 'key.json'));
			const key = JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8'));
			expect(key.token_uri).toBe(`${url}/token`);
			expect((await request(url, 'GET', '/healthz')).status).toBe(200);
		} finally {
			await run.stop();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('prints help without starting', async () => {
		const lines: string[] = [];
		const run = await main(['--help'], { log: (s) => lines.push(s) });
		expect(run.emulator).toBeUndefined();
		expect(lines[0]).toContain('--write-key');
	});
});
