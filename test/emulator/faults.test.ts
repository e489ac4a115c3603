import { startEmulator, type RbmEmulator } from '../../emulator';
import { mulberry32 } from '../../emulator/faults';
import { api, getToken, sendPath, sleep } from './helpers';

const PHONE = '+12223334444';
const body = { contentMessage: { text: 'hi' } };

/** Status code, or the error code when the connection failed. */
async function outcome(emu: RbmEmulator, token: string, id: string): Promise<string> {
	try {
		const res = await api(emu, token, 'POST', sendPath(PHONE, id), body);
		return String(res.status);
	} catch (e) {
		return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
	}
}

describe('emulator: scripted faults', () => {
	let emu: RbmEmulator;
	let token: string;
	beforeAll(async () => {
		emu = await startEmulator({ timeoutMs: 150, deliveryDelayMs: 10_000 });
		token = await getToken(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => {
		emu.configure({ faults: {} });
		emu.reset();
	});
	const script = (steps: NonNullable<Parameters<RbmEmulator['configure']>[0]['faults']>[string]['script']) =>
		emu.configure({ faults: { 'agentMessages.create': { script: steps, retryAfterSeconds: 7 } } });

	it('429 carries Retry-After and RESOURCE_EXHAUSTED; 500 INTERNAL; 503 UNAVAILABLE; then ok', async () => {
		script(['429', '500', '503', 'ok']);
		const r429 = await api(emu, token, 'POST', sendPath(PHONE, 'f-1'), body);
		expect(r429.status).toBe(429);
		expect(r429.headers['retry-after']).toBe('7');
		expect(r429.json().error.status).toBe('RESOURCE_EXHAUSTED');
		const r500 = await api(emu, token, 'POST', sendPath(PHONE, 'f-1'), body);
		expect(r500.json().error).toMatchObject({ code: 500, status: 'INTERNAL' });
		const r503 = await api(emu, token, 'POST', sendPath(PHONE, 'f-1'), body);
		expect(r503.json().error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
		expect((await api(emu, token, 'POST', sendPath(PHONE, 'f-1'), body)).status).toBe(200);
		const s = emu.stats();
		expect(s.faultsInjected).toEqual({ '429': 1, '500': 1, '503': 1 });
		expect(s.accepted).toBe(1);
		expect(s.requests['agentMessages.create']).toBe(4);
	});

	it('502 and 504 answer like a proxy (not JSON)', async () => {
		script(['502', '504']);
		const r502 = await api(emu, token, 'POST', sendPath(PHONE, 'p-1'), body);
		expect(r502.status).toBe(502);
		expect(r502.headers['content-type']).toMatch(/text\/html/);
		const r504 = await api(emu, token, 'POST', sendPath(PHONE, 'p-1'), body);
		expect(r504.status).toBe(504);
		expect(() => r504.json()).toThrow();
	});

	it('garbage-html, empty-body and truncated-json answer 200 with unusable bodies', async () => {
		script(['garbage-html', 'empty-body', 'truncated-json']);
		const g = await api(emu, token, 'POST', sendPath(PHONE, 'g-1'), body);
		expect(g.status).toBe(200);
		expect(g.body).toMatch(/^<!DOCTYPE html>/);
		const e = await api(emu, token, 'POST', sendPath(PHONE, 'g-2'), body);
		expect(e.status).toBe(200);
		expect(e.body).toBe('');
		const t = await api(emu, token, 'POST', sendPath(PHONE, 'g-3'), body);
		expect(t.body).toBe('{"name": "phones/');
		// garbage-html / empty-body are answered before processing; truncated-json cuts the real answer
		expect(Object.keys(emu.stats().messages)).toEqual(['g-3']);
	});

	it('reset destroys the socket before processing; timeout holds it for timeoutMs', async () => {
		script(['reset', 'timeout']);
		expect(await outcome(emu, token, 'r-1')).toBe('ECONNRESET');
		const t0 = Date.now();
		const timedOut = await outcome(emu, token, 'r-1');
		expect(['ECONNRESET', 'socket hang up']).toContain(timedOut);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(120);
		expect(emu.stats().accepted).toBe(0);
		expect(emu.stats().faultsInjected).toEqual({ reset: 1, timeout: 1 });
	});

	it('reset-after-accept accepts the message once; the retry with the same id is a duplicate', async () => {
		script(['reset-after-accept']);
		expect(await outcome(emu, token, 'raa-1')).toBe('ECONNRESET');
		const retry = await api(emu, token, 'POST', sendPath(PHONE, 'raa-1'), body);
		expect(retry.status).toBe(409);
		const s = emu.stats();
		expect(s.accepted).toBe(1);
		expect(s.duplicates).toBe(1);
		expect(s.messages['raa-1'].count).toBe(2);
		expect(s.faultsInjected['reset-after-accept']).toBe(1);
	});

	it("a '*' script applies to any endpoint, the endpoint's own script first", async () => {
		emu.configure({ faults: { '*': { script: ['503'] }, getCapabilities: { script: ['500'] } } });
		const caps = () => api(emu, token, 'GET', `/v1/phones/${PHONE}/capabilities?agentId=a`);
		expect((await caps()).status).toBe(500);
		expect((await caps()).status).toBe(503);
		expect((await caps()).status).toBe(200);
	});

	it('applies fixed latency', async () => {
		emu.configure({ faults: { 'agentMessages.create': { latencyMs: 120 } } });
		const t0 = Date.now();
		await api(emu, token, 'POST', sendPath(PHONE, 'lat-1'), body);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
	});
});

describe('emulator: seeded fault rates', () => {
	async function sequence(seed: number): Promise<string[]> {
		const emu = await startEmulator({ seed, faults: { 'agentMessages.create': { rate429: 0.3, rate500: 0.2, rate503: 0.1 } } });
		try {
			const token = await getToken(emu);
			const out: string[] = [];
			for (let i = 0; i < 30; i++) out.push(await outcome(emu, token, `s-${i}`));
			return out;
		} finally {
			await emu.close();
		}
	}

	it('same seed ⇒ same fault sequence; another seed ⇒ a different one', async () => {
		const a = await sequence(42);
		const b = await sequence(42);
		const c = await sequence(7);
		expect(a).toEqual(b);
		expect(a).not.toEqual(c);
		expect(new Set(a)).toEqual(new Set(['200', '429', '500', '503']));
	});

	it('mulberry32 is deterministic', () => {
		const x = mulberry32(1);
		const y = mulberry32(1);
		expect([x(), x(), x()]).toEqual([y(), y(), y()]);
	});
});

describe('emulator: rate limit and concurrency tracking', () => {
	let emu: RbmEmulator;
	let token: string;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerSecond: 5, deliveryDelayMs: 10_000 });
		token = await getToken(emu);
	});
	afterAll(() => emu.close());

	it('answers 429 with Retry-After: 1 above rateLimitPerSecond', async () => {
		const results = await Promise.all(Array.from({ length: 8 }, (_, i) => api(emu, token, 'POST', sendPath(PHONE, `rl-${i}`), body)));
		const limited = results.filter((r) => r.status === 429);
		expect(results.filter((r) => r.status === 200)).toHaveLength(5);
		expect(limited).toHaveLength(3);
		expect(limited[0].headers['retry-after']).toBe('1');
		const s = emu.stats();
		expect(s.rateLimited).toBe(3);
		expect(s.peakRequestsPerSecond).toBeGreaterThanOrEqual(8);
	});

	it('tracks the maximum number of requests in flight', async () => {
		emu.configure({ rateLimitPerSecond: 0, faults: { '*': { latencyMs: 100 } } });
		emu.reset();
		await Promise.all(Array.from({ length: 4 }, (_, i) => api(emu, token, 'POST', sendPath(PHONE, `if-${i}`), body)));
		expect(emu.stats().maxInFlight).toBe(4);
		emu.configure({ rateLimitPerSecond: 5, faults: {} });
	});

	it('lets requests through again after the window', async () => {
		await sleep(1050);
		expect((await api(emu, token, 'POST', sendPath(PHONE, 'rl-after'), body)).status).toBe(200);
	});
});

