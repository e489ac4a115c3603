/**
 * Validation against the machine-readable RBM v1 schema in schema/rbm-v1.json, which
 * scripts/schema/generate.js derives from Google's published artifacts (generated clients, protos,
 * documented rules). The schema is data; this file interprets it the way Google's JSON front end
 * treats a request body (proto3 JSON mapping, https://protobuf.dev/programming-guides/json/):
 *   - a field may be written in lowerCamelCase or with its proto (snake_case) name, not both;
 *   - unknown names are rejected ("Invalid JSON payload received. Unknown name …");
 *   - null is the same as absent; output-only fields are ignored on input (https://google.aip.dev/203);
 *   - enums by name (or by number); numbers as JSON numbers or as strings holding one (numbers()
 *     below: "37.42" for a double, "12" or "1e2" for an integer, "NaN" / "Infinity" for floats);
 *   - oneofs hold at most one member (exactly one where the schema says so);
 *   - documented limits, formats and cross-field rules.
 * The emulator answers the first violation as Google does; the conformance suite lists them all.
 * Nothing here is imported from nodes/: the emulator stays an independent witness.
 */
import rawSchema from '../schema/rbm-v1.json';

export type FieldType =
	| 'string' | 'bool' | 'int32' | 'int64' | 'uint64' | 'double' | 'float' | 'bytes'
	| 'enum' | 'message' | 'timestamp' | 'duration' | 'map' | 'any';

export interface FieldSpec {
	proto: string;
	type: FieldType;
	ref?: string;
	valueType?: FieldType;
	repeated?: boolean;
	maxLength?: number;
	minItems?: number;
	maxItems?: number;
	format?: 'e164' | 'dialNumber' | 'uri' | 'uuid';
	outputOnly?: boolean;
	inputOnly?: boolean;
	deprecated?: boolean;
	required?: boolean;
	/** Present in an older artifact but not in Google's current reference: refused like an unknown name. */
	rejected?: boolean;
	since?: string;
	source?: string;
}

export type RuleSpec =
	| { kind: 'atLeastOne'; fields: string[]; source?: string; text?: string }
	| { kind: 'horizontalCardContent'; source?: string; text?: string }
	| { kind: 'forbiddenWhen'; when: { field: string; equals: string }; path: string; value: string; source?: string; text?: string };

export interface MessageSpec {
	fields: Record<string, FieldSpec>;
	oneofs?: Record<string, { fields: string[]; required?: boolean }>;
	rules?: RuleSpec[];
}

export interface ParamSpec {
	type?: string;
	required?: boolean;
	format?: string;
}

export interface MethodSpec {
	httpMethod: string;
	path: string;
	query?: Record<string, ParamSpec>;
	request?: string;
	response?: string;
	deprecated?: boolean;
	regional?: boolean;
	upload?: boolean;
}

export interface RbmSchema {
	sources: unknown[];
	enums: Record<string, Record<string, number>>;
	messages: Record<string, MessageSpec>;
	methods: Record<string, MethodSpec>;
	regions?: { countryRule?: RegionRule | null } & Record<string, unknown>;
}

export const SCHEMA = rawSchema as unknown as RbmSchema;

export interface Violation {
	/** Proto (snake_case) path as Google writes it, e.g. agent_message.content_message.rich_card. */
	field: string;
	/** The same place in JSON (lowerCamelCase) form, e.g. contentMessage.richCard. */
	jsonPath: string;
	kind: 'unknown' | 'duplicate' | 'type' | 'enum' | 'oneof' | 'required' | 'limit' | 'format' | 'rule';
	message: string;
}

