/**
 * Message Type = JSON: where a JSON syntax error is, in what the user typed. n8n fills in the
 * JSON field's expressions ({{ $json.name }}) before the node reads it, so a position in that text
 * does not match the editor. The node also gets the field as typed (the node's parameters): the
 * error is placed there, line and column, with a snippet; when the text as typed is valid JSON and
 * only a filled-in value breaks it (a quote or a line break inside a name), the error names that
 * expression and says how to write it.
 */
import { tryParseJson } from '../json';
import { ContentError } from './types';

/** n8n's expression syntax inside a parameter that starts with "=". */
const EXPRESSION = /\{\{[\s\S]*?\}\}/g;

interface Spot {
	line: number;
	column: number;
	/** The line, cut to about 70 characters around the spot, and a caret under it. */
	snippet: string;
}

/** Line and column (from 1, counting characters as the editor does) of `position` in `text`. */
export function spotOf(text: string, position: number): Spot {
	const before = text.slice(0, position);
	const lineStart = before.lastIndexOf('\n') + 1;
	const lineEnd = text.indexOf('\n', position) === -1 ? text.length : text.indexOf('\n', position);
	const chars = Array.from(text.slice(lineStart, lineEnd).replace(/\r$/, ''));
	const column = Array.from(text.slice(lineStart, position)).length + 1;
	const from = Math.max(0, column - 1 - 50);
	const shown = chars.slice(from, from + 70).join('').replace(/\t/g, ' ');
	const caret = `${' '.repeat(column - 1 - from)}^`;
	const line = before.split('\n').length;
	return { line, column, snippet: `${from > 0 ? '…' : ''}${shown}${from + 70 < chars.length ? '…' : ''}\n${from > 0 ? ' ' : ''}${caret}` };
}

/** What is wrong at `position`, in words (JSON.parse's own text quotes the input: not used). */
export function problemAt(text: string, position: number): string {
	if (position >= text.length) return 'the JSON ends too early (a missing }, ] or ")';
	const char = Array.from(text.slice(position))[0];
	const previous = text.slice(0, position).trimEnd().slice(-1);
	if ((char === '}' || char === ']') && previous === ',') return `a comma before "${char}": JSON allows no comma after the last entry`;
	if (char === "'") return 'a single quote: JSON strings and names take double quotes (")';
	if (char === '\n' || char === '\r') return 'a line break inside a string: write it as \\n';
	return `unexpected ${JSON.stringify(char)}`;
}

/**
 * Where `text` stops being JSON (RFC 8259), or undefined when it is JSON. Node's JSON.parse gives
 * no position for most errors (and quotes the input), so the text is scanned here: only after
 * JSON.parse has refused it, iteratively (no recursion, any depth).
 */
export function syntaxErrorPosition(text: string): number | undefined {
	let i = 0;
	const n = text.length;
	const space = () => {
		while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
	};
	const string = (): boolean => {
		i++;
		while (i < n) {
			const c = text.charCodeAt(i);
			if (c === 0x22) {
				i++;
				return true;
			}
			if (c < 0x20) return false;
			if (c === 0x5c) {
				const e = text[i + 1];
				if (e === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
						i += 2;
						return false;
					}
					i += 6;
				} else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
				else {
					i++;
					return false;
				}
			} else i++;
		}
		return false;
	};
	const scalar = (): boolean => {
		const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
		if (!literal) return false;
		i += literal[0].length;
		return true;
	};
	/** An object's member name and its colon. */
	const key = (): boolean => {
		if (text[i] !== '"' || !string()) return false;
		space();
		if (text[i] !== ':') return false;
		i++;
		return true;
	};
	// The open containers, innermost last: what may come next is decided by the innermost one.
	const stack: Array<'{' | '['> = [];
	let expectValue = true;
	for (;;) {
		space();
		if (expectValue) {
			if (text[i] === '{' || text[i] === '[') {
				const open = text[i] as '{' | '[';
				stack.push(open);
				i++;
				space();
				if (text[i] === (open === '{' ? '}' : ']')) {
					stack.pop();
					i++;
					expectValue = false;
					continue;
				}
				if (open === '{' && !key()) return Math.min(i, n);
				continue;
			}
			if (text[i] === '"') {
				if (!string()) return Math.min(i, n);
			} else if (!scalar()) return Math.min(i, n);
			expectValue = false;
			continue;
		}
		const top = stack[stack.length - 1];
		if (top === undefined) return i < n ? i : undefined;
		if (text[i] === (top === '{' ? '}' : ']')) {
			stack.pop();
			i++;
			continue;
		}
		if (text[i] !== ',') return Math.min(i, n);
		i++;
		space();
		if (top === '{' && !key()) return Math.min(i, n);
		expectValue = true;
	}
}

