/**
 * The item loop every RBM operation runs in: bounded concurrency, results in input order, each
 * output item paired with its input, Continue On Fail (both modes) per item. `runItems` is one item
 * in, one out; `runBatch` is its form for operations that send many items in one call.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

export interface ItemOutcome {
	/** Index of the node output the item goes to (0 = first output). */
	output: number;
	json: IDataObject;
}

export type ItemHandler = (itemIndex: number) => Promise<ItemOutcome>;

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

export async function runItems(
	ctx: IExecuteFunctions,
	options: { outputs: number; concurrency: number },
	handle: ItemHandler,
): Promise<INodeExecutionData[][]> {
	const count = ctx.getInputData().length;
	const results: Array<{ output: number; item: INodeExecutionData } | undefined> = new Array(count);
	const continueOnFail = ctx.continueOnFail();
	const failures: Array<{ index: number; error: NodeError }> = [];
	let next = 0;
	const takeTurn = launchGate();

	const worker = async () => {
		for (;;) {
			await takeTurn();
			if (next >= count || failures.length > 0) return;
			const index = next++;
			try {
				const outcome = await handle(index);
				results[index] = { output: outcome.output, item: { json: outcome.json, pairedItem: { item: index } } };
			} catch (caught) {
				const error = asNodeError(ctx, caught, index);
				if (!continueOnFail) {
					failures.push({ index, error });
					return;
				}
				// n8n's convention: json { error }, the full error (description, httpCode) on the item,
				// which also routes it to the error output in "continueErrorOutput" mode.
				results[index] = { output: 0, item: { json: { error: error.message }, error, pairedItem: { item: index } } };
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, count));
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

/** One output item of a batch: its output, its json, and the input items it stands for. */
export interface BatchResult {
	output: number;
	json: IDataObject;
	items: number[];
}

/**
 * The batch form of runItems. `prepare(i)` reads and checks each input item; what it throws is that
 * item's error (Continue On Fail: an error item on the first output, as runItems makes it; otherwise
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
	const prepared: Array<{ index: number; value: T }> = [];
	const placed: Array<{ first: number; output: number; item: INodeExecutionData }> = [];
	for (let index = 0; index < count; index++) {
		try {
			prepared.push({ index, value: prepare(index) });
		} catch (caught) {
			const error = asNodeError(ctx, caught, index);
			if (!continueOnFail) throw error;
			placed.push({ first: index, output: 0, item: { json: { error: error.message }, error, pairedItem: { item: index } } });
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
