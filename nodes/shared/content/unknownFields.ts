/**
 * Message Type = JSON: a field name Google does not know ("txt" for "text") is refused by RBM as
 * "Unknown name"; the node names it before sending, where it is, with the nearest known name. The
 * field names come from Google's schema (contentFields.json, generated from schema/rbm-v1.json by
 * scripts/schema/contentFields.js).
 */
import table from './contentFields.json';
import { camelKey } from './normalise';
import { ContentError } from './types';

const MESSAGES: Record<string, Record<string, string>> = (table as { messages: Record<string, Record<string, string>> }).messages;
/** The AgentContentMessage: what Message Type = JSON holds (or its contentMessage). */
export const CONTENT_ROOT: string = (table as { root: string }).root;

/** The field names a message takes, lowerCamelCase. */
export function fieldsOf(message: string): string[] {
	return Object.keys(MESSAGES[message] ?? {});
}

/** Edit distance (insert, delete, replace, swap of two neighbours), case ignored. */
function distance(a: string, b: string): number {
	const s = a.toLowerCase();
	const t = b.toLowerCase();
	const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i <= s.length; i++) {
		for (let j = 1; j <= t.length; j++) {
			const cost = s[i - 1] === t[j - 1] ? 0 : 1;
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
		}
	}
	return d[s.length][t.length];
}

/** The known name nearest to `name`, if one is close enough to be what was meant. */
export function nearest(name: string, known: readonly string[]): string | undefined {
	let best: { name: string; d: number } | undefined;
	for (const candidate of known) {
		const d = distance(name, candidate);
		if (!best || d < best.d) best = { name: candidate, d };
	}
	if (!best) return undefined;
	const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(name.length, best.name.length) / 3)));
	return best.d <= allowed ? best.name : undefined;
}

/** The error for field `key` (as written) at `path`, which `message` does not have. */
export function unknownField(key: string, path: string, message: string, known: readonly string[]): ContentError {
	const guess = nearest(camelKey(key), known);
	return new ContentError(
		guess
			? `The JSON has an unknown field "${key}": did you mean "${guess}"?`
			: `The JSON has an unknown field "${key}": RBM's ${message} takes ${known.join(', ')}`,
		path,
	);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Throws for the first field of `value` (read as Google's `message`, at `path`) that Google's
 * schema does not have, at any depth. Keys may be lowerCamelCase or proto snake_case. Values of the
 * wrong kind (a list where a card goes) are left to the limit checks, which say what is expected.
 */
export function checkFieldNames(value: unknown, path: string, message = CONTENT_ROOT): void {
	const fields = MESSAGES[message];
	if (!fields || !isObject(value)) return;
	for (const [key, entry] of Object.entries(value)) {
		const name = camelKey(key);
		if (!Object.prototype.hasOwnProperty.call(fields, name)) throw unknownField(key, `${path}.${name}`, message, Object.keys(fields));
		const ref = fields[name];
		if (!ref) continue;
		// A list of messages ("Suggestion[]"): its elements; anything else there is for the limit checks.
		if (ref.endsWith('[]')) {
			if (Array.isArray(entry)) entry.forEach((element, i) => checkFieldNames(element, `${path}.${name}[${i}]`, ref.slice(0, -2)));
		} else checkFieldNames(entry, `${path}.${name}`, ref);
	}
}
