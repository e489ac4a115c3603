'use strict';
/**
 * A real n8n (2.40.7 on Node 24) for the end-to-end tests and the demo, installed from the npm
 * registry into a cache folder on first use and reused afterwards. Recipe (docs/development.md, "First
 * run"): Node 24 from the `node-<platform>-<arch>` package, n8n with --ignore-scripts, then
 * only sqlite3 rebuilt against Node 24's headers. `npm run demo` / `dev` first look for an n8n the
 * user already has (RBM_N8N_BIN, then `n8n` on PATH): see findExistingN8n().
 *
 * Plain CommonJS, no build step: `node scripts/n8n-runtime.js` installs (or checks) the runtime.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..');
const NODE_VERSION = '24.21.0';
const N8N_VERSION = '2.40.7';
/**
 * n8n 2.40.7's whole dependency tree (2,422 packages, each with its registry URL and integrity),
 * from `npm install n8n@2.40.7`: `npm ci` from it fetches tarballs only, instead of resolving
 * every package's metadata first (most of the old install's time; bench/first-run.json), and
 * installs the same tree on every machine. Regenerate it when N8N_VERSION changes (docs/development.md,
 * "First run"); without a matching one the install falls back to `npm install`.
 */
const N8N_LOCK = path.join(__dirname, 'n8n-runtime-lock.json');
/** The sqlite3 n8n 2.40.7 pins (its package.json: "sqlite3": "5.1.7"); built beside the n8n install. */
const SQLITE3_VERSION = '5.1.7';
/** Fixed so credentials imported by one `n8n` process can be decrypted by the next. */
const ENCRYPTION_KEY = 'rbm-e2e-fixed-encryption-key-not-a-secret';
const MARKER = 'runtime-installed.json';
/**
 * The install recipe's version, written into the marker. 2: n8n from N8N_LOCK with `npm ci`,
 * --omit=optional, --prefer-offline, Node, n8n and the sqlite3 build side by side, no source maps
 * or type declarations (pruneForRuntime).
 * A recipe-1 cache (no `recipe` in its marker) holds everything a recipe-2 one does and runs the
 * same n8n, so it is kept; raise MIN_RECIPE only when an older cache would no longer work.
 */
const RECIPE = 2;
const MIN_RECIPE = 1;
/**
 * How long each install step took here (bench/first-run.json: 2 cores shared with other test runs,
 * load average 8–15, npm's cache warm), printed as the expectation while the step runs.
 */
const ESTIMATES = { node: '10–25 s', n8n: '5–6 min', sqlite: '3–6 min', prune: '2–6 min', total: '6–7 min' };

function cacheDirectory() {
	return path.resolve(process.env.RBM_N8N_CACHE || path.join(REPO_DIR, '.cache', 'n8n-runtime'));
}

function nodePackageName() {
	const platform = process.platform === 'win32' ? 'win' : process.platform;
	return `node-${platform}-${process.arch}`;
}

function layout(cacheDir = cacheDirectory()) {
	const nodePkgDir = path.join(cacheDir, 'node24', 'node_modules', nodePackageName());
	const nodeBinDir = path.join(nodePkgDir, 'bin');
	return {
		cacheDir,
		nodePkgDir,
		nodeBinDir,
		nodeBin: path.join(nodeBinDir, process.platform === 'win32' ? 'node.exe' : 'node'),
		n8nDir: path.join(cacheDir, 'n8n'),
		n8nBin: path.join(cacheDir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: path.join(cacheDir, MARKER),
	};
}

/**
 * The environment for child processes, without what `npm run …` exports (npm_config_*,
 * npm_package_*, npm_lifecycle_*): the repo's .npmrc (ignore-scripts) or its local prefix must not
 * leak into installs elsewhere. Registry, cache, user config and proxies are kept.
 */
function cleanEnv(extra = {}) {
	const keep = /^npm_config_(registry|cache|userconfig|globalconfig|proxy|https_proxy|http_proxy|noproxy|strict_ssl|cafile|ca|@.*:registry|\/\/.*)$/i;
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined) continue;
		if (/^npm_/i.test(key) && !keep.test(key)) continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

/** Runs a command asynchronously (never blocks the event loop: tests serve the emulator in-process). */
function run(command, args, options = {}) {
	const { cwd, env = cleanEnv(), timeoutMs = 0, input, onLine, log } = options;
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		let timer;
		const lines = (chunk, stream) => {
			if (!onLine) return;
			for (const line of chunk.split(/\r?\n/)) if (line.trim()) onLine(line, stream);
		};
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', (c) => {
			stdout += c;
			lines(c, 'stdout');
		});
		child.stderr.on('data', (c) => {
			stderr += c;
			lines(c, 'stderr');
		});
		if (timeoutMs > 0) {
			timer = setTimeout(() => {
				timedOut = true;
				if (log) log(`timed out after ${Math.round(timeoutMs / 1000)} s: ${command} ${args.join(' ')}`);
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			}, timeoutMs);
		}
		child.on('error', (error) => {
			stderr += `\n${error.message}`;
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			resolve({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr, timedOut, ms: Date.now() - started });
		});
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs fn() while saying, every `everyMs`, how long `what` has been running and how long it
 * usually takes here; returns fn()'s result and the seconds it took.
 */
async function withProgress(log, what, estimate, fn, everyMs = 15000) {
	const started = Date.now();
	const timer = setInterval(() => log(`      … ${what}: ${Math.round((Date.now() - started) / 1000)} s so far (usually ${estimate} here)`), everyMs);
	try {
		const result = await fn();
		return { result, seconds: Math.round((Date.now() - started) / 1000) };
	} finally {
		clearInterval(timer);
	}
}

/**
 * Deletes what n8n never reads at run time from an installed node_modules tree: source maps and
 * TypeScript declarations / build info (about 1.2 GB of n8n 2.40.7's 2.8 GB; bench/first-run.json).
 * Kept: anything inside a `typescript` package (its lib.*.d.ts are read by the compiler).
 * Returns {files, bytes} removed.
 */