function positionOf(text: string): number | undefined {
	if (tryParseJson(text).ok) return undefined;
	return syntaxErrorPosition(text) ?? text.length;
}

/** A syntax error at `position` of `text` (what the user typed, or the filled-in text). */
function errorAt(text: string, position: number, where: string, extra = ''): ContentError {
	const spot = spotOf(text, position);
	return new ContentError(
		`The JSON is not valid at line ${spot.line}, column ${spot.column}${where}: ${problemAt(text, position)}${extra}`,
		'json',
		`Line ${spot.line}, column ${spot.column}${where}:\n${spot.snippet}`,
	);
}

/** The template's literal pieces and its expressions, as typed (without the leading "="). */
function pieces(template: string): { literals: string[]; expressions: Array<{ text: string; at: number }> } {
	const literals: string[] = [];
	const expressions: Array<{ text: string; at: number }> = [];
	let last = 0;
	for (const match of template.matchAll(EXPRESSION)) {
		literals.push(template.slice(last, match.index));
		expressions.push({ text: match[0], at: match.index });
		last = match.index + match[0].length;
	}
	literals.push(template.slice(last));
	return { literals, expressions };
}

/** Which expression's filled-in value holds `position` of `resolved`, when the literal pieces line up. */
function expressionAt(resolved: string, literals: string[], position: number): number | undefined {
	if (!resolved.startsWith(literals[0]) || !resolved.endsWith(literals[literals.length - 1])) return undefined;
	let cursor = literals[0].length;
	const end = resolved.length - literals[literals.length - 1].length;
	for (let k = 0; k < literals.length - 1; k++) {
		const next = literals[k + 1];
		const valueEnd = k === literals.length - 2 ? end : next === '' ? cursor : resolved.indexOf(next, cursor);
		if (valueEnd < cursor) return undefined;
		if (position >= cursor && position <= valueEnd) return k;
		cursor = valueEnd + next.length;
		if (position < cursor) return undefined;
	}
	return undefined;
}

/**
 * The error for a JSON field whose filled-in text `resolved` is not valid JSON, placed in `typed`
 * (the parameter as the user typed it, "=" first when it holds expressions) when it can be.
 */
export function jsonSyntaxError(resolved: string, typed: unknown): ContentError {
	const position = positionOf(resolved) ?? resolved.length;
	if (typeof typed !== 'string') return errorAt(resolved, position, '');
	if (!typed.startsWith('=')) {
		return typed === resolved ? errorAt(typed, position, '') : errorAt(resolved, position, ' (of the text the field gave)');
	}
	const template = typed.slice(1);
	const { literals, expressions } = pieces(template);
	// Each expression replaced by 0: valid in a string ("Hi 0") and as a value, so what fails is the typing.
	const placeholder = literals.reduce((text, literal, k) => `${text}${k > 0 ? '0' : ''}${literal}`, '');
	const typedProblem = positionOf(placeholder);
	if (typedProblem !== undefined) {
		let shift = 0;
		for (let k = 0; k < expressions.length; k++) {
			const placeholderAt = expressions[k].at - shift;
			if (typedProblem <= placeholderAt) break;
			shift += expressions[k].text.length - 1;
		}
		return errorAt(template, typedProblem + shift, '', '');
	}
	const k = expressionAt(resolved, literals, position);
	if (k === undefined) return errorAt(resolved, position, ' of the text after n8n filled in the expressions');
	const expression = expressions[k];
	const spot = spotOf(template, expression.at);
	const filled = spotOf(resolved, position);
	const inner = expression.text.slice(2, -2).trim();
	return new ContentError(
		`The JSON is not valid once ${expression.text} (line ${spot.line}, column ${spot.column}) is filled in: its value breaks it (${problemAt(resolved, position)}). ` +
			`For a value that may hold quotes or line breaks write {{ JSON.stringify(${inner}) }}, without quotes around it`,
		'json',
		`As typed, line ${spot.line}, column ${spot.column}:\n${spot.snippet}\nFilled in, line ${filled.line}, column ${filled.column}:\n${filled.snippet}`,
	);
}
