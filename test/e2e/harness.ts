/**
 * End-to-end harness: a real n8n 2.x (Node 24, installed by scripts/n8n-runtime.js) with this
 * package installed from its packed tarball, driven through n8n's CLI against the RBM emulator
 * running in this Jest process. Everything asserted comes from n8n's own run data and the
 * emulator's stats.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { EmulatorOptions, RbmEmulator } from '../../emulator';
import { startEmulator } from '../../emulator';
import type { EmulatorProcess } from '../helpers/fakeClock';
import { fakeClockEnv, startEmulatorProcess } from '../helpers/fakeClock';

export interface ProcessResult {
	code: number;
	stdout: string;
	stderr: string;
	timedOut: boolean;
	/** The signal that ended the process, if one did (code is then 128). */
	signal?: NodeJS.Signals | null;
	ms: number;
}

export interface N8nItem {
	json: Record<string, any>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
	error?: unknown;
}

export interface N8nRun {
	finished?: boolean;
	status?: string;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<N8nItem[] | null> }; error?: any; executionStatus?: string }>>;
			error?: any;
			lastNodeExecuted?: string;
		};
	};
}

export interface ExecuteResult extends ProcessResult {
	run?: N8nRun;
}

interface RuntimeModule {
	REPO_DIR: string;
	ensureRuntime(opts?: { log?: (m: string) => void }): Promise<{ nodeBin: string; n8nBin: string; cacheDir: string; nodeBinDir: string }>;
	layout(): { nodeBin: string; n8nBin: string; nodeBinDir: string; n8nDir: string };
	packPackage(opts?: { destination?: string; log?: (m: string) => void }): Promise<string>;
	installPackage(userFolder: string, tgz: string, opts?: { log?: (m: string) => void }): Promise<string>;
	n8nEnv(userFolder: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
	runN8n(args: string[], env: NodeJS.ProcessEnv, opts?: { timeoutMs?: number }): Promise<ProcessResult>;
	run(command: string, args: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string; cwd?: string }): Promise<ProcessResult>;
	importCredentials(userFolder: string, creds: unknown, env?: NodeJS.ProcessEnv): Promise<ProcessResult>;
	importWorkflow(userFolder: string, workflow: unknown, env?: NodeJS.ProcessEnv): Promise<ProcessResult>;
	executeWorkflow(userFolder: string, id: string, opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ExecuteResult>;
	parseRunOutput(stdout: string): N8nRun | undefined;
	freePort(): Promise<number>;
	httpJson(method: string, url: string, opts?: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number }): Promise<{ status: number; headers: Record<string, any>; text: string; json: any }>;
	startN8n(userFolder: string, opts?: { port?: number; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; timeoutMs?: number }): Promise<{ url: string; output(): string; stop(): Promise<unknown> }>;
	ownerSession(baseUrl: string, owner: { email: string; firstName: string; lastName: string; password: string }): Promise<Record<string, string>>;
	publishWorkflows(baseUrl: string, headers: Record<string, string>, ids: string[]): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const runtime = require('../../scripts/n8n-runtime.js') as RuntimeModule;

export const REPO_DIR = runtime.REPO_DIR;
export const EXAMPLES_DIR = join(REPO_DIR, 'examples');
export const CREDENTIAL_ID = 'rbm-emulator';
export const CREDENTIAL_NAME = 'RBM Emulator';

/** Written by globalSetup: a user folder whose .n8n/nodes holds the installed package. */
export function templateUserFolder(): string {
	const dir = process.env.RBM_E2E_TEMPLATE;
	if (!dir || !existsSync(join(dir, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-rbm'))) {
		throw new Error('RBM_E2E_TEMPLATE is not set up: run the e2e tests with `jest -c jest.e2e.config.js` (its globalSetup installs n8n and the package)');
	}
	return dir;
}

export function loadExample(name: string): any {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8'));
}

/** One n8n instance (user folder + database) and one emulator, for one test file. */
export class E2eInstance {
	readonly userFolder: string;
	env: NodeJS.ProcessEnv;
	/** The in-process emulator (create); unset with createAtFakedClock, whose emulator is emulatorProcess. */
	emulator!: RbmEmulator;
	emulatorProcess?: EmulatorProcess;
	keyJson!: string;

	private constructor(readonly root: string) {
		this.userFolder = join(root, 'home');
		this.env = runtime.n8nEnv(this.userFolder);
	}

	private static prepare(): E2eInstance {
		const instance = new E2eInstance(mkdtempSync(join(tmpdir(), 'rbm-e2e-')));
		// A copy of the installed package (and of the migrated database, if the template has one).
		cpSync(templateUserFolder(), instance.userFolder, { recursive: true });
		return instance;
	}

	/**
	 * `otherCredentials` (n8n's credential export form) are imported with the RBM one, in one CLI call;
	 * `rbmExtra`: more fields of the RBM one (e.g. webhookClientToken).
	 */
	static async create(
		emulatorOptions: EmulatorOptions = {},
		otherCredentials: Array<{ id: string; name: string; type: string; data: Record<string, string> }> = [],
		rbmExtra: Record<string, string> = {},
	): Promise<E2eInstance> {
		const instance = E2eInstance.prepare();
		// HTTPS like Google; n8n trusts the emulator's CA the way users trust a corporate CA.
		instance.emulator = await startEmulator({ host: '127.0.0.1', port: 0, deliveryDelayMs: 60_000, tls: true, ...emulatorOptions });
		if (instance.emulator.caFile) instance.env = { ...instance.env, NODE_EXTRA_CA_CERTS: instance.emulator.caFile };
		instance.keyJson = JSON.stringify(instance.emulator.createServiceAccountKey());
		await instance.importRbmCredential(otherCredentials, rbmExtra);
		return instance;
	}

	/**
	 * Every n8n process of this instance starts its wall clock at `instant` (libfaketime,
	 * test/helpers/fakeClock.ts) and runs on from there; the emulator runs in a child process
	 * (HTTPS, `emulatorArgs` added to its CLI flags) whose clock starts at the same instant, so its
	 * certificate and token checks agree with n8n's clock. Use `emulatorProcess.stats()`.
	 */
	static async createAtFakedClock(instant: string, emulatorArgs: string[] = []): Promise<E2eInstance> {
		const clock = fakeClockEnv(instant);
		const instance = E2eInstance.prepare();
		try {
			instance.emulatorProcess = await startEmulatorProcess(clock, ['--https', ...emulatorArgs]);
			instance.env = { ...instance.env, ...clock, NODE_EXTRA_CA_CERTS: instance.emulatorProcess.caFile };
			instance.keyJson = instance.emulatorProcess.keyJson;
			await instance.importRbmCredential();
		} catch (error) {
			await instance.close();
			throw error;
		}
		return instance;
	}

	private async importRbmCredential(otherCredentials: Array<{ id: string; name: string; type: string; data: Record<string, string> }> = [], rbmExtra: Record<string, string> = {}): Promise<void> {
		await runtime.importCredentials(
			this.userFolder,
			[{ id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'rbmApi', data: this.credentialData(this.keyJson, rbmExtra) }, ...otherCredentials],
			this.env,
		);
	}

	credentialData(keyJson = this.keyJson, extra: Record<string, string> = {}): Record<string, string> {
		const url = this.emulatorProcess?.url ?? this.emulator.url;
		return { serviceAccountJson: keyJson, region: 'global', baseUrl: `${url}/{region}`, ...extra };
	}

	async importCredential(id: string, name: string, keyJson: string, extra: Record<string, string> = {}): Promise<void> {
		await runtime.importCredentials(this.userFolder, [{ id, name, type: 'rbmApi', data: this.credentialData(keyJson, extra) }], this.env);
	}

	/** One `n8n import:workflow` for all of them (n8n takes an array in one file): one CLI start, not one each. */
	async importWorkflows(workflows: unknown[]): Promise<void> {
		if (workflows.length > 0) await runtime.importWorkflow(this.userFolder, workflows, this.env);
	}

	async execute(workflowId: string, timeoutMs = 4 * 60 * 1000): Promise<ExecuteResult> {
		return await runtime.executeWorkflow(this.userFolder, workflowId, { env: this.env, timeoutMs });
	}

	/** Executes and insists on a successful run; shows n8n's output otherwise. */
	async executeOk(workflowId: string): Promise<N8nRun> {
		const result = await this.execute(workflowId);
		if (result.code !== 0 || !result.run || result.run.data.resultData.error) {
			throw new Error(
				`n8n execute --id=${workflowId} failed (exit ${result.code}${result.signal ? `, ${result.signal}` : ''}${result.timedOut ? ', timed out' : ''}):\n${describeError(result.run)}\n--- stdout (tail)\n${result.stdout.slice(-4000)}\n--- stderr (tail)\n${result.stderr.slice(-3000)}`,
			);
		}
		return result.run;
	}

	async close(): Promise<void> {
		await this.emulator?.close();
		await this.emulatorProcess?.close();
		rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
	}
}

export const E2E_OWNER = { email: 'owner@rbm-e2e.test', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-Passw0rd' };

/**
 * `n8n start` on this instance, then `workflowIds` published through its REST API as the owner (the
 * editor's Publish button): their triggers and webhooks are live when this resolves. One n8n start,
 * not one `n8n publish:workflow` CLI start per workflow before it.
 */
export async function startPublished(instance: E2eInstance, workflowIds: string[], env: NodeJS.ProcessEnv = instance.env): Promise<Awaited<ReturnType<RuntimeModule['startN8n']>>> {
	const server = await runtime.startN8n(instance.userFolder, { port: await runtime.freePort(), env });
	try {
		await runtime.publishWorkflows(server.url, await runtime.ownerSession(server.url, E2E_OWNER), workflowIds);
	} catch (error) {
		await server.stop();
		throw new Error(`${(error as Error).message}\n--- n8n (tail)\n${server.output().slice(-3000)}`);
	}
	return server;
}

export function describeError(run: N8nRun | undefined): string {
	const error = run?.data?.resultData?.error;
	if (!error) return '(no error in run data)';
	return JSON.stringify({ message: error.message, description: error.description, node: error.node?.name }, null, 2);
}

/** Outputs of every run of a node, concatenated per output index. */
export function outputs(run: N8nRun, nodeName: string): N8nItem[][] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	const merged: N8nItem[][] = [];
	for (const r of runs) {
		(r.data?.main ?? []).forEach((items, i) => {
			merged[i] = [...(merged[i] ?? []), ...(items ?? [])];
		});
	}
	return merged;
}

/** The outputs of one run of a node (default: its first). */
export function runOutputs(run: N8nRun, nodeName: string, runIndex = 0): N8nItem[][] {
	const r = run.data.resultData.runData[nodeName]?.[runIndex];
	if (!r) throw new Error(`node "${nodeName}" has no run ${runIndex}`);
	return (r.data?.main ?? []).map((items) => items ?? []);
}

export function pairedIndex(item: N8nItem): number {
	const p = item.pairedItem;
	if (typeof p === 'number') return p;
	if (Array.isArray(p)) return p[0].item;
	if (!p) throw new Error(`item has no pairedItem: ${JSON.stringify(item.json).slice(0, 200)}`);
	return p.item;
}

/** A workflow object built from an example: deep copy with a new id/name and edits. */
export function variant(base: any, id: string, name: string, edit: (wf: any) => void = () => {}): any {
	const wf = JSON.parse(JSON.stringify(base));
	wf.id = id;
	wf.name = name;
	edit(wf);
	return wf;
}

export function node(wf: any, name: string): any {
	const found = wf.nodes.find((n: any) => n.name === name);
	if (!found) throw new Error(`workflow ${wf.id} has no node "${name}"`);
	return found;
}

/** A Contacts Code node body returning these items. */
export function contactsCode(items: Array<Record<string, unknown>>): string {
	return `return ${JSON.stringify(items.map((json) => ({ json })), null, 2)};`;
}

export const repoPath = (...parts: string[]): string => resolve(REPO_DIR, ...parts);

export interface CredentialTestResult {
	status?: 'OK' | 'Error';
	message?: string;
	thrown?: string;
}

/**
 * The credential test the editor's "Test" button runs, from the installed package, with n8n's
 * n8n-core CredentialTestContext, in a Node 24 child process (see fixtures/credential-test.js).
 */
export async function runCredentialTest(instance: E2eInstance, data: Record<string, string>): Promise<{ result: CredentialTestResult; output: string }> {
	const { nodeBin, n8nDir } = runtime.layout();
	const res = await runtime.run(nodeBin, [join(__dirname, 'fixtures', 'credential-test.js'), instance.userFolder], {
		env: { ...instance.env, NODE_PATH: join(n8nDir, 'node_modules') },
		input: JSON.stringify({ id: CREDENTIAL_ID, name: CREDENTIAL_NAME, data }),
		timeoutMs: 60_000,
	});
	const line = res.stdout.trim().split('\n').pop() ?? '';
	let result: CredentialTestResult;
	try {
		result = JSON.parse(line) as CredentialTestResult;
	} catch {
		throw new Error(`credential test printed no result (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
	}
	return { result, output: `${res.stdout}\n${res.stderr}` };
}