function pruneForRuntime(dir) {
	const drop = /\.(?:js\.map|mjs\.map|cjs\.map|map|d\.ts|d\.mts|d\.cts|tsbuildinfo)$/;
	let files = 0;
	let bytes = 0;
	const stack = [dir];
	while (stack.length) {
		const current = stack.pop();
		let entries;
		try {
			entries = fs.readdirSync(current, { withFileTypes: true });
		} catch {
			continue;
		}
		for (const entry of entries) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'typescript' && entry.name !== '@typescript') stack.push(full);
			} else if (entry.isFile() && drop.test(entry.name)) {
				try {
					bytes += fs.statSync(full).size;
					fs.unlinkSync(full);
					files++;
				} catch {
					/* already gone */
				}
			}
		}
	}
	return { files, bytes };
}

/** pruneForRuntime(dir) in a detached, low-priority process; its result goes to <dir>/../prune.json. */
function pruneInBackground(dir, log) {
	const script = `const r = require(${JSON.stringify(__filename)}).pruneForRuntime(${JSON.stringify(dir)}); require('node:fs').writeFileSync(${JSON.stringify(path.join(dir, '..', 'prune.json'))}, JSON.stringify({ ...r, at: new Date().toISOString() }))`;
	const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
	try {
		os.setPriority(child.pid, 19);
	} catch {
		/* not allowed here: runs at normal priority */
	}
	child.unref();
	log(`[4/4] removing source maps and type declarations n8n does not run (about 1.2 GB) in the background (pid ${child.pid}, usually ${ESTIMATES.prune} here)`);
}

async function npm(args, cwd, { log, timeoutMs = 15 * 60 * 1000, env } = {}) {
	const result = await run(npmCommand, args, { cwd, env: env ?? cleanEnv({ CI: 'true' }), timeoutMs, log });
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
		throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${result.code}${result.timedOut ? ', timed out' : ''}):\n${tail}`);
	}
	return result;
}

function readMarker(paths) {
	try {
		const marker = JSON.parse(fs.readFileSync(paths.marker, 'utf8'));
		if (marker.node !== NODE_VERSION || marker.n8n !== N8N_VERSION || marker.nodePackage !== nodePackageName()) return undefined;
		if ((marker.recipe || 1) < MIN_RECIPE) return undefined;
		if (!fs.existsSync(paths.nodeBin) || !fs.existsSync(paths.n8nBin)) return undefined;
		return marker;
	} catch {
		return undefined;
	}
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/** Where startInBackground() writes the install's output. */
function installLog(cacheDir = cacheDirectory()) {
	return `${cacheDir}.install.log`;
}

/** Logs the lines added to `file` since byte `from`; returns the new offset. */
function follow(file, from, log) {
	let text;
	try {
		const fd = fs.openSync(file, 'r');
		const size = fs.fstatSync(fd).size;
		const buf = Buffer.alloc(Math.max(0, size - from));
		fs.readSync(fd, buf, 0, buf.length, from);
		fs.closeSync(fd);
		text = buf.toString('utf8');
	} catch {
		return from;
	}
	const end = text.lastIndexOf('\n') + 1; // whole lines only
	for (const line of text.slice(0, end).split('\n')) if (line.trim()) log(line.replace(/^\[n8n-runtime\] /, ''));
	return from + Buffer.byteLength(text.slice(0, end));
}

/**
 * Starts installing the cached runtime in a detached process (output: installLog()) unless it is
 * installed already, so it runs while `npm ci` and the build do (scripts/bootstrap.js --n8n);
 * ensureRuntime() then waits for it on the install lock and shows its log. Returns the pid or undefined.
 */
function startInBackground({ log = defaultLog } = {}) {
	const paths = layout();
	if (readMarker(paths) || fs.existsSync(`${paths.cacheDir}.lock`)) return undefined;
	fs.mkdirSync(path.dirname(paths.cacheDir), { recursive: true });
	const out = fs.openSync(installLog(paths.cacheDir), 'w');
	const child = spawn(process.execPath, [__filename, '--quiet'], { detached: true, stdio: ['ignore', out, out], env: cleanEnv() });
	fs.closeSync(out);
	child.unref();
	log(`installing Node ${NODE_VERSION} and n8n ${N8N_VERSION} in the background meanwhile (pid ${child.pid}, log ${path.relative(process.cwd(), installLog(paths.cacheDir))})`);
	return child.pid;
}

/** A directory lock, so a demo and a test run started together do not install twice at once. */
async function withLock(cacheDir, log, fn) {
	const lock = `${cacheDir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	const deadline = Date.now() + 30 * 60 * 1000;
	let announced = false;
	let followed = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let stale = false;
			try {
				const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
				if (pid) {
					try {
						process.kill(pid, 0);
					} catch {
						stale = true;
					}
				}
			} catch {
				// pid file not written yet
				try {
					stale = Date.now() - fs.statSync(lock).mtimeMs > 60 * 1000;
				} catch {
					/* lock vanished */
				}
			}
			if (stale) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`Timed out waiting for the install lock ${lock}`);
			if (!announced) log(`another process is installing the n8n runtime (lock ${lock}); waiting, showing its log ${installLog(cacheDir)}:`);
			announced = true;
			followed = follow(installLog(cacheDir), followed, log);
			await sleep(2000);
		}
	}
	if (announced) follow(installLog(cacheDir), followed, log); // the other install's last lines
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function defaultLog(message) {
	console.log(`[n8n-runtime] ${message}`);
}

/* ---------- An n8n the user already has ---------- */

/** n8n 2.x is what this package is built and tested for (README.md, "Compatibility"). */
const MIN_N8N_MAJOR = 2;
/** n8n 2.x declares `"engines": { "node": ">=24.0.0" }` (its package.json; its bin/n8n refuses older Nodes). */
const MIN_NODE_MAJOR = 24;

