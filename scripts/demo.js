#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: a real n8n runs examples/campaign.json (200 generated contacts) with this
 * package, installed from its packed tarball, against the local RBM emulator — which injects a
 * few 429s and 503s so retries show — and prints what happened; then the campaign report
 * (scripts/demo-report.js: opt-outs, receipts and replies in n8n data tables, and the summary).
 *
 * `npm run dev` (`--ui`): same setup, then the n8n editor on http://127.0.0.1:5678 with the
 * package, the emulator credential and every workflow in examples/; runs until Ctrl-C.
 *
 * Options: --ui, --contacts <n> (default 200), --port <n> (editor, default 5678), --seed <n> (42),
 *          --no-faults. Environment: RBM_N8N_BIN (an n8n ≥ 2 on Node ≥ 24 to use, or `cached`;
 *          otherwise `n8n` on PATH is used when it qualifies), RBM_N8N_CACHE (where the cached
 *          n8n is installed), RBM_DEMO_DIR.
 * Needs `npm run build` first (the npm scripts do it). Works without a TTY (CI=true).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const runtime = require('./n8n-runtime');
const { runReport } = require('./demo-report');

const REPO = runtime.REPO_DIR;
const DEMO_DIR = path.resolve(process.env.RBM_DEMO_DIR || path.join(REPO, '.cache', 'demo'));
const USER_FOLDER = path.join(DEMO_DIR, 'home');
const CREDENTIAL = { id: 'rbm-emulator', name: 'RBM Emulator' };
const OWNER = { email: 'demo@rbm.local', firstName: 'RBM', lastName: 'Demo', password: 'RbmDemo-2026' };
const EXAMPLES_DIR = path.join(REPO, 'examples');

/** "3. Check who has RCS…" → 3: the order to try the examples in; unnumbered ones go last. */
function exampleNumber(name) {
	const m = /^(\d+)\. /.exec(name || '');
	return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/**
 * Every workflow in examples/ (all *.json files), with what it is for and what it needs beyond
 * the emulator credential, read from the workflow itself so a new example shows up on its own;
 * in the order to try them (the number their names start with), then by file name.
 */
function examples(dir = EXAMPLES_DIR) {
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }))
		.sort((a, b) => exampleNumber(a.workflow.name) - exampleNumber(b.workflow.name))
		.map(({ file, workflow }) => {
			const types = new Set((workflow.nodes || []).map((n) => n.type));
			const credentials = new Set((workflow.nodes || []).flatMap((n) => Object.keys(n.credentials || {})));
			const notes = [];
			const others = [...credentials].filter((c) => c !== 'rbmApi');
			if (others.length) notes.push(`needs your own ${others.join(', ')} credential (add it in the editor)`);
			if (/queue mode/i.test(workflow.name || '')) notes.push("built for n8n's queue mode (docs/queue-mode.md)");
			if (types.has('n8n-nodes-base.dataTable')) notes.push('keeps its state in an n8n data table');
			if ([...types].some((t) => /rbmTrigger$|\.webhook$/.test(t))) notes.push('activate it to receive calls');
			return { file, workflow, notes };
		});
}

