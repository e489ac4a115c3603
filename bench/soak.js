#!/usr/bin/env node
'use strict';
/**
 * `npm run soak`: exactly-once under ~10 % injected faults, in a real n8n 2.40.7 against the RBM
 * emulator. Scenarios (each one `n8n execute` of --items contacts, default 10,000):
 *
 *   ours-faults          RBM Send Message, C=32, its own retries (default 5): a seeded fault script
 *                        of 429 (Retry-After 1 s), 503, resets, timeouts and reset-after-accept
 *                        (lost responses) on ~10 % of requests.
 *   ours-retry-on-fail   RBM Send Message with the node's retries off (options.maxRetries 0) and
 *                        n8n's "Retry On Fail" (maxTries 3, wait 0): a lost response half-way fails
 *                        the first try, a reset later fails the second, the third completes.
 *   http-retry-on-fail   n8n's HTTP Request node as a user would set it up (see bench/README.md),
 *   http-retry-continue  "Retry On Fail" on (3 tries, 1 s), and then also "On Error: Continue"; the
 *                        same fault script as ours-faults.
 *
 * For each: accepted (distinct phones RBM accepted a message for), lost (items never accepted),
 * double-sends (phones with more than one accepted message id — a retried id that RBM answers
 * 409/alreadyAccepted is *not* a double-send: it is counted in `duplicates`). Our scenarios must
 * have accepted = items, lost = 0, double-sends = 0, and every Sent item's messageId must be the
 * one RBM holds for its phone; the process exits 1 otherwise. The HTTP Request node's numbers are
 * reported for comparison only.
 *
 *   node bench/soak.js [--items 10000] [--latency 20] [--seed 20261125] [--fault-rate 0.1]
 *                      [--scenarios ours-faults,ours-retry-on-fail,http-retry-on-fail,http-retry-continue]
 *                      [--wait-idle false] [--out bench]
 */
const fs = require('node:fs');
const path = require('node:path');

const lib = require('./lib');
const { log, round, table } = lib;

const ALL = ['ours-faults', 'ours-retry-on-fail', 'http-retry-on-fail', 'http-retry-continue'];
const DEFAULTS = { items: 10000, latency: 20, seed: 20261125, faultRate: 0.1, concurrency: 32, scenarios: ALL.join(','), waitIdle: true, out: __dirname };

// The emulator's own seeded PRNG (dist/emulator, built by `npm run soak`), so the fault plan is reproducible the same way.
const { mulberry32: prng } = require('../dist/emulator/faults');

/**
 * The fault sequence, one step per request in arrival order (retries included), ~rate faulty:
 * 30 % of the faults are 429 (Retry-After 1 s), 30 % 503, 15 % resets, 5 % timeouts (socket held,
 * then dropped), 20 % reset-after-accept (accepted, response lost). Long enough for all retries.
 */
function faultScript(length, rate, seed) {
	const rnd = prng(seed);
	const mix = [
		[0.3, '429'],
		[0.3, '503'],
		[0.15, 'reset'],
		[0.05, 'timeout'],
		[0.2, 'reset-after-accept'],
	];
	const script = new Array(length);
	for (let i = 0; i < length; i++) {
		const r = rnd();
		if (r >= rate) {
			script[i] = 'ok';
			continue;
		}
		let acc = 0;
		const u = r / rate;
		script[i] = mix[mix.length - 1][1];
		for (const [p, kind] of mix) {
			acc += p;
			if (u < acc) {
				script[i] = kind;
				break;
			}
		}
	}
	return script;
}

/** Accepted / lost / double-sends from the emulator's messages, by phone. */
function account(stats, items) {
	const idsByPhone = new Map();
	for (const [id, m] of Object.entries(stats.messages)) {
		const list = idsByPhone.get(m.phoneNumber);
		if (list) list.push(id);
		else idsByPhone.set(m.phoneNumber, [id]);
	}
	let accepted = 0;
	let doubleSends = 0;
	let extraMessages = 0;
	for (let i = 0; i < items; i++) {
		const ids = idsByPhone.get(lib.phoneOf(i));
		if (!ids) continue;
		accepted++;
		if (ids.length > 1) {
			doubleSends++;
			extraMessages += ids.length - 1;
		}
	}
	// RBM never accepts one id twice (a repeat is a 409, counted in stats.duplicates), so a
	// double-send shows up as a second id for the same phone.
	return { accepted, lost: items - accepted, doubleSends, extraMessages, idsByPhone };
}

