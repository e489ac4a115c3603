#!/usr/bin/env node
/*
 * Derives schema/businesscommunications-v1.json, the machine-readable schema of the Business
 * Communications v1 REST API methods RBM Toolbox calls (testers, agent launch and verification,
 * regions, agent performance analytics), from Google's generated clients:
 *
 *   --examples <gitdir>  rcs-business-messaging/rbm-api-examples (bare git dir):
 *                        nodejs/business-communications/business-communications-api/v1.ts (the
 *                        Node.js client, generated 2025-09-16): messages, JSON field names, doc
 *                        comments, methods (id, HTTP method, path, query parameters, body, response);
 *                        java/business-communications/... (the Java client of the same API
 *                        definition): path patterns, number types, timestamps, and a cross-check of
 *                        every method and field; csharp/business-communications/...: cross-check of
 *                        the methods.
 *   --out <file>         schema/businesscommunications-v1.json
 *   --check              do not write; exit 1 if <out> is not what would be written.
 *
 * Same format as schema/rbm-v1.json (emulator/schema.ts reads both). Deterministic output: the only
 * date is the source commit's. Plain Node.js (CommonJS, no dependencies). See scripts/schema/README.md.
 */
'use strict';

const path = require('node:path');

const g = require('./generate');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULTS = {
	examples: '/work/.mirror/rcs-business-messaging+rbm-api-examples/repo',
	out: path.join(REPO_ROOT, 'schema', 'businesscommunications-v1.json'),
};
const EXAMPLES_REPO = 'rcs-business-messaging/rbm-api-examples';
const NODE_CLIENT = 'nodejs/business-communications/business-communications-api/v1.ts';
const JAVA_DIR = 'java/business-communications/business-communications-api/src/main/java/com/google/api/services/businesscommunications/v1';
const JAVA_SERVICE = `${JAVA_DIR}/BusinessCommunications.java`;
const CSHARP_CLIENT = 'csharp/business-communications/business-communications-api/Google.Apis.BusinessCommunications.v1.cs';
const TS_PREFIX = 'Schema$GoogleCommunicationsBusinesscommunicationsV1';

/**
 * The methods RBM Toolbox calls, by the Node.js client's id. The Node.js client exposes
 * testers.create as `businesscommunications.testers(…)` (a method "testers" of a resource "v1"):
 * it gets the id Google's reference uses.
 */
const METHODS = {
	'testers.create': 'testers',
	'testers.get': 'testers.get',
	'testers.list': 'testers.list',
	'testers.delete': 'testers.delete',
	'brands.agents.getLaunch': 'brands.agents.getLaunch',
	'brands.agents.getVerification': 'brands.agents.getVerification',
	'regions.list': 'regions.list',
	'analytics.agentPerformances.list': 'analytics.agentPerformances.list',
};
/** Path segment that precedes a "[^/]+" wildcard → the placeholder the schema uses for it. */
const PATH_PLACEHOLDERS = { testers: 'phoneNumber', brands: 'brandId', agents: 'agentId' };

// ───────────────────────────────────────────────────────────── Node.js generated client

/** The body of `export interface <name> … {` up to its closing brace at the same indent. */
function interfaceBody(text, name) {
	const found = new RegExp(`export interface ${name.replace(/\$/g, '\\$')}\\s`).exec(text);
	if (!found) return undefined;
	const start = found.index;
	const open = text.indexOf('{', start);
	if (text.slice(open, open + 2) === '{}') return '';
	const close = text.indexOf('\n  }', open);
	return text.slice(open + 1, close);
}

/** `name?: type;` members with their doc comments (a map type's braces hold a `;`). */
function tsMembers(body) {
	const out = [];
	for (const m of body.matchAll(/(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?(\w+)\?:\s*((?:[^;{]|\{[^}]*\})*);/g)) {
		// The Node.js generator escapes "}" in doc comments ("testers/{E.164\}").
		out.push({ name: m[2], type: m[3].replace(/\s+/g, ' ').trim(), doc: g.cleanDoc(m[1] || '').replace(/\\\}/g, '}') });
	}
	return out;
}

