#!/usr/bin/env node
/*
 * Derives schema/rbm-v1.json, a machine-readable schema of the RCS Business Messaging (RBM) v1
 * REST API, from Google's own published artifacts:
 *
 *   --samples <gitdir>  rcs-business-messaging/rcsforbusiness-samples (bare git dir):
 *                       the Java client generated from the API definition of June 2025
 *                       (model classes = JSON messages and fields, RCSBusinessMessaging.java =
 *                       methods), its README (regional hosts), and the C# client (cross-check only).
 *   --protos <gitdir>   google-business-communications/java-rcsbusinessmessaging (bare git dir):
 *                       the 2021 .proto files (proto names, oneofs, enum names and numbers,
 *                       HTTP rules, and comments with documented rules).
 *   --overlay <file>    scripts/schema/overlay.json: documented rules the artifacts cannot express,
 *                       each with the URL of Google's documentation it comes from.
 *   --out <file>        schema/rbm-v1.json
 *   --check             do not write; exit 1 if <out> is not what would be written.
 *
 * Everything is read with `git show <commit>:<path>` at the commit HEAD resolves to; the commit,
 * its date and every path read go into the output's "sources". The output is deterministic: the
 * same inputs give the same bytes (sorted keys where order carries no meaning, no clock).
 * Plain Node.js (CommonJS, no dependencies). See scripts/schema/README.md.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULTS = {
	samples: '/work/.mirror/rcs-business-messaging+rcsforbusiness-samples/repo',
	protos: '/work/.mirror/google-business-communications+java-rcsbusinessmessaging/repo',
	overlay: path.join(__dirname, 'overlay.json'),
	out: path.join(REPO_ROOT, 'schema', 'rbm-v1.json'),
};
const SAMPLES_REPO = 'rcs-business-messaging/rcsforbusiness-samples';
const PROTOS_REPO = 'google-business-communications/java-rcsbusinessmessaging';
const JAVA_DIR = 'java/rcsforbusinessapi/src/main/java/com/google/api/services/rcsbusinessmessaging/v1';
const JAVA_MODEL_DIR = `${JAVA_DIR}/model`;
const JAVA_SERVICE = `${JAVA_DIR}/RCSBusinessMessaging.java`;
const JAVA_README = 'java/rcsforbusinessapi/README.md';
const CSHARP_CLIENT = 'csharp/rcsforbusinessapi/Google.Apis.RCSBusinessMessaging.v1.cs';
const PROTO_DIR = 'proto/google/communications/rcsbusinessmessaging/v1';
const OWN_PROTO_PACKAGES = ['google.communications.rcsbusinessmessaging.v1.richcards', 'google.communications.rcsbusinessmessaging.v1'];

const FIELD_TYPES = new Set(['string', 'bool', 'int32', 'int64', 'uint64', 'double', 'float', 'bytes', 'enum', 'message', 'timestamp', 'duration', 'map', 'any']);
const FIELD_ATTR_ORDER = ['proto', 'type', 'valueType', 'ref', 'repeated', 'maxLength', 'minItems', 'maxItems', 'format', 'required', 'outputOnly', 'inputOnly', 'deprecated', 'rejected', 'since', 'source'];
const FIELD_ATTRS = new Set(FIELD_ATTR_ORDER);
const METHOD_ATTR_ORDER = ['httpMethod', 'path', 'query', 'request', 'response', 'upload', 'regional', 'deprecated', 'source'];
const PARAM_ATTR_ORDER = ['type', 'repeated', 'required', 'format', 'source'];
/** Path segment that precedes a "[^/]+" wildcard → the placeholder the schema uses for it. */
const PATH_PLACEHOLDERS = { phones: 'phoneNumber', agentMessages: 'messageId' };

// ───────────────────────────────────────────────────────────── command line

/**
 * The scripts' command line, read with Node's `util.parseArgs`: `values` maps each `--option <value>`
 * to its key in the options (`files` are resolved to absolute paths), plus `--check` and `--help`.
 */
