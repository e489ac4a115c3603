/** The request gate (AIMD on the rate of request starts) and the even pacer. */
import { pacer, RequestGate } from '../../../nodes/shared/transport/pacing';

describe('RequestGate', () => {
	test('no limit until a 429; then 90 % of what RBM accepted in the last second, at most one cut a second', async () => {
		const gate = new RequestGate();
		expect(gate.currentRate).toBe(Infinity);
		const t0 = 1_000_000;
		const tickets = await Promise.all(Array.from({ length: 30 }, async () => await gate.acquire()));
		// 20 accepted within the last second, then three 429s of requests started before any cut
		for (let k = 0; k < 20; k++) gate.release(tickets[k], false, t0 + k * 50);
		gate.release(tickets[20], true, t0 + 960);
		gate.release(tickets[21], true, t0 + 970);
		gate.release(tickets[22], true, t0 + 980);
		expect(gate.currentRate).toBeCloseTo(18, 5);
		expect(gate.stats).toMatchObject({ throttled: 3, cuts: 1 });
		// a 429 of a request started after the cut, but within a second of it: no second cut
		const soon = await gate.acquire();
		gate.release(soon, true, t0 + 1500);
		expect(gate.stats.cuts).toBe(1);
		// a second later it cuts again, from what was accepted in the last second (none: the floor)
		const later = await gate.acquire();
		gate.release(later, true, t0 + 2500);
		expect(gate.stats.cuts).toBe(2);
		expect(gate.currentRate).toBe(0.5);
	});

	test('grows back after a cut, faster the longer RBM refuses nothing, up to Max Messages per Second', async () => {
		const gate = new RequestGate(100);
		expect(gate.currentRate).toBe(100);
		let now = 5_000_000;
		for (let k = 0; k < 50; k++) gate.release({ epoch: 0 }, false, (now += 10));
		gate.release(await gate.acquire(), true, (now += 10)); // 50 accepted in the last second → 45/s
		expect(gate.currentRate).toBeCloseTo(45, 5);
		// one second of successes at that rate: +5 % and a bit (quiet for up to 1 s)
		const rateAt = (seconds: number) => {
			const end = now + seconds * 1000;
			while (now < end) gate.release({ epoch: -1 }, false, (now += 1000 / gate.currentRate));
			return gate.currentRate;
		};
		const first = rateAt(1);
		expect(first).toBeGreaterThan(45 * 1.05);
		expect(first).toBeLessThan(45 * 1.15);
		// quiet for longer: the growth speeds up and reaches the cap within a few seconds
		expect(rateAt(5)).toBe(100);
		expect(rateAt(5)).toBe(100);
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