/** A TS type of the client → schema field attributes (before the Java cross-check refines numbers and times). */
function tsType(type, where) {
	const t = type.replace(/ \| null$/, '');
	const schemaRef = (s) => (s === 'Schema$GoogleProtobufEmpty' ? 'Empty' : s.startsWith(TS_PREFIX) ? s.slice(TS_PREFIX.length) : s.replace(/^Schema\$/, ''));
	let m;
	if (t === 'string') return { type: 'string' };
	if (t === 'number') return { type: 'double' };
	if (t === 'boolean') return { type: 'bool' };
	if (t === 'string[]') return { type: 'string', repeated: true };
	if ((m = /^(Schema\$\w+)(\[\])?$/.exec(t))) return { type: 'message', ref: schemaRef(m[1]), ...(m[2] ? { repeated: true } : {}) };
	if ((m = /^\{ \[ ?key: string ?\]: (Schema\$\w+|string|number|any); ?\}$/.exec(t))) {
		return m[1].startsWith('Schema$') ? { type: 'map', valueType: 'message', ref: schemaRef(m[1]) } : { type: 'map', valueType: m[1] === 'number' ? 'double' : m[1] };
	}
	if (/^Array<\{ ?\[key: string\]: any ?\}>$/.test(t)) return { type: 'any', repeated: true };
	if (t === 'any') return { type: 'any' };
	g.fail(`${where}: TS type ${type} is not understood`);
}

function parseNodeMethods(text) {
	const methods = new Map();
	for (const m of text.matchAll(/const res = await businesscommunications\.([\w.]+)\(/g)) {
		const rest = text.slice(m.index);
		const end = rest.indexOf('\n  export ');
		const block = end === -1 ? rest : rest.slice(0, end);
		const url = /url: \(rootUrl \+ '([^']+)'\)/.exec(block);
		const verb = /method: '(\w+)'/.exec(block);
		const pathParams = /pathParams: \[([^\]]*)\]/.exec(block);
		const response = /createAPIRequest<(Schema\$\w+)>/.exec(block);
		const paramsType = /as (Params\$[\w$]+);/.exec(block);
		if (!url || !verb || !pathParams || !response || !paramsType) g.fail(`Node.js client: cannot read method ${m[1]}`);
		const paramsBody = interfaceBody(text, paramsType[1]);
		if (paramsBody === undefined) g.fail(`Node.js client: no ${paramsType[1]}`);
		const params = tsMembers(paramsBody);
		const body = params.find((p) => p.name === 'requestBody');
		const pathNames = [...pathParams[1].matchAll(/'(\w+)'/g)].map((x) => x[1]);
		methods.set(m[1], {
			id: m[1],
			httpMethod: verb[1],
			restPath: url[1].replace(/^\//, ''),
			response: tsType(response[1], m[1]).ref,
			request: body ? tsType(body.type, m[1]).ref : undefined,
			query: params.filter((p) => p.name !== 'requestBody' && !pathNames.includes(p.name)),
		});
	}
	return methods;
}

// ───────────────────────────────────────────────────────────── Java and C# cross-checks

function javaModels(examples) {
	const models = new Map();
	for (const p of examples.list(`${JAVA_DIR}/model`).filter((f) => f.endsWith('.java'))) {
		const name = path.basename(p, '.java');
		models.set(name, g.parseJavaModel(name, examples.read(p)));
	}
	return models;
}

/** Java types refine the TS `number` (int32 / int64 / double) and `string` (timestamp: Java `String`). */
function refineFromJava(spec, javaField) {
	const scalar = g.javaScalar({ javaType: javaField.javaType.replace(/^java\.util\.List<(.+)>$/, '$1'), jsonString: javaField.jsonString, bytes: false });
	if (spec.type === 'double' && ['int32', 'int64', 'uint32', 'float'].includes(scalar)) return { ...spec, type: scalar };
	if (spec.type === 'string' && scalar === 'String') return { ...spec, type: 'timestamp' };
	if (spec.type === 'string' && scalar === 'int64') return { ...spec, type: 'int64' };
	return spec;
}