/** The last `x.y.z` in a command's output (`n8n --version` may print warnings first); undefined if none. */
function parseVersion(text) {
	const found = [...String(text || '').matchAll(/(?:^|[^\d.])v?(\d+)\.(\d+)\.(\d+)(?![\d.])/gm)].pop();
	if (!found) return undefined;
	const [major, minor, patch] = found.slice(1, 4).map(Number);
	return { major, minor, patch, text: `${major}.${minor}.${patch}` };
}

/** The first executable file `name` in a PATH string, skipping folders for which skip(dir) is true. */
function whichOnPath(name, pathValue = process.env.PATH || '', skip = () => false) {
	const names = process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`, name] : [name];
	for (const dir of pathValue.split(path.delimiter)) {
		if (!dir || skip(path.resolve(dir))) continue;
		for (const candidate of names) {
			const file = path.join(dir, candidate);
			try {
				if (fs.statSync(file).isFile()) {
					fs.accessSync(file, fs.constants.X_OK);
					return file;
				}
			} catch {
				/* not here */
			}
		}
	}
	return undefined;
}

/**
 * Which Node an executable script runs on, from its `#!` line, as the OS would pick it:
 * `#!/usr/bin/env node` → `node` on PATH; `#!/abs/path/node` → that file. {node} or {unknown: why}.
 */
function interpreterOf(file, pathValue) {
	let first = '';
	try {
		const fd = fs.openSync(file, 'r');
		const buf = Buffer.alloc(256);
		const n = fs.readSync(fd, buf, 0, buf.length, 0);
		fs.closeSync(fd);
		first = buf.subarray(0, n).toString('utf8').split('\n')[0].trim();
	} catch (error) {
		return { unknown: `cannot read ${file}: ${error.message}` };
	}
	const shebang = /^#!\s*(\S+)(?:\s+(?:-S\s+)?(\S+))?/.exec(first);
	if (!shebang) return { unknown: `${file} is not a script with a #! line` };
	const [, program, argument] = shebang;
	if (path.basename(program) === 'env' && argument && path.basename(argument) === 'node') {
		const node = whichOnPath('node', pathValue);
		return node ? { node } : { unknown: `${file} runs \`node\` from PATH, but there is none on PATH` };
	}
	if (/^node(\.exe)?$/.test(path.basename(program))) return { node: program };
	return { unknown: `${file} starts with "${first.slice(0, 80)}", not a Node.js #! line` };
}

/**
 * Checks one n8n executable: its version (`n8n --version`, which n8n answers before its own Node
 * check) and the Node it would run on. Resolves {ok: true, runtime} or {ok: false, reason, fatal}.
 * `fatal` problems stay fatal when the user named this n8n (RBM_N8N_BIN); `n8n` found on PATH only
 * falls back to the cached runtime.
 */
async function inspectN8n(bin, { pathValue = process.env.PATH || '', source }) {
	const file = fs.realpathSync(bin);
	const interp = interpreterOf(file, pathValue);
	const command = interp.node || file;
	const prefix = interp.node ? [file] : [];
	const env = cleanEnv({ PATH: pathValue });
	const answer = await run(command, [...prefix, '--version'], { env, timeoutMs: 60000 });
	const version = parseVersion(answer.stdout);
	if (answer.code !== 0 || !version) {
		const said = `${answer.stdout}\n${answer.stderr}`.trim().split('\n').slice(-3).join(' ').slice(0, 300);
		return { ok: false, reason: `\`${bin} --version\` did not print a version (exit ${answer.code}${answer.timedOut ? ', timed out' : ''}${said ? `: ${said}` : ''})` };
	}
	if (version.major < MIN_N8N_MAJOR) {
		return { ok: false, reason: `${bin} is n8n ${version.text}; this package needs n8n ≥ ${MIN_N8N_MAJOR}.0` };
	}
	let nodeVersion;
	if (interp.node) {
		const v = await run(interp.node, ['-v'], { env, timeoutMs: 30000 });
		nodeVersion = parseVersion(v.stdout);
		if (!nodeVersion) return { ok: false, reason: `${bin} runs on ${interp.node}, whose \`-v\` printed no version` };
		if (nodeVersion.major < MIN_NODE_MAJOR) {
			return {
				ok: false,
				reason: `${bin} (n8n ${version.text}) would run on Node ${nodeVersion.text} (${interp.node}); n8n 2.x needs Node ≥ ${MIN_NODE_MAJOR}`,
			};
		}
	} else if (source !== 'RBM_N8N_BIN') {
		return { ok: false, reason: `cannot tell which Node ${bin} (n8n ${version.text}) runs on: ${interp.unknown}; name it with RBM_N8N_BIN to use it anyway` };
	}
	return {
		ok: true,
		runtime: {
			source,
			command,
			prefix,
			n8nBin: file,
			nodeBin: interp.node,
			nodeBinDir: interp.node ? path.dirname(interp.node) : undefined,
			n8nVersion: version.text,
			nodeVersion: nodeVersion ? nodeVersion.text : undefined,
		},
	};
}

/**
 * An n8n the user already has, for `npm run demo` / `dev`: RBM_N8N_BIN (the path of an n8n
 * executable; `cached` forces the cached runtime), else `n8n` on PATH (outside this repo's
 * node_modules and the cache). Resolves the runtime to use, or undefined (then the cached runtime
 * is installed / used), after saying why. Throws when RBM_N8N_BIN names an n8n that cannot be used.
 */
async function findExistingN8n({ env = process.env, log = defaultLog } = {}) {
	const pathValue = env.PATH || '';
	const named = (env.RBM_N8N_BIN || '').trim();
	if (named === 'cached') {
		log('RBM_N8N_BIN=cached: using the cached runtime');
		return undefined;
	}
	if (named) {
		if (!fs.existsSync(named)) throw new Error(`RBM_N8N_BIN=${named}: no such file (set it to the path of an n8n executable, or unset it)`);
		const found = await inspectN8n(named, { pathValue, source: 'RBM_N8N_BIN' });
		if (!found.ok) throw new Error(`RBM_N8N_BIN: ${found.reason}. Unset RBM_N8N_BIN (or set it to \`cached\`) to use n8n ${N8N_VERSION} from ${cacheDirectory()}.`);
		log(`using n8n ${found.runtime.n8nVersion} from RBM_N8N_BIN=${named}${found.runtime.nodeVersion ? ` on Node ${found.runtime.nodeVersion}` : ' (its Node is not known: n8n checks it at start)'}`);
		return found.runtime;
	}
	const inRepoOrCache = (dir) => dir.startsWith(path.join(REPO_DIR, 'node_modules')) || dir.startsWith(cacheDirectory());
	const onPath = whichOnPath('n8n', pathValue, inRepoOrCache);
	if (!onPath) return undefined;
	const found = await inspectN8n(onPath, { pathValue, source: 'PATH' });
	if (!found.ok) {
		log(`not using the n8n on PATH: ${found.reason}. Using n8n ${N8N_VERSION} from the cache instead.`);
		return undefined;
	}
	log(`using n8n ${found.runtime.n8nVersion} found on PATH (${onPath}) on Node ${found.runtime.nodeVersion}; set RBM_N8N_BIN=cached to use the cached n8n ${N8N_VERSION} instead`);
	return found.runtime;
}

/** The cached runtime as a runtime descriptor (see inspectN8n). */
function cachedRuntime(paths = layout()) {
	return {
		source: 'cache',
		command: paths.nodeBin,
		prefix: [paths.n8nBin],
		n8nBin: paths.n8nBin,
		nodeBin: paths.nodeBin,
		nodeBinDir: paths.nodeBinDir,
		cacheDir: paths.cacheDir,
		n8nVersion: N8N_VERSION,
		nodeVersion: NODE_VERSION,
	};
}

/** The n8n that runN8n / startN8n / n8nEnv use: set by ensureRuntime(), the cached one by default. */
let activeRuntime;
function currentRuntime() {
	return activeRuntime || cachedRuntime();
}

/**
 * Makes sure Node 24 and n8n are installed in the cache folder; returns the runtime descriptor
 * (nodeBin, n8nBin, nodeBinDir, cacheDir, n8nVersion, nodeVersion, source) that runN8n, startN8n
 * and n8nEnv then use. With `preferExisting` (the demo), an n8n the user already has is used
 * instead when findExistingN8n() accepts one (source 'RBM_N8N_BIN' or 'PATH').
 * Idempotent: the marker file is written only after a complete, checked install.
 */
async function ensureRuntime({ log = defaultLog, preferExisting = false } = {}) {
	if (preferExisting) {
		const existing = await findExistingN8n({ log });
		if (existing) return (activeRuntime = existing);
	}
	const paths = layout();
	const have = readMarker(paths);
	if (have) {
		log(`using cached n8n ${N8N_VERSION} on Node ${NODE_VERSION} from ${paths.cacheDir}`);
		return (activeRuntime = cachedRuntime(paths));
	}
	return await withLock(paths.cacheDir, log, async () => {
		if (readMarker(paths)) {
			log(`n8n runtime was installed meanwhile in ${paths.cacheDir}`);
			return (activeRuntime = cachedRuntime(paths));
		}
		const started = Date.now();
		log(`first run: installing Node ${NODE_VERSION} and n8n ${N8N_VERSION} into ${paths.cacheDir} (once; usually ${ESTIMATES.total} here, 1.5 GB once cleaned up; set RBM_N8N_CACHE to use another folder, or RBM_N8N_BIN to use an n8n ≥ 2 you have)`);
		fs.rmSync(paths.marker, { force: true });
		fs.mkdirSync(paths.cacheDir, { recursive: true });
		// --prefer-offline: packages already in npm's cache are not re-checked with the registry.
		// --omit=optional: platform add-ons n8n works without (canvas, chromadb bindings, msgpackr-extract, …).
		const flags = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--omit=optional', '--no-package-lock'];

		// 1 and 2 side by side: Node 24 (the platform package carries the binary and the headers the
		// sqlite3 build needs) and n8n without install scripts (one of its dependencies downloads from
		// the internet). Both mostly wait on the network and the disk.
		const nodeDir = path.join(paths.cacheDir, 'node24');
		for (const [dir, name] of [
			[nodeDir, 'rbm-node24'],
			[paths.n8nDir, 'rbm-n8n-runtime'],
		]) {
			fs.rmSync(dir, { recursive: true, force: true });
			fs.mkdirSync(dir, { recursive: true });
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }, null, 2));
		}
		let n8nInstall = [...flags, `n8n@${N8N_VERSION}`];
		try {
			const lock = JSON.parse(fs.readFileSync(N8N_LOCK, 'utf8'));
			const pinned = lock.packages && lock.packages['node_modules/n8n'] && lock.packages['node_modules/n8n'].version;
			if (pinned !== N8N_VERSION) throw new Error(`it pins n8n ${pinned}`);
			fs.writeFileSync(path.join(paths.n8nDir, 'package.json'), JSON.stringify({ ...lock.packages[''], private: true }, null, 2));
			fs.writeFileSync(path.join(paths.n8nDir, 'package-lock.json'), JSON.stringify(lock));
			n8nInstall = ['ci', ...flags.filter((f) => f !== 'install' && f !== '--no-package-lock')];
		} catch (error) {
			log(`      not using ${path.basename(N8N_LOCK)} (${error.message}): npm resolves n8n's dependencies itself (slower)`);
		}
		log(`[1/4] npm install ${nodePackageName()}@${NODE_VERSION} (about 50 MB; usually ${ESTIMATES.node} here)`);
		log(`[2/4] npm ${n8nInstall[0]} n8n@${N8N_VERSION} (about 2,200 packages; usually ${ESTIMATES.n8n} here), at the same time`);
		// sqlite3's build (step 3, CPU-bound) runs while npm installs n8n (mostly waiting on the
		// network and the disk): sqlite3 is an N-API module, so a build of the same version in a
		// folder of its own is the same file n8n's copy would get.
		const sqliteDir = path.join(paths.cacheDir, 'sqlite3-build');
		const rebuildEnv = cleanEnv({ CI: 'true', npm_config_nodedir: paths.nodePkgDir, JOBS: 'max', PATH: `${paths.nodeBinDir}${path.delimiter}${process.env.PATH}` });
		const nodeAndSqlite = (async () => {
			const t = Date.now();
			await npm([...flags, `${nodePackageName()}@${NODE_VERSION}`], nodeDir, { log });
			const version = await run(paths.nodeBin, ['-v'], { timeoutMs: 30000 });
			if (version.code !== 0 || version.stdout.trim() !== `v${NODE_VERSION}`) {
				throw new Error(`Node ${NODE_VERSION} did not install correctly: ${paths.nodeBin} -v → ${version.stdout.trim() || version.stderr.trim()}`);
			}
			log(`      [1/4] Node ${version.stdout.trim()} ready (${Math.round((Date.now() - t) / 1000)} s)`);
			log(`[3/4] building sqlite3 ${SQLITE3_VERSION} against Node 24's headers (a C++ build; usually ${ESTIMATES.sqlite} here), while n8n installs`);
			fs.rmSync(sqliteDir, { recursive: true, force: true });
			fs.mkdirSync(sqliteDir, { recursive: true });
			fs.writeFileSync(path.join(sqliteDir, 'package.json'), JSON.stringify({ name: 'rbm-sqlite3-build', private: true }, null, 2));
			const t3 = Date.now();
			await npm([...flags, `sqlite3@${SQLITE3_VERSION}`], sqliteDir, { log });
			await npm(['rebuild', '--ignore-scripts=false', 'sqlite3'], sqliteDir, { log, timeoutMs: 20 * 60 * 1000, env: rebuildEnv });
			log(`      [3/4] sqlite3 built (${Math.round((Date.now() - t3) / 1000)} s)`);
		})();
		const n8nStep = withProgress(log, `[2/4] installing n8n ${N8N_VERSION}`, ESTIMATES.n8n, () => npm(n8nInstall, paths.n8nDir, { log, timeoutMs: 30 * 60 * 1000 }));
		const [sideDone, n8nDone] = await Promise.allSettled([nodeAndSqlite, n8nStep]);
		if (n8nDone.status === 'rejected') throw n8nDone.reason;
		log(`      [2/4] n8n installed (${n8nDone.value.seconds} s)`);
		if (sideDone.status === 'rejected' && !fs.existsSync(paths.nodeBin)) throw sideDone.reason;

		// 3. Put the sqlite3 binary where n8n's sqlite3 loads it (build/Release, through `bindings`);
		// if n8n's sqlite3 is another version or the side build failed, build n8n's copy in place.
		const n8nSqlite = path.join(paths.n8nDir, 'node_modules', 'sqlite3');
		const builtBinary = path.join(sqliteDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
		let n8nSqliteVersion;
		try {
			n8nSqliteVersion = JSON.parse(fs.readFileSync(path.join(n8nSqlite, 'package.json'), 'utf8')).version;
		} catch {
			throw new Error(`n8n ${N8N_VERSION} installed without sqlite3 (${n8nSqlite}): its default database cannot work`);
		}
		if (sideDone.status === 'fulfilled' && n8nSqliteVersion === SQLITE3_VERSION && fs.existsSync(builtBinary)) {
			fs.mkdirSync(path.join(n8nSqlite, 'build', 'Release'), { recursive: true });
			fs.copyFileSync(builtBinary, path.join(n8nSqlite, 'build', 'Release', 'node_sqlite3.node'));
		} else {
			const why = sideDone.status === 'rejected' ? `the side build failed: ${sideDone.reason.message.split('\n')[0]}` : `n8n has sqlite3 ${n8nSqliteVersion}, not ${SQLITE3_VERSION}`;
			log(`[3/4] building n8n's sqlite3 in place (${why}; usually ${ESTIMATES.sqlite} here)`);
			const built = await withProgress(log, '[3/4] building sqlite3', ESTIMATES.sqlite, () =>
				npm(['rebuild', '--ignore-scripts=false', 'sqlite3'], paths.n8nDir, { log, timeoutMs: 20 * 60 * 1000, env: rebuildEnv }),
			);
			log(`      [3/4] sqlite3 built (${built.seconds} s)`);
		}
		fs.rmSync(sqliteDir, { recursive: true, force: true });

		const check = await run(paths.nodeBin, [paths.n8nBin, '--version'], { env: cleanEnv({ PATH: `${paths.nodeBinDir}${path.delimiter}${process.env.PATH}` }), timeoutMs: 120000 });
		const reported = check.stdout.trim().split('\n').pop();
		if (check.code !== 0 || reported !== N8N_VERSION) {
			throw new Error(`n8n did not start after install: n8n --version → exit ${check.code}: ${(check.stdout + check.stderr).trim().slice(-2000)}`);
		}
		const sqlite = await run(paths.nodeBin, ['-e', "new (require('sqlite3').Database)(':memory:').get('select sqlite_version() v', (e, r) => { if (e) throw e; console.log(r.v); })"], {
			cwd: paths.n8nDir,
			env: cleanEnv(),
			timeoutMs: 60000,
		});
		if (sqlite.code !== 0 || !parseVersion(sqlite.stdout)) {
			throw new Error(`sqlite3 does not load in Node ${NODE_VERSION} after install (n8n's default database needs it): ${(sqlite.stdout + sqlite.stderr).trim().slice(-1500)}`);
		}
		fs.writeFileSync(
			paths.marker,
			JSON.stringify(
				{ node: NODE_VERSION, n8n: N8N_VERSION, nodePackage: nodePackageName(), recipe: RECIPE, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) },
				null,
				2,
			),
		);
		log(`n8n ${N8N_VERSION} on Node ${NODE_VERSION} ready in ${Math.round((Date.now() - started) / 1000)} s (cached for next runs)`);
		// 4. What n8n never reads at run time: source maps and type declarations, 122,000 files
		// (half of the tree, 1.2 GB on disk). Deleting them took 4 min here, so a low-priority
		// process of its own does it while the caller goes on; it outlives this one if need be.
		pruneInBackground(path.join(paths.n8nDir, 'node_modules'), log);
		return (activeRuntime = cachedRuntime(paths));
	});
}