function parseCommandLine(argv, { script, defaults, values, files = [] }) {
	const options = { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
	for (const name of [...values, ...files]) options[name] = { type: 'string' };
	let parsed;
	try {
		parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
	} catch (error) {
		fail(error.message);
	}
	if (parsed.help) {
		const usage = [...values, ...files].map((name) => `[--${name} <${files.includes(name) ? 'file' : 'gitdir'}>]`).join(' ');
		process.stdout.write(`usage: node scripts/schema/${script} ${usage} [--check]\n`);
		process.exit(0);
	}
	const opts = { ...defaults, check: parsed.check === true };
	for (const name of values) if (parsed[name] !== undefined) opts[name] = parsed[name];
	for (const name of files) if (parsed[name] !== undefined) opts[name] = path.resolve(parsed[name]);
	return opts;
}

function fail(message) {
	process.stderr.write(`generate.js: ${message}\n`);
	process.exit(2);
}

// ───────────────────────────────────────────────────────────── git

class GitSource {
	constructor(gitDir, repository) {
		this.gitDir = gitDir;
		this.repository = repository;
		this.commit = this.git(['rev-parse', '--verify', 'HEAD^{commit}']).trim();
		if (!/^[0-9a-f]{40}$/.test(this.commit)) fail(`${gitDir}: HEAD did not resolve to a commit`);
		this.date = this.git(['show', '-s', '--format=%cI', this.commit]).trim();
		this.paths = new Set();
	}

	git(args) {
		try {
			return execFileSync('git', [`--git-dir=${this.gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
		} catch (e) {
			fail(`git ${args.join(' ')} in ${this.gitDir} failed: ${e.message}`);
		}
	}

	list(dir) {
		return this.git(['ls-tree', '--name-only', `${this.commit}:${dir}`]).split('\n').filter(Boolean).sort().map((n) => `${dir}/${n}`);
	}

	read(p) {
		this.paths.add(p);
		return this.git(['show', `${this.commit}:${p}`]);
	}
}

// ───────────────────────────────────────────────────────────── small helpers

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const camel = (snake) => snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const snake = (camelName) => camelName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
const byKey = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function sortedObject(obj, order) {
	const out = {};
	const keys = Object.keys(obj);
	const ranked = order ? keys.filter((k) => order.includes(k)).sort((a, b) => order.indexOf(a) - order.indexOf(b)) : [];
	for (const k of ranked) out[k] = obj[k];
	for (const k of keys.filter((k) => !ranked.includes(k)).sort(byKey)) out[k] = obj[k];
	return out;
}

/** Javadoc or // comment text → one line of prose. */
function cleanDoc(raw) {
	return raw
		.split('\n')
		.map((l) => l.replace(/^\s*\*+ ?/, '').replace(/^\s*\/\/ ?/, ''))
		.join(' ')
		.replace(/The value may be \{@code null\}\./g, '')
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * Per line, the code with string/char literals emptied and comments removed (so braces in
 * "v1/{+parent}" or {@link …} don't count), carrying block-comment state across lines.
 */
function codeLines(text) {
	const lines = text.split('\n');
	const out = [];
	let inBlock = false;
	for (const line of lines) {
		let code = '';
		for (let i = 0; i < line.length; i++) {
			const c = line[i];
			if (inBlock) {
				if (c === '*' && line[i + 1] === '/') {
					inBlock = false;
					i++;
				}
				continue;
			}
			if (c === '/' && line[i + 1] === '*') {
				inBlock = true;
				i++;
				continue;
			}
			if (c === '/' && line[i + 1] === '/') break;
			if (c === '"' || c === "'") {
				code += c + c;
				i++;
				while (i < line.length && line[i] !== c) {
					if (line[i] === '\\') i++;
					i++;
				}
				continue;
			}
			code += c;
		}
		out.push(code);
	}
	return { lines, code: out };
}

/** Java/C# classes with their line spans and enclosing class (brace matching on code only). */
function classTree(text) {
	const { lines, code } = codeLines(text);
	const classes = [];
	const stack = [];
	let depth = 0;
	let pending = null;
	for (let n = 0; n < code.length; n++) {
		const m = /\bclass\s+(\w+)/.exec(code[n]);
		if (m) pending = { name: m[1], start: n, header: code[n] };
		for (const c of code[n]) {
			if (c === '{') {
				if (pending) {
					const cls = { ...pending, depth, parent: stack.length ? stack[stack.length - 1] : null };
					classes.push(cls);
					stack.push(cls);
					pending = null;
				}
				depth++;
			} else if (c === '}') {
				depth--;
				if (stack.length && stack[stack.length - 1].depth === depth) {
					const cls = stack.pop();
					cls.end = n;
					cls.text = lines.slice(cls.start, n + 1).join('\n');
				}
			}
		}
	}
	return classes;
}

// ───────────────────────────────────────────────────────────── Java generated client

const JAVA_KEY_FIELD = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?@com\.google\.api\.client\.util\.Key(?:\("([^"]+)"\))?((?:\s*@[\w.]+)*)\s*private\s+([\w.]+(?:<[\w.,\s<>]+>)?)\s+(\w+);/g;

function parseJavaModel(className, text) {
	const fields = [];
	const body = text.slice(text.indexOf(`public final class ${className}`));
	for (const m of body.matchAll(JAVA_KEY_FIELD)) {
		const [, doc = '', key, annotations, type, name] = m;
		fields.push({
			name: key || name,
			javaName: name,
			javaType: type.replace(/\s+/g, ' '),
			jsonString: /JsonString/.test(annotations),
			bytes: new RegExp(`public byte\\[\\] decode${upperFirst(name)}\\(`).test(body),
			doc: cleanDoc(doc),
		});
	}
	const classDoc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*@SuppressWarnings/.exec(text);
	return { name: className, fields, doc: classDoc ? cleanDoc(classDoc[1]).replace(/<p>[\s\S]*$/, '').trim() : '' };
}

/** The methods of a Java generated client's service class (`service`: RCSBusinessMessaging, BusinessCommunications). */
function parseJavaService(text, service = 'RCSBusinessMessaging') {
	const classes = classTree(text);
	const methods = [];
	for (const cls of classes) {
		const ext = new RegExp(`extends\\s+${service}Request<([\\w.]+)>`).exec(cls.header);
		if (!ext) continue;
		const chain = [];
		for (let p = cls.parent; p && p.name !== service; p = p.parent) chain.unshift(lowerFirst(p.name));
		const idDoc = /Create a request for the method "([\w.]+)"/.exec(cls.text);
		if (!idDoc) fail(`no method id in Java class ${chain.join('.')}.${cls.name}`);
		const methodName = idDoc[1].split('.').pop();
		const restPath = /REST_PATH = "([^"]+)"/.exec(cls.text)[1];
		const patterns = {};
		for (const m of cls.text.matchAll(/private final java\.util\.regex\.Pattern (\w+)_PATTERN =\s*java\.util\.regex\.Pattern\.compile\("([^"]+)"\)/g)) {
			patterns[camel(m[1].toLowerCase())] = m[2];
		}
		const forms = [];
		const superCall = new RegExp(`super\\(${service}\\.this, "(\\w+)", (REST_PATH|"\\/upload\\/" \\+ getServicePath\\(\\) \\+ REST_PATH), (content|null), ([\\w.]+)\\.class\\)`, 'g');
		for (const m of cls.text.matchAll(superCall)) {
			forms.push({ httpMethod: m[1], upload: m[2] !== 'REST_PATH', hasBody: m[3] === 'content', response: m[4].split('.').pop() });
		}
		const ctor = /protected \w+\(([^)]*)\)/.exec(cls.text);
		const bodyType = ctor && /model\.(\w+) content/.exec(ctor[1]);
		const params = [];
		for (const m of cls.text.matchAll(JAVA_KEY_FIELD)) {
			const [, doc = '', key, annotations, type, name] = m;
			params.push({ name: key || name, javaType: type, jsonString: /JsonString/.test(annotations), doc: cleanDoc(doc) });
		}
		methods.push({
			id: [...chain, methodName].join('.'),
			javaClass: `${chain.join('.')}.${cls.name}`,
			restPath,
			patterns,
			forms,
			request: bodyType ? bodyType[1] : undefined,
			response: ext[1].split('.').pop(),
			params,
			doc: cleanDoc((/\/\*\*((?:(?!\*\/)[\s\S])*)\*\//.exec(cls.text) || ['', ''])[1]).replace(/ Create a request for the method[\s\S]*$/, ''),
		});
	}
	return methods;
}

/** "v1/{+parent}/agentMessages" + {parent: "^phones/[^/]+$"} → "/v1/phones/{phoneNumber}/agentMessages". */
function restPathToTemplate(restPath, patterns, where, placeholders = PATH_PLACEHOLDERS) {
	return '/' + restPath.replace(/\{\+?(\w+)\}/g, (_, name) => {
		const pattern = patterns[name];
		if (!pattern) fail(`${where}: no pattern for path parameter ${name}`);
		return patternToTemplate(pattern.replace(/^\^/, '').replace(/\$$/, ''), where, placeholders);
	});
}

function patternToTemplate(pattern, where, placeholders = PATH_PLACEHOLDERS) {
	const segments = pattern.replace(/\[\^\/\]\+/g, '*').split('/');
	return segments
		.map((seg, i) => {
			if (seg !== '*') return seg;
			const placeholder = placeholders[segments[i - 1]];
			if (!placeholder) fail(`${where}: no placeholder name for the segment after "${segments[i - 1]}"`);
			return `{${placeholder}}`;
		})
		.join('/');
}

// ───────────────────────────────────────────────────────────── C# generated client (cross-check only)

function parseCSharp(text) {
	const data = {};
	const dataStart = text.indexOf('namespace Google.Apis.RCSBusinessMessaging.v1.Data');
	const serviceStart = text.indexOf('namespace Google.Apis.RCSBusinessMessaging.v1\n');
	const dataText = text.slice(dataStart, serviceStart > dataStart ? serviceStart : undefined);
	for (const m of dataText.matchAll(/public class (\w+) : Google\.Apis\.Requests\.IDirectResponseSchema\s*\{([\s\S]*?)\n    \}/g)) {
		data[m[1]] = [...m[2].matchAll(/JsonPropertyAttribute\("([^"]+)"\)/g)].map((x) => x[1]);
	}
	const methods = [];
	for (const cls of classTree(text)) {
		if (!/RCSBusinessMessagingBaseServiceRequest</.test(cls.header)) continue;
		const verb = /HttpMethod\s*\{\s*get \{ return "(\w+)"; \}/.exec(cls.text);
		const rest = /RestPath\s*\{\s*get \{ return "([^"]+)"; \}/.exec(cls.text);
		if (verb && rest) methods.push(`${verb[1]} ${rest[1]}`);
	}
	for (const m of text.matchAll(/base\(service, string\.Format\("\/\{0\}\/\{1\}\{2\}", "upload", service\.BasePath, "([^"]+)"\), "(\w+)"/g)) {
		methods.push(`${m[2]} upload/${m[1]}`);
	}
	return { data, methods: methods.sort() };
}

// ───────────────────────────────────────────────────────────── protos

function tokenizeProto(text) {
	const tokens = [];
	const comments = [];
	let line = 1;
	for (let i = 0; i < text.length; ) {
		const c = text[i];
		if (c === '\n') {
			line++;
			i++;
		} else if (/\s/.test(c)) {
			i++;
		} else if (c === '/' && text[i + 1] === '/') {
			const end = text.indexOf('\n', i);
			const stop = end === -1 ? text.length : end;
			comments.push({ line, text: text.slice(i + 2, stop) });
			i = stop;
		} else if (c === '/' && text[i + 1] === '*') {
			const end = text.indexOf('*/', i + 2);
			const body = text.slice(i + 2, end);
			comments.push({ line, text: body });
			line += (body.match(/\n/g) || []).length;
			i = end + 2;
		} else if (c === '"' || c === "'") {
			let j = i + 1;
			while (text[j] !== c) j += text[j] === '\\' ? 2 : 1;
			tokens.push({ t: 'str', v: text.slice(i + 1, j), line });
			i = j + 1;
		} else if (/[A-Za-z_]/.test(c)) {
			const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i));
			tokens.push({ t: 'id', v: m[0], line });
			i += m[0].length;
		} else if (/[0-9-]/.test(c)) {
			const m = /^-?[0-9][\w.]*/.exec(text.slice(i));
			tokens.push({ t: 'num', v: m[0], line });
			i += m[0].length;
		} else {
			tokens.push({ t: 'sym', v: c, line });
			i++;
		}
	}
	return { tokens, comments };
}

/** The // comment block that ends on the line just above `line` (blank-line separated). */
function leadingComment(comments, line) {
	const byLine = new Map(comments.map((c) => [c.line, c.text]));
	const parts = [];
	for (let l = line - 1; byLine.has(l); l--) parts.unshift(byLine.get(l));
	return parts.join('\n');
}

function parseProto(file, text) {
	const { tokens, comments } = tokenizeProto(text);
	let i = 0;
	let pkg = '';
	const messages = [];
	const enums = [];
	const services = [];
	const peek = () => tokens[i];
	const next = () => tokens[i++];
	const expect = (v) => {
		const t = next();
		if (!t || t.v !== v) fail(`${file}:${t ? t.line : 'EOF'}: expected "${v}", got "${t ? t.v : 'EOF'}"`);
		return t;
	};
	const skipStatement = () => {
		let depth = 0;
		for (;;) {
			const t = next();
			if (!t) return;
			if (t.v === '{' || t.v === '[' || t.v === '(') depth++;
			else if (t.v === '}' || t.v === ']' || t.v === ')') depth--;
			else if (t.v === ';' && depth === 0) return;
		}
	};
	const bracketOptions = () => {
		if (peek().v !== '[') return '';
		const parts = [];
		let depth = 0;
		do {
			const t = next();
			if (t.v === '[') depth++;
			else if (t.v === ']') depth--;
			parts.push(t.v);
		} while (depth > 0);
		return parts.join(' ');
	};
	const parseEnum = (scope) => {
		const start = expect('enum');
		const name = next().v;
		const full = scope ? `${scope}.${name}` : name;
		const e = { name: full, file, values: [], comment: leadingComment(comments, start.line) };
		expect('{');
		while (peek().v !== '}') {
			if (peek().v === 'option' || peek().v === 'reserved') {
				skipStatement();
				continue;
			}
			const t = next();
			expect('=');
			const num = Number(next().v);
			bracketOptions();
			expect(';');
			e.values.push({ name: t.v, number: num, comment: leadingComment(comments, t.line) });
		}
		expect('}');
		enums.push(e);
		return e;
	};
	const parseField = (msg, oneof) => {
		const first = peek();
		let repeated = false;
		if (first.v === 'repeated' || first.v === 'optional') repeated = next().v === 'repeated';
		let type = next().v;
		let mapTypes;
		if (type === 'map') {
			expect('<');
			const k = next().v;
			expect(',');
			const v = next().v;
			expect('>');
			mapTypes = [k, v];
		}
		const name = next().v;
		expect('=');
		const number = Number(next().v);
		const options = bracketOptions();
		expect(';');
		msg.fields.push({ name, number, type, mapTypes, repeated, options, oneof, comment: leadingComment(comments, first.line), line: first.line });
	};
	const parseMessage = (scope) => {
		const start = expect('message');
		const name = next().v;
		const full = scope ? `${scope}.${name}` : name;
		const msg = { name: full, file, fields: [], oneofs: [], comment: leadingComment(comments, start.line), line: start.line };
		expect('{');
		while (peek().v !== '}') {
			const v = peek().v;
			if (v === 'message') parseMessage(full);
			else if (v === 'enum') parseEnum(full);
			else if (v === 'option' || v === 'reserved' || v === 'extensions') skipStatement();
			else if (v === 'oneof') {
				const o = next();
				const oname = next().v;
				msg.oneofs.push({ name: oname, comment: leadingComment(comments, o.line) });
				expect('{');
				while (peek().v !== '}') {
					if (peek().v === 'option') skipStatement();
					else parseField(msg, oname);
				}
				expect('}');
			} else if (v === ';') next();
			else parseField(msg, undefined);
		}
		expect('}');
		messages.push(msg);
	};
	const parseService = () => {
		expect('service');
		const svc = { name: next().v, file, rpcs: [] };
		expect('{');
		while (peek().v !== '}') {
			if (peek().v !== 'rpc') {
				skipStatement();
				continue;
			}
			const start = expect('rpc');
			const rpc = { name: next().v, comment: leadingComment(comments, start.line), http: null };
			expect('(');
			rpc.request = next().v;
			expect(')');
			expect('returns');
			expect('(');
			rpc.response = next().v;
			expect(')');
			if (peek().v === ';') {
				next();
			} else {
				expect('{');
				while (peek().v !== '}') {
					const s = i;
					skipStatement();
					const stmt = tokens.slice(s, i);
					if (stmt[0].v === 'option' && stmt[1].v === '(' && stmt[2].v === 'google.api.http') {
						for (let k = 0; k < stmt.length - 2; k++) {
							if (['get', 'post', 'put', 'delete', 'patch'].includes(stmt[k].v) && stmt[k + 1].v === ':' && stmt[k + 2].t === 'str') {
								rpc.http = { method: stmt[k].v.toUpperCase(), path: stmt[k + 2].v, body: null, upload: false };
							}
							if (stmt[k].v === 'body' && stmt[k + 1].v === ':' && stmt[k + 2].t === 'str') rpc.http.body = stmt[k + 2].v;
							if (stmt[k].v === 'media_upload') rpc.http.upload = true;
						}
					}
				}
				expect('}');
			}
			svc.rpcs.push(rpc);
		}
		expect('}');
		services.push(svc);
	};
	while (i < tokens.length) {
		const v = peek().v;
		if (v === 'package') {
			next();
			pkg = next().v;
			expect(';');
		} else if (v === 'message') parseMessage('');
		else if (v === 'enum') parseEnum('');
		else if (v === 'service') parseService();
		else skipStatement();
	}
	return { file, pkg, messages, enums, services };
}

/** A proto type name as written → { kind, name } (kind: scalar | wkt | own | external). */
function resolveProtoType(typeName, scopeMessage, index) {
	const scalars = ['string', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'double', 'float', 'bytes'];
	if (scalars.includes(typeName)) return { kind: 'scalar', name: typeName };
	const wkt = { 'google.protobuf.Timestamp': 'timestamp', 'google.protobuf.Duration': 'duration', 'google.protobuf.Struct': 'struct', 'google.protobuf.Empty': 'empty' };
	if (wkt[typeName]) return { kind: 'wkt', name: wkt[typeName] };
	let local = typeName;
	for (const pkg of OWN_PROTO_PACKAGES) if (local.startsWith(`${pkg}.`)) local = local.slice(pkg.length + 1);
	const candidates = scopeMessage ? [`${scopeMessage}.${local}`, local] : [local];
	for (const c of candidates) {
		if (index.enums.has(c)) return { kind: 'enum', name: c };
		if (index.messages.has(c)) return { kind: 'message', name: c };
	}
	return { kind: 'external', name: typeName };
}

// ───────────────────────────────────────────────────────────── deriving the schema

class Report {
	constructor() {
		this.disagreements = [];
		this.notes = [];
	}

	disagree(where, detail, followed) {
		this.disagreements.push({ where, detail, followed });
	}

	note(text) {
		this.notes.push(text);
	}
}

/** Attributes a javadoc sentence states, as the Java generated client words them. */
function attributesFromDoc(doc) {
	const a = {};
	const chars = /Maximum ([\d,]+) characters/.exec(doc);
	if (chars) a.maxLength = Number(chars[1].replace(/,/g, ''));
	const items = /Maximum ([\d,]+) (?:suggestions|items|cards)/.exec(doc);
	if (items) a.maxItems = Number(items[1].replace(/,/g, ''));
	const range = /minimum of ([\d,]+) \w+ and a maximum (?:of )?([\d,]+)/.exec(doc);
	if (range) {
		a.minItems = Number(range[1].replace(/,/g, ''));
		a.maxItems = Number(range[2].replace(/,/g, ''));
	}
	// A resource name ("phones/{E.164}/agentMessages/{messageId}") mentions E.164 too: not a phone number.
	const resourceName = /\{E\.164\}/.test(doc);
	if (/valid URI/.test(doc) || /^(?:Optional\. |\([^)]*\) )?Publicly (?:reachable|available) URL\b/.test(doc)) a.format = 'uri';
	else if (!resourceName && /phone numbers? in E\.164 format\b/.test(doc)) a.format = 'e164';
	else if (/must be a UUID/.test(doc)) a.format = 'uuid';
	if (/^Required\./.test(doc)) a.required = true;
	if (/\bOutput only\./.test(doc) || /This field is set by the RBM platform\. Do(?: not|n't) include it/.test(doc)) a.outputOnly = true;
	if (/\bInput only\./.test(doc)) a.inputOnly = true;
	if (/\bDeprecated\b/.test(doc)) a.deprecated = true;
	return a;
}

function javaScalar(f) {
	switch (f.javaType) {
		case 'java.lang.String':
			return f.bytes ? 'bytes' : 'string';
		case 'String':
			return 'String'; // google-datetime / google-duration: decided by the caller
		case 'java.lang.Boolean':
			return 'bool';
		case 'java.lang.Integer':
			return 'int32';
		case 'java.lang.Long':
			return f.jsonString ? 'int64' : 'uint32';
		case 'java.math.BigInteger':
			return 'uint64';
		case 'java.lang.Double':
			return 'double';
		case 'java.lang.Float':
			return 'float';
		case 'java.lang.Object':
			return 'any';
		default:
			return null;
	}
}

function deriveField(model, f, protoMsg, protoIndex, report) {
	const where = `${model.name}.${f.name}`;
	const protoField = protoMsg ? protoMsg.fields.find((p) => camel(p.name) === f.name) : undefined;
	const spec = { proto: protoField ? protoField.name : snake(f.name) };
	let javaType = f.javaType;
	const list = /^java\.util\.List<(.+)>$/.exec(javaType);
	const map = /^java\.util\.Map<String, (.+)>$/.exec(javaType);
	if (list) {
		spec.repeated = true;
		javaType = list[1];
	}
	const elem = { ...f, javaType };
	const protoType = protoField ? resolveProtoType(protoField.type, protoMsg.name, protoIndex) : undefined;
	if (map) {
		spec.type = 'map';
		const v = javaScalar({ ...f, javaType: map[1] });
		if (v) spec.valueType = v;
		else {
			spec.valueType = 'message';
			spec.ref = map[1];
		}
	} else {
		const scalar = javaScalar(elem);
		if (scalar === 'String') {
			if (protoType && protoType.kind === 'wkt' && (protoType.name === 'timestamp' || protoType.name === 'duration')) spec.type = protoType.name;
			else if (/\bhow long\b|\bduration\b/i.test(f.doc) || /^ttl$/i.test(f.name)) spec.type = 'duration';
			else spec.type = 'timestamp';
		} else if (scalar) {
			spec.type = scalar;
			if (scalar === 'string' && protoType && protoType.kind === 'enum') {
				spec.type = 'enum';
				spec.ref = protoType.name;
			}
		} else {
			spec.type = 'message';
			spec.ref = javaType;
			if (protoType && protoType.kind !== 'message' && protoType.kind !== 'external') {
				report.disagree(where, `Java model type ${javaType}, proto type ${protoField.type}`, 'Java model');
			}
		}
	}
	if (protoField) {
		if (protoField.repeated !== !!spec.repeated) report.disagree(where, `repeated: Java ${!!spec.repeated}, proto ${protoField.repeated}`, 'Java model');
		if (protoType && protoType.kind === 'scalar') {
			const expect = { string: ['string', 'enum'], bool: ['bool'], int32: ['int32'], int64: ['int64'], uint64: ['uint64'], double: ['double'], float: ['float'], bytes: ['bytes', 'string'] }[protoType.name] || [];
			if (!expect.includes(spec.type)) report.disagree(where, `Java model type ${f.javaType}, proto type ${protoField.type}`, 'Java model');
		}
		if (protoType && protoType.kind === 'wkt' && protoType.name === 'struct' && !(spec.type === 'map' && spec.valueType === 'any')) {
			report.disagree(where, `Java model type ${f.javaType}, proto google.protobuf.Struct`, 'Java model');
		}
		if (/OPTIONAL/.test(protoField.options) && /^Required\./.test(f.doc)) {
			report.disagree(where, 'proto: (google.api.field_behavior) = OPTIONAL; Java javadoc: "Required."', 'Java model (required)');
		}
	}
	Object.assign(spec, attributesFromDoc(f.doc));
	if (protoField && !spec.maxLength && !spec.maxItems) {
		const fromProto = attributesFromDoc(cleanDoc(protoField.comment));
		for (const k of ['maxLength', 'maxItems', 'minItems']) {
			if (fromProto[k] !== undefined) {
				report.disagree(where, `proto comment states ${k} ${fromProto[k]}, Java javadoc states none`, 'proto (limit kept)');
				spec[k] = fromProto[k];
			}
		}
	} else if (protoField) {
		const fromProto = attributesFromDoc(cleanDoc(protoField.comment));
		for (const k of ['maxLength', 'maxItems', 'minItems']) {
			if (fromProto[k] !== undefined && spec[k] !== undefined && fromProto[k] !== spec[k]) {
				report.disagree(where, `${k}: Java javadoc ${spec[k]}, proto comment ${fromProto[k]}`, 'see overlay');
			}
		}
	}
	return spec;
}

function deriveMessages(javaModels, protoIndex, report) {
	const messages = {};
	for (const model of javaModels) {
		const protoMsg = protoIndex.messages.get(model.name);
		const fields = {};
		for (const f of model.fields) fields[f.name] = deriveField(model, f, protoMsg, protoIndex, report);
		const oneofs = {};
		if (protoMsg) {
			for (const pf of protoMsg.fields) {
				if (!fields[camel(pf.name)]) report.disagree(`${model.name}.${camel(pf.name)}`, `in the 2021 proto (${pf.name} = ${pf.number}) but not in the 2025 Java model`, 'Java model (field left out)');
			}
			for (const f of model.fields) {
				if (!protoMsg.fields.some((pf) => camel(pf.name) === f.name)) {
					report.disagree(`${model.name}.${f.name}`, 'in the 2025 Java model but not in the 2021 proto', 'Java model (field kept; proto name derived)');
				}
			}
			for (const o of protoMsg.oneofs) {
				const members = protoMsg.fields.filter((pf) => pf.oneof === o.name).map((pf) => camel(pf.name)).filter((n) => fields[n]);
				oneofs[o.name] = { fields: members };
			}
		}
		messages[model.name] = { fields, oneofs, rules: [], protoFile: protoMsg ? protoMsg.file : undefined };
	}
	return messages;
}

function protoOnlyMessage(name, protoIndex, pathFields, bodyField, report) {
	const pm = protoIndex.messages.get(name);
	if (!pm) fail(`proto has no message ${name}`);
	const fields = {};
	for (const pf of pm.fields) {
		if (pathFields.includes(pf.name)) continue;
		if (bodyField && bodyField !== '*' && pf.name !== bodyField) continue;
		const t = resolveProtoType(pf.type, pm.name, protoIndex);
		const spec = { proto: pf.name };
		if (t.kind === 'scalar') spec.type = t.name;
		else if (t.kind === 'enum') Object.assign(spec, { type: 'enum', ref: t.name });
		else if (t.kind === 'message') Object.assign(spec, { type: 'message', ref: t.name });
		else if (t.kind === 'wkt') spec.type = t.name === 'struct' ? 'any' : t.name;
		else spec.type = 'any';
		if (pf.repeated) spec.repeated = true;
		Object.assign(spec, attributesFromDoc(cleanDoc(pf.comment)));
		fields[camel(pf.name)] = spec;
	}
	report.note(`${name}: built from ${pm.file} (no Java model class: the 2025 generated client no longer has it).`);
	return { fields, oneofs: {}, rules: [], protoFile: pm.file };
}

// ───────────────────────────────────────────────────────────── overlay

function loadOverlay(file) {
	let overlay;
	try {
		overlay = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		fail(`cannot read overlay ${file}: ${e.message}`);
	}
	return overlay;
}

const isUrl = (s) => typeof s === 'string' && /^https:\/\//.test(s);

function checkSource(overlay, where, source) {
	if (typeof source !== 'string' || source === '') fail(`overlay ${where}: every entry needs a "source"`);
	if (isUrl(source)) {
		const base = source.replace(/#.*$/, '');
		if (!overlay.documentation || !overlay.documentation[base]) fail(`overlay ${where}: source ${base} is not listed in overlay "documentation"`);
		if (!/^https:\/\/developers\.google\.com\/business-communications\/rcs-business-messaging\//.test(base)) fail(`overlay ${where}: ${base} is not Google's RBM documentation`);
	}
}

function applyOverlay(schema, overlay, ctx) {
	const { report, usedDocs } = ctx;
	const noteUse = (source) => {
		if (isUrl(source)) usedDocs.add(source.replace(/#.*$/, ''));
	};

	// enums: define new ones (documented order = number), append documented values to artifact ones
	for (const [name, entry] of Object.entries(overlay.enums || {})) {
		if (name.startsWith('$')) continue;
		checkSource(overlay, `enums.${name}`, entry.source);
		noteUse(entry.source);
		if (entry.values) {
			if (schema.enums[name]) fail(`overlay enums.${name}: defines an enum the artifacts already have`);
			schema.enums[name] = Object.fromEntries(entry.values.map((v, i) => [v, i]));
		}
		if (entry.append) {
			const e = schema.enums[name];
			if (!e) fail(`overlay enums.${name}: appends to an enum the artifacts don't have`);
			let n = Math.max(...Object.values(e));
			for (const v of entry.append) {
				if (v in e) fail(`overlay enums.${name}: ${v} is already in the artifacts`);
				e[v] = ++n;
			}
			report.note(`enum ${name}: ${entry.append.join(', ')} added from documentation (numbers ${Object.values(e).length - entry.append.length}…${n} are placeholders in documented order; JSON uses names).`);
		}
	}

	for (const [msgName, entry] of Object.entries(overlay.messages || {})) {
		if (msgName.startsWith('$')) continue;
		const msg = schema.messages[msgName];
		if (!msg) fail(`overlay messages.${msgName}: no such message in the artifacts`);
		for (const [fieldName, patches] of Object.entries(entry.fields || {})) {
			for (const patch of Array.isArray(patches) ? patches : [patches]) applyFieldPatch(msg, msgName, fieldName, patch, overlay, ctx, noteUse);
		}
		for (const [oneofName, patch] of Object.entries(entry.oneofs || {})) {
			const where = `messages.${msgName}.oneofs.${oneofName}`;
			checkSource(overlay, where, patch.source);
			noteUse(patch.source);
			const o = msg.oneofs[oneofName];
			if (patch.fields) {
				if (o) fail(`overlay ${where}: "fields" redefines a oneof the proto has; use "add"`);
				msg.oneofs[oneofName] = { fields: [...patch.fields] };
			} else if (!o) fail(`overlay ${where}: no such oneof in the proto`);
			const target = msg.oneofs[oneofName];
			for (const f of patch.add || []) {
				if (target.fields.includes(f)) fail(`overlay ${where}: ${f} is already a member`);
				target.fields.push(f);
			}
			if (patch.required !== undefined) target.required = patch.required;
		}
		for (const rule of entry.rules || []) {
			checkSource(overlay, `messages.${msgName}.rules[${rule.kind}]`, rule.source);
			noteUse(rule.source);
			msg.rules.push(rule);
		}
	}

	for (const [id, entries] of Object.entries(overlay.methods || {})) {
		if (id.startsWith('$')) continue;
		for (const entry of Array.isArray(entries) ? entries : [entries]) {
			const where = `methods.${id}`;
			checkSource(overlay, where, entry.source);
			noteUse(entry.source);
			if (entry.fromProto) {
				if (schema.methods[id]) fail(`overlay ${where}: the Java client already has this method`);
				schema.methods[id] = methodFromProto(entry.fromProto, schema, ctx);
				delete ctx.protoOnlyMethods[entry.fromProto];
				report.disagree(id, `rpc ${entry.fromProto} is in the 2021 proto but in neither 2025 generated client; the REST reference still lists it`, `documentation (${entry.source}): kept, built from the proto${entry.set && entry.set.deprecated ? ', deprecated' : ''}`);
			}
			const m = schema.methods[id];
			if (!m) fail(`overlay ${where}: no such method in the artifacts`);
			for (const [k, v] of Object.entries(entry.set || {})) {
				if (!METHOD_ATTR_ORDER.includes(k) || k === 'source') fail(`overlay ${where}: unknown method attribute ${k}`);
				m[k] = v;
			}
			for (const [name, p] of Object.entries(entry.query || {})) {
				m.query = m.query || {};
				if (m.query[name]) fail(`overlay ${where}: query parameter ${name} is already in the artifacts`);
				m.query[name] = { ...p, source: entry.source };
			}
			if (entry.set || entry.fromProto) m.source = m.source && m.source !== entry.source ? `${m.source} ${entry.source}` : entry.source;
		}
	}
}

function applyFieldPatch(msg, msgName, fieldName, patch, overlay, ctx, noteUse) {
	const where = `messages.${msgName}.fields.${fieldName}`;
	checkSource(overlay, where, patch.source);
	noteUse(patch.source);
	const ops = ['add', 'set', 'remove'].filter((k) => patch[k] !== undefined);
	if (ops.length !== 1) fail(`overlay ${where}: exactly one of add / set / remove`);
	const existing = msg.fields[fieldName];
	if (patch.remove) {
		if (!existing) fail(`overlay ${where}: removes a field the artifacts don't have`);
		delete msg.fields[fieldName];
		for (const o of Object.values(msg.oneofs)) o.fields = o.fields.filter((f) => f !== fieldName);
		ctx.report.note(`${msgName}.${fieldName}: removed (${patch.text || patch.source}).`);
		return;
	}
	const attrs = patch.add || patch.set;
	for (const k of Object.keys(attrs)) if (!FIELD_ATTRS.has(k)) fail(`overlay ${where}: unknown field attribute ${k}`);
	if (patch.add) {
		if (existing) fail(`overlay ${where}: adds a field the artifacts already have (use "set")`);
		const field = { proto: snake(fieldName), ...attrs, source: patch.source };
		msg.fields[fieldName] = field;
		ctx.report.note(`${msgName}.${fieldName}: added from documentation${attrs.since ? ` (since ${attrs.since})` : ''}.`);
		return;
	}
	if (!existing) fail(`overlay ${where}: sets attributes on a field the artifacts don't have (use "add")`);
	let changed = false;
	for (const [k, v] of Object.entries(attrs)) {
		const before = existing[k];
		if (v === null) {
			if (before !== undefined) {
				delete existing[k];
				changed = true;
			}
		} else if (before !== v) {
			if (before !== undefined) ctx.report.disagree(`${msgName}.${fieldName}`, `${k}: artifact ${JSON.stringify(before)}, documentation ${JSON.stringify(v)}`, `documentation (${patch.source})`);
			existing[k] = v;
			changed = true;
		} else {
			ctx.confirmed.push(`${msgName}.${fieldName}.${k}`);
		}
	}
	if (changed) existing.source = existing.source && existing.source !== patch.source ? `${existing.source} ${patch.source}` : patch.source;
}

function methodFromProto(rpcName, schema, ctx) {
	const rpc = ctx.protoRpcs.get(rpcName);
	if (!rpc || !rpc.http) fail(`overlay: proto has no rpc ${rpcName} with an HTTP rule`);
	const pathFields = [...rpc.http.path.matchAll(/\{(\w+)=/g)].map((m) => m[1]);
	const method = { httpMethod: rpc.http.method, path: protoPathToTemplate(rpc.http.path) };
	const reqMsg = ctx.protoIndex.messages.get(rpc.request);
	const query = {};
	if (rpc.http.body !== '*') {
		for (const pf of reqMsg.fields) {
			if (pathFields.includes(pf.name) || pf.name === rpc.http.body) continue;
			query[camel(pf.name)] = { type: 'string' };
		}
	}
	if (Object.keys(query).length) method.query = query;
	if (rpc.http.body === '*') {
		schema.messages[rpc.request] = protoOnlyMessage(rpc.request, ctx.protoIndex, pathFields, '*', ctx.report);
		method.request = rpc.request;
	}
	method.response = rpc.response === 'google.protobuf.Empty' ? 'Empty' : rpc.response;
	return method;
}

/** "/v1/{name=phones/*}/capability:x" → "/v1/phones/{phoneNumber}/capability:x". */
function protoPathToTemplate(p) {
	return p.replace(/\{\w+=([^}]+)\}/g, (_, pattern) => patternToTemplate(pattern, p));
}

// ───────────────────────────────────────────────────────────── checks

function reachable(schema) {
	const msgs = new Set();
	const enums = new Set();
	const visit = (name) => {
		if (msgs.has(name)) return;
		msgs.add(name);
		const m = schema.messages[name];
		if (!m) return;
		for (const f of Object.values(m.fields)) {
			if (f.type === 'message' || (f.type === 'map' && f.ref)) visit(f.ref);
			if (f.type === 'enum') enums.add(f.ref);
		}
	};
	for (const m of Object.values(schema.methods)) {
		if (m.request) visit(m.request);
		if (m.response) visit(m.response);
	}
	return { msgs, enums };
}

function validate(schema) {
	const problems = [];
	for (const [mn, m] of Object.entries(schema.messages)) {
		for (const [fn, f] of Object.entries(m.fields)) {
			const at = `${mn}.${fn}`;
			if (!FIELD_TYPES.has(f.type)) problems.push(`${at}: type ${f.type} is not in the vocabulary`);
			if (f.type === 'message' && !schema.messages[f.ref]) problems.push(`${at}: message ref ${f.ref} does not resolve`);
			if (f.type === 'enum' && !schema.enums[f.ref]) problems.push(`${at}: enum ref ${f.ref} does not resolve`);
			if (f.type === 'map') {
				if (!FIELD_TYPES.has(f.valueType)) problems.push(`${at}: map valueType ${f.valueType}`);
				if (f.valueType === 'message' && !schema.messages[f.ref]) problems.push(`${at}: map value ref ${f.ref} does not resolve`);
			}
			if (typeof f.proto !== 'string' || !/^[a-z][a-z0-9_]*$/.test(f.proto)) problems.push(`${at}: bad proto name ${f.proto}`);
		}
		for (const [on, o] of Object.entries(m.oneofs)) {
			for (const f of o.fields) if (!m.fields[f]) problems.push(`${mn}.oneofs.${on}: member ${f} is not a field`);
		}
		for (const r of m.rules) {
			if (r.kind === 'atLeastOne') {
				for (const f of r.fields) if (!m.fields[f]) problems.push(`${mn} rule atLeastOne: ${f} is not a field`);
			} else if (r.kind === 'horizontalCardContent') {
				if (!m.fields.cardOrientation || !m.fields.cardContent) problems.push(`${mn} rule horizontalCardContent: needs cardOrientation and cardContent`);
			} else if (r.kind === 'forbiddenWhen') {
				const w = m.fields[r.when.field];
				if (!w || w.type !== 'enum' || !(r.when.equals in (schema.enums[w.ref] || {}))) problems.push(`${mn} rule forbiddenWhen: ${r.when.field} = ${r.when.equals} does not resolve`);
				let cur = m;
				let leaf;
				for (const part of r.path.split('.')) {
					const f = cur && cur.fields[part.replace(/\[\]$/, '')];
					if (!f || (part.endsWith('[]') && !f.repeated)) {
						problems.push(`${mn} rule forbiddenWhen: path ${r.path} does not resolve at ${part}`);
						cur = null;
						break;
					}
					leaf = f;
					cur = f.type === 'message' ? schema.messages[f.ref] : null;
				}
				if (leaf && (leaf.type !== 'enum' || !(r.value in schema.enums[leaf.ref]))) problems.push(`${mn} rule forbiddenWhen: ${r.value} is not a value of ${r.path}`);
			} else problems.push(`${mn}: unknown rule kind ${r.kind}`);
			if (!r.source || !r.text) problems.push(`${mn} rule ${r.kind}: needs source and text`);
		}
	}
	for (const [id, m] of Object.entries(schema.methods)) {
		if (m.request && !schema.messages[m.request]) problems.push(`method ${id}: request ${m.request} does not resolve`);
		if (m.response && !schema.messages[m.response]) problems.push(`method ${id}: response ${m.response} does not resolve`);
		if ((m.httpMethod === 'GET' || m.httpMethod === 'DELETE') && m.request) problems.push(`method ${id}: ${m.httpMethod} with a request body`);
		if (!/^\/(upload\/)?v1\//.test(m.path)) problems.push(`method ${id}: path ${m.path}`);
	}
	return problems;
}

// ───────────────────────────────────────────────────────────── main

function main() {
	const opts = parseCommandLine(process.argv.slice(2), { script: 'generate.js', defaults: DEFAULTS, values: ['samples', 'protos'], files: ['overlay', 'out'] });
	const samples = new GitSource(opts.samples, SAMPLES_REPO);
	const protos = new GitSource(opts.protos, PROTOS_REPO);
	const overlay = loadOverlay(opts.overlay);
	const report = new Report();

	// protos
	const protoFiles = [...protos.list(PROTO_DIR).filter((p) => p.endsWith('.proto')), ...protos.list(`${PROTO_DIR}/richcards`).filter((p) => p.endsWith('.proto'))];
	const parsedProtos = protoFiles.map((p) => parseProto(p, protos.read(p)));
	const protoIndex = { messages: new Map(), enums: new Map() };
	for (const pf of parsedProtos) {
		for (const m of pf.messages) protoIndex.messages.set(m.name, m);
		for (const e of pf.enums) protoIndex.enums.set(e.name, e);
	}
	const protoRpcs = new Map();
	for (const pf of parsedProtos) for (const s of pf.services) for (const r of s.rpcs) protoRpcs.set(r.name, { ...r, file: pf.file });

	// Java models and service
	const modelPaths = samples.list(JAVA_MODEL_DIR).filter((p) => p.endsWith('.java'));
	const javaModels = modelPaths.map((p) => parseJavaModel(path.basename(p, '.java'), samples.read(p)));
	const javaMethods = parseJavaService(samples.read(JAVA_SERVICE));
	const readme = samples.read(JAVA_README);
	const csharp = parseCSharp(samples.read(CSHARP_CLIENT));

	const schema = { enums: {}, messages: deriveMessages(javaModels, protoIndex, report), methods: {} };
	for (const e of protoIndex.enums.values()) schema.enums[e.name] = Object.fromEntries(e.values.map((v) => [v.name, v.number]));

	// methods from the Java client, cross-checked with the proto HTTP rules and the C# client
	const protoByRoute = new Map();
	for (const r of protoRpcs.values()) if (r.http) protoByRoute.set(`${r.http.method} ${protoPathToTemplate(r.http.path)}`, r);
	const protoOnlyMethods = Object.fromEntries([...protoRpcs.keys()].map((k) => [k, true]));
	for (const jm of javaMethods) {
		const template = restPathToTemplate(jm.restPath, jm.patterns, jm.javaClass);
		const pathParams = [...jm.restPath.matchAll(/\{\+?(\w+)\}/g)].map((m) => m[1]);
		const query = {};
		for (const p of jm.params) {
			if (pathParams.includes(p.name)) continue;
			const type = javaScalar({ javaType: p.javaType.replace(/^java\.util\.List<(.+)>$/, '$1'), jsonString: p.jsonString, bytes: /raw binary/.test(p.doc) }) || 'any';
			const spec = { type: type === 'String' ? 'string' : type };
			if (/^java\.util\.List</.test(p.javaType)) spec.repeated = true;
			const a = attributesFromDoc(p.doc);
			if (a.required) spec.required = true;
			if (a.format) spec.format = a.format;
			query[p.name] = spec;
		}
		for (const form of jm.forms) {
			const id = form.upload ? `${jm.id}.upload` : jm.id;
			const m = { httpMethod: form.httpMethod, path: form.upload ? `/upload${template}` : template };
			if (Object.keys(query).length) m.query = JSON.parse(JSON.stringify(query));
			if (form.hasBody && jm.request) m.request = jm.request;
			m.response = form.response;
			if (form.upload) m.upload = true;
			schema.methods[id] = m;
			const pr = protoByRoute.get(`${form.httpMethod} ${template}`);
			if (pr) {
				delete protoOnlyMethods[pr.name];
				const reqMsg = protoIndex.messages.get(pr.request);
				const protoQuery = reqMsg.fields.filter((f) => !(pr.http.path.includes(`{${f.name}=`)) && f.name !== pr.http.body && pr.http.body !== '*').map((f) => camel(f.name));
				const javaQuery = Object.keys(query);
				const missing = protoQuery.filter((q) => !javaQuery.includes(q));
				const extra = javaQuery.filter((q) => !protoQuery.includes(q));
				if (missing.length || extra.length) report.disagree(id, `query parameters: Java ${JSON.stringify(javaQuery)}, proto ${JSON.stringify(protoQuery)}`, 'Java client');
				for (const f of reqMsg.fields) {
					const q = query[camel(f.name)];
					if (q && q.required && /OPTIONAL/.test(f.options)) report.disagree(`${id} ?${camel(f.name)}`, 'proto: (google.api.field_behavior) = OPTIONAL; Java javadoc: "Required."', 'Java client (required)');
				}
				const protoResp = pr.response === 'google.protobuf.Empty' ? 'Empty' : pr.response;
				if (protoResp !== m.response) report.disagree(id, `response: Java ${m.response}, proto ${protoResp}`, 'Java client');
				if (form.upload && !pr.http.upload) report.disagree(id, 'upload form in Java, no media_upload in proto', 'Java client');
			} else if (!form.upload) {
				report.disagree(id, `${form.httpMethod} ${template} is in the 2025 Java client but has no rpc in the 2021 proto`, 'Java client (method kept)');
			}
			const csRoute = `${form.httpMethod} ${form.upload ? 'upload/' : ''}${jm.restPath}`;
			if (!csharp.methods.includes(csRoute)) report.disagree(id, `not in the C# client (${csRoute})`, 'Java client (method kept)');
		}
	}

	// C# data classes vs Java models (cross-check only)
	for (const model of javaModels) {
		const cs = csharp.data[model.name];
		if (!cs) {
			if (!/^Gdata|^MediaRequestInfo$/.test(model.name)) report.disagree(model.name, 'Java model class has no C# counterpart', 'Java model');
			continue;
		}
		const javaNames = model.fields.map((f) => f.name);
		const notInCs = javaNames.filter((n) => !cs.includes(n));
		const notInJava = cs.filter((n) => !javaNames.includes(n));
		if (notInCs.length) report.disagree(model.name, `fields in the Java model but not in the C# client: ${notInCs.join(', ')}`, 'Java model');
		if (notInJava.length) report.disagree(model.name, `fields in the C# client but not in the Java model: ${notInJava.join(', ')}`, 'Java model');
	}

	const confirmed = [];
	const usedDocs = new Set();
	applyOverlay(schema, overlay, { report, protoIndex, protoRpcs, protoOnlyMethods, usedDocs, confirmed });
	for (const name of Object.keys(protoOnlyMethods)) {
		const r = protoRpcs.get(name);
		report.disagree(`rpc ${name}`, `${r.http ? `${r.http.method} ${r.http.path}` : 'no HTTP rule'} is in the 2021 proto but not in the 2025 Java client`, 'Java client (method left out)');
	}

	// regions: hosts in the overlay must be the ones the Java client README lists
	const readmeHosts = [...new Set([...readme.matchAll(/https:\/\/([a-z-]*rcsbusinessmessaging\.googleapis\.com)\//g)].map((m) => m[1]))].sort();
	const overlayHosts = Object.values(overlay.regions || {}).filter((r) => r && typeof r === 'object' && r.host).map((r) => r.host).sort();
	if (JSON.stringify(readmeHosts) !== JSON.stringify(overlayHosts)) fail(`overlay regions hosts ${overlayHosts.join(', ')} differ from ${JAVA_README}: ${readmeHosts.join(', ')}`);
	checkSource(overlay, 'regions', overlay.regions.source);
	usedDocs.add(overlay.regions.source.replace(/#.*$/, ''));

	// keep what the API's methods reach (Google-internal upload plumbing drops out)
	const reach = reachable(schema);
	const droppedMessages = Object.keys(schema.messages).filter((m) => !reach.msgs.has(m)).sort();
	const droppedEnums = Object.keys(schema.enums).filter((e) => !reach.enums.has(e)).sort();
	for (const m of droppedMessages) delete schema.messages[m];
	for (const e of droppedEnums) delete schema.enums[e];
	if (droppedMessages.length) report.note(`messages not reachable from any method, left out: ${droppedMessages.join(', ')}`);
	if (droppedEnums.length) report.note(`enums not used by any field, left out: ${droppedEnums.join(', ')}`);

	const problems = validate(schema);
	if (problems.length) fail(`schema does not check out:\n  ${problems.join('\n  ')}`);
	const unusedDocs = Object.keys(overlay.documentation || {}).filter((u) => !u.startsWith('$') && !usedDocs.has(u));
	if (unusedDocs.length) fail(`overlay documentation lists URLs no entry uses: ${unusedDocs.join(', ')}`);

	// output
	const out = {
		$comment: "Generated by scripts/schema/generate.js from Google's published RBM artifacts. Do not edit; edit scripts/schema/overlay.json and regenerate.",
		sources: [
			{
				repository: samples.repository,
				commit: samples.commit,
				date: samples.date,
				paths: [...samples.paths].sort(),
				used_for: 'Java generated client (API definition of 2025-06-17): messages, JSON field names and types, javadoc limits/formats/behaviours, methods, paths and query parameters; README: regional hosts. C# client: cross-check only (older; adds nothing the Java client lacks).',
			},
			{
				repository: protos.repository,
				commit: protos.commit,
				date: protos.date,
				paths: [...protos.paths].sort(),
				used_for: 'Protos (2021): proto field names, oneofs, enum names and numbers, HTTP rules (cross-check and the deprecated requestCapabilityCallback), comments with documented rules.',
			},
			{
				documentation: Object.keys(overlay.documentation)
					.filter((u) => !u.startsWith('$'))
					.sort()
					.map((url) => ({ url, used_for: overlay.documentation[url] })),
			},
		],
		enums: {},
		messages: {},
		methods: {},
		regions: overlay.regions,
	};
	for (const name of Object.keys(schema.enums).sort(byKey)) {
		const values = Object.entries(schema.enums[name]).sort((a, b) => a[1] - b[1] || byKey(a[0], b[0]));
		out.enums[name] = Object.fromEntries(values);
	}
	for (const name of Object.keys(schema.messages).sort(byKey)) {
		const m = schema.messages[name];
		const fields = {};
		for (const fn of Object.keys(m.fields).sort(byKey)) fields[fn] = sortedObject(m.fields[fn], FIELD_ATTR_ORDER);
		const oneofs = {};
		for (const on of Object.keys(m.oneofs).sort(byKey)) {
			const o = m.oneofs[on];
			oneofs[on] = { fields: o.fields, required: o.required === true };
		}
		out.messages[name] = { fields, oneofs, rules: m.rules.map((r) => sortedObject(r, ['kind', 'fields', 'when', 'path', 'value', 'text', 'source'])) };
	}
	for (const id of Object.keys(schema.methods).sort(byKey)) {
		const m = { ...schema.methods[id] };
		if (m.query) {
			const q = {};
			for (const k of Object.keys(m.query).sort(byKey)) q[k] = sortedObject(m.query[k], PARAM_ATTR_ORDER);
			m.query = q;
		}
		out.methods[id] = sortedObject(m, METHOD_ATTR_ORDER);
	}
	const text = `${JSON.stringify(out, null, 2)}\n`;

	// summary
	const log = (s) => process.stdout.write(`${s}\n`);
	const fieldCount = Object.values(out.messages).reduce((n, m) => n + Object.keys(m.fields).length, 0);
	log(`RBM v1 schema: ${Object.keys(out.messages).length} messages (${fieldCount} fields), ${Object.keys(out.enums).length} enums, ${Object.keys(out.methods).length} methods`);
	log(`  ${SAMPLES_REPO}@${samples.commit} (${samples.date}), ${samples.paths.size} paths`);
	log(`  ${PROTOS_REPO}@${protos.commit} (${protos.date}), ${protos.paths.size} paths`);
	log(`  overlay: ${confirmed.length} attributes confirmed the artifacts; ${usedDocs.size} documentation pages`);
	log(`Disagreements between sources (${report.disagreements.length}):`);
	for (const d of report.disagreements) log(`  - ${d.where}: ${d.detail} → followed: ${d.followed}`);
	log('Notes:');
	for (const n of report.notes) log(`  - ${n}`);

	writeOrCheck(opts.out, text, opts.check, 'node scripts/schema/generate.js');
}

/** Writes `text` to `file`, or with `check` exits 1 when the file holds something else. */
function writeOrCheck(file, text, check, command) {
	const shown = path.relative(process.cwd(), file);
	if (check) {
		const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
		if (current !== text) {
			process.stderr.write(`${shown} is out of date: run ${command}\n`);
			process.exit(1);
		}
		process.stdout.write(`${shown} is up to date\n`);
		return;
	}
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
	process.stdout.write(`wrote ${shown}\n`);
}

if (require.main === module) main();

// Shared with business.js (the Business Communications API schema), which reads Google's clients the same way.
module.exports = { GitSource, fail, parseCommandLine, writeOrCheck, cleanDoc, parseJavaModel, parseJavaService, restPathToTemplate, attributesFromDoc, javaScalar, sortedObject, snake, byKey, Report, FIELD_TYPES, FIELD_ATTR_ORDER, METHOD_ATTR_ORDER, PARAM_ATTR_ORDER };