describe('agent quota (agentQuotaPerSecond)', () => {
	let emu: RbmEmulator;
	let token: string;
	beforeAll(async () => {
		emu = await startEmulator({ agentQuotaPerSecond: 4, deliveryDelayMs: 10_000 });
		token = await getToken(emu);
	});
	afterAll(() => emu.close());
	const send = (agent: string, id: string) => api(emu, token, 'POST', `/v1/phones/${encodeURIComponent(PHONE)}/agentMessages?messageId=${id}&agentId=${agent}`, body);

	it("counts each agent's sends and events in its own bucket: beyond it, 429 with Retry-After", async () => {
		const a = await Promise.all(Array.from({ length: 6 }, (_, i) => send('agent-a', `qa-${i}`)));
		expect(a.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 429, 429]);
		const limited = a.find((r) => r.status === 429)!;
		expect(limited.headers['retry-after']).toBe('1');
		expect(JSON.parse(limited.body).error.status).toBe('RESOURCE_EXHAUSTED');
		// another agent has its own quota; an event of agent-a finds agent-a's bucket empty
		expect((await send('agent-b', 'qb-1')).status).toBe(200);
		const event = await api(emu, token, 'POST', `/v1/phones/${encodeURIComponent(PHONE)}/agentEvents?eventId=qe-1&agentId=agent-a`, { eventType: 'IS_TYPING' });
		expect(event.status).toBe(429);
		// capability checks are not messages: not counted
		expect((await api(emu, token, 'GET', `/v1/phones/${encodeURIComponent(PHONE)}/capabilities?requestId=r1&agentId=agent-a`)).status).toBe(200);
		expect(emu.stats().quotaLimited).toEqual({ 'agent-a': 3 });
		expect(emu.stats().accepted).toBe(5);
	});

	it('refills at the quota rate', async () => {
		await sleep(600); // 0.6 s × 4/s: two tokens back
		const r = await Promise.all([send('agent-a', 'qr-1'), send('agent-a', 'qr-2'), send('agent-a', 'qr-3')]);
		expect(r.map((x) => x.status).sort()).toEqual([200, 200, 429]);
	});

	it('is refused when negative, and off at 0', async () => {
		expect(() => emu.configure({ agentQuotaPerSecond: -1 })).toThrow(/agentQuotaPerSecond must be a non-negative number/);
		emu.configure({ agentQuotaPerSecond: 0 });
		const r = await Promise.all(Array.from({ length: 10 }, (_, i) => send('agent-a', `q0-${i}`)));
		expect(r.every((x) => x.status === 200)).toBe(true);
	});
});
