/**
 * Sending into an agent's quota (the emulator's agentQuotaPerSecond: a token bucket, 429 with
 * Retry-After beyond it): nothing is lost or sent twice, the node sends fewer at once after 429s,
 * and Max Messages per Second keeps a run under the quota.
 */
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => {
	fx.emulator.reset();
	fx.emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 20 } }, agentQuotaPerSecond: 20 });
});
afterAll(async () => fx.emulator.close());

const phones = (n: number) => Array.from({ length: n }, (_, i) => ({ phone: `+1650555${String(2000 + i).padStart(4, '0')}`, name: `P${i}` }));

describe('an agent quota of 20 messages per second', () => {
	test('Concurrency 20, 160 messages: every one accepted exactly once, none failed; after a 429 the node slows its starts', async () => {
		const r = await runNode({ items: phones(160), parameters: textParams({ options: { concurrency: 20, maxRetries: 10 } }), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(r.outputs[0]).toHaveLength(160);
		expect(r.outputs[0].every((i) => i.json.error === undefined)).toBe(true);
		const stats = fx.emulator.stats();
		expect(stats.accepted).toBe(160);
		expect(stats.duplicates).toBe(0);
		const limited = stats.quotaLimited['welcome-bot'] ?? 0;
		const requests = stats.requests['agentMessages.create'];
		expect(requests).toBe(160 + limited);
		// Without the gate's rate control every request that meets an empty bucket is refused: measured
		// 117 of 277 requests (42 %). With it, the refusals are the first burst's and a few probes:
		// 15–18 of about 177 (9–10 %).
		expect(limited).toBeLessThan(0.2 * requests);
	});

	test('runs of one process share what 429s taught: a run right after another (or beside it) starts at the learned pace', async () => {
		// a service account of its own: a gate no other test has taught
		const credentials = { ...fx.credentials, serviceAccountJson: JSON.stringify(fx.emulator.createServiceAccountKey({ clientEmail: 'pacing-shared@rbm-test.iam.gserviceaccount.com' })) };
		const first = await runNode({ items: phones(100), parameters: textParams({ options: { concurrency: 20, maxRetries: 10 } }), credentials });
		expect(first.outputs[0]).toHaveLength(100);
		expect(fx.emulator.stats().accepted).toBe(100);
		// The gate learns only from a cut, and cuts only after 3 refusals (CUT_MIN_REFUSED). Measured
		// 12–25: the 20 first requests empty the bucket of 20, the next ones come 20 ms later when it
		// holds 0.4; to stay under 20/s the client would need ~50 ms of CPU a request (1–3 ms here).
		expect(fx.emulator.stats().quotaLimited['welcome-bot']).toBeGreaterThanOrEqual(3);

		// The second run meets no quota at all, so nothing but the shared gate can slow it.
		fx.emulator.reset();
		fx.emulator.configure({ agentQuotaPerSecond: 0 });
		const started = Date.now();
		const second = await runNode({ items: phones(120).slice(100), parameters: textParams({ options: { concurrency: 20 } }), credentials });
		expect(second.outputs[0]).toHaveLength(20);
		const stats = fx.emulator.stats();
		expect(stats.quotaLimited).toEqual({});
		const last = Math.max(...Object.values(stats.messages).map((m) => Date.parse(m.acceptedAt)));
		// A wall-clock lower bound, which load cannot break: the gate only ever waits, so the 20th
		// request cannot reach the emulator before 19 start intervals have passed. The learned rate is
		// at most 90 % of what the quota let through in a second (a full bucket of 20 plus 20 refilled:
		// 36/s), and grows at most ~50 % in the second this run lasts: ≤ 54/s, 19 intervals ≥ 350 ms.
		// Measured: 810–950 ms (about 22/s). A gate of its own sends all 20 at once: done in ~75 ms.
		expect(last - started).toBeGreaterThanOrEqual(300);
	});

	test('Max Messages per Second 20: no 429 at all', async () => {
		const r = await runNode({ items: phones(40), parameters: textParams({ options: { concurrency: 20, maxPerSecond: 20 } }), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		const stats = fx.emulator.stats();
		expect(stats.accepted).toBe(40);
		expect(stats.quotaLimited).toEqual({});
		expect(stats.requests['agentMessages.create']).toBe(40);
	});

	test('Max Messages per Second must be a number from 0 to 10000', async () => {
		const r = await runNode({ items: phones(1), parameters: textParams({ options: { maxPerSecond: -5 } }), credentials: fx.credentials });
		expect(r.error?.message).toMatch(/Max Messages per Second must be from 0 \(no cap\) to 10000, got -5/);
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});
});