async function main() {
	const args = lib.parseArgs(process.argv.slice(2), DEFAULTS);
	const N = args.items;
	const scenarios = args.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
	for (const s of scenarios) if (!ALL.includes(s)) throw new Error(`unknown scenario ${s} (known: ${ALL.join(', ')})`);
	const started = Date.now();
	await lib.waitUntilIdle({ wait: args.waitIdle });
	const { startEmulator } = lib.requireEmulator();
	// timeoutMs: a 'timeout' step holds the socket this long, then drops it.
	const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: args.seed, timeoutMs: 5000, deliveryDelayMs: 50 });
	const key = emulator.createServiceAccountKey();
	const instance = await lib.setupN8n({ emulator, keyJson: JSON.stringify(key) });
	const latency = { latencyMs: args.latency };
	const script = faultScript(N * 3, args.faultRate, args.seed);
	const results = [];
	let failed = false;

	try {
		for (const name of scenarios) {
			let wf;
			let faults;
			let ours = true;
			if (name === 'ours-faults') {
				// Node timeout 2 s (the emulator holds a 'timeout' socket 5 s); retries default (5).
				wf = lib.oursWorkflow(N, { concurrency: args.concurrency, options: { timeout: 2000 } });
				faults = { 'agentMessages.create': { ...latency, script, retryAfterSeconds: 1 } };
			} else if (name === 'ours-retry-on-fail') {
				wf = lib.oursWorkflow(N, { concurrency: args.concurrency, options: { maxRetries: 0 }, settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } });
				const half = Math.floor(N / 2);
				const later = Math.floor(N * 0.7);
				faults = { 'agentMessages.create': { ...latency, script: [...Array(half).fill('ok'), 'reset-after-accept', ...Array(later).fill('ok'), 'reset'] } };
			} else {
				ours = false;
				const settings = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000, ...(name === 'http-retry-continue' ? { onError: 'continueRegularOutput' } : {}) };
				wf = lib.httpWorkflow(N, { emulatorUrl: emulator.url, key, settings });
				faults = { 'agentMessages.create': { ...latency, script, retryAfterSeconds: 1 } };
			}
			log(`${name}: ${wf.name} …`);
			const m = await lib.measure(instance, emulator, wf, { keepRun: true, prepare: () => emulator.configure({ seed: args.seed, faults }) });
			const stats = m.stats;
			const acc = account(stats, N);
			const r = {
				scenario: name,
				node: ours ? 'RBM Send Message' : 'HTTP Request 4.2',
				settings: describeSettings(name, args),
				items: N,
				workflowSucceeded: m.ok,
				workflowError: m.ok ? undefined : String(m.error && m.error.message ? m.error.message : m.error || m.raw || '').slice(0, 300),
				accepted: acc.accepted,
				lost: acc.lost,
				doubleSends: acc.doubleSends,
				extraMessages: acc.extraMessages,
				duplicatesAnswered409: stats.duplicates,
				requests: m.requests,
				faultsInjected: stats.faultsInjected,
				nodeRuns: m.nodeRuns,
				outputs: m.outputs,
				maxInFlight: m.maxInFlight,
				tokenGrants: m.tokenGrants,
				wallSeconds: round(m.wallMs / 1000, 1),
			};
			if (ours) {
				const checks = checkOurs(m, acc, N);
				r.checks = checks;
				r.pass = checks.every((c) => c.pass);
				if (!r.pass) failed = true;
			} else {
				const sent = m.outputs[0] || 0;
				const errorItems = m.run ? countErrorItems(m.run) : 0;
				r.errorItems = errorItems;
				r.note = describeHttp(r, sent, errorItems);
			}
			log(`${name}: accepted ${r.accepted}/${N}, lost ${r.lost}, double-sends ${r.doubleSends} (+${r.extraMessages} messages), 409s ${r.duplicatesAnswered409}, requests ${r.requests}, faults ${JSON.stringify(r.faultsInjected)}, ${r.wallSeconds} s${ours ? ` → ${r.pass ? 'PASS' : 'FAIL'}` : ''}`);
			results.push(r);
		}
	} finally {
		instance.cleanup();
		await emulator.close();
	}

	const text = renderTable(results);
	const out = {
		generatedAt: new Date().toISOString(),
		items: N,
		latencyMs: args.latency,
		seed: args.seed,
		faultRate: args.faultRate,
		faultMix: '30 % 429 (Retry-After 1 s), 30 % 503, 15 % reset, 5 % timeout (5 s, then dropped), 20 % reset-after-accept; one scripted step per request in arrival order',
		definitions: {
			accepted: 'distinct contacts (phones) RBM accepted a message for',
			lost: 'contacts RBM never accepted a message for',
			doubleSends: 'contacts RBM accepted more than one message id for (the user got the message twice)',
			duplicatesAnswered409: 'repeats of an already-accepted id, refused by RBM with 409 ALREADY_EXISTS (not a double-send)',
		},
		scenarios: results,
		oursPass: !failed,
		machine: lib.machineInfo(),
		versions: { node: lib.runtime.NODE_VERSION, n8n: lib.runtime.N8N_VERSION, package: instance.packageVersion },
		totalSeconds: Math.round((Date.now() - started) / 1000),
		table: text,
	};
	fs.mkdirSync(args.out, { recursive: true });
	fs.writeFileSync(path.join(args.out, 'soak-results.json'), `${JSON.stringify(out, null, 2)}\n`);
	console.log(`\n${text}\n\nwrote ${path.join(args.out, 'soak-results.json')} (soak took ${out.totalSeconds} s)`);
	const readme = path.join(__dirname, 'README.md');
	if (path.resolve(args.out) === path.resolve(__dirname) && fs.existsSync(readme)) {
		const md = fs.readFileSync(readme, 'utf8');
		const start = '<!-- soak:results:start -->';
		const end = '<!-- soak:results:end -->';
		const i = md.indexOf(start);
		const j = md.indexOf(end);
		if (i >= 0 && j > i) fs.writeFileSync(readme, `${md.slice(0, i + start.length)}\n\n\`\`\`text\n${text}\n\`\`\`\n\n${md.slice(j)}`);
	}
	if (failed) {
		console.error('SOAK FAILED: our node lost or double-sent messages (see checks above)');
		process.exit(1);
	}
}

