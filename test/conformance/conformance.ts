/**
 * Conformance harness: runs a node inside n8n's engine with a credential whose Base URL is a
 * recording proxy in front of the emulator, then checks every recorded request against the schema
 * of the API it went to (schema/rbm-v1.json, or schema/businesscommunications-v1.json for the
 * businesscommunications host; both derived from Google's generated clients): method and path,
 * the phone in the path, query parameters, the JSON body, and for regional methods the endpoint of
 * the numbers. Business Communications answers are checked too: every field the emulator returns
 * must be a field of the method's response message, of the right type.
 */
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import type { FieldSpec, RbmSchema } from '../../emulator/schema';
import { checkRequest, regionOfNumber, SCHEMA } from '../../emulator/schema';
import bcSchema from '../../schema/businesscommunications-v1.json';
import type { Capture, Captured } from '../helpers/capture';
import { startCapture } from '../helpers/capture';
import type { EmulatorFixture } from '../helpers/emulator';
import { emulatorWithCredential } from '../helpers/emulator';
import type { NodeRun, NodeSettings } from '../helpers/workflow';
import { runNode } from '../helpers/workflow';

export const BC_SCHEMA = bcSchema as unknown as RbmSchema;

export interface Checked {
	request: Captured;
	method?: string;
	body?: Record<string, unknown>;
	problems: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function valueProblems(f: FieldSpec, v: unknown, at: string, schema: RbmSchema): string[] {
	if (v === null) return [];
	if (f.repeated) return Array.isArray(v) ? v.flatMap((x, i) => valueProblems({ ...f, repeated: false }, x, `${at}[${i}]`, schema)) : [`${at}: not a list`];
	const wrong = [`${at}: ${JSON.stringify(v)} is not a ${f.type}`];
	switch (f.type) {
		case 'message':
			return isObj(v) ? responseShapeProblems(f.ref ?? '', v, at, schema) : wrong;
		case 'map':
			if (!isObj(v)) return wrong;
			return Object.entries(v).flatMap(([k, x]) => (f.valueType === 'message' ? (isObj(x) ? responseShapeProblems(f.ref ?? '', x, `${at}.${k}`, schema) : [`${at}.${k}: not a ${f.ref}`]) : []));
		case 'string':
			return typeof v === 'string' ? [] : wrong;
		case 'enum':
			return typeof v === 'string' && v in (schema.enums[f.ref ?? ''] ?? {}) ? [] : [`${at}: ${JSON.stringify(v)} is not a value of ${f.ref}`];
		case 'timestamp':
			return typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v) ? [] : wrong;
		case 'bool':
			return typeof v === 'boolean' ? [] : wrong;
		case 'int32':
			return Number.isInteger(v) ? [] : wrong;
		case 'int64':
		case 'uint64':
			return Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)) ? [] : wrong;
		case 'double':
		case 'float':
			return typeof v === 'number' ? [] : wrong;
		default:
			return [];
	}
}

/**
 * What is wrong with an answer body for a response message: names the message does not have, values
 * of the wrong type. "Required" is left out: it describes requests, and Google omits empty fields.
 */
export function responseShapeProblems(messageName: string, value: Record<string, unknown>, at: string, schema: RbmSchema): string[] {
	const message = schema.messages[messageName];
	if (!message) return [`${at}: no message ${messageName} in the schema`];
	return Object.entries(value).flatMap(([name, v]) => {
		const f = message.fields[name];
		const where = at ? `${at}.${name}` : name;
		return f ? valueProblems(f, v, where, schema) : [`${where}: ${messageName} has no field "${name}"`];
	});
}

/** Every schema problem of one recorded request (and of a Business Communications answer); empty when it conforms. */
export function conformanceOf(request: Captured): Checked {
	const schema = request.endpoint === 'businesscommunications' ? BC_SCHEMA : SCHEMA;
	const result = checkRequest({ method: request.method, url: request.url, body: request.body }, schema);
	const problems = result.violations.map((v) => v.message);
	const spec = result.method ? schema.methods[result.method] : undefined;
	if (schema === BC_SCHEMA && spec?.response && request.response && request.response.status < 300) {
		let answer: unknown;
		try {
			answer = JSON.parse(request.response.body) as unknown;
		} catch {
			answer = undefined;
		}
		if (isObj(answer)) problems.push(...responseShapeProblems(spec.response, answer, '', schema).map((p) => `${result.method} answer: ${p}`));
		else problems.push(`${result.method} answer: not a JSON object`);
	}
	if (spec?.regional && result.value) {
		const users = (result.value.users as string[] | undefined) ?? [];
		const regions = new Set(users.map((u) => regionOfNumber(u) ?? 'none'));
		if (regions.size > 1) problems.push(`${result.method}: numbers of several regions in one call (${[...regions].join(', ')})`);
		for (const region of regions) {
			if (region !== request.endpoint) problems.push(`${result.method}: numbers of region ${region} sent to the ${request.endpoint} endpoint`);
		}
	}
	return { request, method: result.method, body: result.value, problems };
}

export interface Harness {
	fx: EmulatorFixture;
	capture: Capture;
	/** Runs one node; returns the run and every request it sent, each checked. */
	run(options: {
		type?: 'n8n-nodes-rbm.rbmSendMessage' | 'n8n-nodes-rbm.rbmToolbox' | 'n8n-nodes-rbm.rbm';
		parameters: IDataObject;
		items?: IDataObject[];
		binary?: Array<Record<string, IBinaryData>>;
		settings?: NodeSettings;
		itemsNodeName?: string;
		/** Runs after the emulator's reset and before the node (e.g. admin calls that seed state). */
		prepare?: () => Promise<void>;
	}): Promise<{ result: NodeRun; requests: Checked[] }>;
	close(): Promise<void>;
}

export async function conformanceHarness(): Promise<Harness> {
	const fx = await emulatorWithCredential();
	const capture = await startCapture(fx.emulator.url);
	const credentials = { ...fx.credentials, baseUrl: `${capture.url}/{region}` };
	return {
		fx,
		capture,
		async run({ type = 'n8n-nodes-rbm.rbmSendMessage', parameters, items = [{}], binary, settings, itemsNodeName, prepare }) {
			capture.clear();
			fx.emulator.reset();
			await prepare?.();
			const result = await runNode({ type, items, binary, parameters, credentials, settings, itemsNodeName });
			return { result, requests: capture.requests.map(conformanceOf) };
		},
		async close() {
			await capture.close();
			await fx.emulator.close();
		},
	};
}

/** Fails with every problem of every request, so one run shows all that is wrong. */
export function expectConformant(requests: Checked[]): void {
	const problems = requests.flatMap((r) => r.problems.map((p) => `${r.request.method} ${r.request.url}: ${p}`));
	expect(problems).toEqual([]);
}
