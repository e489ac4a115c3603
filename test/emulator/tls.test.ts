import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { startEmulator, type RbmEmulator } from '../../emulator';
import { HELP, main, parseArgs } from '../../emulator/cli';
import { startRelay } from '../../emulator/relay';
import { CA_COMMON_NAME } from '../../emulator/tls';
import { makeJwt, request, sendPath, waitFor } from './helpers';

const TEXT = { contentMessage: { text: 'hello over TLS' } };
const form = (assertion: string): string =>
	new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();

/** Token grant, then `n` sends, all through `agent` (false = a new connection per request). */
async function grantAndSend(emu: RbmEmulator, agent: http.Agent | false, n: number, prefix: string): Promise<void> {
	const key = emu.createServiceAccountKey();
	const tok = await request(emu.url, 'POST', '/token', {
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: form(makeJwt(key)),
		ca: emu.ca,
		agent,
	});
	expect(tok.status).toBe(200);
	const token = tok.json().access_token as string;
	for (let i = 0; i < n; i++) {
		const res = await request(emu.url, 'POST', sendPath('+12223334444', `${prefix}-${i}`), {
			token,
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(TEXT),
			ca: emu.ca,
			agent,
		});
		expect(res.status).toBe(200);
	}
}

/** The server certificate as presented in a TLS handshake. */
function peerCertificate(emu: RbmEmulator): Promise<X509Certificate> {
	return new Promise((resolve, reject) => {
		const socket = tls.connect({ host: '127.0.0.1', port: emu.port, ca: emu.ca, servername: 'localhost' }, () => {
			const raw = socket.getPeerCertificate(true).raw;
			socket.end();
			resolve(new X509Certificate(raw));
		});
		socket.on('error', reject);
	});
}

