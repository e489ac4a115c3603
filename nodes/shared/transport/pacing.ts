/**
 * How fast a run sends to RBM. RBM counts an agent's messages against a quota and answers 429
 * RESOURCE_EXHAUSTED beyond it; several workers of n8n's queue mode, each at the node's
 * Concurrency, can be far above it. The quota is a rate, so the run controls its rate of request
 * starts (every attempt, retries included, goes through the gate), AIMD as TCP does it:
 * - no limit until RBM first answers 429 (or the user's Max Messages per Second, if set);
 * - on a 429, when RBM refused at least 4 % of the requests answered in the last second (this one
 *   included; and at least 3 of them, or 20 answers in all: a handful of answers says little): the rate becomes 90 % of what RBM accepted in that second (at most the current rate;
 *   when it accepted none, half of what was started in it; never less than half the current rate),
 *   at most once a second, and only for a request started since the last cut. A quota overrun
 *   refuses many; a stray 429 among hundreds of accepted messages says little, and cutting 10 %
 *   for each would shrink a long run to a crawl (the threshold plays the role of DCTCP's marking
 *   share, https://www.rfc-editor.org/rfc/rfc8257);
 * - on each success: the rate grows by 5 % (at least 1 message/s) per second, 5 % more for each
 *   second without a 429 (up to 10), back up to the cap: quota that another run leaves is taken up
 *   within seconds. Several runs sharing one agent settle on the quota between them.
 * Requests in flight stay bounded by Concurrency (the item loop).
 *
 * What the gate learns belongs to the process, not to one run: in n8n's queue mode a campaign is
 * many short executions (chunks) on a few workers, and a chunk that started from "no limit" while
 * other chunks fill the quota would meet a wall of 429s every time. So every run of a process that
 * sends with the same service account to the same host shares one adaptive gate (sharedGate); a
 * run's Max Messages per Second is its own cap on top (RunGate). A gate idle for a minute forgets
 * what it learned: the quota may be free again.
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
/** A 429 cuts only when at least this share of the last second's answers were 429s … */
const CUT_SHARE = 0.04;
/** … and there were this many 429s, or this many answers, in that second. */
const CUT_MIN_REFUSED = 3;
const CUT_MIN_ANSWERS = 20;
/** Growth per second without a 429: this share of the rate, at least MIN_STEP messages/s. */
const INCREASE = 0.05;
const MIN_STEP = 1;
/** The rate never drops below this (messages/s): a run always moves. */
const MIN_RATE = 0.5;
/** A cut leaves at least this share of the rate (once the rate is known). */
const MAX_CUT = 0.5;
/** A cut when nothing was accepted in the last second: this share of what was sent in it. */
const NOTHING_ACCEPTED_DECREASE = 0.5;
/** A gate with no request for this long starts again from no limit (or the cap). */
const IDLE_RESET_MS = 60_000;
/**
 * At most one cut per this many ms: a quota refills over about a second, and the 429s of the
 * requests already on their way after a cut (and of their retries) say nothing new.
 */
const CUT_SPACING_MS = 1000;

/** A request's place in the gate: the episode it was started in decides whether its 429 cuts. */
export interface GateTicket {
	epoch: number;
}

/** What a client waits on before each attempt, and tells how it was answered. */
export interface Gate {
	acquire(): Promise<GateTicket>;
	release(ticket: GateTicket, throttled: boolean, now?: number): void;
}

/** Times (ms) of events in the last second. */
class LastSecond {
	private times: number[] = [];
	private head = 0;

	/** Drops what is older than a second before `now`; returns the count left. */
	count(now: number): number {
		while (this.head < this.times.length && this.times[this.head] <= now - 1000) this.head++;
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
		return this.times.length - this.head;
	}

	add(now: number): void {
		this.times.push(now);
	}
}

export class RequestGate implements Gate {
	/** Starts per second; Infinity = no limit. */
	private rate: number;
	private next = 0;
	private epoch = 0;
	private lastCut = -Infinity;
	private accepted = new LastSecond();
	private refused = new LastSecond();
	private started = new LastSecond();
	private lastActive = Date.now();
	/** For diagnostics and tests. */
	readonly stats = { throttled: 0, cuts: 0 };

	/** `maxPerSecond`: the user's cap (0 = none). */
	constructor(private readonly maxPerSecond = 0) {
		this.rate = maxPerSecond > 0 ? maxPerSecond : Infinity;
	}

