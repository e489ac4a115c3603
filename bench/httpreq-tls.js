#!/usr/bin/env node
'use strict';
/**
 * `node bench/httpreq-tls.js [--items 3000]`: n8n's HTTP Request node over HTTPS at a size it
 * survives on this machine, next to a NoOp run of the same size, for the HTTPS comparison in
 * bench/README.md. (In `npm run bench` its 10,000-item HTTPS rows fail: with a new TLS connection
 * per message n8n's main thread saturates, thousands of connected sockets wait longer than the
 * server keeps an idle connection, and the first one the server closes fails the whole node.)
 * Same set-up as the bench: emulator over HTTPS behind the 20 ms RTT relay, L = 50 ms, n8n trusts
 * its CA through NODE_EXTRA_CA_CERTS. Writes bench/httpreq-tls-results.json.
 */
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

(async () => {
	const args = lib.parseArgs(process.argv.slice(2), { items: 3000, latency: 50, rtt: 20 });
	const { startEmulator } = lib.requireEmulator();
	const emulator = await startEmulator({ host: '127.0.0.1', port: 0, tls: true, rttMs: args.rtt, faults: { 'agentMessages.create': { latencyMs: args.latency } } });
	const key = emulator.createServiceAccountKey();
	const instance = await lib.setupN8n({ emulator, keyJson: JSON.stringify(key), extraEnv: { NODE_EXTRA_CA_CERTS: emulator.caFile } });
	try {
		const noop = await lib.measure(instance, emulator, lib.noopWorkflow(args.items));
		const m = await lib.measure(instance, emulator, lib.httpWorkflow(args.items, { emulatorUrl: emulator.url, key }), { timeoutMs: 30 * 60 * 1000 });
		const stats = emulator.stats();
		const result = {
			generatedAt: new Date().toISOString(),
			transport: 'https',
			rttMs: args.rtt,
			latencyMs: args.latency,
			setting: 'default (no batching)',
			items: args.items,
			ok: m.ok,
			error: m.ok ? undefined : m.failure,
			msgPerSec: m.ok ? lib.round((m.outputs[0] / m.nodeMs) * 1000) : null,
			maxInFlight: m.maxInFlight,
			tlsHandshakes: stats.tlsHandshakes,
			connections: stats.connections,
			cpuMsPerItemAboveNoOp: m.ok && noop.ok ? lib.round((m.cpuMs - noop.cpuMs) / m.outputs[0], 3) : null,
			noopCpuMs: noop.ok ? Math.round(noop.cpuMs) : null,
			cpuMs: m.ok ? Math.round(m.cpuMs) : null,
			machine: lib.machineInfo(),
		};
		fs.writeFileSync(path.join(__dirname, 'httpreq-tls-results.json'), `${JSON.stringify(result, null, 2)}\n`);
		console.log(JSON.stringify(result, null, 2));
	} finally {
		instance.cleanup();
		await emulator.close();
	}
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