/** `npm pack` of this repo (run `npm run build` first); returns the tarball's absolute path. */
async function packPackage({ destination, log = defaultLog } = {}) {
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
	const declared = [...((manifest.n8n && manifest.n8n.nodes) || []), ...((manifest.n8n && manifest.n8n.credentials) || [])];
	const missing = declared.filter((file) => !fs.existsSync(path.join(REPO_DIR, file)));
	if (declared.length === 0 || missing.length > 0) {
		throw new Error(`dist/ is missing or stale (${missing.join(', ') || 'no n8n.nodes in package.json'}): run \`npm run build\` first`);
	}
	const dest = destination || path.join(REPO_DIR, '.cache', 'pack');
	fs.mkdirSync(dest, { recursive: true });
	const result = await npm(['pack', '--json', '--pack-destination', dest], REPO_DIR, { log });
	const jsonStart = result.stdout.indexOf('[');
	const info = JSON.parse(result.stdout.slice(jsonStart));
	const tgz = path.join(dest, info[0].filename);
	log(`packed ${tgz} (${info[0].entryCount} files)`);
	return tgz;
}

/**
 * Installs the packed package where n8n keeps community packages ($N8N_USER_FOLDER/.n8n/nodes)
 * the way n8n 2.40's own installer does (community-packages.service.js › downloadPackage): unpack
 * the tarball into nodes/node_modules/<name>, drop dev/peer/optional dependencies from its
 * package.json, `npm install` its runtime dependencies inside it without scripts, and record it in
 * nodes/package.json. A missing `files` entry or dependency therefore fails here as it would for users.
 */