	/** Back to the start: no limit but the cap, nothing seen. */
	private forget(): void {
		this.rate = this.maxPerSecond > 0 ? this.maxPerSecond : Infinity;
		this.next = 0;
		this.epoch++;
		this.lastCut = -Infinity;
		this.accepted = new LastSecond();
		this.refused = new LastSecond();
		this.started = new LastSecond();
	}

	/** Starts per second now allowed (Infinity: no limit). */
	get currentRate(): number {
		return this.rate;
	}

	/** Waits for this request's start time; returns the ticket to give back with its answer. */
	async acquire(): Promise<GateTicket> {
		const now = Date.now();
		if (now - this.lastActive > IDLE_RESET_MS) this.forget();
		this.lastActive = now;
		if (Number.isFinite(this.rate)) {
			const at = Math.max(now, this.next);
			this.next = at + 1000 / this.rate;
			if (at > now) await sleep(at - now);
		}
		this.started.add(Date.now());
		return { epoch: this.epoch };
	}

	/** The request was answered (or failed): `throttled` when RBM said 429. */
	release(ticket: GateTicket, throttled: boolean, now = Date.now()): void {
		const accepted = this.accepted.count(now);
		const refused = this.refused.count(now);
		if (throttled) {
			this.refused.add(now);
			this.stats.throttled++;
			if (ticket.epoch !== this.epoch || now - this.lastCut < CUT_SPACING_MS) return;
			const answers = accepted + refused + 1;
			if ((refused + 1) / answers < CUT_SHARE) return;
			// few answers say little: the very first answer of a run being a stray 429 is not a quota
			if (refused + 1 < CUT_MIN_REFUSED && answers < CUT_MIN_ANSWERS) return;
			this.epoch++;
			this.lastCut = now;
			this.stats.cuts++;
			// per second, also when the run is younger than a second (≥ 100 ms: fewer answers say little)
			// Counts of the last second, also in a run's first second: a quota's bucket lets a burst
			// through at once, and a rate extrapolated from it would overshoot. Nothing accepted (the
			// quota taken by others): half of what was sent, not the floor.
			const target = accepted > 0 ? accepted * DECREASE : this.started.count(now) * NOTHING_ACCEPTED_DECREASE;
			// At most halve a known rate per cut: one second of few answers (a pause, a neighbour that
			// took the bucket) must not drop a run to the floor, where it would take a minute to recover.
			const floor = Number.isFinite(this.rate) ? this.rate * MAX_CUT : 0;
			this.rate = Math.max(MIN_RATE, Math.min(this.rate, Math.max(target, floor)));
			// the next start waits for the new spacing
			this.next = Math.max(this.next, now + 1000 / this.rate);
			return;
		}
		this.accepted.add(now);
		if (!Number.isFinite(this.rate)) return;
		const cap = this.maxPerSecond > 0 ? this.maxPerSecond : Infinity;
		// Per success: (5 % of the rate, ≥ 1/s) per second, spread over the rate's successes in a second,
		// and faster the longer RBM has not refused anything (+5 % more per quiet second, up to 10):
		// quota another run has left is taken up within seconds, not minutes.
		const quietSeconds = Math.min(10, Math.max(0, (now - this.lastCut) / 1000));
		this.rate = Math.min(cap, this.rate + Math.max(MIN_STEP, this.rate * INCREASE * (1 + quietSeconds)) / this.rate);
	}
}

/** One run's gate: its own Max Messages per Second, then the process's shared adaptive gate. */
export class RunGate implements Gate {
	private readonly cap?: () => Promise<void>;

	constructor(
		private readonly shared: Gate,
		maxPerSecond = 0,
	) {
		if (maxPerSecond > 0) this.cap = pacer(maxPerSecond);
	}

	async acquire(): Promise<GateTicket> {
		if (this.cap) await this.cap();
		return await this.shared.acquire();
	}

	release(ticket: GateTicket, throttled: boolean, now?: number): void {
		this.shared.release(ticket, throttled, now);
	}
}

/** The adaptive gates of this process, one per service account and RBM host. */
const sharedGates = new Map<string, RequestGate>();

/** This process's adaptive gate for `key` (e.g. `${host} ${clientEmail}`). */
export function sharedGate(key: string): RequestGate {
	let gate = sharedGates.get(key);
	if (!gate) sharedGates.set(key, (gate = new RequestGate()));
	return gate;
}
