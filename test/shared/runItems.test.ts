/** The shared item loop: order, pairing, the concurrency bound and how items are started. */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorObject, runBatch, runItems, runSteps } from '../../nodes/shared/runItems';

const node: INode = { id: 'n1', name: 'Send', type: 'n8n-nodes-rbm.rbmSendMessage', typeVersion: 1, position: [0, 0], parameters: {} };

/** The few parts of n8n's execute context runItems reads. */
function context(count: number, continueOnFail = false, onError?: INode['onError']): IExecuteFunctions {
	const items = Array.from({ length: count }, (_, k) => ({ json: { k } }));
	return { getInputData: () => items, continueOnFail: () => continueOnFail, getNode: () => ({ ...node, onError }) } as unknown as IExecuteFunctions;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runItems', () => {
	test('outputs in input order, each paired with its input, whatever order items finish in', async () => {
		const outputs = await runItems(context(6), { outputs: 2, concurrency: 3 }, async (i) => {
			for (let t = 0; t < 6 - i; t++) await nextTurn();
			return { output: i % 2, json: { i } };
		});
		expect(outputs[0].map((o) => [o.json.i, o.pairedItem])).toEqual([0, 2, 4].map((i) => [i, { item: i }]));
		expect(outputs[1].map((o) => [o.json.i, o.pairedItem])).toEqual([1, 3, 5].map((i) => [i, { item: i }]));
	});

	test('never more than Concurrency items in flight, and the bound is reached', async () => {
		// No wall-clock hold (it was 15 ms: a loaded machine that took longer to start 5 items saw
		// at most 4 in flight). Item i stays in flight until item i + 4 has started, so the bound is
		// reached by construction whenever the loop allows 5 at once; then for two more zero timers.
		// The launch gate spaces starts with zero timers too (n8n-workflow's sleep(0)), and timers of
		// one duration fire in the order they were set: a 6th slot would start its item before those
		// two timers end. Load makes turns slower, never reorders them. A loop that allows fewer than
		// 5 never starts item i + 4: the item gives up after 1,000 turns (a count, not a time).
		const C = 5;
		const N = 40;
		const zeroTimer = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
		let started = 0;
		let inFlight = 0;
		let most = 0;
		await runItems(context(N), { outputs: 1, concurrency: C }, async (i) => {
			started++;
			inFlight++;
			most = Math.max(most, inFlight);
			for (let turns = 0; started < Math.min(i + C, N); turns++) {
				if (turns === 1000) throw new Error(`item ${i}: item ${i + C - 1} never started (${started} started)`);
				await zeroTimer();
			}
			await zeroTimer();
			await zeroTimer();
			inFlight--;
			return { output: 0, json: {} };
		});
		expect(started).toBe(N);
		expect(most).toBe(C);
	});

	test('items start at most one per event-loop turn: what an item set going (its socket I/O) runs before the next item starts', async () => {
		// Without this, the C items of a burst run their pre-send work interleaved and all their
		// requests leave together (round trip = latency + C × per-item work; see bench/README.md).
		// A setImmediate chain counts loop turns (one per check phase); each item records the turn it
		// started in. (Racing one setImmediate against the gate's 1 ms timer was flaky under load.)
		let turn = 0;
		let counting = true;
		const count = () => {
			turn++;
			if (counting) setImmediate(count);
		};
		setImmediate(count);
		const startedIn: number[] = [];
		try {
			await runItems(context(4), { outputs: 1, concurrency: 4 }, async () => {
				startedIn.push(turn);
				return { output: 0, json: {} };
			});
		} finally {
			counting = false;
		}
		expect(startedIn).toHaveLength(4);
		expect(new Set(startedIn).size).toBe(4);
	});

	test('without Continue On Fail the earliest failing item is reported and no new item starts after a failure', async () => {
		const started: number[] = [];
		const run = runItems(context(20), { outputs: 1, concurrency: 3 }, async (i) => {
			started.push(i);
			await nextTurn();
			if (i === 4 || i === 2) throw new Error(`bad ${i}`);
			return { output: 0, json: {} };
		});
		await expect(run).rejects.toThrow('bad 2');
		expect(Math.max(...started)).toBeLessThan(8);
	});

	test('with Continue On Fail a failing item comes out in its place, with the input\'s fields and the error; the rest go through', async () => {
		const outputs = await runItems(context(3, true), { outputs: 1, concurrency: 2 }, async (i) => {
			if (i === 1) throw new Error('no phone');
			return { output: 0, json: { i } };
		});
		expect(outputs[0].map((o) => o.json)).toEqual([{ i: 0 }, { k: 1, error: { message: 'no phone', itemIndex: 1 } }, { i: 2 }]);
		expect(outputs[0][1].pairedItem).toEqual({ item: 1 });
		// No item-level error: n8n-core would replace the json by { error } (normalizeNodeErrors).
		expect(outputs[0][1].error).toBeUndefined();
	});
});

