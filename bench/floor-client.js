#!/usr/bin/env node
'use strict';
/**
 * The floor of CPU per message on this machine: a bare Node client, no n8n, sending the bench's
 * messages to the same emulator (same TLS, same RTT relay, same server time) through undici with
 * the settings of our transport's pool (nodes/shared/transport/pool.ts: one Agent, C connections,
 * keep-alive, no pipelining), C requests in flight. What is left above this in our node's CPU per
 * message is n8n's per-item work for a node plus ours.
 *
 *   node bench/floor-client.js '<json: {url, keyJson, agentId, text, items, concurrency}>'
 *
 * Run by bench.js on the Node that runs n8n (Node 24), with NODE_EXTRA_CA_CERTS set to the
 * emulator's CA. Gets one token (JWT-bearer grant, signed with node:crypto), then sends, and
 * prints one JSON line: items, ok, msgPerSec, cpuMs (process.cpuUsage() of the sending phase, all
 * threads), cpuMsPerItem, userMs, systemMs, wallMs.
 */
const crypto = require('node:crypto');
const path = require('node:path');

const { Agent, request } = require(require.resolve('undici', { paths: [path.join(__dirname, '..')] }));

async function main() {
	const cfg = JSON.parse(process.argv[2]);
	const key = JSON.parse(cfg.keyJson);
	const C = cfg.concurrency;
	const pool = new Agent({ connections: C, keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000, pipelining: 1 });

	const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const now = Math.floor(Date.now() / 1000);
	const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: key.client_email, scope: 'https://www.googleapis.com/auth/rcsbusinessmessaging', aud: key.token_uri, iat: now, exp: now + 3600 })}`;
	const assertion = `${unsigned}.${crypto.createSign('RSA-SHA256').update(unsigned).sign(key.private_key).toString('base64url')}`;
	const grant = await request(key.token_uri, {
		method: 'POST',
		dispatcher: pool,
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
	});
	const token = (await grant.body.json()).access_token;
	if (!token) throw new Error(`no token from ${key.token_uri} (status ${grant.statusCode})`);

	let next = 0;
	let ok = 0;
	const cpu0 = process.cpuUsage();
	const t0 = Date.now();
	const worker = async () => {
		while (next < cfg.items) {
			const i = next++;
			const phone = `+447${String(i).padStart(8, '0')}1`;
			const res = await request(`${cfg.url}/v1/phones/${encodeURIComponent(phone)}/agentMessages?messageId=${crypto.randomUUID()}&agentId=${encodeURIComponent(cfg.agentId)}`, {
				method: 'POST',
				dispatcher: pool,
				headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
				body: JSON.stringify({ contentMessage: { text: `${cfg.text}${i}` } }),
				headersTimeout: 30000,
				bodyTimeout: 30000,
				maxRedirections: 0,
			});
			const body = JSON.parse(await res.body.text());
			if (res.statusCode === 200 && body.name) ok++;
		}
	};
	await Promise.all(Array.from({ length: C }, worker));
	const wallMs = Date.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	await pool.close();
	const cpuMs = (cpu.user + cpu.system) / 1000;
	process.stdout.write(
		`${JSON.stringify({ items: cfg.items, ok, concurrency: C, msgPerSec: (cfg.items / wallMs) * 1000, wallMs, cpuMs, cpuMsPerItem: cpuMs / cfg.items, userMs: cpu.user / 1000, systemMs: cpu.system / 1000 })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`floor client failed: ${error.stack || error.message}\n`);
	process.exit(1);
});
