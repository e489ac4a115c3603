/**
 * A recording HTTP proxy on 127.0.0.1: every request the nodes send is kept as it crossed the wire
 * (method, path with any /{region} prefix, query, raw body) and forwarded to the emulator, whose
 * answer goes back unchanged. The conformance suite validates what was recorded against the schema.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Endpoint } from '../../emulator/types';

export interface Captured {
	method: string;
	/** Path and query as the API sees them (without the emulator's /{region} prefix). */
	url: string;
	/** The RBM host the request was addressed to (from the Base URL's {region}). */
	endpoint: Endpoint;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** The emulator's answer as it went back (status and body text), once it has been received. */
	response?: { status: number; body: string };
}

export interface Capture {
	/** Base URL for an rbmApi credential: `${url}/{region}`. */
	url: string;
	requests: Captured[];
	/** TCP connections the nodes opened to the proxy since start or clear(). */
	connections(): number;
	/** Connections open right now. */
	openConnections(): Promise<number>;
	clear(): void;
	close(): Promise<void>;
}

const REGION_PREFIX = /^\/(global|us|europe|asia|businesscommunications)(\/.*)$/;

export async function startCapture(target: string): Promise<Capture> {
	const requests: Captured[] = [];
	let connections = 0;
	const upstream = new URL(target);
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const raw = req.url ?? '/';
			const m = REGION_PREFIX.exec(raw);
			const entry: Captured = {
				method: req.method ?? 'GET',
				url: m ? m[2] : raw,
				endpoint: (m ? m[1] : 'global') as Endpoint,
				headers: req.headers,
				body: body.toString('utf8'),
			};
			requests.push(entry);
			const out = http.request(
				{ host: upstream.hostname, port: upstream.port, method: req.method, path: raw, headers: { ...req.headers, host: upstream.host }, agent: false },
				(answer) => {
					// Hop-by-hop headers describe the proxy's own upstream connection, not the client's.
					const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...headers } = answer.headers;
					res.writeHead(answer.statusCode ?? 502, headers);
					// Kept chunk by chunk as they are passed on, so the answer is whole once the client has it.
					const answerChunks: Buffer[] = [];
					entry.response = { status: answer.statusCode ?? 502, body: '' };
					answer.on('data', (c: Buffer) => {
						answerChunks.push(c);
						if (entry.response) entry.response.body = Buffer.concat(answerChunks).toString('utf8');
					});
					answer.pipe(res);
				},
			);
			out.on('error', () => res.destroy());
			out.end(body);
		});
	});
	server.on('connection', () => connections++);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		connections: () => connections,
		openConnections: () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
		clear: () => {
			requests.length = 0;
			connections = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
