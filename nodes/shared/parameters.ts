/**
 * Parameter reading for item loops. n8n resolves a parameter per item even when it holds no
 * expression; at campaign scale that is most of our per-item CPU. A parameter whose stored value
 * contains no expression is the same for every item, so it is resolved once.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

export type ParameterReader = (name: string, itemIndex: number, fallback?: unknown) => unknown;

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

export function parameterReader(ctx: IExecuteFunctions): ParameterReader {
	const stored = ctx.getNode().parameters;
	const constant = new Map<string, unknown>();
	return (name, itemIndex, fallback) => {
		if (constant.has(name)) return constant.get(name);
		const value = ctx.getNodeParameter(name, itemIndex, fallback);
		if (!hasExpression(stored[name])) constant.set(name, value);
		return value;
	};
}
