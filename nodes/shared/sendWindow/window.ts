/**
 * Send Window (quiet hours): whether a message may go out now in the recipient's local time, and
 * if not, when the window next opens (docs/send-window.md). Pure functions of (zones, instant,
 * window): no clock is read here.
 *
 * Local time comes from Intl.DateTimeFormat with `timeZone` (ECMA-402, the runtime's ICU tz data;
 * https://tc39.es/ecma402/#datetimeformat-objects), so daylight-saving changes are the IANA rules.
 * The window is open while the wall clock shows a time in [From, To) on a chosen day:
 * - a window that opens inside a skipped hour (spring forward: 02:30 in New York on 2026-03-08)
 *   opens when the clocks jump (03:00 EDT), the first moment the clock shows a time past From;
 * - in a repeated hour (fall back) the window follows the clock: open at the first 01:30, and again
 *   when the clock shows 01:30 the second time if that is inside the window.
 * With several zones the window must be open in all of them at once (the most conservative rule).
 */
import type { RecipientZones, SeveralZonesRule } from './zones';
import { zonesOfPhone } from './zones';

/** Minutes since local midnight; To may be 24:00 (1440), the end of the day. */
export interface SendWindow {
	from: number;
	to: number;
	/** ISO weekdays the window opens on: 1 = Monday … 7 = Sunday. */
	days: ReadonlySet<number>;
}

export type WindowDecision =
	| { open: true }
	| {
			open: false;
			/** When the window next opens in every zone (ms since the epoch). */
			until: number;
			/** The zone that opens last at `until` (the one that held the message back). */
			zone: string;
			/** `until` on that zone's clock, ISO 8601 with its offset, e.g. 2026-03-09T09:00:00-04:00. */
			untilLocal: string;
	  }
	| { open: false; never: true };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far ahead the next opening is looked for: a week, plus a day for zone offsets and a margin. */
export const LOOK_AHEAD_DAYS = 9;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
	let f = formatters.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
		formatters.set(zone, f);
	}
	return f;
}

/** The zone's wall clock at instant t, as the ms a UTC clock would show the same date and time. */
function wallAt(zone: string, t: number): number {
	const p: Record<string, number> = {};
	for (const part of formatter(zone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
	return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
}

/** The zone's UTC offset at instant t, in ms (wall clock − UTC). */
export function offsetAt(zone: string, t: number): number {
	const second = Math.floor(t / 1000) * 1000;
	return wallAt(zone, second) - second;
}

function isoDay(wall: number): number {
	return ((new Date(wall).getUTCDay() + 6) % 7) + 1;
}

function openAt(zone: string, t: number, window: SendWindow): boolean {
	const wall = wallAt(zone, t);
	const minutes = Math.floor((wall % DAY) / MINUTE);
	return window.days.has(isoDay(wall)) && minutes >= window.from && minutes < window.to;
}

/** Whether the window is open at instant t in every zone. */
export function isOpen(zones: readonly string[], t: number, window: SendWindow): boolean {
	return zones.every((zone) => openAt(zone, t, window));
}

/** Instant t on the zone's clock, ISO 8601 with the offset (seconds precision). */
export function localIso(zone: string, t: number): string {
	const offset = offsetAt(zone, t);
	const wall = new Date(Math.floor(t / 1000) * 1000 + offset).toISOString().slice(0, 19);
	const sign = offset < 0 ? '-' : '+';
	const minutes = Math.abs(offset) / MINUTE;
	return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The instants (whole minutes) around [start, end] where the zone's offset changes, by bisection between 6-hour samples. */
function transitions(zone: string, start: number, end: number): number[] {
	const found: number[] = [];
	// Sampled on whole minutes: a `start` with seconds (any real "now") would otherwise put the
	// bisection's result that many seconds past the change (07:00:27Z instead of 07:00:00Z).
	let before = Math.floor(start / MINUTE) * MINUTE;
	let offset = offsetAt(zone, before);
	for (let t = before + 6 * HOUR; before < end; t += 6 * HOUR) {
		const next = offsetAt(zone, t);
		if (next !== offset) {
			let lo = before;
			let hi = t;
			while (hi - lo > MINUTE) {
				const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
				if (offsetAt(zone, mid) === offset) lo = mid;
				else hi = mid;
			}
			found.push(hi);
		}
		before = t;
		offset = next;
	}
	return found;
}

/** Every instant in [start, end] where the zone's clock shows From on a chosen day (two in a repeated hour, none in a skipped one). */
function fromInstants(zone: string, start: number, end: number, window: SendWindow): number[] {
	const found: number[] = [];
	const firstDay = Math.floor(wallAt(zone, start) / DAY) * DAY - DAY;
	for (let day = firstDay; day <= end + 2 * DAY; day += DAY) {
		if (!window.days.has(isoDay(day))) continue;
		const wall = day + window.from * MINUTE;
		const offsets = new Set([offsetAt(zone, wall - 14 * HOUR), offsetAt(zone, wall), offsetAt(zone, wall + 14 * HOUR)]);
		for (const offset of offsets) {
			const t = wall - offset;
			if (t >= start && t <= end && wallAt(zone, t) === wall) found.push(t);
		}
	}
	return found;
}

/**
 * Whether the window is open at `now` in every zone; if not, when it next opens in all of them.
 * The set of moments a zone is open starts only where its clock reaches From or jumps (a DST
 * change), so the first of those moments at which every zone is open is the next opening.
 * `never` when none comes within LOOK_AHEAD_DAYS (zones too far apart for the window).
 */
export function windowDecision(zones: readonly string[], now: number, window: SendWindow): WindowDecision {
	if (isOpen(zones, now, window)) return { open: true };
	const end = now + LOOK_AHEAD_DAYS * DAY;
	const starts = new Map<number, string>();
	for (const zone of zones) {
		for (const t of [...fromInstants(zone, now, end, window), ...transitions(zone, now, end)]) if (!starts.has(t)) starts.set(t, zone);
	}
	for (const t of [...starts.keys()].sort((a, b) => a - b)) {
		if (t > now && isOpen(zones, t, window)) {
			// The zone that held it back: one that was still closed the minute before.
			const zone = zones.find((z) => !openAt(z, t - MINUTE, window)) ?? starts.get(t)!;
			return { open: false, until: t, zone, untilLocal: localIso(zone, t) };
		}
	}
	return { open: false, never: true };
}

/** The decision for a phone: undefined recipient when its zone is unknown (no country, no fallback zone). */
export type PhoneDecision = { recipient: undefined } | ({ recipient: RecipientZones } & WindowDecision);

const memo = new Map<string, WindowDecision>();

/**
 * The Send Window for one phone at instant `now`: its zones (area code, country or fallback, see
 * zones.ts), then windowDecision. Decisions are remembered per zones, window and minute (From, To
 * and every zone's offset are whole minutes, so the answer is the same all minute long): a
 * campaign to one country computes it once a minute.
 */
export function sendWindowDecision(e164: string, now: number, window: SendWindow, rule: { severalZones: SeveralZonesRule; fallbackZone?: string }): PhoneDecision {
	const recipient = zonesOfPhone(e164, rule);
	if (!recipient) return { recipient };
	const key = `${recipient.zones.join(',')}|${window.from}-${window.to}|${[...window.days].join('')}|${Math.floor(now / MINUTE)}`;
	let decision = memo.get(key);
	if (!decision) {
		decision = windowDecision(recipient.zones, now, window);
		if (memo.size >= 1000) memo.clear();
		memo.set(key, decision);
	}
	// A deferred decision made earlier in the same minute holds for this instant too (the opening is still ahead).
	return { recipient, ...decision };
}
