/**
 * Parameter reading for item loops. At campaign scale n8n's parameter resolution is most of a
 * node's CPU per item (n8n 2.x evaluates every expression in an isolated VM), so:
 * - a parameter whose stored value holds no expression is the same for every item: resolved once;
 * - a parameter that is exactly `{{ $json.a.b }}` is read from the item's json directly, which is
 *   what n8n's evaluation of that expression returns;
 * - a text template made only of literal text and `{{ $json.a.b }}` parts ("Hi {{ $json.name }}!")
 *   is filled in directly when every part's value is a string or a finite number (what n8n's
 *   template gives: the value's text). Any other value (missing, null, boolean, object, array)
 *   falls back to n8n's evaluation, so its conversions stay n8n's.
 * Everything else goes through `getNodeParameter` as usual.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

export type ItemReader = (name: string, itemIndex: number, fallback?: unknown) => unknown;

const TEMPLATE_PART = /\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*)+)\s*\}\}/g;

/** Literal text at even indexes, item json paths at odd ones. */
type Template = Array<string | string[]>;

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

function templateOf(value: unknown): Template | undefined {
	if (typeof value !== 'string' || !value.startsWith('=')) return undefined;
	const source = value.slice(1);
	const parts: Template = [];
	let from = 0;
	for (const match of source.matchAll(TEMPLATE_PART)) {
		parts.push(source.slice(from, match.index), match[1].slice(1).split('.'));
		from = match.index + match[0].length;
	}
	parts.push(source.slice(from));
	if (parts.length === 1) return undefined;
	// Anything else n8n's template language would act on (another {{ }}, an escape) keeps n8n's way.
	for (let k = 0; k < parts.length; k += 2) if (/[{}\\]/.test(parts[k] as string)) return undefined;
	return parts;
}

function fillTemplate(template: Template, json: IDataObject): string | undefined {
	let text = template[0] as string;
	for (let k = 1; k < template.length; k += 2) {
		const value = valueAt(json, template[k] as string[]);
		if (typeof value === 'string') text += value;
		else if (typeof value === 'number' && Number.isFinite(value)) text += String(value);
		else return undefined;
		text += template[k + 1] as string;
	}
	return text;
}

function valueAt(json: IDataObject, path: string[]): unknown {
	let current: unknown = json;
	for (const key of path) {
		if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

export function parameterReader(ctx: IExecuteFunctions): ItemReader {
	const stored = ctx.getNode().parameters;
	const items = ctx.getInputData();
	const constant = new Map<string, unknown>();
	const templates = new Map<string, Template | undefined>();
	return (name, itemIndex, fallback) => {
		if (constant.has(name)) return constant.get(name);
		if (!templates.has(name)) templates.set(name, templateOf(stored[name]));
		const template = templates.get(name);
		const item = items[itemIndex];
		if (template && item) {
			// Exactly `{{ $json.a.b }}`: the value itself, whatever its type, as n8n returns it.
			if (template.length === 3 && template[0] === '' && template[2] === '') {
				const value = valueAt(item.json, template[1] as string[]);
				return value === undefined ? fallback : value;
			}
			const text = fillTemplate(template, item.json);
			if (text !== undefined) return text;
		}
		const value = ctx.getNodeParameter(name, itemIndex, fallback);
		if (!hasExpression(stored[name])) constant.set(name, value);
		return value;
	};
}