async function installPackage(userFolder, tgzPath, { log = defaultLog } = {}) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const tgz = path.resolve(tgzPath);
	const list = await run('tar', ['-tzf', tgz], { timeoutMs: 60000 });
	if (list.code !== 0) throw new Error(`cannot read ${tgz}: ${list.stderr}`);
	const packed = JSON.parse((await run('tar', ['-xzOf', tgz, 'package/package.json'], { timeoutMs: 60000 })).stdout);
	const packageDir = path.join(nodesDir, 'node_modules', packed.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	const untar = await run('tar', ['-xzf', tgz, '-C', packageDir, '--strip-components=1'], { timeoutMs: 60000 });
	if (untar.code !== 0) throw new Error(`tar -xzf ${tgz} failed: ${untar.stderr}`);
	const pkgPath = path.join(packageDir, 'package.json');
	// eslint-disable-next-line no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
	fs.writeFileSync(pkgPath, JSON.stringify(stripped, null, 2));
	await npm(
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		packageDir,
		{ log },
	);
	for (const dep of Object.keys(stripped.dependencies || {})) {
		if (!fs.existsSync(path.join(packageDir, 'node_modules', dep))) {
			throw new Error(`installing ${packed.name} did not bring its dependency ${dep} into ${packageDir}/node_modules`);
		}
	}
	const nodesPkg = path.join(nodesDir, 'package.json');
	let manifest = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		manifest = { ...manifest, ...JSON.parse(fs.readFileSync(nodesPkg, 'utf8')) };
	} catch {
		/* new user folder */
	}
	manifest.dependencies = { ...(manifest.dependencies || {}), [packed.name]: packed.version };
	fs.writeFileSync(nodesPkg, JSON.stringify(manifest, null, 2));
	log(`installed ${packed.name}@${packed.version} into ${packageDir} (dependencies: ${Object.keys(stripped.dependencies || {}).join(', ') || 'none'})`);
	return packageDir;
}

