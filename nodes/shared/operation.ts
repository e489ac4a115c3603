/**
 * The one contract every RBM operation follows, in both nodes (RBM and RBM Send Message):
 * - an Operation is its UI properties, its output count, and `execute` (one item in, one outcome
 *   out) or `executeBatch` (all items at once);
 * - runOperation builds the run's context once (settings, client, parameter reader, ids) and runs
 *   the operation over the items with bounded concurrency (runItems); an operation given as `steps`
 *   has every item checked before the first request (runSteps);
 * - a per-phone operation starts with `recipient` (client, options, E.164 phone, agent id) and ends
 *   with `notReachable` (RBM's 404: the Not Reachable output) or `succeeded` (RBM's answer with the
 *   request's own fields on top: the API body never overwrites phoneNumber, agentId or an id).
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { HintNouns } from './executionHints';
import { addRunHints } from './executionHints';
import { clientForRun, readAgentId, readPhone, runSettings } from './itemInputs';
import type { ItemReader } from './parameters';
import { parameterReader } from './parameters';
import type { ItemOutcome, ItemSteps } from './runItems';
import { runItems, runSteps } from './runItems';
import type { RbmClient, RbmResponse } from './transport/request';
import { OUTPUT_NOT_REACHABLE, OUTPUT_SUCCESS } from './outputs';

export { OUTPUT_DEFERRED, OUTPUT_NOT_REACHABLE, OUTPUT_SUCCESS } from './outputs';

/** What an operation needs from its run, made once per execution of the node. */
export interface RunContext {
	client: (itemIndex: number) => RbmClient;
	/** Reads a parameter for an item; expression-free parameters are resolved once per run. */
	read: ItemReader;
	/** n8n's getNode() copies the node on every call: read once per run. */
	node: INode;
	executionId: string | undefined;
	runIndex: number;
}

/** One item in, one outcome out; runOperation runs these with bounded concurrency. */
export type ItemOperation = (this: IExecuteFunctions, itemIndex: number, run: RunContext) => Promise<ItemOutcome>;

/** An operation in two steps per item: every item checked, then the checked ones sent (RBM Send Message). */
export type StepsOperation = (this: IExecuteFunctions, run: RunContext) => ItemSteps<unknown>;

/** An operation that needs all items at once (bulk capability check). */
export type BatchOperation = (this: IExecuteFunctions, run: RunContext) => Promise<INodeExecutionData[][]>;

export interface Operation {
	description: INodeProperties[];
	execute?: ItemOperation;
	steps?: StepsOperation;
	executeBatch?: BatchOperation;
	/**
	 * Output count: 2 when the operation routes unreachable phones to "Not Reachable"; a function when
	 * it depends on the node's parameters (RBM Send Message: 3 with a Send Window).
	 */
	outputs: 1 | 2 | ((ctx: IExecuteFunctions) => number);
	/** What the run's notices call what it sends (default: message / messages). */
	nouns?: HintNouns;
}

/** Runs one operation over the node's input items. */
export async function runOperation(this: IExecuteFunctions, operation: Operation): Promise<INodeExecutionData[][]> {
	const settings = runSettings(this);
	const run: RunContext = {
		client: await clientForRun(this, settings),
		read: parameterReader(this),
		node: this.getNode(),
		executionId: this.getExecutionId(),
		runIndex: this.getWorkflowDataProxy(0).$runIndex,
	};
	let outputs: INodeExecutionData[][];
	if (operation.executeBatch) outputs = await operation.executeBatch.call(this, run);
	else {
		const shape = { outputs: typeof operation.outputs === 'function' ? operation.outputs(this) : operation.outputs, concurrency: settings.concurrency };
		const execute = operation.execute;
		if (operation.steps) outputs = await runSteps(this, shape, operation.steps.call(this, run));
		else if (execute) outputs = await runItems(this, shape, async (i) => await execute.call(this, i, run));
		else throw new Error('An operation needs execute, steps or executeBatch');
	}
	addRunHints(this, outputs, operation.nouns);
	return outputs;
}

/** Options every per-phone operation has. */
export interface RecipientOptions {
	defaultCountry?: string;
}

export interface Recipient<O extends RecipientOptions> {
	client: RbmClient;
	options: O;
	/** E.164, as RBM takes it in its paths. */
	phoneNumber: string;
	agentId: string;
}

/** The start of every per-phone operation: the client, the item's options, its phone and agent, checked. */
export function recipient<O extends RecipientOptions = RecipientOptions>(ctx: IExecuteFunctions, i: number, run: RunContext): Recipient<O> {
	const client = run.client(i);
	const options = run.read('options', i, {}) as O;
	const phoneNumber = readPhone(ctx, i, options.defaultCountry, run.read);
	const agentId = readAgentId(ctx, i, run.read);
	return { client, options, phoneNumber, agentId };
}

/** Google's error of a handled (non-2xx) answer, as items carry it. */
export function googleError(response: RbmResponse): IDataObject {
	const { code, status, message } = response.error ?? { code: response.statusCode, status: 'UNKNOWN', message: `HTTP ${response.statusCode}` };
	return { code, status, message };
}

/**
 * Why RBM answers 404 for a phone, in plain words: Not Reachable items carry it as `reason`, next to
 * Google's own `error.message` ("Requested entity was not found.").
 */
export const NOT_REACHABLE_REASON =
	'This phone cannot get RCS messages from your agent: it has no RCS (or RCS is turned off), or your agent is not launched on its carrier yet (before launch, only test phones that accepted your invitation are reachable).';

/** The reason when Google's 404 itself (message or details) says the agent is not launched for the phone. */
export const NOT_LAUNCHED_REASON =
	'Your agent is not launched on this phone\'s carrier (or region) yet, as RBM\'s answer says: before launch, only test phones that accepted your invitation are reachable. Invite it as a tester or wait for the launch; meanwhile use another channel such as SMS.';

/** RBM answered 404 for this phone: it cannot be reached over RCS (the SMS fallback's output). */
export function notReachable(base: IDataObject, response: RbmResponse): ItemOutcome {
	const e = response.error;
	const notLaunched = e !== undefined && /launch/i.test(`${e.message} ${e.details ? JSON.stringify(e.details) : ''}`);
	return { output: OUTPUT_NOT_REACHABLE, json: { ...base, reason: notLaunched ? NOT_LAUNCHED_REASON : NOT_REACHABLE_REASON, error: googleError(response) } };
}

/** A success: RBM's answer (if any) with the request's own fields on top. */
export function succeeded(base: IDataObject, body?: unknown): ItemOutcome {
	const answer = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as IDataObject) : {};
	return { output: OUTPUT_SUCCESS, json: { ...answer, ...base } };
}
