/** The request gate (AIMD on the rate of request starts) and the even pacer. */
import { pacer, RequestGate } from '../../../nodes/shared/transport/pacing';

describe('RequestGate', () => {
	test('no limit until 429s are 4 % of answers; then 90 % of what RBM accepted in the last second, at most one cut a second', async () => {
		const gate = new RequestGate();
		expect(gate.currentRate).toBe(Infinity);
		const t0 = 1_000_000;
		const tickets = await Promise.all(Array.from({ length: 40 }, async () => await gate.acquire()));
		// 30 accepted in the first second, then 429s of requests started before any cut
		for (let k = 0; k < 30; k++) gate.release(tickets[k], false, t0 + 50 + k * 30);
		gate.release(tickets[30], true, t0 + 1040);
		// one 429 in 31 answers: under 4 %, a stray one
		expect(gate.stats).toMatchObject({ throttled: 1, cuts: 0 });
		gate.release(tickets[31], true, t0 + 1045);
		// two in 32: 90 % of the 30 accepted
		expect(gate.stats).toMatchObject({ throttled: 2, cuts: 1 });
		expect(gate.currentRate).toBeCloseTo(27, 5);
		// 429s of requests started after the cut, but within a second of it: no second cut
		for (const at of [1500, 1600, 1700]) gate.release(await gate.acquire(), true, t0 + at);
		expect(gate.stats.cuts).toBe(1);
		// a second later it cuts again: 90 % of the one accepted would be 0.9/s, but a cut at most halves
		gate.release({ epoch: 1 }, false, t0 + 1800);
		const before = gate.currentRate;
		gate.release(await gate.acquire(), true, t0 + 2100);
		expect(gate.stats.cuts).toBe(2);
		expect(gate.currentRate).toBeCloseTo(before / 2, 5);
	});

	test('a run whose first answers include a stray 429 is not cut: a handful of answers says little', async () => {
		const gate = new RequestGate();
		const t0 = 2_000_000;
		gate.release(await gate.acquire(), true, t0);
		for (let k = 1; k <= 5; k++) gate.release(await gate.acquire(), false, t0 + k);
		gate.release(await gate.acquire(), true, t0 + 10);
		expect(gate.stats).toMatchObject({ throttled: 2, cuts: 0 });
		expect(gate.currentRate).toBe(Infinity);
	});

	test('nothing accepted in the last second (the quota taken by others): half of what was started in it', async () => {
		const gate = new RequestGate();
		const tickets = await Promise.all(Array.from({ length: 40 }, async () => await gate.acquire()));
		for (const ticket of tickets.slice(0, 3)) gate.release(ticket, true);
		expect(gate.stats.cuts).toBe(1);
		expect(gate.currentRate).toBe(20);
	});

	test('grows back after a cut, faster the longer RBM refuses nothing, up to Max Messages per Second', async () => {
		const gate = new RequestGate(100);
		expect(gate.currentRate).toBe(100);
		let now = 5_000_000;
		for (let k = 0; k < 50; k++) gate.release({ epoch: 0 }, false, (now += 20));
		// 50 accepted in the last second, then 429s: 90 % of that is 45, but a cut at most halves (100 → 50)
		for (let k = 0; k < 3; k++) gate.release(await gate.acquire(), true, (now += 1));
		expect(gate.currentRate).toBe(50);
		const cut = gate.currentRate;
		// one second of successes at that rate: +5 % and a bit (quiet for up to 1 s)
		const rateAt = (seconds: number) => {
			const end = now + seconds * 1000;
			while (now < end) gate.release({ epoch: -1 }, false, (now += 1000 / gate.currentRate));
			return gate.currentRate;
		};
		const first = rateAt(1);
		expect(first).toBeGreaterThan(cut * 1.05);
		expect(first).toBeLessThan(cut * 1.15);
		// quiet for longer: the growth speeds up and reaches the cap within a few seconds
		expect(rateAt(5)).toBe(100);
		expect(rateAt(5)).toBe(100);
	});

	/** Simulates `seconds` of a run answered at `throughput`/s at most, `refusedShare` of answers 429. */
	function simulate(gate: RequestGate, seconds: number, throughput: number, refusedShare: number, start = 10_000_000) {
		let now = start;
		// a fixed-seed LCG: random, repeatable refusals
		let seed = 12345;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const end = now + seconds * 1000;
		while (now < end) {
			now += 1000 / Math.min(throughput, gate.currentRate);
			gate.release({ epoch: gate['epoch'] as number }, random() < refusedShare, now);
		}
		return gate.currentRate;
	}

	test('stray 429s (2.5 % of answers) cost a few per cent, they do not shrink a long run', () => {
		const gate = new RequestGate();
		// the first 429 sets a rate; a minute later the run still goes at ≥ 90 % of what RBM answers
		const rate = simulate(gate, 60, 400, 0.025);
		expect(gate.stats.throttled).toBeGreaterThan(400);
		expect(rate).toBeGreaterThan(0.9 * 400);
	});

	test('a quota overrun (30 % of answers 429) cuts at once, to what RBM accepted', () => {
		const gate = new RequestGate();
		simulate(gate, 10, 400, 0.3);
		expect(gate.stats.cuts).toBeGreaterThanOrEqual(1);
		expect(gate.currentRate).toBeLessThan(0.2 * 400);
	});

	test('a gate idle for a minute forgets what it learned', async () => {
		const gate = new RequestGate();
		let now = Date.now() - 120_000;
		for (let k = 0; k < 20; k++) gate.release({ epoch: 0 }, false, (now += 10));
		for (let k = 0; k < 3; k++) gate.release({ epoch: 0 }, true, (now += 1));
		expect(gate.currentRate).toBeCloseTo(18, 5);
		gate['lastActive'] = now;
		await gate.acquire();
		expect(gate.currentRate).toBe(Infinity);
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
