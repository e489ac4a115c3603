/**
 * Simulated recipients (readRate, replyRate, optOutRate; emulator/README.md › Simulated
 * recipients): after DELIVERED the emulator pushes READ, text replies and "STOP" for seeded shares
 * of the messages, in that order per message, and counts what the webhook accepted. An independent
 * receiver on 127.0.0.1 records every push.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RbmEmulator } from '../../emulator';
import { parseArgs } from '../../emulator/cli';
import { api, getToken, sendPath, waitFor } from './helpers';

interface Push {
	type: string;
	phone: string;
	messageId?: string;
	text?: string;
}

let emu: RbmEmulator;
let receiver: http.Server;
let pushes: Push[] = [];
let answer = 200;
let answerAfterMs = 0;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
	receiver = http.createServer((req, res) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		res.on('finish', () => inFlight--);
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			if (answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, answerAfterMs));
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: { data: string } };
			const data = JSON.parse(Buffer.from(body.message.data, 'base64').toString('utf8')) as Record<string, string>;
			pushes.push({ type: data.eventType ?? 'text', phone: data.senderPhoneNumber, messageId: data.eventType ? data.messageId : undefined, text: data.text });
			res.statusCode = answer;
			res.end('ok');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
	const port = (receiver.address() as AddressInfo).port;
	emu = await startEmulator({ webhookUrl: `http://127.0.0.1:${port}/rbm`, webhookClientToken: 't', deliveryDelayMs: 5, seed: 7, readRate: 0.6, replyRate: 0.3, optOutRate: 0.4 });
});
afterAll(async () => {
	await emu.close();
	await new Promise((r) => receiver.close(r));
});
beforeEach(() => {
	emu.reset();
	pushes = [];
	answer = 200;
	answerAfterMs = 0;
	maxInFlight = 0;
});

const N = 200;
const phone = (i: number) => `+1650555${String(1000 + i).padStart(4, '0')}`;

/** Sends N messages (ids m-0 … m-199) and waits until every push the emulator started is answered. */
async function campaign(): Promise<void> {
	const token = await getToken(emu);
	for (let i = 0; i < N; i += 20) {
		await Promise.all(Array.from({ length: 20 }, (_, k) => api(emu, token, 'POST', sendPath(phone(i + k), `m-${i + k}`), { contentMessage: { text: 'Sale!' } })));
	}
	// All N delivered, and nothing they lead to still scheduled or on its way.
	await waitFor(
		() => {
			const { pushed, pushesPending } = emu.stats();
			return pushed.delivered + pushed.failed >= N && pushesPending === 0;
		},
		20_000,
		50,
	);
	// What the emulator counted has all reached the receiver (it records before it answers).
	const { pushed } = emu.stats();
	expect(pushes).toHaveLength(pushed.delivered + pushed.read + pushed.replies + pushed.optOuts + pushed.failed);
}

test('READ, replies and STOP for seeded shares, in order per message; stats count what the webhook accepted', async () => {
	await campaign();
	const { pushed, optOutPhones } = emu.stats();
	const of = (type: string) => pushes.filter((p) => p.type === type);
	const replies = of('text');
	const stops = replies.filter((p) => p.text === 'STOP');
	expect(of('DELIVERED')).toHaveLength(N);
	expect(pushed).toEqual({ delivered: N, read: of('READ').length, replies: replies.length - stops.length, optOuts: stops.length, failed: 0 });
	// The shares: 60 % read, 30 % of those reply, 40 % of replies are STOP (binomial, wide bounds).
	expect(pushed.read).toBeGreaterThan(0.6 * N - 35);
	expect(pushed.read).toBeLessThan(0.6 * N + 35);
	expect(replies.length).toBeGreaterThan(10);
	expect(replies.length).toBeLessThan(0.3 * pushed.read + 25);
	expect(stops.length).toBeGreaterThan(0);
	expect(stops.length).toBeLessThan(replies.length);
	expect(optOutPhones.sort()).toEqual(stops.map((p) => p.phone).sort());
	// Per message: READ after its DELIVERED; a reply only from a phone whose message was read, after the READ.
	for (const read of of('READ')) {
		expect(pushes.findIndex((p) => p.type === 'DELIVERED' && p.messageId === read.messageId)).toBeLessThan(pushes.indexOf(read));
		expect(read.phone).toBe(phone(Number(read.messageId!.slice(2))));
	}
	for (const reply of replies) {
		const readAt = pushes.findIndex((p) => p.type === 'READ' && p.phone === reply.phone);
		expect(readAt).toBeGreaterThanOrEqual(0);
		expect(readAt).toBeLessThan(pushes.indexOf(reply));
	}
	expect(new Set(replies.filter((p) => p.text !== 'STOP').map((p) => p.text)).size).toBeGreaterThan(1);
});

test('deterministic: the same seed and ids give the same reads and opt-outs; another seed others', async () => {
	const outcome = () => ({
		read: pushes.filter((p) => p.type === 'READ').map((p) => p.messageId).sort(),
		stop: pushes.filter((p) => p.text === 'STOP').map((p) => p.phone).sort(),
	});
	await campaign();
	const first = outcome();
	emu.reset();
	pushes = [];
	await campaign();
	expect(outcome()).toEqual(first);
	emu.configure({ seed: 8 });
	emu.reset();
	pushes = [];
	await campaign();
	expect(outcome().read).not.toEqual(first.read);
	emu.configure({ seed: 7 });
});

test('a push the webhook refuses is counted as failed, and that recipient goes no further', async () => {
	answer = 500;
	await campaign();
	expect(emu.stats().pushed).toEqual({ delivered: 0, read: 0, replies: 0, optOuts: 0, failed: N });
	expect(pushes.every((p) => p.type === 'DELIVERED')).toBe(true);
});

test('pushesPending counts what is still to come, and reset() starts it afresh', async () => {
	const token = await getToken(emu);
	await Promise.all(Array.from({ length: 20 }, (_, k) => api(emu, token, 'POST', sendPath(phone(k), `p-${k}`), { contentMessage: { text: 'Sale!' } })));
	await waitFor(() => emu.stats().pushesPending > 0, 5_000, 5);
	emu.reset();
	expect(emu.stats().pushesPending).toBe(0);
	await new Promise((resolve) => setTimeout(resolve, 200));
	expect(emu.stats().pushesPending).toBe(0);
});

test('webhookConcurrency: a slow webhook gets at most that many pushes at once, and all of them in the end', async () => {
	answerAfterMs = 30;
	emu.configure({ webhookConcurrency: 3 });
	try {
		await campaign();
	} finally {
		emu.configure({ webhookConcurrency: 0 });
	}
	expect(maxInFlight).toBe(3);
	const { pushed } = emu.stats();
	expect(pushed.delivered).toBe(N);
	expect(pushed.failed).toBe(0);
	expect(pushes).toHaveLength(pushed.delivered + pushed.read + pushed.replies + pushed.optOuts);
});

test('without webhookConcurrency the same slow webhook gets many at once (what the limit prevents)', async () => {
	answerAfterMs = 30;
	await campaign();
	expect(maxInFlight).toBeGreaterThan(3);
});

test('CLI flags', () => {
	expect(parseArgs(['--read-rate', '0.5', '--reply-rate=0.1', '--opt-out-rate', '0.2', '--webhook-concurrency', '8']).options).toMatchObject({ readRate: 0.5, replyRate: 0.1, optOutRate: 0.2, webhookConcurrency: 8 });
	expect(() => parseArgs(['--read-rate', '1.5'])).toThrow('--read-rate is a share 0..1');
});
