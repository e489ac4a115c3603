'use strict';
/**
 * Shared by bench/bench.js, bench/soak.js and bench/profile.js: a real n8n (2.40.7 on Node 24, from
 * scripts/n8n-runtime.js) with this package installed from its packed tarball into a fresh user
 * folder, the RBM emulator (dist/emulator, in this process), workflow builders for our node, the
 * HTTP Request node and a NoOp baseline, and one measured `n8n execute` per call.
 *
 * Plain CommonJS for Node ≥ 20; needs `npm run build` first (dist/emulator, dist/nodes).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('../scripts/n8n-runtime.js');

const REPO_DIR = runtime.REPO_DIR;
const PRELOAD = path.join(REPO_DIR, 'scripts', 'bench-cpu-preload.js');
const AGENT_ID = 'bench-agent';
const CREDENTIAL = { id: 'rbm-bench', name: 'RBM bench emulator' };
const TEXT_PREFIX = 'Hi ';
const TEXT_SUFFIX = ', our spring sale starts today: 20% off everything until Sunday.';

function log(message) {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** --name value / --name=value / --flag → {name: value|true}. */
function parseArgs(argv, defaults) {
	const out = { ...defaults };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) continue;
		let [key, value] = a.slice(2).split('=', 2);
		if (value === undefined) {
			if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
			else value = 'true';
		}
		const camel = key.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
		if (!(camel in defaults)) throw new Error(`unknown option --${key} (known: ${Object.keys(defaults).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')})`);
		const d = defaults[camel];
		// Arrays: comma-separated, numbers if the default's are numbers (--concurrency 1,8), else strings (--transports https).
		const list = () => value.split(',').map((v) => v.trim()).filter(Boolean);
		out[camel] =
			typeof d === 'number'
				? Number(value)
				: typeof d === 'boolean'
					? value !== 'false'
					: Array.isArray(d)
						? d.length && typeof d[0] === 'string'
							? list()
							: list().map(Number)
						: value;
	}
	return out;
}

function requireEmulator() {
	const file = path.join(REPO_DIR, 'dist', 'emulator', 'index.js');
	if (!fs.existsSync(file)) throw new Error('dist/emulator is missing: run `npm run build` first');
	return require(file);
}

/** Other heavy processes on this machine (CI runs, jest) would skew the timings. */
async function busyProcesses() {
	const res = await runtime.run('pgrep', ['-af', 'ci/run|jest|n8n/bin/n8n'], { timeoutMs: 10000 });
	return res.stdout
		.split('\n')
		.filter((l) => l.trim() && !l.includes('pgrep'))
		.filter((l) => !l.startsWith(`${process.pid} `));
}

async function waitUntilIdle({ wait = true, maxWaitMs = 60 * 60 * 1000 } = {}) {
	const deadline = Date.now() + maxWaitMs;
	let announced = false;
	for (;;) {
		const busy = await busyProcesses();
		if (busy.length === 0) return;
		if (!wait) {
			log(`WARNING: other processes are running, timings may be skewed:\n  ${busy.join('\n  ')}`);
			return;
		}
		if (!announced) log(`waiting for other runs to finish first (--wait-idle false to skip):\n  ${busy.join('\n  ')}`);
		announced = true;
		if (Date.now() > deadline) throw new Error('machine did not become idle');
		await new Promise((r) => setTimeout(r, 10000));
	}
}

/**
 * A fresh n8n user folder with the packed package installed (as users install community nodes),
 * the database migrated once, and the RBM credential(s) pointing at the emulator(s).
 *
 * One credential (CREDENTIAL): `{ emulator, keyJson }`. Several (bench.js: one per emulator, e.g.
 * HTTPS and plain HTTP): `credentials: [{ id, name, emulator, keyJson }]`. Base URL of each:
 * `${emulator.url}/{region}`. An HTTPS emulator's CA is trusted through `NODE_EXTRA_CA_CERTS` in
 * `extraEnv` (n8n reads it once, at process start; it is in the env of every n8n process here).
 */
