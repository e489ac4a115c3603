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
		out[camel] = typeof d === 'number' ? Number(value) : typeof d === 'boolean' ? value !== 'false' : Array.isArray(d) ? value.split(',').map(Number) : value;
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
 * the database migrated once, and the RBM credential pointing at the emulator.
 */
async function setupN8n({ emulator, keyJson, extraEnv = {} }) {
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
	await runtime.importCredentials(
		userFolder,
		[{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'rbmApi', data: { serviceAccountJson: keyJson, region: 'global', baseUrl: `${emulator.url}/{region}` } }],
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

/** Our node: text message per contact. `settings` are node-level settings (retryOnFail…). */
function oursWorkflow(items, { concurrency = 32, options = {}, settings = {} } = {}) {
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
		credentials: { rbmApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
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

/**
 * Imports and executes `wf` once (one `n8n execute` process) with the CPU/RSS preload, while the
 * emulator counts. Returns the node's timing from n8n's run data, the emulator's view and the
 * n8n main process's CPU and peak RSS.
 */
async function measure(instance, emulator, wf, { timeoutMs = 60 * 60 * 1000, nodeOptions = '', keepRun = false, sendNode = 'Send', prepare, extraEnv = {} } = {}) {
	emulator.reset();
	// reset() drops remaining fault scripts: arm faults after it.
	if (prepare) prepare();
	await runtime.importWorkflow(instance.userFolder, wf, instance.env);
	const outDir = fs.mkdtempSync(path.join(instance.root, 'measure-'));
	const env = { ...instance.env, ...extraEnv, RBM_BENCH_OUT: outDir, NODE_OPTIONS: `--require ${PRELOAD}${nodeOptions ? ` ${nodeOptions}` : ''}` };
	const wallStart = Date.now();
	const exec = await runtime.runN8n(['execute', `--id=${wf.id}`, '--rawOutput'], env, { timeoutMs });
	const wallMs = Date.now() - wallStart;
	const result = { ...exec, run: parseRun(exec.stdout) };
	const stats = emulator.stats();
	const records = fs.readdirSync(outDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(outDir, f), 'utf8')));
	const main = records.find((r) => r.role === 'main');
	const others = records.filter((r) => r.role !== 'main');
	const run = result.run;
	const error = run && run.data && run.data.resultData && run.data.resultData.error;
	const nodeRun = run && run.data && run.data.resultData.runData && run.data.resultData.runData[sendNode];
	const first = nodeRun && nodeRun[0];
	const last = nodeRun && nodeRun[nodeRun.length - 1];
	const outputs = last && last.data && last.data.main ? last.data.main.map((o) => (o ? o.length : 0)) : [];

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
	const nodeMs = first ? last.startTime + last.executionTime - first.startTime : undefined;
	const m = {
		workflow: wf.name,
		exitCode: result.code,
		timedOut: result.timedOut,
		ok: result.code === 0 && !!run && !error,
		error: error ? { message: error.message, description: error.description } : result.code !== 0 ? `${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}` : undefined,
		wallMs,
		nodeStartTime: first ? first.startTime : undefined,
		nodeMs,
		nodeRuns: nodeRun ? nodeRun.length : 0,
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
		acceptSpanMs,
		cpuMs: main ? main.cpuMs : undefined,
		maxRssMiB: main ? Math.round((main.maxRssKiB / 1024) * 10) / 10 : undefined,
		memory: main ? main.memory : undefined,
		runnerCpuMs: others.length ? others.reduce((s, r) => s + r.cpuMs, 0) : undefined,
		mainClock: main ? main.clock : undefined,
		mainPid: main ? main.pid : undefined,
		measureDir: outDir,
		stdoutTail: result.stdout.slice(-400),
	};
	if (!m.ok && !m.error) m.raw = `no run data parsed; stdout: ${result.stdout.slice(0, 1500)}\nstderr: ${result.stderr.slice(-1500)}`;
	if (keepRun) {
		m.run = run;
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
	parseRun,
	memorySummary,
	machineInfo,
	round,
	table,
};
