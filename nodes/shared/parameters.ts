/**
 * Parameter reading for item loops. At campaign scale n8n's parameter resolution is most of a
 * node's CPU per item (n8n 2.x evaluates every expression in an isolated VM), so:
 * - a parameter whose stored value holds no expression is the same for every item: resolved once;
 * - a parameter that is exactly `{{ $json.a.b }}` is read from the item's json directly, which is
 *   what n8n's evaluation of that expression returns.
 * Everything else goes through `getNodeParameter` as usual.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

export type ParameterReader = (name: string, itemIndex: number, fallback?: unknown) => unknown;

const JSON_PATH = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*)+)\s*\}\}$/;

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

function jsonPathOf(value: unknown): string[] | undefined {
	if (typeof value !== 'string') return undefined;
	const match = JSON_PATH.exec(value);
	return match ? match[1].slice(1).split('.') : undefined;
}

function valueAt(json: IDataObject, path: string[]): unknown {
	let current: unknown = json;
	for (const key of path) {
		if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

export function parameterReader(ctx: IExecuteFunctions): ParameterReader {
	const stored = ctx.getNode().parameters;
	const items = ctx.getInputData();
	const constant = new Map<string, unknown>();
	const paths = new Map<string, string[] | undefined>();
	return (name, itemIndex, fallback) => {
		if (constant.has(name)) return constant.get(name);
		if (!paths.has(name)) paths.set(name, jsonPathOf(stored[name]));
		const path = paths.get(name);
		if (path && items[itemIndex]) {
			const value = valueAt(items[itemIndex].json, path);
			return value === undefined ? fallback : value;
		}
		const value = ctx.getNodeParameter(name, itemIndex, fallback);
		if (!hasExpression(stored[name])) constant.set(name, value);
		return value;
	};
}