function parseArgs(argv) {
	const args = { ui: false, contacts: 200, port: 5678, seed: 42, faults: true };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${flag} needs a whole number`);
			return Number(v);
		};
		if (flag === '--ui') args.ui = true;
		else if (flag === '--contacts') args.contacts = value();
		else if (flag === '--port') args.port = value();
		else if (flag === '--seed') args.seed = value();
		else if (flag === '--no-faults') args.faults = false;
		else if (flag === '--help' || flag === '-h') args.help = true;
		else throw new Error(`unknown option ${argv[i]} (try --help)`);
	}
	if (args.contacts < 1 || args.contacts > 5000) throw new Error('--contacts must be between 1 and 5000');
	return args;
}

const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (message = '') => console.log(message);
const step = (message) => console.log(`\n▸ ${message}`);
const detail = (message) => console.log(`  ${message}`);

/** The emulator CLI from dist/, as users run it (`npm run emulator`), on a free port. */
async function startEmulator(args) {
	const cli = path.join(REPO, 'dist', 'emulator', 'cli.js');
	if (!fs.existsSync(cli)) throw new Error('dist/emulator/cli.js is missing: run `npm run build` first (`npm run demo` does)');
	const port = await runtime.freePort();
	const keyFile = path.join(DEMO_DIR, 'emulator-key.json');
	// HTTPS like Google: the emulator makes a CA at start; n8n trusts it through NODE_EXTRA_CA_CERTS.
	const caFile = path.join(DEMO_DIR, 'emulator-ca.pem');
	fs.rmSync(keyFile, { force: true });
	fs.rmSync(caFile, { force: true });
	const flags = ['--host', '127.0.0.1', '--port', String(port), '--seed', String(args.seed), '--write-key', keyFile, '--https', '--ca-file', caFile];
	if (args.faults) flags.push('--rate-429', '0.05', '--rate-503', '0.05', '--retry-after', '1');
	detail(`node dist/emulator/cli.js ${flags.join(' ').replace(keyFile, path.relative(REPO, keyFile)).replace(caFile, path.relative(REPO, caFile))}`);
	const child = spawn(process.execPath, [cli, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	let exited = null;
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
	const url = `https://127.0.0.1:${port}`;
	try {
		const caDeadline = Date.now() + 30000;
		while (!fs.existsSync(caFile) && !exited && Date.now() < caDeadline) await new Promise((r) => setTimeout(r, 100));
		const ca = fs.existsSync(caFile) ? fs.readFileSync(caFile, 'utf8') : undefined;
		await runtime.waitForHttp(`${url}/healthz`, { timeoutMs: 30000, isAlive: () => !exited, what: 'the RBM emulator', ca });
		const deadline = Date.now() + 10000;
		while (!fs.existsSync(keyFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		const keyJson = fs.readFileSync(keyFile, 'utf8');
		fs.rmSync(keyFile, { force: true }); // imported into n8n (encrypted) below; no copy left around
		return {
			url,
			keyJson,
			caFile,
			stats: async () => (await runtime.httpJson('GET', `${url}/_emulator/stats`, { ca })).json,
			stop: async () => {
				if (exited) return;
				child.kill('SIGTERM');
				const t = setTimeout(() => child.kill('SIGKILL'), 5000);
				await exit;
				clearTimeout(t);
			},
		};
	} catch (error) {
		child.kill('SIGKILL');
		throw new Error(`${error.message}\n${output}`);
	}
}

/** campaign.json with its Contacts node generating `count` contacts; every 10th ends in 404. */
function demoCampaign(count) {
	const wf = JSON.parse(fs.readFileSync(path.join(REPO, 'examples', 'campaign.json'), 'utf8'));
	const contacts = wf.nodes.find((n) => n.name === 'Contacts');
	contacts.parameters.jsCode = [
		`// Demo contacts generated by scripts/demo.js: ${count} people. Every 10th number ends in 404,`,
		'// which the local RBM emulator treats as "not reachable over RCS" → SMS fallback.',
		"const campaignId = 'spring-sale-2026';",
		`return Array.from({ length: ${count} }, (_, i) => {`,
		"  const phone = (i + 1) % 10 === 0 ? '+1650' + (100 + Math.floor(i / 10)) + '0404' : '+1650555' + (1000 + i);",
		"  return { json: { name: 'Contact ' + (i + 1), phone, campaignId } };",
		'});',
	].join('\n');
	return wf;
}

async function setUp(args) {
	step('n8n runtime');
	const rt = await runtime.ensureRuntime({ log: detail, preferExisting: true });

	step('Install this package into the demo n8n (as a community package)');
	fs.mkdirSync(DEMO_DIR, { recursive: true });
	const tgz = await runtime.packPackage({ destination: path.join(DEMO_DIR, 'pack'), log: detail });
	await runtime.installPackage(USER_FOLDER, tgz, { log: detail });
	detail(`n8n user folder: ${path.relative(REPO, USER_FOLDER)}/.n8n`);

	step('Start the local RBM emulator');
	const emulator = await startEmulator(args);
	detail(`listening on ${emulator.url}${args.faults ? ' — injecting ~5% 429 (Retry-After 1 s) and ~5% 503, seed ' + args.seed : ''}`);

	step('Import the emulator credential and the workflows');
	const env = { ...runtime.n8nEnv(USER_FOLDER), NODE_EXTRA_CA_CERTS: emulator.caFile };
	const key = JSON.parse(emulator.keyJson);
	await runtime.importCredentials(
		USER_FOLDER,
		[{ ...CREDENTIAL, type: 'rbmApi', data: { serviceAccountJson: emulator.keyJson, region: 'global', baseUrl: `${emulator.url}/{region}` } }],
		env,
	);
	detail(`credential "${CREDENTIAL.name}" (rbmApi): ${key.client_email}, base URL ${emulator.url}/{region}`);
	detail(`n8n trusts the emulator's CA: NODE_EXTRA_CA_CERTS=${path.relative(REPO, emulator.caFile)}`);
	return { rt, emulator, env };
}

async function runDemo(args) {
	const { emulator, env } = await setUp(args);
	try {
		const wf = demoCampaign(args.contacts);
		await runtime.importWorkflow(USER_FOLDER, wf, env);
		detail(`workflow "${wf.name}" (${wf.id}) with ${args.contacts} contacts`);

		step(`Execute it in n8n ${runtime.currentRuntime().n8nVersion}: n8n execute --id=${wf.id}`);
		const t = Date.now();
		const result = await runtime.executeWorkflow(USER_FOLDER, wf.id, { env, timeoutMs: 10 * 60 * 1000 });
		const execMs = Date.now() - t;
		const run = result.run;
		if (result.code !== 0 || !run || run.data.resultData.error) {
			const error = run && run.data.resultData.error;
			throw new Error(
				`the workflow run failed (exit ${result.code}${result.timedOut ? ', timed out' : ''})` +
					(error ? `: ${error.message}${error.description ? ` — ${error.description}` : ''}` : `\n${`${result.stdout}\n${result.stderr}`.trim().slice(-3000)}`),
			);
		}
		const out = (name) => (run.data.resultData.runData[name] || []).flatMap((r) => r.data.main.map((items) => items || []));
		const [contacts] = out('Contacts');
		const [sent = [], notReachable = []] = out('Send RCS');
		const [sms = []] = out('SMS fallback (stand-in)');
		const stats = await emulator.stats();

		const already = sent.filter((i) => i.json.alreadyAccepted === true);
		const faults = Object.entries(stats.faultsInjected || {});
		const faultTotal = faults.reduce((sum, [, n]) => sum + n, 0);
		const lost = contacts.length - sent.length - notReachable.length;
		const duplicatesOnRbm = Object.values(stats.messages).filter((m) => m.count > 1).length;

		step('Summary');
		const rows = [
			['Contacts', contacts.length],
			['Sent over RCS (accepted by RBM)', `${sent.length}${already.length ? ` (${already.length} already accepted: a retry found its id already there)` : ''}`],
			['Not reachable → SMS fallback (stand-in)', `${notReachable.length} → ${sms.length} SMS items`],
			['Retried (faults the emulator injected)', faultTotal ? `${faultTotal} (${faults.map(([k, n]) => `${k} ×${n}`).join(', ')})` : '0'],
			['Messages RBM accepted / duplicates refused', `${stats.accepted} / ${stats.duplicates}`],
			['Token grants', stats.tokenGrants],
			['HTTPS connections / TLS handshakes', `${stats.connections} / ${stats.tlsHandshakes} for ${Object.values(stats.requests).reduce((a, n) => a + n, 0)} requests (kept alive and reused)`],
			['n8n execution', `${seconds(execMs)} (process start to exit)`],
			['Total', seconds(Date.now() - started)],
		];
		const width = Math.max(...rows.map(([k]) => k.length));
		for (const [k, v] of rows) detail(`${k.padEnd(width)}  ${v}`);
		detail('');
		detail('Sample messages:');
		for (const item of sent.slice(0, 3)) detail(`  ${item.json.phoneNumber}  messageId ${item.json.messageId}`);
		for (const item of notReachable.slice(0, 1)) detail(`  ${item.json.phoneNumber}  not reachable (${item.json.error.status}) → SMS fallback`);

		const problems = [];
		if (lost !== 0) problems.push(`${lost} contact(s) came out of neither output`);
		if (stats.accepted !== sent.length) problems.push(`RBM accepted ${stats.accepted} messages but n8n reports ${sent.length} sent`);
		if (duplicatesOnRbm !== already.length) problems.push(`${duplicatesOnRbm} message id(s) reached RBM more than once but ${already.length} item(s) say alreadyAccepted`);
		if (sms.length !== notReachable.length) problems.push(`${notReachable.length} not reachable but ${sms.length} SMS fallback items`);
		if (stats.tlsHandshakes > 40) problems.push(`${stats.tlsHandshakes} TLS handshakes for one campaign: connections are not being reused`);
		if (problems.length) throw new Error(`the numbers do not add up:\n  - ${problems.join('\n  - ')}`);
		say(`\n✔ Every contact accounted for, each reachable one accepted exactly once.`);
		// The campaign report with opt-outs, receipts and replies (docs/send-message.md › Campaign report).
		await runReport({ emulator, env, userFolder: USER_FOLDER, owner: OWNER, contacts: args.contacts, step, detail });
		say(`\n✔ The campaign report's numbers equal the emulator's. Try the editor: npm run dev`);
	} finally {
		await emulator.stop();
	}
}

async function runUi(args) {
	const { emulator, env } = await setUp(args);
	let n8n;
	let stopping = false;
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the emulator…');
		await Promise.allSettled([n8n ? n8n.stop() : undefined, emulator.stop()]);
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(0));
	process.on('SIGTERM', () => shutdown(0));
	try {
		const list = examples();
		// One `n8n import:workflow` of all of them (n8n accepts an array; each n8n start costs seconds),
		// then, if that fails, one at a time so one bad file does not keep out the others.
		try {
			await runtime.importWorkflow(USER_FOLDER, list.map((e) => e.workflow), env);
		} catch (error) {
			detail(`importing all ${list.length} examples at once failed; importing them one by one (${error.message.split('\n')[0]})`);
			for (const e of list) {
				try {
					await runtime.importWorkflow(USER_FOLDER, e.workflow, env);
				} catch (one) {
					e.failed = one.message.split('\n').slice(-3).join(' ').slice(0, 300);
				}
			}
		}
		for (const e of list) detail(`${e.failed ? '✖' : '✔'} examples/${e.file}${e.failed ? `: not imported: ${e.failed}` : ''}`);
		step(`Start the n8n editor on http://127.0.0.1:${args.port}`);
		n8n = await runtime.startN8n(USER_FOLDER, {
			port: args.port,
			env,
			onLine: (line) => {
				// n8n's own problems only: not stack frames, not its offline calls home (api.n8n.io).
				if (!/error|warn/i.test(line) || /^\s+at |Python task runner|virtual environment|api\.n8n\.io|ENOTFOUND|EAI_AGAIN|Strapi/i.test(line)) return;
				detail(`[n8n] ${line}`);
			},
		});
		let login = `${OWNER.email} / ${OWNER.password}`;
		try {
			await runtime.ownerSession(n8n.url, OWNER);
		} catch {
			login = 'the owner account you created earlier in this demo folder';
		}
		say('');
		say(`  n8n ${runtime.currentRuntime().n8nVersion} editor:  ${n8n.url}`);
		say(`  Sign in:          ${login}  (local demo account)`);
		say(`  RBM emulator:     ${emulator.url}  (stats: ${emulator.url}/_emulator/stats)`);
		say(`  Workflows (${list.filter((e) => !e.failed).length} of ${list.length} in examples/; the credential "RBM Emulator" is set up):`);
		for (const e of list.filter((x) => !x.failed)) {
			say(`    ${e.workflow.name}  (examples/${e.file})${e.notes.length ? `: ${e.notes.join('; ')}` : ''}`);
		}
		say('  Open one and click "Execute workflow". examples/README.md says what each shows.');
		say(`  Setup took ${seconds(Date.now() - started)}. Press Ctrl-C to stop.`);
		const exit = await n8n.exited;
		if (stopping) return;
		say(`n8n exited (${exit.signal || `code ${exit.code}`})`);
		await shutdown(exit.code === 0 ? 0 : 1);
	} catch (error) {
		await Promise.allSettled([n8n ? n8n.stop() : undefined, emulator.stop()]);
		throw error;
	}
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		const doc = fs.readFileSync(__filename, 'utf8').split('/**')[1].split('*/')[0];
		say(doc.replace(/^ \* ?/gm, '').trim());
		return;
	}
	say(`n8n-nodes-rbm demo — a real n8n + the local RBM emulator${args.ui ? ' (editor mode)' : ''}`);
	if (args.ui) await runUi(args);
	else await runDemo(args);
}

if (require.main !== module) {
	module.exports = { examples, parseArgs };
} else main().catch((error) => {
	console.error(`\n✖ Demo failed: ${error.message}`);
	if (!/unknown option|needs a whole number|must be between/.test(error.message)) {
		const used = runtime.currentRuntime();
		const where =
			used.source === 'cache'
				? `n8n is cached in ${path.relative(process.cwd(), runtime.cacheDirectory()) || runtime.cacheDirectory()}; delete it to reinstall (or set RBM_N8N_CACHE).`
				: `n8n ${used.n8nVersion} came from ${used.source === 'PATH' ? 'PATH' : 'RBM_N8N_BIN'} (${used.n8nBin}); RBM_N8N_BIN=cached uses the cached one instead.`;
		console.error(`  ${where} The demo's n8n data is in ${path.relative(process.cwd(), DEMO_DIR)}.`);
	}
	process.exit(1);
});
