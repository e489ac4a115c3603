/** The request gate (AIMD on the rate of request starts) and the even pacer. */
import { pacer, RequestGate } from '../../../nodes/shared/transport/pacing';

describe('RequestGate', () => {
	test('no limit until a 429; then 85 % of what RBM accepted in the last second, once per episode', async () => {
		const gate = new RequestGate();
		expect(gate.currentRate).toBe(Infinity);
		const t0 = 1_000_000;
		const tickets = await Promise.all(Array.from({ length: 30 }, async () => await gate.acquire()));
		// 20 accepted within the last second, then three 429s of requests started before any cut
		for (let k = 0; k < 20; k++) gate.release(tickets[k], false, t0 + k * 50);
		gate.release(tickets[20], true, t0 + 960);
		gate.release(tickets[21], true, t0 + 970);
		gate.release(tickets[22], true, t0 + 980);
		expect(gate.currentRate).toBeCloseTo(17, 5);
		expect(gate.stats).toMatchObject({ throttled: 3, cuts: 1 });
		// a 429 of a request started after the cut cuts again, from what was accepted in the last second
		const after = await gate.acquire();
		gate.release(after, true, t0 + 1250); // the successes at t0+300 … t0+950 are in the last second: 14
		expect(gate.currentRate).toBeCloseTo(14 * 0.85, 5);
		expect(gate.stats.cuts).toBe(2);
	});

	test('grows about 1 message/s per second of successes, up to Max Messages per Second; never below 0.5/s', async () => {
		const gate = new RequestGate(10);
		expect(gate.currentRate).toBe(10);
		let now = 5_000_000;
		gate.release(await gate.acquire(), true, now); // nothing accepted in the last second
		expect(gate.currentRate).toBe(0.5);
		// at 5/s for the sake of the arithmetic: each success adds 1/rate
		const release = () => gate.release({ epoch: -1 }, false, (now += 100));
		for (let k = 0; k < 20; k++) release();
		expect(gate.currentRate).toBeGreaterThan(4);
		for (let k = 0; k < 500; k++) release();
		expect(gate.currentRate).toBe(10);
	});

	test('spaces starts at the current rate', async () => {
		const gate = new RequestGate(50);
		const started = Date.now();
		for (let k = 0; k < 6; k++) await gate.acquire();
		expect(Date.now() - started).toBeGreaterThanOrEqual(95);
	});
});

describe('pacer', () => {
	test('spaces starts 1/N s apart', async () => {
		const pace = pacer(50);
		const started = Date.now();
		for (let k = 0; k < 6; k++) await pace();
		// the first starts at once, the next five 20 ms apart each
		expect(Date.now() - started).toBeGreaterThanOrEqual(95);
	});
});