function describeSettings(name, args) {
	switch (name) {
		case 'ours-faults':
			return `concurrency ${args.concurrency}, maxRetries 5 (default), timeout 2 s; ~${args.faultRate * 100} % faults`;
		case 'ours-retry-on-fail':
			return `concurrency ${args.concurrency}, maxRetries 0, Retry On Fail (3 tries, 0 ms); lost response at item ~${Math.floor(args.items / 2)}, reset later`;
		case 'http-retry-on-fail':
			return `no batching (default), Retry On Fail (3 tries, 1000 ms); ~${args.faultRate * 100} % faults`;
		default:
			return `no batching (default), Retry On Fail (3 tries, 1000 ms), On Error: Continue; ~${args.faultRate * 100} % faults`;
	}
}

function countErrorItems(run) {
	const runs = run.data.resultData.runData.Send || [];
	let n = 0;
	for (const r of runs) for (const out of (r.data && r.data.main) || []) for (const item of out || []) if (item.json && item.json.error) n++;
	return n;
}

function describeHttp(r, sent, errorItems) {
	const parts = [];
	if (!r.workflowSucceeded) parts.push(`the node failed on all 3 tries (${r.requests} requests for ${r.items} items) and stopped the workflow`);
	const falseFailures = errorItems - r.lost;
	if (errorItems && falseFailures > 0) parts.push(`${falseFailures} of the error items had in fact been accepted (lost responses): a user re-sending the failed items would double-send them`);
	if (errorItems) parts.push(`${errorItems} items came out as errors (not retried: Retry On Fail only re-runs a node that fails)`);
	if (r.doubleSends) parts.push(`every try re-sent items that had already been accepted (new message ids): ${r.doubleSends} contacts got the message 2+ times`);
	if (r.lost) parts.push(`${r.lost} contacts never got it`);
	return parts.join('; ');
}

