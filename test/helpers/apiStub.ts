/**
 * A stand-in RBM API host on 127.0.0.1 for what the emulator cannot show: it records every request
 * (method, path, parsed JSON body) and answers with what the test says. Point a credential's Base
 * URL at it; the access token still comes from the emulator (the key's token_uri).
 */
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
	method: string;
	path: string;
	body: unknown;
}

export interface ApiStub {
	url: string;
	requests: StubRequest[];
	close(): Promise<void>;
}

export type StubAnswer = (request: StubRequest) => { status: number; body: unknown };

/** By default: what agentMessages.create answers, the created message with its name and send time. */
export const echoAgentMessage: StubAnswer = (request) => ({
	status: 200,
	body: { ...(request.body as object), name: `${request.path.slice(4)}/x`, sendTime: '2026-11-30T10:00:00.000Z' },
});

export async function startApiStub(answer: StubAnswer = echoAgentMessage): Promise<ApiStub> {
	const requests: StubRequest[] = [];
	const server = createServer((req: IncomingMessage, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const request: StubRequest = { method: req.method ?? '', path: new URL(req.url ?? '/', 'http://stub').pathname, body: text ? (JSON.parse(text) as unknown) : undefined };
			requests.push(request);
			const { status, body } = answer(request);
			res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
