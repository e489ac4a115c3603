/**
 * The item loop every RBM operation runs in: bounded concurrency, results in input order, each
 * output item paired with its input, Continue On Fail (both modes) per item. `runSteps` checks
 * every item before the first request, then sends; `runItems` is its one-step form (one item in,
 * one out); `runBatch` is the form for operations that send many items in one call.
 *
 * Error items (Continue On Fail) keep the input item's fields and carry a structured `error`
 * (errorObject), never n8n's item-level `error`: n8n-core replaces the json of an item that has
 * one by `{ error: message }` (WorkflowExecute.normalizeNodeErrors). With "Continue (using error
 * output)" n8n-core moves an item to the error output only when its json holds nothing but
 * `error`, `message` and `details` (WorkflowExecute.handleNodeErrorOutput), and then adds the
 * paired input item's fields itself; so there the json is `{ error, details }`, and `details` holds
 * what the operation adds (the recipient). With "Continue" the json is the input's fields, the
 * operation's fields at the top level and in `details`, and `error`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

export interface ItemOutcome {
	/** Index of the node output the item goes to (0 = first output). */
	output: number;
	json: IDataObject;
}

export type ItemHandler = (itemIndex: number) => Promise<ItemOutcome>;

/** What checking an item decided: an outcome that needs no request (e.g. suppressed), or what to send. */
export type Checked<T> = { done: ItemOutcome } | { send: T };

/** An operation's two steps per item (methods: runSteps gives `send` exactly what `check` returned). */
export interface ItemSteps<T> {
	/** Reads and checks item i without any request; throws the item's error. Runs for every item before the first send. */
	check(itemIndex: number): Checked<T>;
	/** Sends item i as checked. */
	send(itemIndex: number, checked: T): Promise<ItemOutcome>;
	/** What the item's error item carries besides the input's fields and `error` (e.g. the recipient), best effort. */
	errorFields?(itemIndex: number, checked: T | undefined): IDataObject;
}

type NodeError = NodeApiError | NodeOperationError;

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		// An error built elsewhere may lack the item: n8n shows "item N" from context.itemIndex.
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

/**
 * The `error` of an error item: the message, what to do (description), the field at fault
 * (`context.field`, set by itemInputs.inputError), the item it stands for (0-based, as n8n counts), and for an
 * RBM answer Google's HTTP status `code` and `status` (e.g. 400, "INVALID_ARGUMENT").
 */
export function errorObject(error: NodeError, itemIndex: number): IDataObject {
	const json: IDataObject = { message: error.message };
	if (typeof error.description === 'string' && error.description) json.description = error.description;
	if (typeof error.context.field === 'string') json.field = error.context.field;
	json.itemIndex = itemIndex;
	if (error instanceof NodeApiError) {
		const google = error.errorResponse as { code?: unknown; status?: unknown } | undefined;
		if (typeof google?.code === 'number' && google.code > 0) json.code = google.code;
		else if (error.httpCode && /^\d+$/.test(error.httpCode)) json.code = Number(error.httpCode);
		if (typeof google?.status === 'string') json.status = google.status;
	}
	return json;
}

/** Builds the error items of one run (see the top of this file for their shape). */
function errorItems(ctx: IExecuteFunctions) {
	const items = ctx.getInputData();
	const toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
	return (index: number, error: NodeError, fields: IDataObject): INodeExecutionData => {
		const details = Object.keys(fields).length > 0 ? { details: fields } : {};
		const json: IDataObject = toErrorOutput
			? { error: errorObject(error, index), ...details }
			: // The operation's fields (the recipient) first, as on the operation's other items; their values win.
				{ ...fields, ...items[index]?.json, ...fields, error: errorObject(error, index), ...details };
		return { json, pairedItem: { item: index } };
	};
}

/**
 * Items start at most one per event-loop turn. Without this, the C items of a burst (all C at the
 * start, or C answers arriving together) run their pre-send work interleaved on the one JS thread:
 * each waits for all the others' work before its request leaves, the C requests go out together,
 * come back together, and the burst never spreads: every round trip costs L + C × (per-item work).
 * Letting the loop turn (a zero timer: the socket connects and the request is written) before the
 * next start spreads requests and answers over the latency window; items whose answers already
 * arrive spread out start without waiting. The zero timer is ~1 ms, so a burst starts up to ~1,000
 * items a second: about what n8n's HTTP helper can send from one thread anyway.
 */
function launchGate(): () => Promise<void> {
	let last: Promise<void> = Promise.resolve();
	let turned: Promise<void> = Promise.resolve();
	return () => {
		last = last.then(async () => {
			await turned;
			turned = sleep(0);
		});
		return last;
	};
}

/** Items checked between two turns of the event loop. */
const CHECK_SLICE = 1000;

/**
 * Every item is checked (`steps.check`) before the first request: without Continue On Fail the
 * earliest bad item fails the node and nothing is sent; with it, bad items become error items and
 * the rest are sent. Then the checked items are sent with at most `concurrency` in flight.
 */