/** The environment of every n8n process: one user folder, a fixed encryption key, quiet extras. */
function n8nEnv(userFolder, extra = {}) {
	const { nodeBinDir } = currentRuntime();
	return cleanEnv({
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_MODE: 'internal',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		DB_TYPE: 'sqlite',
		NODE_ENV: 'production',
		NO_COLOR: '1',
		FORCE_COLOR: '0',
		PATH: nodeBinDir ? `${nodeBinDir}${path.delimiter}${process.env.PATH || ''}` : process.env.PATH || '',
		...extra,
	});
}

/** Runs `n8n <args>` with Node 24; resolves {code, stdout, stderr, ms}. */
async function runN8n(args, env, { timeoutMs = 5 * 60 * 1000, onLine } = {}) {
	const { command, prefix } = currentRuntime();
	if (!fs.existsSync(command)) throw new Error('n8n runtime not installed: call ensureRuntime() first');
	// Every n8n process starts a task broker (default port 5679): give each its own free port so
	// CLI runs, tests and a running `n8n start` do not collide.
	const withBroker = env.N8N_RUNNERS_BROKER_PORT ? env : { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	return await run(command, [...prefix, ...args], { env: withBroker, timeoutMs, onLine });
}

function failIfNonZero(what, result) {
	if (result.code !== 0) {
		throw new Error(`n8n ${what} failed (exit ${result.code}${result.signal ? `, ${result.signal}` : ''}${result.timedOut ? ', timed out' : ''}):\n${`${result.stdout}\n${result.stderr}`.trim().slice(-3000)}`);
	}
	return result;
}

function writeTemp(userFolder, name, data) {
	const dir = path.join(userFolder, 'import');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, name);
	fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
	return file;
}