/** The values of a C# request-parameter enum (`public enum <name> { … [StringValueAttribute("X")] … }`), in order. */
function csharpEnum(text, name) {
	const start = text.indexOf(`public enum ${name}`);
	if (start === -1) g.fail(`C# client: no enum ${name}`);
	const body = text.slice(start, text.indexOf('}', start));
	return [...body.matchAll(/StringValueAttribute\("(\w+)"\)/g)].map((m) => m[1]);
}

function csharpRoutes(text) {
	const routes = new Set();
	for (const m of text.matchAll(/HttpMethod\s*\{\s*get \{ return "(\w+)"; \}\s*\}[\s\S]*?RestPath\s*\{\s*get \{ return "([^"]+)"; \}/g)) routes.add(`${m[1]} ${m[2]}`);
	return routes;
}

// ───────────────────────────────────────────────────────────── main

function main() {
	const opts = g.parseCommandLine(process.argv.slice(2), { script: 'business.js', defaults: DEFAULTS, values: ['examples'], files: ['out'] });
	const examples = new g.GitSource(opts.examples, EXAMPLES_REPO);
	const report = new g.Report();
	const ts = examples.read(NODE_CLIENT);
	const nodeMethods = parseNodeMethods(ts);
	const javaMethods = new Map(g.parseJavaService(examples.read(JAVA_SERVICE), 'BusinessCommunications').map((jm) => [jm.id, jm]));
	const models = javaModels(examples);
	const csharpText = examples.read(CSHARP_CLIENT);
	const csharp = csharpRoutes(csharpText);

	const schema = { enums: {}, messages: {}, methods: {} };
	/** TS message name → Java model name (found by walking from the methods' bodies and responses). */
	const javaOf = new Map();
	const addMessage = (name, javaName) => {
		if (schema.messages[name]) return;
		const body = name === 'Empty' ? interfaceBody(ts, 'Schema$GoogleProtobufEmpty') : interfaceBody(ts, `${TS_PREFIX}${name}`);
		if (body === undefined) g.fail(`Node.js client: no message ${name}`);
		const java = javaName ? models.get(javaName) : undefined;
		if (javaName && !java) report.disagree(name, `the Java client has no model ${javaName}`, 'Node.js client');
		if (java) javaOf.set(name, javaName);
		const msg = { fields: {}, oneofs: {}, rules: [] };
		schema.messages[name] = msg;
		const members = tsMembers(body);
		for (const f of members) {
			let spec = { proto: g.snake(f.name), ...tsType(f.type, `${name}.${f.name}`) };
			const jf = java?.fields.find((x) => x.name === f.name);
			if (java && !jf) report.disagree(`${name}.${f.name}`, 'in the Node.js client, not in the Java model', 'Node.js client');
			if (jf) spec = refineFromJava(spec, jf);
			const a = g.attributesFromDoc(f.doc);
			// Tester.phoneNumber: "The phone number of the tester in E.164 format" (a resource name's "{E.164}" is not one).
			if (!a.format && !/\{E\.164\}/.test(f.doc) && /\bphone number\b[^.]*\bin E\.164 format\b/.test(f.doc)) a.format = 'e164';
			for (const k of ['maxLength', 'maxItems', 'format', 'required', 'outputOnly', 'deprecated']) if (a[k] !== undefined) spec[k] = a[k];
			msg.fields[f.name] = spec;
			if (spec.type === 'message' || (spec.type === 'map' && spec.ref)) {
				const javaRef = jf ? /(\w+)>*$/.exec(jf.javaType)[1] : undefined;
				addMessage(spec.ref, javaRef);
			}
		}
		if (java) {
			const extra = java.fields.map((x) => x.name).filter((n) => !members.some((f) => f.name === n));
			if (extra.length) report.disagree(name, `fields in the Java model but not in the Node.js client: ${extra.join(', ')}`, 'Node.js client');
		}
	};

	for (const [id, nodeId] of Object.entries(METHODS)) {
		const nm = nodeMethods.get(nodeId);
		if (!nm) g.fail(`Node.js client has no method ${nodeId}`);
		const jm = javaMethods.get(id);
		let template = `/${nm.restPath}`;
		if (/\{/.test(nm.restPath)) {
			if (!jm) g.fail(`${id}: path ${nm.restPath} has parameters and the Java client, which has their patterns, lacks the method`);
			template = g.restPathToTemplate(jm.restPath, jm.patterns, jm.javaClass, PATH_PLACEHOLDERS);
		}
		const method = { httpMethod: nm.httpMethod, path: template };
		const query = {};
		for (const p of nm.query) {
			const spec = { type: p.type === 'number' ? 'int32' : 'string' };
			if (/^Required\./.test(p.doc)) spec.required = true;
			query[p.name] = spec;
		}
		if (Object.keys(query).length) method.query = query;
		if (nm.request) method.request = nm.request;
		method.response = nm.response;
		schema.methods[id] = method;
		if (nm.request) addMessage(nm.request, nm.request);
		addMessage(nm.response, nm.response);

		if (id !== nodeId) report.disagree(id, `the Node.js client calls it businesscommunications.${nodeId}(…) (a method "${nodeId}" of a resource "v1")`, `the id Google's reference uses, ${id}`);
		if (!jm) report.disagree(id, `${nm.httpMethod} /${nm.restPath} is in the Node.js and C# clients but not in the Java client`, 'Node.js client (method kept)');
		else {
			if (jm.restPath !== nm.restPath) report.disagree(id, `path: Java ${jm.restPath}, Node.js ${nm.restPath}`, 'Node.js client');
			const form = jm.forms[0];
			if (form.httpMethod !== nm.httpMethod) report.disagree(id, `HTTP method: Java ${form.httpMethod}, Node.js ${nm.httpMethod}`, 'Node.js client');
			if (form.response !== nm.response) report.disagree(id, `response: Java ${form.response}, Node.js ${nm.response}`, 'Node.js client');
			const pathNames = [...jm.restPath.matchAll(/\{\+?(\w+)\}/g)].map((x) => x[1]);
			const javaQuery = jm.params.map((p) => p.name).filter((n) => !pathNames.includes(n)).sort();
			const nodeQuery = Object.keys(query).sort();
			if (JSON.stringify(javaQuery) !== JSON.stringify(nodeQuery)) report.disagree(id, `query parameters: Java ${JSON.stringify(javaQuery)}, Node.js ${JSON.stringify(nodeQuery)}`, 'Node.js client');
			for (const p of jm.params) {
				const scalar = g.javaScalar({ javaType: p.javaType, jsonString: p.jsonString, bytes: false });
				if (query[p.name] && scalar === 'int32' && query[p.name].type !== 'int32') report.disagree(`${id} ?${p.name}`, 'Java Integer, Node.js string', 'Java client (int32)');
			}
		}
		if (!csharp.has(`${nm.httpMethod} ${nm.restPath}`)) report.disagree(id, `${nm.httpMethod} ${nm.restPath} is not in the C# client`, 'Node.js client (method kept)');
	}

	// No client enumerates a response's launch state; the C# client enumerates agents.list's
	// launchStateFilter ("Only return agents with this launch state"), which takes the same values.
	const launchStates = csharpEnum(csharpText, 'LaunchStateFilterEnum');
	schema.enums.LaunchState = Object.fromEntries(launchStates.map((v, i) => [v, i]));
	const launchState = schema.messages.RcsBusinessMessagingRegionLaunch.fields.launchState;
	if (launchState.type !== 'string') g.fail('RcsBusinessMessagingRegionLaunch.launchState is no longer a string in the Node.js client');
	schema.messages.RcsBusinessMessagingRegionLaunch.fields.launchState = { ...launchState, type: 'enum', ref: 'LaunchState' };
	report.disagree('RcsBusinessMessagingRegionLaunch.launchState', `a string in the Node.js and Java clients; the C# client's agents.list launchStateFilter enumerates ${launchStates.join(', ')}`, 'C# client (enum LaunchState)');

	const problems = [];
	for (const [mn, m] of Object.entries(schema.messages)) {
		for (const [fn, f] of Object.entries(m.fields)) {
			if (!g.FIELD_TYPES.has(f.type)) problems.push(`${mn}.${fn}: type ${f.type}`);
			if ((f.type === 'message' || (f.type === 'map' && f.valueType === 'message')) && !schema.messages[f.ref]) problems.push(`${mn}.${fn}: ref ${f.ref} does not resolve`);
			if (f.type === 'enum' && !schema.enums[f.ref]) problems.push(`${mn}.${fn}: enum ${f.ref} does not resolve`);
		}
	}
	for (const [id, m] of Object.entries(schema.methods)) {
		if ((m.httpMethod === 'GET' || m.httpMethod === 'DELETE') && m.request) problems.push(`method ${id}: ${m.httpMethod} with a request body`);
	}
	if (problems.length) g.fail(`schema does not check out:\n  ${problems.join('\n  ')}`);

	const out = {
		$comment: "Generated by scripts/schema/business.js from Google's generated Business Communications clients. Do not edit; regenerate.",
		sources: [
			{
				repository: examples.repository,
				commit: examples.commit,
				date: examples.date,
				paths: [...examples.paths].sort(),
				used_for: `Node.js client (${NODE_CLIENT}): messages, JSON field names, doc comments (Required, Output only, limits), methods, paths, query parameters, bodies and responses. Java client (same API definition): path patterns, number and timestamp types, and a cross-check of methods and fields. C# client: cross-check of the methods.`,
			},
		],
		enums: {},
		messages: {},
		methods: {},
	};
	for (const name of Object.keys(schema.enums).sort(g.byKey)) out.enums[name] = schema.enums[name];
	for (const name of Object.keys(schema.messages).sort(g.byKey)) {
		const m = schema.messages[name];
		const fields = {};
		for (const fn of Object.keys(m.fields).sort(g.byKey)) fields[fn] = g.sortedObject(m.fields[fn], g.FIELD_ATTR_ORDER);
		out.messages[name] = { fields, oneofs: {}, rules: [] };
	}
	for (const id of Object.keys(schema.methods).sort(g.byKey)) {
		const m = { ...schema.methods[id] };
		if (m.query) m.query = Object.fromEntries(Object.keys(m.query).sort(g.byKey).map((k) => [k, g.sortedObject(m.query[k], g.PARAM_ATTR_ORDER)]));
		out.methods[id] = g.sortedObject(m, g.METHOD_ATTR_ORDER);
	}
	const text = `${JSON.stringify(out, null, 2)}\n`;

	const log = (s) => process.stdout.write(`${s}\n`);
	const fieldCount = Object.values(out.messages).reduce((n, m) => n + Object.keys(m.fields).length, 0);
	log(`Business Communications v1 schema: ${Object.keys(out.messages).length} messages (${fieldCount} fields), ${Object.keys(out.methods).length} methods`);
	log(`  ${EXAMPLES_REPO}@${examples.commit} (${examples.date}), ${examples.paths.size} paths`);
	log(`Disagreements between sources (${report.disagreements.length}):`);
	for (const d of report.disagreements) log(`  - ${d.where}: ${d.detail} → followed: ${d.followed}`);

	g.writeOrCheck(opts.out, text, opts.check, 'node scripts/schema/business.js');
}

main();
