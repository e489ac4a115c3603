/**
 * Hosts a trigger node's webhook() on 127.0.0.1 the way n8n's webhook server calls it
 * (responseMode "onReceived"): parsed JSON body, lower-cased headers, an express-like response,
 * and, when the node returns workflowData, the 200 n8n 2.40.7 sends (webhook-on-received-response-
 * extractor.js): no body for `responseData: 'noData'`, the responseData text itself for any other
 * value (n8n's default, 'firstEntryJson', is sent as that literal text), else
 * `{"message":"Workflow was started"}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData, INodeType, IWebhookFunctions } from 'n8n-workflow';

export interface WebhookHost {
	url: string;
	started: INodeExecutionData[][][];
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

export async function hostWebhook(node: INodeType, options: { parameters: IDataObject; credentials?: IDataObject; workflowId?: string; nodeId?: string }): Promise<WebhookHost> {
	const started: INodeExecutionData[][][] = [];
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
			getCredentials: async () => {
				if (!options.credentials) throw new Error('Node does not have any credentials set');
				return options.credentials;
			},
			getNode: () => ({ id: options.nodeId ?? 'trigger-1', name: 'RBM Trigger', type: 'n8n-nodes-rbm.rbmTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
			getWorkflow: () => ({ id: workflowId, active: true }),
			logger: { warn: () => undefined, info: () => undefined, debug: () => undefined, error: () => undefined },
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
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