/** `n8n import:credentials`: an array of {id, name, type, data} with plain `data` (encrypted on import). */
async function importCredentials(userFolder, credentials, env = n8nEnv(userFolder)) {
	const list = Array.isArray(credentials) ? credentials : [credentials];
	const file = writeTemp(userFolder, `credentials-${Date.now()}-${process.pid}.json`, list);
	try {
		return failIfNonZero('import:credentials', await runN8n(['import:credentials', `--input=${file}`], env));
	} finally {
		fs.rmSync(file, { force: true }); // holds a plain private key
	}
}

/** `n8n import:workflow` of a workflow object or a JSON file path. */
async function importWorkflow(userFolder, workflow, env = n8nEnv(userFolder)) {
	const file = typeof workflow === 'string' ? path.resolve(workflow) : writeTemp(userFolder, `workflow-${workflow.id || 'wf'}-${Date.now()}.json`, workflow);
	return failIfNonZero('import:workflow', await runN8n(['import:workflow', `--input=${file}`], env));
}

/**
 * The run JSON `n8n execute --rawOutput` prints: JSON.stringify(data, null, 2), i.e. a line "{",
 * indented lines, then a line "}", possibly with log lines before and after. Linear in the output
 * size for the one "{" line n8n prints (10,000-item runs print tens of MB): each candidate closing
 * line is tried once per "{" line. A JSON object printed on one line is accepted too.
 */
function parseRunOutput(stdout) {
	// Offsets of the lines that are exactly "{": usually one, the run JSON's first line.
	const starts = [];
	if (stdout.startsWith('{\n')) starts.push(0);
	for (let at = stdout.indexOf('\n{\n'); at >= 0; at = stdout.indexOf('\n{\n', at + 1)) starts.push(at + 1);
	for (const start of starts) {
		for (let end = stdout.indexOf('\n}', start); end >= 0; end = stdout.indexOf('\n}', end + 2)) {
			const after = stdout[end + 2];
			if (after !== undefined && after !== '\n' && after !== '\r') continue;
			try {
				return JSON.parse(stdout.slice(start, end + 2));
			} catch {
				/* not the closing brace of the run JSON */
			}
		}
	}
	for (const line of stdout.split('\n')) {
		const text = line.trim();
		if (!text.startsWith('{') || !text.endsWith('}')) continue;
		try {
			return JSON.parse(text);
		} catch {
			/* a log line that looks like JSON */
		}
	}
	return undefined;
}

/**
 * `n8n execute --id=<id> --rawOutput`: resolves {code, run, stdout, stderr, ms}. `run` is n8n's
 * IRun (`run.data.resultData.runData[nodeName][runIndex].data.main`), or undefined if none printed.
 */
async function executeWorkflow(userFolder, workflowId, { env = n8nEnv(userFolder), timeoutMs = 5 * 60 * 1000 } = {}) {
	const result = await runN8n(['execute', `--id=${workflowId}`, '--rawOutput'], env, { timeoutMs });
	return { ...result, run: parseRunOutput(result.stdout) };
}

