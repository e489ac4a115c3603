/**
 * A campaign in n8n's queue mode: a main process takes the campaign's chunks on a production
 * webhook and queues them (Redis), two workers run them (PostgreSQL holds workflows, credentials and
 * executions), every process loads this package from one shared user folder. Each phone must be
 * accepted by RBM exactly once, and each worker process mints its own token once.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RbmEmulator } from '../../emulator';
import { startEmulator } from '../../emulator';

/* eslint-disable @typescript-eslint/no-require-imports */
const runtime = require('../../scripts/n8n-runtime.js');
const { startQueueServices } = require('../../scripts/queue-services.js');
/* eslint-enable @typescript-eslint/no-require-imports */

type N8nProcess = { url: string; output(): string; stop(): Promise<unknown> };

const CHUNKS = 20;
const PER_CHUNK = 100;
const WEBHOOK_PATH = 'rbm-queue-campaign-chunk';
const log = (message: string) => process.stderr.write(`[queue] ${message}\n`);
const phoneOf = (i: number) => `+4477009${String(i).padStart(5, '0')}`;

/** Webhook (one chunk: { campaign, phones }) → one item per phone → RBM Send Message with a per-campaign, per-phone id. */
const campaignChunk = {
	id: 'rbmQueueChunk01',
	name: 'RBM queue campaign chunk',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 'w1', name: 'Chunk', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: WEBHOOK_PATH, parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} } },
		{
			id: 'c1',
			name: 'Phones',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: { jsCode: 'const { campaign, phones } = $input.first().json.body;\nreturn phones.map((phone) => ({ json: { campaign, phone } }));' },
		},
		{
			id: 's1',
			name: 'Send',
			type: 'n8n-nodes-rbm.rbmSendMessage',
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				phoneNumber: '={{ $json.phone }}',
				agentId: 'queue-agent',
				messageType: 'text',
				text: 'Spring sale: 20 % off until Sunday',
				options: { concurrency: 10, idempotencyKey: '={{ $json.campaign }}-{{ $json.phone }}' },
			},
			credentials: { rbmApi: { id: 'rbmQueueCred01', name: 'RBM emulator (queue)' } },
		},
	],
	connections: { Chunk: { main: [[{ node: 'Phones', type: 'main', index: 0 }]] }, Phones: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
};

describe('a campaign across two queue-mode workers', () => {
	let services: { n8nEnv(): Record<string, string>; stop(): Promise<void> } | undefined;
	let emulator: RbmEmulator | undefined;
	const processes: N8nProcess[] = [];
	let root = '';

	afterAll(async () => {
		for (const p of processes.reverse()) await p.stop();
		await emulator?.close();
		await services?.stop();
		if (root) rmSync(root, { recursive: true, force: true });
	});

	test(`${CHUNKS} chunks of ${PER_CHUNK} phones: each phone accepted once, one token per worker`, async () => {
		services = await startQueueServices({ log });
		// every phone reachable (the emulator's default makes numbers ending in 404 unreachable)
		emulator = await startEmulator({ host: '127.0.0.1', port: 0, deliveryDelayMs: 60_000, unreachable: [], faults: { 'agentMessages.create': { latencyMs: 20 } } });
		root = mkdtempSync(join(tmpdir(), 'rbm-queue-'));
		const userFolder = join(root, 'home');
		cpSync(process.env.RBM_E2E_TEMPLATE as string, userFolder, { recursive: true });
		const env = (name: string) => runtime.n8nEnv(userFolder, { ...services!.n8nEnv(), N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${name}` });

		// import:credentials runs the migrations on PostgreSQL; then the workflow, published.
		const keyJson = JSON.stringify(emulator.createServiceAccountKey());
		await runtime.importCredentials(userFolder, [{ id: 'rbmQueueCred01', name: 'RBM emulator (queue)', type: 'rbmApi', data: { serviceAccountJson: keyJson, region: 'global', baseUrl: `${emulator.url}/{region}` } }], env('cli'));
		await runtime.importWorkflow(userFolder, campaignChunk, env('cli'));
		const published = await runtime.runN8n(['publish:workflow', `--id=${campaignChunk.id}`], env('cli'));
		expect(published.code).toBe(0);

		const main: N8nProcess = await runtime.startN8n(userFolder, { port: await runtime.freePort(), env: env('main') });
		processes.push(main);
		for (const name of ['worker-1', 'worker-2']) processes.push(await runtime.startN8n(userFolder, { command: 'worker', args: ['--concurrency=2'], port: await runtime.freePort(), env: env(name) }));
		log(`main ${main.url}, 2 workers ready`);

		// The production webhook goes live a moment after start-up.
		const url = `${main.url}/webhook/${WEBHOOK_PATH}`;
		const post = async (body: unknown) => await runtime.httpJson('POST', url, { body, timeoutMs: 30_000 });
		const deadline = Date.now() + 60_000;
		let first = await post({ campaign: 'spring', phones: Array.from({ length: PER_CHUNK }, (_, k) => phoneOf(k)) });
		while (first.status === 404 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			first = await post({ campaign: 'spring', phones: Array.from({ length: PER_CHUNK }, (_, k) => phoneOf(k)) });
		}
		expect(first.status).toBe(200);
		for (let c = 1; c < CHUNKS; c++) {
			const r = await post({ campaign: 'spring', phones: Array.from({ length: PER_CHUNK }, (_, k) => phoneOf(c * PER_CHUNK + k)) });
			expect(r.status).toBe(200);
		}

		const total = CHUNKS * PER_CHUNK;
		const until = Date.now() + 5 * 60_000;
		while (emulator.stats().accepted < total && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 500));
		// a moment more: anything sent twice would show now
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const stats = emulator.stats();
		log(`accepted ${stats.accepted}, duplicates ${stats.duplicates}, token grants ${stats.tokenGrants}, requests ${stats.requests['agentMessages.create']}`);
		if (stats.accepted < total) log(processes.map((p) => p.output().slice(-3000)).join('\n-----\n'));
		expect(stats.accepted).toBe(total);
		expect(stats.duplicates).toBe(0);
		const phones = new Set(Object.values(stats.messages).map((m) => m.phoneNumber));
		expect(phones.size).toBe(total);
		// each worker process ran chunks and minted its own token once; main ran none
		expect(stats.tokenGrants).toBe(2);
	});
});