export interface Checked {
	/** The input with every name in lowerCamelCase, nulls and output-only fields dropped. */
	value: Record<string, unknown>;
	violations: Violation[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const chars = (s: string): number => [...s].length;

export const E164 = /^\+[1-9]\d{1,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DURATION = /^-?\d+(\.\d{1,9})?s$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
/** A JSON number (RFC 8259 grammar): what a quoted number may hold; no spaces, "+", hex or leading zeros. */
const JSON_NUMBER = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

const INTEGER_RANGE = {
	int32: [-(2n ** 31n), 2n ** 31n - 1n],
	int64: [-(2n ** 63n), 2n ** 63n - 1n],
	uint64: [0n, 2n ** 64n - 1n],
} as const;
const FLOAT_MAX = 3.4028234663852886e38;

/** The exact integer a JSON number text stands for ("1e2", "100.0" → 100n), or undefined if it is not one. */
function integerOfText(text: string): bigint | undefined {
	const m = JSON_NUMBER.exec(text);
	if (!m) return undefined;
	const fraction = m[3] ?? '';
	let digits = m[2] + fraction;
	const exponent = Number(m[4] ?? 0) - fraction.length;
	if (exponent < 0) {
		const dropped = digits.slice(exponent);
		if (/[1-9]/.test(dropped)) return undefined;
		digits = digits.slice(0, exponent) || '0';
	} else if (exponent > 0) {
		// ≥ 10^21 unless every digit is 0: beyond any 64-bit integer either way
		if (/[1-9]/.test(digits) && exponent > 20) return undefined;
		digits += '0'.repeat(Math.min(exponent, 21));
	}
	const value = BigInt(digits);
	return m[1] === '-' ? -value : value;
}

/**
 * A number field as proto3 JSON reads it (https://protobuf.dev/programming-guides/json/): a JSON
 * number, or a string holding one. Integers must be whole and in range; int32 comes back as a
 * number, 64-bit integers as a decimal string, as Google writes them. Floats may also be "NaN",
 * "Infinity" or "-Infinity" (kept as those strings, JSON has no such numbers); a float (32-bit) must
 * be within its range. Undefined: not such a number.
 */
function numberOf(type: 'int32' | 'int64' | 'uint64' | 'double' | 'float', v: unknown): number | string | undefined {
	if (type === 'double' || type === 'float') {
		if (typeof v === 'string' && (v === 'NaN' || v === 'Infinity' || v === '-Infinity')) return v;
		const n = typeof v === 'number' ? v : typeof v === 'string' && JSON_NUMBER.test(v) ? Number(v) : NaN;
		const max = type === 'float' ? FLOAT_MAX : Number.MAX_VALUE;
		return Number.isFinite(n) && Math.abs(n) <= max ? n : undefined;
	}
	const [min, max] = INTEGER_RANGE[type];
	let value: bigint | undefined;
	if (typeof v === 'string') value = integerOfText(v);
	// a JSON number past 2^53 has lost its last digits already: compared as a double, so the largest
	// int64 written unquoted (9223372036854775807, read as 2^63) still passes as Google reads it
	else if (typeof v === 'number' && Number.isInteger(v) && v >= Number(min) && v <= Number(max)) value = BigInt(v) > max ? max : BigInt(v);
	if (value === undefined || value < min || value > max) return undefined;
	return type === 'int32' ? Number(value) : value.toString();
}

function isUri(v: string): boolean {
	try {
		const u = new URL(v);
		return u.protocol === 'https:' || u.protocol === 'http:';
	} catch {
		return false;
	}
}

class Walker {
	readonly violations: Violation[] = [];

	constructor(private readonly schema: RbmSchema) {}

	private add(field: string, jsonPath: string, kind: Violation['kind'], message: string): void {
		this.violations.push({ field, jsonPath, kind, message });
	}

	private invalid(field: string, jsonPath: string, kind: Violation['kind'], description: string): void {
		this.add(field, jsonPath, kind, `Invalid value at '${field}': ${description}`);
	}

	message(name: string, value: unknown, field: string, jsonPath: string): Obj | undefined {
		const spec = this.schema.messages[name];
		if (!spec) throw new Error(`schema has no message ${name}`);
		if (!isObj(value)) {
			this.add(field, jsonPath, 'type', `Invalid value at '${field}' (type.googleapis.com/${name}), ${JSON.stringify(value)}`);
			return undefined;
		}
		const byProto = new Map<string, string>();
		for (const [json, f] of Object.entries(spec.fields)) byProto.set(f.proto, json);
		const out: Obj = {};
		const seenFrom = new Map<string, string>();
		const at = field ? ` at '${field}'` : '';
		for (const [key, v] of Object.entries(value)) {
			const json = spec.fields[key] ? key : byProto.get(key);
			const f = json === undefined ? undefined : spec.fields[json];
			if (json === undefined || f === undefined || f.rejected) {
				this.add(field, jsonPath, 'unknown', `Invalid JSON payload received. Unknown name "${key}"${at}: Cannot find field.`);
				continue;
			}
			if (seenFrom.has(json)) {
				this.add(field, jsonPath, 'duplicate', `Invalid JSON payload received. Duplicate field "${key}"${at} (also given as "${seenFrom.get(json)}").`);
				continue;
			}
			seenFrom.set(json, key);
			if (v === null || f.outputOnly) continue;
			const childField = field ? `${field}.${f.proto}` : f.proto;
			const childJson = jsonPath ? `${jsonPath}.${json}` : json;
			out[json] = this.field(f, v, childField, childJson);
		}
		for (const [json, f] of Object.entries(spec.fields)) {
			if (f.required && !f.outputOnly && out[json] === undefined) {
				const childField = field ? `${field}.${f.proto}` : f.proto;
				this.invalid(childField, jsonPath ? `${jsonPath}.${json}` : json, 'required', `${json} is required.`);
			}
		}
		for (const [oneof, group] of Object.entries(spec.oneofs ?? {})) {
			const set = group.fields.filter((k) => out[k] !== undefined);
			if (set.length > 1) {
				this.add(field, jsonPath, 'oneof', `Invalid JSON payload received. Oneof field '${oneof}'${at} is already set. Cannot set '${set[1]}' (already '${set[0]}').`);
			} else if (set.length === 0 && group.required) {
				this.invalid(field || name, jsonPath || name, 'oneof', `one of ${group.fields.join(', ')} must be set (oneof '${oneof}').`);
			}
		}
		for (const rule of spec.rules ?? []) this.rule(rule, out, field || name, jsonPath || name);
		return out;
	}

	private field(f: FieldSpec, v: unknown, field: string, jsonPath: string): unknown {
		if (f.repeated) {
			if (!Array.isArray(v)) {
				this.add(field, jsonPath, 'type', `Invalid value at '${field}' (repeated), ${JSON.stringify(v)}`);
				return undefined;
			}
			if (f.maxItems !== undefined && v.length > f.maxItems) {
				this.invalid(field, jsonPath, 'limit', `at most ${f.maxItems} items are allowed (got ${v.length}).`);
			}
			if (f.minItems !== undefined && v.length < f.minItems) {
				this.invalid(field, jsonPath, 'limit', `at least ${f.minItems} items are required (got ${v.length}).`);
			}
			return v.map((item, i) => this.single(f, item, `${field}[${i}]`, `${jsonPath}[${i}]`));
		}
		return this.single(f, v, field, jsonPath);
	}

	private single(f: FieldSpec, v: unknown, field: string, jsonPath: string): unknown {
		const wrong = (type: string): undefined => {
			this.add(field, jsonPath, 'type', `Invalid value at '${field}' (${type}), ${JSON.stringify(v)}`);
			return undefined;
		};
		switch (f.type) {
			case 'message':
				return this.message(f.ref!, v, field, jsonPath);
			case 'map': {
				if (!isObj(v)) return wrong('map');
				const out: Obj = {};
				for (const [k, item] of Object.entries(v)) {
					out[k] = f.ref && this.schema.messages[f.ref] ? this.message(f.ref, item, `${field}[${k}]`, `${jsonPath}.${k}`) : item;
				}
				return out;
			}
			case 'enum': {
				const values = this.schema.enums[f.ref!] ?? {};
				if (typeof v === 'string' && v in values) return v;
				if (typeof v === 'number' && Object.values(values).includes(v)) return Object.keys(values).find((k) => values[k] === v);
				return wrong(`type.googleapis.com/${f.ref ?? 'enum'}`);
			}
			case 'bool':
				return typeof v === 'boolean' ? v : wrong('TYPE_BOOL');
			case 'int32':
			case 'int64':
			case 'uint64':
			case 'double':
			case 'float':
				return numberOf(f.type, v) ?? wrong(`TYPE_${f.type.toUpperCase()}`);
			case 'timestamp':
				if (typeof v !== 'string' || !RFC3339.test(v) || Number.isNaN(Date.parse(v))) return wrong('type.googleapis.com/google.protobuf.Timestamp');
				return v;
			case 'duration':
				if (typeof v !== 'string' || !DURATION.test(v)) return wrong('type.googleapis.com/google.protobuf.Duration');
				return v;
			case 'any':
				return v;
			default: {
				if (typeof v !== 'string') return wrong(f.type === 'bytes' ? 'TYPE_BYTES' : 'TYPE_STRING');
				if (f.maxLength !== undefined && chars(v) > f.maxLength) {
					this.invalid(field, jsonPath, 'limit', `must be at most ${f.maxLength} characters (got ${chars(v)}).`);
				}
				this.format(f, v, field, jsonPath);
				return v;
			}
		}
	}

	private format(f: FieldSpec, v: string, field: string, jsonPath: string): void {
		switch (f.format) {
			case 'e164':
			case 'dialNumber':
				if (!E164.test(v)) this.invalid(field, jsonPath, 'format', `"${v}" is not a phone number in E.164 format (like +14155550123).`);
				break;
			case 'uri':
				if (!isUri(v)) this.invalid(field, jsonPath, 'format', `"${v}" is not a valid http(s) URL.`);
				break;
			case 'uuid':
				if (!UUID.test(v)) this.invalid(field, jsonPath, 'format', `"${v}" is not a UUID.`);
				break;
			default:
		}
	}

	private rule(rule: RuleSpec, o: Obj, field: string, jsonPath: string): void {
		const has = (obj: Obj | undefined, k: string): boolean => {
			const v = obj?.[k];
			return v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
		};
		switch (rule.kind) {
			case 'atLeastOne':
				if (!rule.fields.some((k) => has(o, k))) {
					this.invalid(field, jsonPath, 'rule', `at least one of ${rule.fields.join(', ')} must be set.`);
				}
				break;
			case 'horizontalCardContent': {
				const content = isObj(o.cardContent) ? o.cardContent : undefined;
				if (o.cardOrientation === 'HORIZONTAL' && has(content, 'media') && !['title', 'description', 'suggestions'].some((k) => has(content, k))) {
					this.invalid(`${field}.card_content`, `${jsonPath}.cardContent`, 'rule', 'a horizontal rich card with media must also have a title, description or suggestions.');
				}
				break;
			}
			case 'forbiddenWhen': {
				if (o[rule.when.field] !== rule.when.equals) break;
				for (const hit of select(o, rule.path)) {
					if (hit.value === rule.value) {
						this.invalid(`${field}.${hit.path}`, `${jsonPath}.${hit.path}`, 'rule', `${rule.value} is not allowed when ${rule.when.field} is ${rule.when.equals}.`);
					}
				}
				break;
			}
			default:
		}
	}
}

/** Values at a path like "cardContents[].media.height" (json names; "[]" walks every item). */
function select(o: unknown, path: string): Array<{ path: string; value: unknown }> {
	let current: Array<{ path: string; value: unknown }> = [{ path: '', value: o }];
	for (const part of path.split('.')) {
		const many = part.endsWith('[]');
		const key = many ? part.slice(0, -2) : part;
		const next: Array<{ path: string; value: unknown }> = [];
		for (const c of current) {
			if (!isObj(c.value)) continue;
			const v = c.value[key];
			const p = c.path ? `${c.path}.${key}` : key;
			if (many && Array.isArray(v)) v.forEach((item, i) => next.push({ path: `${p}[${i}]`, value: item }));
			else if (!many && v !== undefined) next.push({ path: p, value: v });
		}
		current = next;
	}
	return current;
}

/**
 * Checks a request body against a message of the schema. `root` is the proto name the body
 * has in Google's error paths ("agent_message" for agentMessages.create, "" for a body that is
 * the whole request).
 */
export function checkMessage(messageName: string, value: unknown, root = '', schema: RbmSchema = SCHEMA): Checked {
	const walker = new Walker(schema);
	const out = walker.message(messageName, value, root, '');
	return { value: out ?? {}, violations: walker.violations };
}

export interface CapturedRequest {
	method: string;
	/** Path with any query string, as sent (e.g. /v1/phones/+1.../agentMessages?messageId=…). */
	url: string;
	body?: string;
}

export interface RequestCheck {
	method?: string;
	violations: Violation[];
	value?: Record<string, unknown>;
}

/** Parameters every Google API takes (https://cloud.google.com/apis/docs/system-parameters). */
const SYSTEM_PARAMETERS = new Set(['uploadType', 'alt', '$alt', 'key', 'prettyPrint', 'fields', 'quotaUser', 'upload_protocol', 'callback']);

/** Query parameters a method does not have (system parameters allowed), in request order. */
function unknownQueryNames(spec: MethodSpec, params: URLSearchParams): string[] {
	return [...params.keys()].filter((name) => !(name in (spec.query ?? {})) && !SYSTEM_PARAMETERS.has(name));
}

const unboundQuery = (name: string): string =>
	`Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`;

const methodPatterns = new Map<string, RegExp>();
function pathPattern(path: string): RegExp {
	let re = methodPatterns.get(path);
	if (!re) {
		const escaped = path.replace(/[.*+?^$()|\\]/g, '\\$&').replace(/\{[A-Za-z]+\}/g, '([^/?]+)');
		re = new RegExp(`^${escaped}$`);
		methodPatterns.set(path, re);
	}
	return re;
}

/** The method of the schema a request is for (by HTTP method and path), with the path's captures. */
export function matchMethod(method: string, pathname: string, schema: RbmSchema = SCHEMA): { id: string; spec: MethodSpec; params: string[] } | undefined {
	for (const [id, spec] of Object.entries(schema.methods)) {
		if (spec.httpMethod !== method) continue;
		const m = pathPattern(spec.path).exec(pathname.replace(/%3A/gi, ':'));
		if (m) return { id, spec, params: m.slice(1).map((p) => decodeURIComponent(p)) };
	}
	return undefined;
}

/** Where the body of each method sits in Google's error paths (its HTTP rule's `body:` field). */
export const BODY_ROOT: Record<string, string> = {
	AgentMessage: 'agent_message',
	AgentEvent: 'agent_event',
	Tester: 'tester',
	DialogflowEvent: 'dialogflow_message',
};

/** Checks one captured request: method and path, path phone numbers, query parameters, JSON body. */
export function checkRequest(req: CapturedRequest, schema: RbmSchema = SCHEMA): RequestCheck {
	const url = new URL(req.url, 'http://rbm.invalid');
	const found = matchMethod(req.method, url.pathname, schema);
	if (!found) {
		return { violations: [{ field: '', jsonPath: '', kind: 'unknown', message: `No RBM v1 method is ${req.method} ${url.pathname}.` }] };
	}
	const violations: Violation[] = [];
	const names = [...found.spec.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]);
	names.forEach((name, i) => {
		if (name === 'phoneNumber' && !E164.test(found.params[i])) {
			violations.push({ field: 'name', jsonPath: name, kind: 'format', message: `Invalid value at 'name': "${found.params[i]}" is not an E.164 phone number.` });
		}
	});
	const query = found.spec.query ?? {};
	for (const [name, p] of Object.entries(query)) {
		if (p.required && !url.searchParams.get(name)) {
			violations.push({ field: name, jsonPath: name, kind: 'required', message: `Query parameter ${name} is required.` });
		}
	}
	for (const name of unknownQueryNames(found.spec, url.searchParams)) {
		violations.push({ field: name, jsonPath: name, kind: 'unknown', message: unboundQuery(name) });
	}
	let value: Record<string, unknown> | undefined;
	if (found.spec.request && !found.spec.upload) {
		let parsed: unknown;
		try {
			parsed = req.body ? (JSON.parse(req.body) as unknown) : {};
		} catch {
			violations.push({ field: '', jsonPath: '', kind: 'type', message: 'Invalid JSON payload received.' });
			return { method: found.id, violations };
		}
		const checked = checkMessage(found.spec.request, parsed, BODY_ROOT[found.spec.request] ?? '', schema);
		violations.push(...checked.violations);
		value = checked.value;
	}
	return { method: found.id, violations, value };
}

export interface RegionRule {
	/** Longest matching calling-code prefix of an E.164 number → its region (null: no region). */
	callingCodes: Record<string, 'us' | 'europe' | 'asia' | null>;
	source?: string;
}

/** The region whose endpoint must answer users.batchGet for a number, or null if none can. */
export function regionOfNumber(e164: string, schema: RbmSchema = SCHEMA): 'us' | 'europe' | 'asia' | null {
	const rule = schema.regions?.countryRule;
	if (!rule) return null;
	const digits = e164.replace(/^\+/, '');
	for (let n = Math.min(4, digits.length); n >= 1; n--) {
		const hit = rule.callingCodes[digits.slice(0, n)];
		if (hit !== undefined) return hit;
	}
	return null;
}

/** Google's answer to a query parameter the method does not have (the first one), if any. */
export function unknownQueryParameter(method: string, pathname: string, params: URLSearchParams, schema: RbmSchema = SCHEMA): string | undefined {
	const found = matchMethod(method, pathname, schema);
	const [name] = found ? unknownQueryNames(found.spec, params) : [];
	return name === undefined ? undefined : unboundQuery(name);
}
