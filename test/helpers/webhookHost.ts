/**
 * Hosts a trigger node's webhook() on 127.0.0.1 the way n8n's webhook server calls it
 * (responseMode "onReceived"): parsed JSON body, lower-cased headers, an express-like response,
 * and, when the node returns workflowData, the 200 n8n 2.40.7 sends (webhook-on-received-response-
 * extractor.js): no body for `responseData: 'noData'`, the responseData text itself for any other
 * value (n8n's default, 'firstEntryJson', is sent as that literal text), else
 * `{"message":"Workflow was started"}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData, INodeType, IWebhookFunctions } from 'n8n-workflow';

export interface WebhookHost {
	url: string;
	started: INodeExecutionData[][][];
	/** What the node logged with logger.warn. */
	warnings: string[];
	close(): Promise<void>;
}

function expressLike(res: ServerResponse) {
	const shim = {
		status(code: number) {
			res.statusCode = code;
			return shim;
		},
		type(contentType: string) {
			res.setHeader('Content-Type', contentType);
			return shim;
		},
		send(body: string) {
			res.write(body);
			return shim;
		},
		end() {
			res.end();
			return shim;
		},
	};
	return shim;
}

/**
 * `credentials` answers for the RBM credential (`rbmApi`); `credentialsByType` for any type by name
 * (e.g. `redis`). A type without data throws as n8n does when no credential is selected.
 */
export async function hostWebhook(node: INodeType, options: { parameters: IDataObject; credentials?: IDataObject; credentialsByType?: Record<string, IDataObject>; workflowId?: string; nodeId?: string }): Promise<WebhookHost> {
	const started: INodeExecutionData[][][] = [];
	const warnings: string[] = [];
	const workflowId = options.workflowId ?? `wf-${Date.now()}-${Math.random()}`;
	const handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
		let body: unknown = {};
		try {
			body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
		} catch {
			body = {};
		}
		const ctx = {
			getBodyData: () => body,
			getHeaderData: () => req.headers,
			getRequestObject: () => Object.assign(req, { body, rawBody: raw }),
			getResponseObject: () => expressLike(res),
			getNodeParameter: (name: string, fallback?: unknown) => (name in options.parameters ? options.parameters[name] : fallback),
			getCredentials: async (type: string) => {
				const data = options.credentialsByType?.[type] ?? (type === 'rbmApi' ? options.credentials : undefined);
				if (!data) throw new Error('Node does not have any credentials set');
				return data;
			},
			getNode: () => ({ id: options.nodeId ?? 'trigger-1', name: 'RBM Trigger', type: 'n8n-nodes-rbm.rbmTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
			getWorkflow: () => ({ id: workflowId, active: true }),
			logger: { warn: (message: string) => warnings.push(message), info: () => undefined, debug: () => undefined, error: () => undefined },
			helpers: { returnJsonArray: (data: IDataObject[]) => data.map((json) => ({ json })) },
		} as unknown as IWebhookFunctions;
		const result = await node.webhook!.call(ctx);
		if (result.noWebhookResponse) return;
		if (result.workflowData) started.push(result.workflowData);
		const responseData = node.description.webhooks?.[0]?.responseData ?? 'firstEntryJson';
		if (responseData === 'noData') {
			res.writeHead(200).end();
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(typeof responseData === 'string' && responseData !== '' ? responseData : JSON.stringify({ message: 'Workflow was started' }));
	};
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
				res.writeHead(500);
				res.end(String(error));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/rbm`,
		started,
		warnings,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** POSTs JSON on a fresh connection; resolves with the status and body text. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const payload = JSON.stringify(body);
		const req = request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...headers } }, (res) => {
			let text = '';
			res.on('data', (c: Buffer) => (text += c.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
		});
		req.on('error', reject);
		req.end(payload);
	});
}
