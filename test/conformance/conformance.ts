/**
 * Conformance harness: runs a node inside n8n's engine with a credential whose Base URL is a
 * recording proxy in front of the emulator, then checks every recorded request against the RBM v1
 * schema (schema/rbm-v1.json, derived from Google's artifacts): method and path, the phone in the
 * path, query parameters, the JSON body, and for regional methods the endpoint of the numbers.
 */
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { checkRequest, regionOfNumber, SCHEMA } from '../../emulator/schema';
import type { Capture, Captured } from '../helpers/capture';
import { startCapture } from '../helpers/capture';
import type { EmulatorFixture } from '../helpers/emulator';
import { emulatorWithCredential } from '../helpers/emulator';
import type { NodeRun, NodeSettings } from '../helpers/workflow';
import { runNode } from '../helpers/workflow';

export interface Checked {
	request: Captured;
	method?: string;
	body?: Record<string, unknown>;
	problems: string[];
}

/** Every schema problem of one recorded request (empty when it conforms). */
export function conformanceOf(request: Captured): Checked {
	const result = checkRequest({ method: request.method, url: request.url, body: request.body });
	const problems = result.violations.map((v) => v.message);
	const spec = result.method ? SCHEMA.methods[result.method] : undefined;
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
		async run({ type = 'n8n-nodes-rbm.rbmSendMessage', parameters, items = [{}], binary, settings, itemsNodeName }) {
			capture.clear();
			fx.emulator.reset();
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
