/**
 * Google's JSON front end takes every field under its lowerCamelCase JSON name or under its
 * original proto name (proto3 JSON mapping: `content_message` = `contentMessage`). The node's
 * checks and the request use lowerCamelCase, so keys written the proto way are renamed first.
 * Only keys change, never values (postback data, texts and URLs stay exactly as given).
 */
import { ContentError } from './types';

/** A proto field name: lower case words joined by underscores (`open_url_action`, `lat_long`). */
const PROTO_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;

/** `open_url_action` → `openUrlAction`, the way protoc derives a JSON name; other keys unchanged. */
export function camelKey(key: string): string {
	if (!PROTO_NAME.test(key)) return key;
	return key.replace(/_([a-z0-9])/g, (_match, c: string) => c.toUpperCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of `value` with every object key, at any depth (through objects and lists), in
 * lowerCamelCase. A key given in both forms in one object is an error: which one wins would be a
 * guess. `path` names where `value` sits, for that error.
 */
export function normaliseKeys(value: unknown, path: string): unknown {
	if (Array.isArray(value)) return value.map((entry, i) => normaliseKeys(entry, `${path}[${i}]`));
	if (!isPlainObject(value)) return value;
	const out: Record<string, unknown> = {};
	const from = new Map<string, string>();
	for (const [key, entry] of Object.entries(value)) {
		const name = camelKey(key);
		const other = from.get(name);
		if (other !== undefined) {
			const [proto, json] = name === key ? [other, key] : [key, other];
			throw new ContentError(`"${proto}" and "${json}" are the same field written twice (proto and JSON name): keep one`, `${path}.${name}`);
		}
		from.set(name, key);
		// defineProperty: a key such as "__proto__" stays a plain key instead of changing the prototype.
		Object.defineProperty(out, name, { value: normaliseKeys(entry, `${path}.${name}`), enumerable: true, writable: true, configurable: true });
	}
	return out;
}