async function setupN8n({ emulator, keyJson, extraEnv = {}, credentials }) {
	const t0 = Date.now();
	await runtime.ensureRuntime({ log });
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-bench-'));
	const tgz = await runtime.packPackage({ destination: path.join(root, 'pack'), log });
	const userFolder = path.join(root, 'home');
	await runtime.installPackage(userFolder, tgz, { log });
	const env = runtime.n8nEnv(userFolder, {
		// The bench measures the nodes, not SQLite: successful executions are not stored (a common
		// production setting for bulk sends). Errors still are.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
		// The HTTP Request workflow signs its JWT in a Code node with node:crypto.
		NODE_FUNCTION_ALLOW_BUILTIN: 'crypto',
		...extraEnv,
	});
	delete env.NODE_OPTIONS;
	const list = await runtime.runN8n(['list:workflow'], env, { timeoutMs: 5 * 60 * 1000 });
	if (list.code !== 0) throw new Error(`n8n list:workflow failed:\n${(list.stdout + list.stderr).slice(-3000)}`);
	const creds = credentials || [{ ...CREDENTIAL, emulator, keyJson }];
	await runtime.importCredentials(
		userFolder,
		creds.map((c) => ({ id: c.id, name: c.name, type: 'rbmApi', data: { serviceAccountJson: c.keyJson, region: 'global', baseUrl: `${c.emulator.url}/{region}` } })),
		env,
	);
	const packageVersion = JSON.parse(fs.readFileSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-rbm', 'package.json'), 'utf8')).version;
	log(`n8n user folder ready in ${Math.round((Date.now() - t0) / 1000)} s: ${userFolder}`);
	return {
		root,
		userFolder,
		env,
		packageVersion,
		cleanup() {
			if (!process.env.RBM_BENCH_KEEP) fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
			else log(`kept ${root} (RBM_BENCH_KEEP)`);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Workflows

let nodeSeq = 0;
function nodeId() {
	nodeSeq++;
	return `7d1e0c2a-0000-4000-8000-${String(nodeSeq).padStart(12, '0')}`;
}

/**
 * N contacts built in a Code node (the same start for every workflow). Phones are distinct GB
 * mobiles ending in 1 (the emulator treats numbers ending in 404 as unreachable).
 */
function contactsNode(items, name = 'Contacts') {
	const jsCode = [
		`const n = ${Number(items)};`,
		'const out = new Array(n);',
		"for (let i = 0; i < n; i++) out[i] = { json: { name: 'Contact ' + (i + 1), phone: '+447' + String(i).padStart(8, '0') + '1' } };",
		'return out;',
	].join('\n');
	return { id: nodeId(), name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode } };
}

function phoneOf(i) {
	return `+447${String(i).padStart(8, '0')}1`;
}

function manualTrigger() {
	return { id: nodeId(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function chain(names) {
	const connections = {};
	for (let i = 0; i + 1 < names.length; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return connections;
}

function workflow(id, name, nodes, connections) {
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** Workflow ids: 16 characters [A-Za-z0-9]. */
function wfId(prefix, n) {
	return `${prefix}${String(n)}`.replace(/[^A-Za-z0-9]/g, '').padEnd(16, '0').slice(0, 16);
}

let wfSeq = 0;

function noopWorkflow(items) {
	wfSeq++;
	const nodes = [manualTrigger(), contactsNode(items), { id: nodeId(), name: 'Send', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} }];
	return workflow(wfId('benchNoop', wfSeq), `bench noop ${items}`, nodes, chain(['Start', 'Contacts', 'Send']));
}

/**
 * Our node: text message per contact. `settings` are node-level settings (retryOnFail…);
 * `credential` ({id, name}, default CREDENTIAL) picks the rbmApi credential, i.e. the emulator.
 */
function oursWorkflow(items, { concurrency = 32, options = {}, settings = {}, credential = CREDENTIAL } = {}) {
	wfSeq++;
	const send = {
		id: nodeId(),
		name: 'Send',
		type: 'n8n-nodes-rbm.rbmSendMessage',
		typeVersion: 1,
		position: [440, 0],
		parameters: {
			phoneNumber: '={{ $json.phone }}',
			agentId: AGENT_ID,
			messageType: 'text',
			text: `=${TEXT_PREFIX}{{ $json.name }}${TEXT_SUFFIX}`,
			options: { concurrency, ...options },
		},
		credentials: { rbmApi: { id: credential.id, name: credential.name } },
		...settings,
	};
	const nodes = [manualTrigger(), contactsNode(items), send];
	return workflow(wfId('benchOurs', wfSeq), `bench ours C=${concurrency} ${items}`, nodes, chain(['Start', 'Contacts', 'Send']));
}

/**
 * What a user builds today without this package: n8n's own "Google Service Account" credential
 * posts to Google's fixed token URL (unreachable for the emulator, and RBM's scope is not in its
 * list), so the token is fetched the way the OAuth 2.0 JWT-bearer flow works by hand — a Code node
 * signs the JWT with node:crypto (NODE_FUNCTION_ALLOW_BUILTIN=crypto), an HTTP Request node
 * exchanges it once at the key's token_uri, and the send node reads it in its Authorization
 * header expression. The message id is a fresh random hex id per request (what `{{uuid}}` gives;
 * n8n expressions have no uuid helper).
 */
function httpWorkflow(items, { emulatorUrl, key, batchSize = 0, batchInterval = 0, settings = {}, extraOptions = {} } = {}) {
	wfSeq++;
	const signCode = [
		"const crypto = require('crypto');",
		`const key = ${JSON.stringify({ client_email: key.client_email, private_key: key.private_key, token_uri: key.token_uri })};`,
		'const now = Math.floor(Date.now() / 1000);',
		"const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');",
		"const unsigned = b64({ alg: 'RS256', typ: 'JWT' }) + '.' + b64({ iss: key.client_email, scope: 'https://www.googleapis.com/auth/rcsbusinessmessaging', aud: key.token_uri, iat: now, exp: now + 3600 });",
		"const signature = crypto.createSign('RSA-SHA256').update(unsigned).sign(key.private_key).toString('base64url');",
		"return [{ json: { assertion: unsigned + '.' + signature } }];",
	].join('\n');
	const sign = { id: nodeId(), name: 'Sign JWT', type: 'n8n-nodes-base.code', typeVersion: 2, position: [150, 0], parameters: { jsCode: signCode } };
	const token = {
		id: nodeId(),
		name: 'Get token',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [300, 0],
		parameters: {
			method: 'POST',
			url: key.token_uri,
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: [
					{ name: 'grant_type', value: 'urn:ietf:params:oauth:grant-type:jwt-bearer' },
					{ name: 'assertion', value: '={{ $json.assertion }}' },
				],
			},
			options: {},
		},
	};
	const contacts = contactsNode(items);
	contacts.position = [450, 0];
	const options = { ...extraOptions };
	if (batchSize > 0) options.batching = { batch: { batchSize, batchInterval } };
	const send = {
		id: nodeId(),
		name: 'Send',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [650, 0],
		parameters: {
			method: 'POST',
			url: `=${emulatorUrl}/v1/phones/{{ $json.phone }}/agentMessages`,
			sendQuery: true,
			queryParameters: {
				parameters: [
					{ name: 'messageId', value: '={{ Math.random().toString(16).slice(2) }}{{ Math.random().toString(16).slice(2) }}' },
					{ name: 'agentId', value: AGENT_ID },
				],
			},
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: "=Bearer {{ $('Get token').first().json.access_token }}" }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={ "contentMessage": { "text": "${TEXT_PREFIX}{{ $json.name }}${TEXT_SUFFIX}" } }`,
			options,
		},
		...settings,
	};
	const label = batchSize > 0 ? `batch ${batchSize}/${batchInterval} ms` : 'default';
	return workflow(wfId('benchHttp', wfSeq), `bench http ${label} ${items}`, [manualTrigger(), sign, token, contacts, send], chain(['Start', 'Sign JWT', 'Get token', 'Contacts', 'Send']));
}

// ---------------------------------------------------------------------------------------------
// One measured execution

const SUMMARY_HOOK = path.join(__dirname, 'n8n-run-summary-hook.js');
/** Process groups of running `n8n execute`s, killed if the bench itself is interrupted. */
const activeGroups = new Set();
let signalHandlersInstalled = false;

function installSignalHandlers() {
	if (signalHandlersInstalled) return;
	signalHandlersInstalled = true;
	const killAll = () => {
		for (const pid of activeGroups) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}
	};
	process.on('exit', killAll);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			killAll();
			process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
		});
	}
}

/** The last `bytes` of a file (UTF-8, possibly starting mid-character). */
function fileTail(file, bytes = 4000) {
	try {
		const size = fs.statSync(file).size;
		const fd = fs.openSync(file, 'r');
		try {
			const length = Math.min(bytes, size);
			const buf = Buffer.alloc(length);
			fs.readSync(fd, buf, 0, length, size - length);
			return buf.toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return '';
	}
}

/**
 * `n8n <args>` with Node 24, stdout and stderr going to files (not pipes): writes to a file are
 * synchronous in Node, so nothing n8n prints is lost when it calls process.exit() right after
 * printing, and the bench process never holds n8n's (up to hundreds of MB of) output in memory.
 * Own process group, so a timeout ends n8n and its task runner, and nothing else.
 * Resolves {code, signal, timedOut, ms, stdoutFile, stderrFile}.
 */
async function runN8nToFiles(args, env, { stdoutFile, stderrFile, timeoutMs = 0 }) {
	const { spawn } = require('node:child_process');
	const { nodeBin, n8nBin } = runtime.layout();
	if (!fs.existsSync(nodeBin) || !fs.existsSync(n8nBin)) throw new Error('n8n runtime not installed: call ensureRuntime() first');
	const fullEnv = env.N8N_RUNNERS_BROKER_PORT ? env : { ...env, N8N_RUNNERS_BROKER_PORT: String(await runtime.freePort()) };
	installSignalHandlers();
	const out = fs.openSync(stdoutFile, 'w');
	const err = fs.openSync(stderrFile, 'w');
	const started = Date.now();
	let child;
	try {
		child = spawn(nodeBin, [n8nBin, ...args], { env: fullEnv, stdio: ['ignore', out, err], detached: true });
	} finally {
		fs.closeSync(out);
		fs.closeSync(err);
	}
	const group = child.pid;
	if (group) activeGroups.add(group);
	const killGroup = (signal) => {
		try {
			process.kill(-group, signal);
		} catch {
			/* already gone */
		}
	};
	return await new Promise((resolve) => {
		let timedOut = false;
		let timer;
		let hardKill;
		if (timeoutMs > 0) {
			timer = setTimeout(() => {
				timedOut = true;
				log(`timed out after ${Math.round(timeoutMs / 1000)} s: n8n ${args.join(' ')}`);
				killGroup('SIGTERM');
				hardKill = setTimeout(() => killGroup('SIGKILL'), 10000);
			}, timeoutMs);
		}
		let spawnError;
		child.on('error', (error) => {
			spawnError = error;
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			if (hardKill) clearTimeout(hardKill);
			// The task runner (a child of n8n) must not outlive its n8n.
			killGroup('SIGKILL');
			activeGroups.delete(group);
			if (spawnError) fs.appendFileSync(stderrFile, `\n${spawnError.message}`);
			resolve({ code: code ?? (signal ? 128 : 1), signal, timedOut, ms: Date.now() - started, stdoutFile, stderrFile });
		});
	});
}

function readJsonFile(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/**
 * The floor: bench/floor-client.js (a bare fetch client on our transport — Node's global fetch,
 * one timer turn after each body — no n8n) sends `items` of the bench's text messages at
 * concurrency C to `emulator` on the Node that runs n8n, trusting the emulator's CA. Returns its figures plus the emulator's connection counts, or
 * { ok: false, failure } — never throws.
 */
async function measureFloor(emulator, key, { items, concurrency, timeoutMs = 10 * 60 * 1000 }) {
	emulator.reset();
	const cfg = { url: emulator.url, keyJson: JSON.stringify(key), agentId: AGENT_ID, text: TEXT_PREFIX, items, concurrency };
	const env = { ...runtime.cleanEnv(), ...(emulator.caFile ? { NODE_EXTRA_CA_CERTS: emulator.caFile } : {}) };
	const res = await runtime.run(runtime.layout().nodeBin, [path.join(__dirname, 'floor-client.js'), JSON.stringify(cfg)], { env, timeoutMs });
	const stats = emulator.stats();
	const line = res.stdout.trim().split('\n').pop();
	let out;
	try {
		out = JSON.parse(line);
	} catch {
		return { ok: false, failure: `floor client exited ${res.code}: ${(res.stderr || res.stdout).trim().slice(-500)}` };
	}
	if (out.ok !== items) return { ok: false, failure: `floor client: ${out.ok} of ${items} sends accepted` };
	return { ...out, ok: true, accepted: stats.accepted, connections: stats.connections, tlsHandshakes: stats.tlsHandshakes, maxInFlight: stats.maxInFlight };
}

/**
 * Imports and executes `wf` once (one `n8n execute` process) with the CPU/RSS preload, while the
 * emulator counts. Returns the send node's timing and output counts, the emulator's view and the
 * n8n main process's CPU and peak RSS.
 *
 * What n8n did comes from the run summary the external hook bench/n8n-run-summary-hook.js writes
 * from inside the n8n main process when the execution finishes (complete or absent, never cut
 * short), not from the run JSON `n8n execute` prints. Never throws for a failed run: `ok` is false
 * and `error` says why (non-zero exit, timeout, no summary, workflow error, node missing).
 * `keepRun`: also the whole run (`m.run`, n8n's IRun, written by the same hook) and the emulator's
 * stats (`m.stats`). `emulator` is the one the workflow talks to (reset before, stats after; with
 * two emulators, the one of the run's transport): `connections` / `tlsHandshakes` are what its API
 * server accepted during the run (through the RTT relay: one per client connection).
 */
async function measure(instance, emulator, wf, { timeoutMs = 60 * 60 * 1000, nodeOptions = '', keepRun = false, sendNode = 'Send', prepare, extraEnv = {}, reset = true } = {}) {
	// reset: false when several runs share the emulator at once (bench/quota.js resets it first).
	if (reset) emulator.reset();
	// reset() drops remaining fault scripts: arm faults after it.
	if (prepare) prepare();
	await runtime.importWorkflow(instance.userFolder, wf, instance.env);
	const outDir = fs.mkdtempSync(path.join(instance.root, 'measure-'));
	const summaryFile = path.join(outDir, 'run-summary.json');
	const runFile = path.join(outDir, 'run.json');
	const env = {
		...instance.env,
		...extraEnv,
		RBM_BENCH_OUT: outDir,
		RBM_BENCH_SUMMARY: summaryFile,
		...(keepRun ? { RBM_BENCH_RUN_FILE: runFile } : {}),
		EXTERNAL_HOOK_FILES: [instance.env.EXTERNAL_HOOK_FILES, SUMMARY_HOOK].filter(Boolean).join(':'),
		NODE_OPTIONS: `--require ${PRELOAD}${nodeOptions ? ` ${nodeOptions}` : ''}`,
	};
	const wallStart = Date.now();
	const exec = await runN8nToFiles(['execute', `--id=${wf.id}`, '--rawOutput'], env, {
		stdoutFile: path.join(outDir, 'stdout.log'),
		stderrFile: path.join(outDir, 'stderr.log'),
		timeoutMs,
	});
	const wallMs = Date.now() - wallStart;
	const stdoutTail = fileTail(exec.stdoutFile, 1500);
	const stderrTail = fileTail(exec.stderrFile, 1500);
	// The printed run JSON is not needed (and can be hundreds of MB): keep only its tail above.
	if (!process.env.RBM_BENCH_KEEP) fs.rmSync(exec.stdoutFile, { force: true });
	const stats = emulator.stats();
	const records = fs
		.readdirSync(outDir)
		.filter((f) => /^(main|runner|other)-\d+\.json$/.test(f))
		.map((f) => readJsonFile(path.join(outDir, f)))
		.filter(Boolean);
	const main = records.find((r) => r.role === 'main');
	const others = records.filter((r) => r.role !== 'main');
	const summary = readJsonFile(summaryFile);
	const runs = (summary && summary.nodes && summary.nodes[sendNode]) || [];
	const first = runs[0];
	const last = runs[runs.length - 1];
	const outputs = last ? last.outputs : [];
	const nodeMs = first && Number.isFinite(last.startTime) && Number.isFinite(last.executionTime) ? last.startTime + last.executionTime - first.startTime : undefined;

	// Emulator-side rate: accepted messages over the span of their accept timestamps.
	let acceptSpanMs = 0;
	const acceptedTimes = Object.values(stats.messages).map((m) => Date.parse(m.acceptedAt));
	if (acceptedTimes.length > 1) {
		let min = Infinity;
		let max = -Infinity;
		for (const t of acceptedTimes) {
			if (t < min) min = t;
			if (t > max) max = t;
		}
		acceptSpanMs = max - min;
	}

	// Why the run does not count, first reason wins; undefined if it does.
	const tails = `stdout (tail): ${stdoutTail.slice(-1000)}\nstderr (tail): ${stderrTail.slice(-1000)}`;
	let error;
	let failure;
	if (exec.timedOut) failure = `timed out after ${Math.round(timeoutMs / 1000)} s (killed)`;
	else if (summary && summary.error) {
		error = summary.error;
		failure = `workflow failed${summary.error.node ? ` in node "${summary.error.node}"` : ''}: ${summary.error.message}${summary.error.description ? ` (${summary.error.description})` : ''}`;
	} else if (exec.code !== 0) failure = `n8n execute exited with code ${exec.code}${exec.signal ? ` (${exec.signal})` : ''}`;
	else if (!summary) failure = 'no run summary: the n8n process ended without the postExecute hook writing one';
	else if (summary.hookError) failure = `run summary hook failed: ${summary.hookError}`;
	else if (!first) failure = `node "${sendNode}" did not run (last node executed: ${summary.lastNodeExecuted})`;
	else if (nodeMs === undefined) failure = `node "${sendNode}" has no timing in the run data`;
	if (failure && error === undefined) error = `${failure}\n${tails}`;

	const m = {
		workflow: wf.name,
		exitCode: exec.code,
		timedOut: exec.timedOut,
		ok: !failure,
		failure,
		error,
		wallMs,
		summary,
		nodeStartTime: first ? first.startTime : undefined,
		nodeMs,
		nodeRuns: runs.length,
		outputs,
		accepted: stats.accepted,
		duplicates: stats.duplicates,
		notFound: stats.notFound,
		invalid: stats.invalid,
		requests: stats.requests['agentMessages.create'] || 0,
		tokenGrants: stats.tokenGrants,
		maxInFlight: stats.maxInFlight,
		peakRequestsPerSecond: stats.peakRequestsPerSecond,
		faultsInjected: stats.faultsInjected,
		connections: stats.connections,
		tlsHandshakes: stats.tlsHandshakes,
		// still open when `n8n execute` had exited (0 unless the server has not seen the close yet)
		connectionsOpenAfter: stats.connectionsOpen,
		acceptSpanMs,
		cpuMs: main ? main.cpuMs : undefined,
		cpuUserMs: main ? Math.round(main.userUs / 1000) : undefined,
		cpuSystemMs: main ? Math.round(main.systemUs / 1000) : undefined,
		cpuMsByThread: main ? main.cpuMsByThread : undefined,
		maxRssMiB: main ? Math.round((main.maxRssKiB / 1024) * 10) / 10 : undefined,
		memory: main ? main.memory : undefined,
		runnerCpuMs: others.length ? others.reduce((s, r) => s + r.cpuMs, 0) : undefined,
		mainClock: main ? main.clock : undefined,
		mainPid: main ? main.pid : undefined,
		measureDir: outDir,
		stdoutTail: stdoutTail.slice(-400),
	};
	if (keepRun) {
		m.run = readJsonFile(runFile);
		m.stats = stats;
	}
	return m;
}

const parseRun = runtime.parseRunOutput;

/**
 * Where a run's memory went, from the preload's process.memoryUsage() samples (RBM_BENCH_MEMORY_MS):
 * the sample at peak RSS, the V8 heap in use at its highest, and the live heap: the lowest heap in
 * use over the second half of the run (right after a major GC, what is still referenced).
 */
function memorySummary(memory) {
	if (!memory || !memory.peak || !memory.timeline || memory.timeline.length === 0) return undefined;
	const t = memory.timeline;
	const half = t.slice(Math.floor(t.length / 2));
	return {
		atPeakRss: memory.peak,
		maxHeapUsedMiB: Math.max(...t.map((s) => s.heapUsed)),
		liveHeapMiB: Math.min(...half.map((s) => s.heapUsed)),
		samples: t.length,
	};
}

function machineInfo() {
	const cpus = os.cpus();
	return {
		cpuModel: cpus[0] ? cpus[0].model : 'unknown',
		cpuCount: cpus.length,
		availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

function round(x, digits = 1) {
	if (x === undefined || x === null || !Number.isFinite(x)) return null;
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}

/** A plain-text table: rows of arrays, first row = header. */
function table(rows) {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
	const line = (r) => `| ${r.map((v, c) => String(v ?? '').padEnd(widths[c])).join(' | ')} |`;
	return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

module.exports = {
	runtime,
	REPO_DIR,
	PRELOAD,
	AGENT_ID,
	CREDENTIAL,
	log,
	parseArgs,
	requireEmulator,
	busyProcesses,
	waitUntilIdle,
	setupN8n,
	noopWorkflow,
	oursWorkflow,
	httpWorkflow,
	contactsNode,
	phoneOf,
	measure,
	measureFloor,
	runN8nToFiles,
	SUMMARY_HOOK,
	parseRun,
	memorySummary,
	machineInfo,
	round,
	table,
};