describe('emulator: HTTPS mode', () => {
	let emu: RbmEmulator;
	beforeAll(async () => {
		emu = await startEmulator({ tls: true, deliveryDelayMs: 60_000 });
	});
	afterAll(() => emu.close());
	beforeEach(async () => {
		await waitFor(() => emu.stats().connectionsOpen === 0); // the previous test's sockets are gone
		emu.reset();
	});

	it('serves https://127.0.0.1:<port>, writes its CA to a file and makes keys whose token_uri is https', () => {
		expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		expect(emu.directUrl).toBe(emu.url);
		expect(emu.caFile).toBeDefined();
		expect(readFileSync(emu.caFile!, 'utf8')).toBe(emu.ca);
		const ca = new X509Certificate(readFileSync(emu.caFile!));
		expect(ca.ca).toBe(true);
		expect(ca.subject).toContain(`CN=${CA_COMMON_NAME}`);
		expect(ca.verify(ca.publicKey)).toBe(true); // self-signed
		expect(emu.createServiceAccountKey().token_uri).toBe(`${emu.url}/token`);
		expect(emu.tlsGenerationMs).toBeGreaterThan(0);
	});

	it('presents a server certificate signed by the CA for 127.0.0.1, ::1 and localhost, valid now', async () => {
		const ca = new X509Certificate(emu.ca!);
		const cert = await peerCertificate(emu);
		expect(cert.ca).toBe(false);
		expect(cert.verify(ca.publicKey)).toBe(true);
		expect(cert.checkIssued(ca)).toBe(true);
		expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
		expect(cert.checkIP('::1')).toBe('::1');
		expect(cert.checkHost('localhost')).toBe('localhost');
		expect(cert.checkHost('example.com')).toBeUndefined();
		expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // extKeyUsage serverAuth
		const now = Date.now();
		expect(new Date(cert.validFrom).getTime()).toBeLessThan(now);
		expect(new Date(cert.validTo).getTime()).toBeGreaterThan(now + 7 * 24 * 3600 * 1000);
	});

	it('another process trusts the CA file through NODE_EXTRA_CA_CERTS (node:https and fetch)', async () => {
		const script = `
			const https = require('node:https');
			const viaHttps = () => new Promise((res, rej) => https.get(process.argv[1] + '/healthz', (r) => { r.resume(); r.on('end', () => res(r.statusCode)); }).on('error', rej));
			Promise.all([viaHttps(), fetch(process.argv[1] + '/healthz').then((r) => r.status)])
				.then((s) => console.log(s.join(',')), (e) => { console.log('ERR ' + (e.cause?.code ?? e.code ?? e.message)); });`;
		const run = (env: NodeJS.ProcessEnv): Promise<string> =>
			new Promise((resolve, reject) => {
				execFile(process.execPath, ['-e', script, emu.url], { env, timeout: 15_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
			});
		const { NODE_EXTRA_CA_CERTS: _drop, ...env } = process.env;
		expect(await run({ ...env, NODE_EXTRA_CA_CERTS: emu.caFile })).toBe('200,200');
		expect(await run(env)).toMatch(/^ERR (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)/);
	});

	it('grants a token and sends over one keep-alive connection: 1 connection, 1 TLS handshake', async () => {
		const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			await grantAndSend(emu, agent, 5, 'ka');
			const s = emu.stats();
			expect(s.tokenGrants).toBe(1);
			expect(s.accepted).toBe(5);
			expect(s.connections).toBe(1);
			expect(s.tlsHandshakes).toBe(1);
			expect(s.connectionsOpen).toBe(1); // kept alive
		} finally {
			agent.destroy();
		}
		await waitFor(() => emu.stats().connectionsOpen === 0);
	});

	it('counts one connection and one handshake per request without keep-alive', async () => {
		await grantAndSend(emu, false, 4, 'fresh');
		const s = emu.stats();
		expect(s.accepted).toBe(4);
		expect(s.connections).toBe(5); // token + 4 sends
		expect(s.tlsHandshakes).toBe(5);
	});

	it("Node's fetch (the nodes' transport) keeps one connection and one handshake for several requests", async () => {
		// One timer turn after each body, as connection.ts waits: the socket is back in the pool.
		const script = `
			(async () => { for (let i = 0; i < 3; i++) { const r = await fetch(process.argv[1] + '/healthz'); await r.text(); await new Promise((ok) => setTimeout(ok, 0)); if (r.status !== 200) throw new Error(String(r.status)); } console.log('ok'); })()
				.catch((e) => console.log('ERR ' + (e.cause?.code ?? e.message)));`;
		const { NODE_EXTRA_CA_CERTS: _drop, ...env } = process.env;
		const out = await new Promise<string>((resolve, reject) => {
			execFile(process.execPath, ['-e', script, emu.url], { env: { ...env, NODE_EXTRA_CA_CERTS: emu.caFile }, timeout: 15_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
		});
		expect(out).toBe('ok');
		expect(emu.stats()).toMatchObject({ connections: 1, tlsHandshakes: 1 });
	});

	it('a client that does not trust the CA fails with a certificate error (no handshake counted)', async () => {
		const err = await request(emu.url, 'GET', '/healthz').then(
			() => undefined,
			(e: NodeJS.ErrnoException) => e,
		);
		expect(err?.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/);
		// with the CA the same request works
		expect((await request(emu.url, 'GET', '/healthz', { ca: emu.ca })).status).toBe(200);
		await waitFor(() => emu.stats().connectionsOpen === 0);
		const s = emu.stats();
		expect(s.connections).toBe(2);
		expect(s.tlsHandshakes).toBe(1);
	});

	it('reports the counters at /_emulator/stats and refuses to toggle tls or rttMs at runtime', async () => {
		const admin = (method: string, path: string, body?: unknown) =>
			request(emu.url, method, path, { ca: emu.ca, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
		const stats = (await admin('GET', '/_emulator/stats')).json();
		expect(stats).toMatchObject({ connections: 1, tlsHandshakes: 1, connectionsOpen: 1 });

		const off = await admin('POST', '/_emulator/config', { tls: false });
		expect(off.status).toBe(400);
		expect(off.json().error.message).toMatch(/^tls is fixed at start/);
		const rtt = await admin('POST', '/_emulator/config', { rttMs: 20 });
		expect(rtt.status).toBe(400);
		expect(rtt.json().error.message).toMatch(/^rttMs is fixed at start/);
		expect((await admin('POST', '/_emulator/config', { tls: 'yes' })).status).toBe(400);
		// the running values (as the config answer shows them) are accepted
		const same = await admin('POST', '/_emulator/config', { tls: true, rttMs: 0, port: emu.port });
		expect(same.status).toBe(200);
		expect(same.json()).toMatchObject({ tls: true, rttMs: 0, caFile: emu.caFile });

		expect(() => emu.configure({ tls: false })).toThrow(/tls is fixed at start/);
		expect(() => emu.configure({ rttMs: 5 })).toThrow(/rttMs is fixed at start/);
		expect(() => emu.configure({ port: 1 })).toThrow(/port is fixed at start/);
	});
});

describe('emulator: HTTPS CA file and plain-HTTP counters', () => {
	it('parses --https, --ca-file and --rtt', () => {
		expect(parseArgs(['--https', '--rtt', '40']).options).toEqual({ port: 8787, tls: true, rttMs: 40 });
		expect(parseArgs(['--ca-file', '/tmp/ca.pem']).options).toEqual({ port: 8787, tls: { caFile: '/tmp/ca.pem' } });
		expect(parseArgs(['--ca-file=/tmp/ca.pem', '--https']).options.tls).toEqual({ caFile: '/tmp/ca.pem' });
		expect(() => parseArgs(['--rtt', '-1'])).toThrow(/non-negative/);
		expect(() => parseArgs(['--ca-file'])).toThrow(/needs a value/);
		expect(HELP).toContain('--https');
		expect(HELP).toContain('NODE_EXTRA_CA_CERTS');
	});

	it('writes the CA to --ca-file (kept after stop); a CA file of its own under tmpdir is removed by close()', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'rbm-ca-test-'));
		const caFile = join(dir, 'nested', 'ca.pem');
		const lines: string[] = [];
		const run = await main(['--port', '0', '--ca-file', caFile, '--rtt', '5'], { log: (s) => lines.push(s) });
		const b = await startEmulator({ tls: true });
		try {
			const a = run.emulator!;
			expect(a.caFile).toBe(caFile);
			expect(a.url).toMatch(/^https:/);
			expect(new X509Certificate(readFileSync(caFile)).ca).toBe(true);
			expect(lines.join('\n')).toContain(`NODE_EXTRA_CA_CERTS=${caFile}`);
			expect(lines.join('\n')).toContain('RTT relay: 5 ms');
			expect((await request(a.url, 'GET', '/healthz', { ca: readFileSync(caFile, 'utf8') })).status).toBe(200);
			expect(b.caFile!.startsWith(tmpdir())).toBe(true);
			expect(existsSync(b.caFile!)).toBe(true);
			expect(a.ca).not.toBe(b.ca); // a new CA per start
			// a client that trusts one emulator's CA does not trust another's
			await expect(request(b.url, 'GET', '/healthz', { ca: a.ca })).rejects.toThrow();
		} finally {
			await run.stop();
			await b.close();
		}
		expect(existsSync(caFile)).toBe(true);
		expect(existsSync(b.caFile!)).toBe(false);
		expect(existsSync(dirname(b.caFile!))).toBe(false);
		rmSync(dir, { recursive: true, force: true });
	});

	it('plain HTTP (the default) counts connections, no handshakes, and has no CA', async () => {
		const emu = await startEmulator();
		try {
			expect(emu.url).toMatch(/^http:\/\//);
			expect(emu.ca).toBeUndefined();
			expect(emu.caFile).toBeUndefined();
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			for (let i = 0; i < 3; i++) expect((await request(emu.url, 'GET', '/healthz', { agent })).status).toBe(200);
			agent.destroy();
			await request(emu.url, 'GET', '/healthz');
			await waitFor(() => emu.stats().connectionsOpen === 0);
			expect(emu.stats()).toMatchObject({ connections: 2, tlsHandshakes: 0, connectionsOpen: 0 });
			emu.reset();
			expect(emu.stats().connections).toBe(0);
		} finally {
			await emu.close();
		}
	});
});

/** Times one request with a monotonic clock. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
	const t0 = performance.now();
	await fn();
	return performance.now() - t0;
}

// Timer slack: Node timers may fire up to ~1 ms early against performance.now(); each relay hop is
// one timer, so allow 2 ms per hop. Lower bounds only — a loaded machine only makes things slower.
const RTT = 40;
const SLACK_PER_RTT = 4;

describe('emulator: RTT relay', () => {
	it('HTTPS through rttMs=40: keep-alive request ≥ 1 RTT, fresh TLS connection ≥ 3 RTT (connect, TLS 1.3, request)', async () => {
		const emu = await startEmulator({ tls: true, rttMs: RTT });
		const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			expect(emu.url).not.toBe(emu.directUrl);
			const get = (a: https.Agent | false) => request(emu.url, 'GET', '/healthz', { ca: emu.ca, agent: a });
			const first = await timed(() => get(agent)); // connect + handshake + request
			const again = await timed(() => get(agent)); // same connection
			const fresh = await timed(() => get(false)); // new connection, full handshake
			expect(first).toBeGreaterThanOrEqual(3 * (RTT - SLACK_PER_RTT));
			expect(again).toBeGreaterThanOrEqual(RTT - SLACK_PER_RTT);
			expect(fresh).toBeGreaterThanOrEqual(3 * (RTT - SLACK_PER_RTT));
			const s = emu.stats();
			expect(s.connections).toBe(2);
			expect(s.tlsHandshakes).toBe(2);
			// the API server itself is not slowed down
			expect((await request(emu.directUrl, 'GET', '/healthz', { ca: emu.ca })).status).toBe(200);
			// token_uri follows the relay url
			const key = emu.createServiceAccountKey();
			expect(key.token_uri).toBe(`${emu.url}/token`);
			await grantAndSend(emu, agent, 1, 'rtt');
		} finally {
			agent.destroy();
			await emu.close();
		}
	});

	it('plain HTTP through rttMs=40: fresh request ≥ 2 RTT, keep-alive request ≥ 1 RTT', async () => {
		const emu = await startEmulator({ rttMs: RTT });
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const first = await timed(() => request(emu.url, 'GET', '/healthz', { agent }));
			const again = await timed(() => request(emu.url, 'GET', '/healthz', { agent }));
			expect(first).toBeGreaterThanOrEqual(2 * (RTT - SLACK_PER_RTT));
			expect(again).toBeGreaterThanOrEqual(RTT - SLACK_PER_RTT);
			expect(emu.stats()).toMatchObject({ connections: 1, tlsHandshakes: 0 });
		} finally {
			agent.destroy();
			await emu.close();
		}
	});

	it('keeps byte order and half-close in both directions, and propagates a destroy', async () => {
		// an echo server that answers "bye" and closes its side only after the client's FIN arrives
		const serverSockets = new Set<net.Socket>();
		const echo = net.createServer({ allowHalfOpen: true }, (s) => {
			serverSockets.add(s);
			s.on('error', () => undefined);
			s.on('close', () => serverSockets.delete(s));
			s.on('data', (c) => s.write(c));
			s.on('end', () => s.end('bye'));
		});
		await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
		const relay = await startRelay({ host: '127.0.0.1', port: 0, targetHost: '127.0.0.1', targetPort: (echo.address() as net.AddressInfo).port, rttMs: 10 });
		try {
			const received = await new Promise<string>((resolve, reject) => {
				const c = net.connect({ host: '127.0.0.1', port: relay.port, allowHalfOpen: true }, () => {
					for (let i = 0; i < 200; i++) c.write(`${i},`);
					c.end(); // half-close: we can still read
				});
				let got = '';
				c.setEncoding('utf8');
				c.on('data', (d: string) => (got += d));
				c.on('end', () => resolve(got));
				c.on('error', reject);
			});
			const expected = Array.from({ length: 200 }, (_, i) => `${i},`).join('') + 'bye';
			expect(received).toBe(expected);

			// a destroyed client takes the upstream connection down
			const c = net.connect({ host: '127.0.0.1', port: relay.port });
			c.on('error', () => undefined);
			await new Promise<void>((r) => c.once('connect', () => r()));
			await waitFor(() => serverSockets.size === 1);
			c.destroy();
			await waitFor(() => serverSockets.size === 0);
		} finally {
			await relay.close();
			await new Promise<void>((r) => echo.close(() => r()));
		}
	});
});

describe('emulator: close()', () => {
	const NET = /^(TCP|TLS|Pipe|Connect|Shutdown|Write)/;
	const netResources = (): string[] => process.getActiveResourcesInfo().filter((r) => NET.test(r));

	it('leaves no TCP server, socket or TLS handle behind (relay, API server and open keep-alive connections)', async () => {
		await new Promise((r) => setTimeout(r, 20)); // let earlier tests' handles finish closing
		const before = netResources();
		const emu = await startEmulator({ tls: true, rttMs: 10 });
		const agent = new https.Agent({ keepAlive: true, maxSockets: 2 });
		await Promise.all([1, 2].map(() => request(emu.url, 'GET', '/healthz', { ca: emu.ca, agent })));
		expect(emu.stats().connectionsOpen).toBeGreaterThanOrEqual(1);
		expect(netResources().length).toBeGreaterThan(before.length);
		const clientSockets = Object.values(agent.freeSockets).flat().length + Object.values(agent.sockets).flat().length;

		await emu.close(); // with the client connections still open
		// what may remain are the test's own client sockets, being closed by the peer's reset
		const remaining = netResources().filter((r) => r === 'TCPSocketWrap').length - before.filter((r) => r === 'TCPSocketWrap').length;
		expect(remaining).toBeLessThanOrEqual(clientSockets);
		expect(netResources().filter((r) => r === 'TCPServerWrap').length).toBe(before.filter((r) => r === 'TCPServerWrap').length);
		agent.destroy();
		await waitFor(() => netResources().length <= before.length, 2000);
		expect(netResources().sort()).toEqual([...before].sort());
		await emu.close(); // idempotent
	});
});
