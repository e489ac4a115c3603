#!/usr/bin/env node
'use strict';
/**
 * The floor of CPU per message on this machine: a bare Node client, no n8n, sending the bench's
 * messages to the same emulator (same TLS, same RTT relay, same server time) on the same transport
 * as our node (nodes/shared/transport/connection.ts): Node's global `fetch` on kept-alive
 * connections in Node's global pool (the global dispatcher, no agent of our own), C requests in
 * flight, `redirect: 'manual'`, an AbortController's signal per request (connection.ts
 * aborts it from one watch per process for timeouts; no timer per request; here nothing times out), the body read as text, then
 * one timer turn (what n8n-workflow's `sleep(0)` is: a zero setTimeout) so that the socket goes
 * back to the pool before the next request — C requests in flight use C connections. What is left
 * above this in our node's CPU per message is n8n's per-item work for a node plus ours.
 *
 *   node bench/floor-client.js '<json: {url, keyJson, agentId, text, items, concurrency}>'
 *
 * Run by bench.js on the Node that runs n8n (Node 24), with NODE_EXTRA_CA_CERTS set to the
 * emulator's CA. Gets one token — the JWT-bearer grant signed by our own code
 * (dist/nodes/shared/transport/jwt.js, the build of nodes/shared/transport/jwt.ts: node:crypto,
 * RS256, aud https://oauth2.googleapis.com/token; `npm run bench` builds first) — then sends, and
 * prints one JSON line: items, ok, msgPerSec, cpuMs (process.cpuUsage() of the sending phase, all
 * threads), cpuMsPerItem, userMs, systemMs, wallMs.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const JWT_JS = path.join(__dirname, '..', 'dist', 'nodes', 'shared', 'transport', 'jwt.js');
if (!fs.existsSync(JWT_JS)) {
	process.stderr.write(`floor client failed: ${JWT_JS} is missing: run \`npm run build\` first\n`);
	process.exit(1);
}
// Only node:crypto inside: the grant is signed exactly as the node signs it, without n8n.
const { signGrantAssertion, grantForm } = require(JWT_JS);


/** One timer turn, as n8n-workflow's sleep(0) (@n8n/utils: `new Promise((r) => setTimeout(r, ms))`). */
const timerTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** One request the way connection.ts's keepAliveSender makes it: global fetch, body as text, then one timer turn. */
async function send(url, { method, headers, body }) {
	const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: new AbortController().signal });
	const text = await response.text();
	await timerTurn();
	return { status: response.status, text };
}

async function main() {
	const cfg = JSON.parse(process.argv[2]);
	const key = JSON.parse(cfg.keyJson);
	const C = cfg.concurrency;

	const assertion = signGrantAssertion({ clientEmail: key.client_email, privateKey: String(key.private_key).replace(/\\n/g, '\n') });
	const grant = await send(key.token_uri, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
		body: grantForm(assertion),
	});
	let token;
	try {
		token = JSON.parse(grant.text).access_token;
	} catch {
		token = undefined;
	}
	if (!token) throw new Error(`no token from ${key.token_uri} (status ${grant.status}: ${grant.text.slice(0, 200)})`);

	let next = 0;
	let ok = 0;
	const cpu0 = process.cpuUsage();
	const t0 = Date.now();
	const worker = async () => {
		while (next < cfg.items) {
			const i = next++;
			const phone = `+447${String(i).padStart(8, '0')}1`;
			const res = await send(`${cfg.url}/v1/phones/${encodeURIComponent(phone)}/agentMessages?messageId=${crypto.randomUUID()}&agentId=${encodeURIComponent(cfg.agentId)}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
				body: JSON.stringify({ contentMessage: { text: `${cfg.text}${i}` } }),
			});
			const body = JSON.parse(res.text);
			if (res.status === 200 && body.name) ok++;
		}
	};
	await Promise.all(Array.from({ length: C }, worker));
	const wallMs = Date.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	const cpuMs = (cpu.user + cpu.system) / 1000;
	process.stdout.write(
		`${JSON.stringify({ items: cfg.items, ok, concurrency: C, msgPerSec: (cfg.items / wallMs) * 1000, wallMs, cpuMs, cpuMsPerItem: cpuMs / cfg.items, userMs: cpu.user / 1000, systemMs: cpu.system / 1000 })}\n`,
	);
	// Idle kept-alive sockets of the global pool do not keep the process alive (connection.ts: they
	// close after 4 s); exit now rather than wait for them.
	process.exit(0);
}

main().catch((error) => {
	process.stderr.write(`floor client failed: ${error.stack || error.message}\n`);
	process.exit(1);
});