describe('runSteps', () => {
	const steps = (log: string[], bad: number[]) => ({
		check: (i: number) => {
			log.push(`check ${i}`);
			if (bad.includes(i)) throw new NodeOperationError(node, `Item ${i + 1}: bad`, { itemIndex: i });
			return i === 2 ? { done: { output: 1, json: { skipped: i } } } : { send: { to: `p${i}` } };
		},
		send: async (i: number, checked: { to: string }) => {
			log.push(`send ${i}`);
			return { output: 0, json: { sentTo: checked.to } };
		},
		errorFields: (i: number, checked: { to: string } | undefined) => ({ phoneNumber: checked?.to ?? `raw${i}` }),
	});

	test('every item is checked before the first one is sent; checked values reach send, outcomes without a send go straight out', async () => {
		const log: string[] = [];
		const outputs = await runSteps(context(4), { outputs: 2, concurrency: 2 }, steps(log, []));
		expect(log.slice(0, 4)).toEqual(['check 0', 'check 1', 'check 2', 'check 3']);
		expect(log.slice(4).sort()).toEqual(['send 0', 'send 1', 'send 3']);
		expect(outputs[0].map((o) => [o.json.sentTo, o.pairedItem])).toEqual([['p0', { item: 0 }], ['p1', { item: 1 }], ['p3', { item: 3 }]]);
		expect(outputs[1].map((o) => [o.json.skipped, o.pairedItem])).toEqual([[2, { item: 2 }]]);
	});

	test('without Continue On Fail a bad item fails the node before anything is sent', async () => {
		const log: string[] = [];
		await expect(runSteps(context(4), { outputs: 2, concurrency: 2 }, steps(log, [1, 3]))).rejects.toMatchObject({ message: 'Item 2: bad' });
		expect(log).toEqual(['check 0', 'check 1']);
	});

	test('"Continue": the error item has the input\'s fields, the operation\'s fields at the top and in details, and the error', async () => {
		const outputs = await runSteps(context(4, true, 'continueRegularOutput'), { outputs: 2, concurrency: 2 }, steps([], [1]));
		expect(outputs[0].map((o) => o.json)).toEqual([
			{ sentTo: 'p0' },
			{ k: 1, phoneNumber: 'raw1', error: { message: 'Item 2: bad', itemIndex: 1 }, details: { phoneNumber: 'raw1' } },
			{ sentTo: 'p3' },
		]);
	});

	test('"Continue (using error output)": only error and details, which n8n-core moves to the error output and merges with the input item', async () => {
		const outputs = await runSteps(context(2, true, 'continueErrorOutput'), { outputs: 2, concurrency: 2 }, {
			...steps([], []),
			send: async (i: number) => {
				throw new NodeApiError(node, { code: 403, status: 'PERMISSION_DENIED', message: 'denied' }, { message: 'RBM send failed: 403', httpCode: '403', itemIndex: i });
			},
		});
		expect(outputs[0].map((o) => o.json)).toEqual([
			{ error: { message: 'RBM send failed: 403', description: expect.any(String), itemIndex: 0, code: 403, status: 'PERMISSION_DENIED' }, details: { phoneNumber: 'p0' } },
			{ error: expect.objectContaining({ itemIndex: 1, code: 403 }), details: { phoneNumber: 'p1' } },
		]);
	});

	test('errorObject: the field of an input error, Google\'s code from the HTTP code when the body has none', () => {
		const input = new NodeOperationError(node, 'Item 1: bad phone', { itemIndex: 0 });
		input.context.field = 'phoneNumber';
		expect(errorObject(input, 0)).toEqual({ message: 'Item 1: bad phone', field: 'phoneNumber', itemIndex: 0 });
		const api = new NodeApiError(node, { message: 'proxy said no' }, { message: 'RBM send failed', httpCode: '502', itemIndex: 3 });
		expect(errorObject(api, 3)).toMatchObject({ message: 'RBM send failed', itemIndex: 3, code: 502 });
	});
});

describe('runBatch', () => {
	const prepareOdd = (i: number) => {
		if (i % 2 === 1) throw new Error(`odd ${i}`);
		return i * 10;
	};

	test('prepared items go to process together; results in input order, paired with the items they stand for', async () => {
		let seen: Array<{ index: number; value: number }> = [];
		const outputs = await runBatch(context(5), { outputs: 2 }, (i) => i * 10, async (prepared) => {
			seen = prepared;
			// given out of order on purpose, and one result standing for two items
			return [
				{ output: 1, json: { v: 40 }, items: [4] },
				{ output: 0, json: { v: 'both' }, items: [2, 0] },
				{ output: 0, json: { v: 10 }, items: [1] },
			];
		});
		expect(seen).toEqual([0, 1, 2, 3, 4].map((index) => ({ index, value: index * 10 })));
		expect(outputs[0].map((o) => [o.json.v, o.pairedItem])).toEqual([
			['both', [{ item: 2 }, { item: 0 }]],
			[10, { item: 1 }],
		]);
		expect(outputs[1].map((o) => [o.json.v, o.pairedItem])).toEqual([[40, { item: 4 }]]);
	});

	test('Continue On Fail: a bad item becomes an error item in its place, the others are processed', async () => {
		const outputs = await runBatch(context(4, true), { outputs: 2 }, prepareOdd, async (prepared) =>
			prepared.map((p) => ({ output: 0, json: { v: p.value }, items: [p.index] })),
		);
		expect(outputs[0].map((o) => [o.json.v ?? o.json.error, o.pairedItem])).toEqual([
			[0, { item: 0 }],
			[{ message: 'odd 1', itemIndex: 1 }, { item: 1 }],
			[20, { item: 2 }],
			[{ message: 'odd 3', itemIndex: 3 }, { item: 3 }],
		]);
		expect(outputs[0][1].json.k).toBe(1);
	});

	test('without Continue On Fail the first bad item fails the node and nothing is processed', async () => {
		let processed = false;
		await expect(
			runBatch(context(4), { outputs: 1 }, prepareOdd, async () => {
				processed = true;
				return [];
			}),
		).rejects.toMatchObject({ message: 'odd 1', context: { itemIndex: 1 } });
		expect(processed).toBe(false);
	});
});
