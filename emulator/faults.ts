/**
 * Seeded, deterministic fault injection. Every endpoint key has its own PRNG streams (one for the
 * fault draw, one for jitter), so the fault sequence an endpoint sees depends only on the seed and
 * on how many requests that endpoint received — not on traffic to other endpoints.
 */
import { createHash } from 'node:crypto';
import type { FaultKind, FaultSpec, ScriptStep } from './types';

/** mulberry32: tiny, fast, good enough for test traffic. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A 32-bit seed for the named stream: the same seed and name always give the same number. */
export function streamSeed(seed: number, name: string): number {
	return createHash('sha256').update(`${seed}:${name}`).digest().readUInt32BE(0);
}

export interface FaultDecision {
	delayMs: number;
	kind: FaultKind | null;
	retryAfterSeconds: number;
}

const RATE_KINDS: Array<[keyof FaultSpec, FaultKind]> = [
	['rate429', '429'],
	['rate500', '500'],
	['rate503', '503'],
	['rateReset', 'reset'],
	['rateTimeout', 'timeout'],
];

const VALID_STEPS = new Set<ScriptStep>([
	'ok', '400', '403', '429', '500', '502', '503', '504', 'reset', 'timeout',
	'reset-after-accept', 'garbage-html', 'empty-body', 'truncated-json',
]);

export function validateFaults(faults: Record<string, FaultSpec>): string | null {
	for (const [key, spec] of Object.entries(faults)) {
		for (const step of spec.script ?? []) {
			if (!VALID_STEPS.has(step)) return `faults.${key}.script: unknown step "${String(step)}"`;
		}
		for (const [field] of RATE_KINDS) {
			const v = spec[field];
			if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1)) return `faults.${key}.${field} must be 0..1`;
		}
	}
	return null;
}

export class FaultInjector {
	private seed: number;
	private faults: Record<string, FaultSpec>;
	private scripts = new Map<string, ScriptStep[]>();
	private streams = new Map<string, () => number>();

	constructor(seed: number, faults: Record<string, FaultSpec>) {
		this.seed = seed;
		this.faults = faults;
		this.rearm();
	}

	/** Replaces the fault table; scripts are re-armed and PRNG streams restart from the seed. */
	configure(seed: number, faults: Record<string, FaultSpec>): void {
		this.seed = seed;
		this.faults = faults;
		this.rearm();
	}

	/** Drops remaining script steps and restarts the PRNG streams; rates and latency stay. */
	clearScripts(): void {
		this.scripts.clear();
		this.streams.clear();
	}

	private rearm(): void {
		this.scripts.clear();
		this.streams.clear();
		for (const [key, spec] of Object.entries(this.faults)) {
			if (spec.script?.length) this.scripts.set(key, [...spec.script]);
		}
	}

	private stream(name: string): () => number {
		let s = this.streams.get(name);
		if (!s) {
			s = mulberry32(streamSeed(this.seed, name));
			this.streams.set(name, s);
		}
		return s;
	}

	/** Effective spec for an endpoint: the endpoint's own fields win over '*'. */
	spec(key: string): FaultSpec {
		return { ...this.faults['*'], ...this.faults[key] };
	}

	next(key: string): FaultDecision {
		const spec = this.spec(key);
		const retryAfterSeconds = spec.retryAfterSeconds ?? 1;
		const jitterDraw = this.stream(`${key}:jitter`)();
		const faultDraw = this.stream(`${key}:fault`)();
		const delayMs = Math.max(0, (spec.latencyMs ?? 0) + Math.floor(jitterDraw * (spec.jitterMs ?? 0)));

		const step = this.takeScript(key) ?? this.takeScript('*');
		if (step !== undefined) return { delayMs, kind: step === 'ok' ? null : step, retryAfterSeconds };

		let acc = 0;
		for (const [field, kind] of RATE_KINDS) {
			acc += (spec[field] as number | undefined) ?? 0;
			if (faultDraw < acc) return { delayMs, kind, retryAfterSeconds };
		}
		return { delayMs, kind: null, retryAfterSeconds };
	}

	private takeScript(key: string): ScriptStep | undefined {
		const queue = this.scripts.get(key);
		if (!queue || queue.length === 0) return undefined;
		return queue.shift();
	}

	remainingScript(key: string): number {
		return this.scripts.get(key)?.length ?? 0;
	}
}