export async function runSteps<T>(ctx: IExecuteFunctions, options: { outputs: number; concurrency: number }, steps: ItemSteps<T>): Promise<INodeExecutionData[][]> {
	const count = ctx.getInputData().length;
	const results: Array<{ output: number; item: INodeExecutionData } | undefined> = new Array(count);
	const continueOnFail = ctx.continueOnFail();
	const errorItem = errorItems(ctx);
	const fail = (index: number, caught: unknown, checked: T | undefined) => {
		const error = asNodeError(ctx, caught, index);
		if (!continueOnFail) return error;
		let fields: IDataObject = {};
		try {
			fields = steps.errorFields?.(index, checked) ?? {};
		} catch {
			// The recipient could not be read either (e.g. a broken expression): the error says why.
		}
		results[index] = { output: 0, item: errorItem(index, error, fields) };
		return undefined;
	};

	const toSend: Array<{ index: number; checked: T }> = [];
	for (let index = 0; index < count; index++) {
		// A long list is checked in slices, so the process still serves other work (a cancel, other executions).
		if (index > 0 && index % CHECK_SLICE === 0) await sleep(0);
		try {
			const checked = steps.check(index);
			if ('done' in checked) results[index] = { output: checked.done.output, item: { json: checked.done.json, pairedItem: { item: index } } };
			else toSend.push({ index, checked: checked.send });
		} catch (caught) {
			const error = fail(index, caught, undefined);
			if (error) throw error;
		}
	}

	const failures: Array<{ index: number; error: NodeError }> = [];
	let next = 0;
	const takeTurn = launchGate();
	const worker = async () => {
		for (;;) {
			await takeTurn();
			if (next >= toSend.length || failures.length > 0) return;
			const { index, checked } = toSend[next++];
			try {
				const outcome = await steps.send(index, checked);
				results[index] = { output: outcome.output, item: { json: outcome.json, pairedItem: { item: index } } };
			} catch (caught) {
				const error = fail(index, caught, checked);
				if (error) {
					failures.push({ index, error });
					return;
				}
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, toSend.length));
	await Promise.all(Array.from({ length: workers }, worker));

	if (failures.length > 0) {
		// Items already in flight were allowed to finish; report the earliest failing item.
		failures.sort((a, b) => a.index - b.index);
		throw failures[0].error;
	}
	const outputs: INodeExecutionData[][] = Array.from({ length: options.outputs }, () => []);
	for (const result of results) if (result) outputs[result.output].push(result.item);
	return outputs;
}

/** runSteps for operations of one step: nothing to check beforehand, `handle` reads, checks and sends item i. */
export async function runItems(ctx: IExecuteFunctions, options: { outputs: number; concurrency: number }, handle: ItemHandler): Promise<INodeExecutionData[][]> {
	return await runSteps<undefined>(ctx, options, { check: () => ({ send: undefined }), send: async (index) => await handle(index) });
}

/** One output item of a batch: its output, its json, and the input items it stands for. */
export interface BatchResult {
	output: number;
	json: IDataObject;
	items: number[];
}

/**
 * The batch form of runItems. `prepare(i)` reads and checks each input item; what it throws is that
 * item's error (Continue On Fail: an error item on the first output, as runSteps makes it; otherwise
 * the node fails with the earliest one, before anything is sent). `process` then turns every
 * prepared item at once into results. Output items come in input order (by their first item), each
 * paired with the input items it stands for.
 */
export async function runBatch<T>(
	ctx: IExecuteFunctions,
	options: { outputs: number },
	prepare: (itemIndex: number) => T,
	process: (prepared: Array<{ index: number; value: T }>) => Promise<BatchResult[]>,
): Promise<INodeExecutionData[][]> {
	const count = ctx.getInputData().length;
	const continueOnFail = ctx.continueOnFail();
	const errorItem = errorItems(ctx);
	const prepared: Array<{ index: number; value: T }> = [];
	const placed: Array<{ first: number; output: number; item: INodeExecutionData }> = [];
	for (let index = 0; index < count; index++) {
		try {
			prepared.push({ index, value: prepare(index) });
		} catch (caught) {
			const error = asNodeError(ctx, caught, index);
			if (!continueOnFail) throw error;
			placed.push({ first: index, output: 0, item: errorItem(index, error, {}) });
		}
	}
	for (const result of await process(prepared)) {
		const pairs: IPairedItemData[] = result.items.map((item) => ({ item }));
		placed.push({ first: Math.min(...result.items), output: result.output, item: { json: result.json, pairedItem: pairs.length === 1 ? pairs[0] : pairs } });
	}
	// A stable sort: results of the same first item keep the order process gave them.
	placed.sort((a, b) => a.first - b.first);
	const outputs: INodeExecutionData[][] = Array.from({ length: options.outputs }, () => []);
	for (const p of placed) outputs[p.output].push(p.item);
	return outputs;
}
