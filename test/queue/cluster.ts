/**
 * An n8n queue-mode cluster on one machine for `npm run test:queue`: PostgreSQL and Redis from
 * Debian (scripts/queue-services.js), then n8n 2.40.7 processes that share one user folder with
 * this package installed (the template the e2e global setup made): a main process, webhook
 * processes and workers, each on its own ports. stop() ends every process by pid, also the task
 * runners a killed worker leaves behind, then the services; the caller's afterAll runs it also
 * when a test failed.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const runtime = require('../../scripts/n8n-runtime.js');
const { startQueueServices } = require('../../scripts/queue-services.js');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface N8nProcess {
	name: string;
	url: string;
	child: { pid: number; kill(signal: string): boolean };
	exited: Promise<unknown>;
	output(): string;
	stop(): Promise<unknown>;
}

export interface QueueServices {
	n8nEnv(): Record<string, string>;
	/** Runs SQL on n8n's PostgreSQL database; returns psql's unaligned output. */
	sql(query: string): string;
	redis: { host: string; port: number };
	stop(): Promise<void>;
}

export const log = (message: string) => process.stderr.write(`[queue ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
export const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Pids of a process's children (a worker's task runner), for stop() after a SIGKILL. */
function childPids(pid: number): number[] {
	try {
		return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

export class QueueCluster {
	readonly processes: N8nProcess[] = [];
	private orphans: number[] = [];
	services!: QueueServices;
	userFolder = '';
	private root = '';

	/** Services up, the user folder copied from the e2e template. */
	async setUp(): Promise<void> {
		this.services = await startQueueServices({ log });
		this.root = mkdtempSync(join(tmpdir(), 'rbm-queue-'));
		this.userFolder = join(this.root, 'home');
		cpSync(process.env.RBM_E2E_TEMPLATE as string, this.userFolder, { recursive: true });
	}

	/** The environment of one n8n process of this cluster (its own event-log file in the shared folder). */
	env(name: string, extra: Record<string, string> = {}): Record<string, string> {
		return runtime.n8nEnv(this.userFolder, { ...this.services.n8nEnv(), N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${name}`, ...extra });
	}

	async cli(args: string[]): Promise<void> {
		const r = await runtime.runN8n(args, this.env('cli'));
		if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
	}

	async importCredentials(credentials: unknown[]): Promise<void> {
		await runtime.importCredentials(this.userFolder, credentials, this.env('cli'));
	}

	/**
	 * One `n8n import:workflow` for all (n8n takes an array in one file), then what
	 * `n8n publish:workflow --id=…` does for each (n8n 2.40's WorkflowRepository.publishVersion: the
	 * workflow exists, is not archived, its current version is in its history → active, with that
	 * version as the active one) in one SQL statement, instead of an n8n start per workflow.
	 * (`import:workflow --activeState=fromJson` activates nothing from the CLI in 2.40.) Throws
	 * unless every workflow was published.
	 */
	async importAndPublish(workflows: Array<{ id: string }>): Promise<void> {
		await runtime.importWorkflow(this.userFolder, workflows, this.env('cli'));
		const ids = workflows.map((workflow) => `'${workflow.id.replace(/'/g, "''")}'`).join(', ');
		const published = this.services
			.sql(
				`UPDATE workflow_entity w SET active = true, "activeVersionId" = w."versionId" WHERE w.id IN (${ids}) AND NOT w."isArchived" AND EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = w.id AND h."versionId" = w."versionId") RETURNING w.id`,
			)
			.split('\n')
			.filter(Boolean);
		const missing = workflows.map((workflow) => workflow.id).filter((id) => !published.includes(id));
		if (missing.length) throw new Error(`could not publish ${missing.join(', ')} (not imported, archived, or without its version in the history)`);
	}

	/** `n8n start | worker | webhook` on its own ports. */
	async start(name: string, command: 'start' | 'worker' | 'webhook', { port, args = [], env = {} }: { port?: number; args?: string[]; env?: Record<string, string> } = {}): Promise<N8nProcess> {
		const started = Date.now();
		const p = await runtime.startN8n(this.userFolder, { command, args, port: port ?? (await runtime.freePort()), env: this.env(name, env) });
		const proc: N8nProcess = { name, ...p };
		this.processes.push(proc);
		log(`${name} (n8n ${command}) ready on ${proc.url} in ${Math.round((Date.now() - started) / 1000)} s`);
		return proc;
	}

	/** SIGKILL, as a crash or the kernel's OOM killer would: no clean-up of any kind. */
	kill(proc: N8nProcess): void {
		this.orphans.push(...childPids(proc.child.pid));
		proc.child.kill('SIGKILL');
		log(`${proc.name} killed (SIGKILL, pid ${proc.child.pid})`);
	}

	async stop(): Promise<void> {
		await Promise.all(this.processes.map(async (p) => await p.stop()));
		for (const pid of this.orphans) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		await this.services?.stop();
		if (this.root) rmSync(this.root, { recursive: true, force: true });
	}

	tails(chars = 3000): string {
		return this.processes.map((p) => `--- ${p.name}\n${p.output().slice(-chars)}`).join('\n');
	}
}

/** POSTs JSON; resolves the status, the body as text, and as JSON when it is JSON. */
export async function post(url: string, body: unknown): Promise<{ status: number; text: string; json: unknown }> {
	return await runtime.httpJson('POST', url, { body, timeoutMs: 60_000 });
}

/** Polls a production webhook until it is live (n8n registers them a moment after start-up). */
export async function waitForWebhook(url: string, body: unknown, timeoutMs = 90_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await post(url, body);
		if (r.status === 200) return;
		if (Date.now() > deadline) throw new Error(`${url} not live after ${timeoutMs / 1000} s: ${r.status} ${r.text}`);
		await sleep(500);
	}
}

export async function freePort(): Promise<number> {
	return await runtime.freePort();
}