/** Node outputs of one run of a node in an IRun: [[items of output 0], [items of output 1], …]. */
function nodeOutputs(run, nodeName, runIndex = 0) {
	const runs = run && run.data && run.data.resultData && run.data.resultData.runData && run.data.resultData.runData[nodeName];
	if (!runs || !runs[runIndex]) return undefined;
	const main = (runs[runIndex].data && runs[runIndex].data.main) || [];
	return main.map((items) => items || []);
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
function freePort() {
	const net = require('node:net');
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * A small JSON-over-HTTP client for n8n's REST API and the emulator's admin API. New socket per
 * request (agent: false): Node's keep-alive reuse of a socket a server just closed fails randomly.
 */
function httpJson(method, url, { body, headers = {}, timeoutMs = 30000, ca } = {}) {
	// https URLs (the emulator in HTTPS mode) are checked against `ca` when given (its own CA PEM).
	const http = url.startsWith('https:') ? require('node:https') : require('node:http');
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		const req = http.request(
			url,
			{
				method,
				agent: false,
				timeout: timeoutMs,
				...(ca ? { ca } : {}),
				headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...headers },
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(payload);
	});
}

/** n8n answers every request with this page (HTTP 200) until its start has finished. */
const startingUp = (res) => /n8n is starting up/i.test(res.text || '');

async function waitForHttp(url, { timeoutMs = 120000, isAlive = () => true, what = url, ca } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError = '';
	while (Date.now() < deadline) {
		if (!isAlive()) throw new Error(`${what} exited before it answered ${url}`);
		try {
			const res = await httpJson('GET', url, { timeoutMs: 5000, ca });
			if (res.status === 200 && !startingUp(res)) return res;
			lastError = `HTTP ${res.status}${startingUp(res) ? ' (starting up)' : ''}`;
		} catch (error) {
			lastError = error.message;
		}
		await sleep(500);
	}
	throw new Error(`${what} did not answer ${url} within ${Math.round(timeoutMs / 1000)} s (${lastError})`);
}

/**
 * `n8n start` (editor, REST API, triggers) on 127.0.0.1:<port>; resolves once /healthz answers.
 * `command: 'worker'` starts a queue-mode worker instead (`n8n worker`, its readiness check on
 * QUEUE_HEALTH_CHECK_PORT = <port>; `args` e.g. ['--concurrency=5']); `command: 'webhook'` a
 * queue-mode webhook process (`n8n webhook`: production webhooks only).
 * Returns {url, child, output(), stop()}. stop() sends SIGTERM, then SIGKILL after 15 s.
 */
async function startN8n(userFolder, { port = 5678, env = n8nEnv(userFolder), onLine, timeoutMs = 180000, command = 'start', args = [] } = {}) {
	const n8n = currentRuntime();
	const url = `http://127.0.0.1:${port}`;
	const worker = command === 'worker';
	const child = spawn(n8n.command, [...n8n.prefix, command, ...args], {
		env: {
			...env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${url}/`,
			WEBHOOK_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: env.N8N_RUNNERS_BROKER_PORT || String(await freePort()),
			...(worker ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_PORT: String(await freePort()) } : {}),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	let exited = null;
	const onData = (stream) => (chunk) => {
		const text = chunk.toString('utf8');
		output = (output + text).slice(-200000);
		if (onLine) for (const line of text.split(/\r?\n/)) if (line.trim()) onLine(line, stream);
	};
	child.stdout.on('data', onData('stdout'));
	child.stderr.on('data', onData('stderr'));
	const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
	const stop = async () => {
		if (exited) return exited;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
		const result = await exitPromise;
		clearTimeout(timer);
		return result;
	};
	try {
		if (worker) {
			await waitForHttp(`${url}/healthz/readiness`, { timeoutMs, isAlive: () => !exited, what: 'n8n worker' });
		} else if (command === 'webhook') {
			// a webhook process (queue mode) serves /healthz and production webhooks only; its webhooks
			// go live a moment after /healthz answers (the caller polls its webhook)
			await waitForHttp(`${url}/healthz`, { timeoutMs, isAlive: () => !exited, what: 'n8n webhook' });
		} else {
			await waitForHttp(`${url}/healthz`, { timeoutMs, isAlive: () => !exited, what: 'n8n start' });
			// /healthz answers before the REST API is mounted: wait for the settings endpoint too, and
			// for the auth routes (seen on a slow start: /rest/settings up, POST /rest/login still
			// Express's 404 "Cannot POST"; or, with 200, the "n8n is starting up" page).
			await waitForHttp(`${url}/rest/settings`, { timeoutMs, isAlive: () => !exited, what: 'n8n start' });
			const deadline = Date.now() + timeoutMs;
			const loginMounted = async () => {
				const res = await httpJson('POST', `${url}/rest/login`, { body: {}, timeoutMs: 5000 });
				return res.status !== 404 && !startingUp(res);
			};
			while (!(await loginMounted())) {
				if (exited || Date.now() > deadline) throw new Error(`n8n start: POST ${url}/rest/login still 404 or "starting up" after ${Math.round(timeoutMs / 1000)} s`);
				await sleep(500);
			}
		}
	} catch (error) {
		await stop();
		error.message += `\n--- n8n ${command} output (tail)\n${output.slice(-4000)}`;
		throw error;
	}
	return { url, child, exited: exitPromise, output: () => output, stop };
}

/**
 * Signs in to n8n's REST API as the instance owner, creating the owner first if there is none.
 * Returns headers (cookie + browser-id) for further REST calls.
 */
async function ownerSession(baseUrl, owner) {
	const browserId = 'rbm-n8n-nodes-local';
	const cookieFrom = (res) => {
		const set = res.headers['set-cookie'] || [];
		const auth = set.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		return auth;
	};
	const headers = { 'browser-id': browserId };
	let res = await httpJson('POST', `${baseUrl}/rest/owner/setup`, { body: owner, headers });
	let cookie = res.status === 200 ? cookieFrom(res) : undefined;
	if (!cookie) {
		res = await httpJson('POST', `${baseUrl}/rest/login`, { body: { emailOrLdapLoginId: owner.email, password: owner.password }, headers });
		cookie = res.status === 200 ? cookieFrom(res) : undefined;
	}
	if (!cookie) throw new Error(`could not sign in to n8n as ${owner.email}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
	return { ...headers, cookie };
}

/**
 * Publishes (activates) workflows in a running n8n through the editor's REST API, as its Publish
 * button does: the running n8n registers their triggers and webhooks at once. Two requests per
 * workflow instead of one `n8n publish:workflow` before the start, a CLI start of several seconds
 * each. `headers`: ownerSession's.
 */
async function publishWorkflows(baseUrl, headers, ids) {
	for (const id of ids) {
		const current = await httpJson('GET', `${baseUrl}/rest/workflows/${id}`, { headers });
		const versionId = current.status === 200 && current.json && current.json.data ? current.json.data.versionId : undefined;
		if (!versionId) throw new Error(`n8n has no workflow ${id} to publish: GET /rest/workflows/${id} answered ${current.status} ${current.text.slice(0, 300)}`);
		const res = await httpJson('POST', `${baseUrl}/rest/workflows/${id}/activate`, { headers, body: { versionId } });
		if (res.status !== 200 || !res.json || !res.json.data || !res.json.data.activeVersionId) {
			throw new Error(`publishing workflow ${id} failed: POST /rest/workflows/${id}/activate answered ${res.status} ${res.text.slice(0, 1000)}`);
		}
	}
}

module.exports = {
	REPO_DIR,
	NODE_VERSION,
	N8N_VERSION,
	ENCRYPTION_KEY,
	cacheDirectory,
	layout,
	parseVersion,
	whichOnPath,
	findExistingN8n,
	currentRuntime,
	cleanEnv,
	run,
	ensureRuntime,
	packPackage,
	installPackage,
	n8nEnv,
	runN8n,
	importCredentials,
	importWorkflow,
	executeWorkflow,
	parseRunOutput,
	pruneForRuntime,
	withProgress,
	startInBackground,
	readMarker,
	RECIPE,
	nodeOutputs,
	freePort,
	httpJson,
	waitForHttp,
	startN8n,
	ownerSession,
	publishWorkflows,
};

if (require.main === module) {
	ensureRuntime().then(
		(r) => process.argv.includes('--quiet') || console.log(JSON.stringify(r, null, 2)),
		(error) => {
			console.error(`[n8n-runtime] install failed: ${error.message}`);
			process.exit(1);
		},
	);
}
