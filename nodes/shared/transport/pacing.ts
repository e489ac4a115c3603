/**
 * How fast a run sends to RBM. RBM counts an agent's messages against a quota and answers 429
 * RESOURCE_EXHAUSTED beyond it; several workers of n8n's queue mode, each at the node's
 * Concurrency, can be far above it. The quota is a rate, so the run controls its rate of request
 * starts (every attempt, retries included, goes through the gate), AIMD as TCP does it:
 * - no limit until RBM first answers 429 (or the user's Max Messages per Second, if set);
 * - on a 429: the rate becomes 90 % of what RBM accepted in the last second (at most the current
 *   rate), at most once a second, and only for a request started since the last cut;
 * - on each success: the rate grows by 5 % (at least 1 message/s) per second, 5 % more for each
 *   second without a 429 (up to 10), back up to the cap: quota that another run leaves is taken up
 *   within seconds. Several runs sharing one agent settle on the quota between them.
 * Requests in flight stay bounded by Concurrency (the item loop).
 */
import { sleep } from 'n8n-workflow';

/** Spaces starts evenly so that no more than `perSecond` begin in any second. */
export function pacer(perSecond: number): () => Promise<void> {
	const interval = 1000 / perSecond;
	let next = 0;
	return async () => {
		const now = Date.now();
		const at = Math.max(now, next);
		next = at + interval;
		if (at > now) await sleep(at - now);
	};
}

/** After a cut: this share of the rate RBM accepted in the last second. */
const DECREASE = 0.9;
/** Growth per second without a 429: this share of the rate, at least MIN_STEP messages/s. */
const INCREASE = 0.05;
const MIN_STEP = 1;
/** The rate never drops below this (messages/s): a run always moves. */
const MIN_RATE = 0.5;
/**
 * At most one cut per this many ms: a quota refills over about a second, and the 429s of the
 * requests already on their way after a cut (and of their retries) say nothing new.
 */
const CUT_SPACING_MS = 1000;

/** A request's place in the gate: the episode it was started in decides whether its 429 cuts. */
export interface GateTicket {
	epoch: number;
}

export class RequestGate {
	/** Starts per second; Infinity = no limit. */
	private rate: number;
	private next = 0;
	private epoch = 0;
	private lastCut = -Infinity;
	/** Times (ms) of recent successes; those before `head` are older than a second. */
	private successes: number[] = [];
	private head = 0;
	/** For diagnostics and tests. */
	readonly stats = { throttled: 0, cuts: 0 };

	/** `maxPerSecond`: the user's cap (0 = none). */
	constructor(private readonly maxPerSecond = 0) {
		this.rate = maxPerSecond > 0 ? maxPerSecond : Infinity;
	}

	/** Starts per second now allowed (Infinity: no limit). */
	get currentRate(): number {
		return this.rate;
	}

	/** Waits for this request's start time; returns the ticket to give back with its answer. */
	async acquire(): Promise<GateTicket> {
		if (Number.isFinite(this.rate)) {
			const now = Date.now();
			const at = Math.max(now, this.next);
			this.next = at + 1000 / this.rate;
			if (at > now) await sleep(at - now);
		}
		return { epoch: this.epoch };
	}

	/** The request was answered (or failed): `throttled` when RBM said 429. */
	release(ticket: GateTicket, throttled: boolean, now = Date.now()): void {
		while (this.head < this.successes.length && this.successes[this.head] <= now - 1000) this.head++;
		if (this.head > 1024 && this.head * 2 > this.successes.length) {
			this.successes = this.successes.slice(this.head);
			this.head = 0;
		}
		if (throttled) {
			this.stats.throttled++;
			if (ticket.epoch !== this.epoch || now - this.lastCut < CUT_SPACING_MS) return;
			this.epoch++;
			this.lastCut = now;
			this.stats.cuts++;
			const accepted = this.successes.length - this.head;
			this.rate = Math.max(MIN_RATE, Math.min(this.rate, accepted > 0 ? accepted : MIN_RATE) * DECREASE);
			// the next start waits for the new spacing
			this.next = Math.max(this.next, now + 1000 / this.rate);
			return;
		}
		this.successes.push(now);
		if (!Number.isFinite(this.rate)) return;
		const cap = this.maxPerSecond > 0 ? this.maxPerSecond : Infinity;
		// Per success: (5 % of the rate, ≥ 1/s) per second, spread over the rate's successes in a second,
		// and faster the longer RBM has not refused anything (+5 % more per quiet second, up to 10):
		// quota another run has left is taken up within seconds, not minutes.
		const quietSeconds = Math.min(10, Math.max(0, (now - this.lastCut) / 1000));
		this.rate = Math.min(cap, this.rate + Math.max(MIN_STEP, this.rate * INCREASE * (1 + quietSeconds)) / this.rate);
	}
}