/** Our node's exactly-once checks, from n8n's output and RBM's view. */
function checkOurs(m, acc, N) {
	const checks = [];
	const c = (name, pass, detail) => checks.push({ name, pass: !!pass, detail });
	c('workflow succeeded', m.ok, m.ok ? '' : JSON.stringify(m.error).slice(0, 300));
	c(`accepted = ${N}`, acc.accepted === N, `${acc.accepted}`);
	c('lost = 0', acc.lost === 0, `${acc.lost}`);
	c('double-sends = 0', acc.doubleSends === 0, `${acc.doubleSends}`);
	const sent = (m.run && m.run.data.resultData.runData.Send && m.run.data.resultData.runData.Send.slice(-1)[0].data.main[0]) || [];
	const notReachable = (m.run && m.run.data.resultData.runData.Send && m.run.data.resultData.runData.Send.slice(-1)[0].data.main[1]) || [];
	c(`Sent output has ${N} items, Not Reachable 0`, sent.length === N && notReachable.length === 0, `${sent.length} / ${notReachable.length}`);
	let mismatched = 0;
	let flagMismatch = 0;
	const paired = new Set();
	for (const item of sent) {
		const ids = acc.idsByPhone.get(item.json.phoneNumber) || [];
		if (ids.length !== 1 || ids[0] !== item.json.messageId) mismatched++;
		const count = m.stats.messages[item.json.messageId] ? m.stats.messages[item.json.messageId].count : 0;
		// alreadyAccepted ⇔ RBM saw the id more than once (a lost response or an earlier try).
		if ((item.json.alreadyAccepted === true) !== count > 1) flagMismatch++;
		const p = item.pairedItem;
		paired.add(typeof p === 'number' ? p : Array.isArray(p) ? p[0].item : p && p.item);
	}
	c("every Sent item's messageId is the one RBM holds for its phone", mismatched === 0, `${mismatched} mismatched`);
	c('alreadyAccepted exactly where RBM saw the id twice', flagMismatch === 0, `${flagMismatch} mismatched`);
	c('every input item paired once', paired.size === N, `${paired.size}`);
	c('exactly 1 token grant', m.tokenGrants === 1, `${m.tokenGrants}`);
	return checks;
}

function renderTable(results) {
	const rows = [['scenario', 'settings', 'items', 'workflow', 'accepted', 'lost', 'double-sends', '409 repeats', 'requests', 'faults', 's', 'exactly-once']];
	for (const r of results) {
		const faults = Object.entries(r.faultsInjected || {}).map(([k, v]) => `${k}:${v}`).join(' ');
		rows.push([r.scenario, r.settings, r.items, r.workflowSucceeded ? 'ok' : 'failed', r.accepted, r.lost, r.doubleSends ? `${r.doubleSends} (+${r.extraMessages} msgs)` : 0, r.duplicatesAnswered409, r.requests, faults, r.wallSeconds, r.pass === undefined ? 'n/a (comparison)' : r.pass ? 'PASS' : 'FAIL']);
	}
	const notes = [];
	for (const r of results) {
		if (r.checks) for (const ch of r.checks.filter((x) => !x.pass)) notes.push(`- ${r.scenario}: FAILED ${ch.name} (${ch.detail})`);
		if (r.note) notes.push(`- ${r.scenario}: ${r.note}`);
	}
	return [table(rows), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`soak failed: ${error.stack || error.message}`);
		process.exit(1);
	});
}

module.exports = { faultScript, account };
