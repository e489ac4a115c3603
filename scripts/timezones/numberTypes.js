/*
 * Whether a range of numbers (a prefix of national significant numbers) holds any fixed line that
 * is not also a possible mobile, from libphonenumber's number-type patterns (libphonenumber-js's
 * metadata.max.json, the same data as libphonenumber's PhoneNumberMetadata.xml). generate.js uses
 * it to leave out of the table the map entries no such number can reach (+61 4: mobiles only),
 * since only those are placed by prefix. Generation time only.
 *
 * A pattern is a regular expression over whole national numbers, e.g. Australia's fixed lines
 * "…|(?:2(?:[0-26-9]\d|3[0-8]|…)|…)\d{6}". "Does some fixed line start with 4…" is a question
 * about every completion of a prefix, which a RegExp cannot answer, so the pattern is compiled to
 * an NFA (Thompson's construction) and walked digit by digit. libphonenumber's patterns use only
 * digits, \d, [classes], (?:groups), |, ? and {n} / {n,m}; anything else is an error, so a metadata
 * change that uses more of the RegExp syntax stops the generator instead of being misread.
 */
'use strict';

function parse(source) {
	let i = 0;
	const fail = (what) => {
		throw new Error(`number pattern ${source}: ${what} at ${i}`);
	};
	function alternation() {
		const branches = [sequence()];
		while (source[i] === '|') {
			i++;
			branches.push(sequence());
		}
		return branches.length === 1 ? branches[0] : { kind: 'alt', branches };
	}
	function sequence() {
		const items = [];
		while (i < source.length && source[i] !== '|' && source[i] !== ')') items.push(quantified(atom()));
		return { kind: 'seq', items };
	}
	function atom() {
		if (source.startsWith('(?:', i)) {
			i += 3;
			const inner = alternation();
			if (source[i] !== ')') fail('unclosed group');
			i++;
			return inner;
		}
		if (source[i] === '[') {
			i++;
			let mask = 0;
			while (source[i] !== ']') {
				const from = source[i];
				let to = from;
				i++;
				if (source[i] === '-') {
					to = source[i + 1];
					i += 2;
				}
				if (!/^\d$/.test(from) || !/^\d$/.test(to)) fail('a class of other than digits');
				for (let d = Number(from); d <= Number(to); d++) mask |= 1 << d;
			}
			i++;
			return { kind: 'digits', mask };
		}
		if (source.startsWith('\\d', i)) {
			i += 2;
			return { kind: 'digits', mask: 0x3ff };
		}
		if (/^\d$/.test(source[i] ?? '')) return { kind: 'digits', mask: 1 << Number(source[i++]) };
		return fail(`unsupported "${source[i]}"`);
	}
	function quantified(node) {
		if (source[i] === '?') {
			i++;
			return { kind: 'repeat', node, min: 0, max: 1 };
		}
		if (source[i] !== '{') return node;
		const match = /^\{(\d+)(?:,(\d+))?\}/.exec(source.slice(i));
		if (!match) fail('unsupported quantifier');
		i += match[0].length;
		return { kind: 'repeat', node, min: Number(match[1]), max: Number(match[2] ?? match[1]) };
	}
	const tree = alternation();
	if (i !== source.length) fail('unexpected ")"');
	return tree;
}

/** Thompson NFA: `epsilon[s]` and `edges[s]` ([digit mask, target]) per state. */
function compile(source) {
	const epsilon = [];
	const edges = [];
	const state = () => {
		epsilon.push([]);
		edges.push([]);
		return epsilon.length - 1;
	};
	function build(node, from) {
		if (node.kind === 'digits') {
			const to = state();
			edges[from].push([node.mask, to]);
			return to;
		}
		if (node.kind === 'seq') return node.items.reduce((at, item) => build(item, at), from);
		const end = state();
		if (node.kind === 'alt') {
			for (const branch of node.branches) epsilon[build(branch, from)].push(end);
			return end;
		}
		let at = from;
		for (let k = 0; k < node.min; k++) at = build(node.node, at);
		epsilon[at].push(end);
		for (let k = node.min; k < node.max; k++) {
			at = build(node.node, at);
			epsilon[at].push(end);
		}
		return end;
	}
	const start = state();
	const accept = build(parse(source), start);
	return { epsilon, edges, start, accept };
}

function closure(nfa, states) {
	const out = new Set(states);
	const stack = [...states];
	while (stack.length > 0) {
		for (const next of nfa.epsilon[stack.pop()]) {
			if (out.has(next)) continue;
			out.add(next);
			stack.push(next);
		}
	}
	return out;
}

function step(nfa, states, digit) {
	const next = [];
	for (const s of states) for (const [mask, to] of nfa.edges[s]) if (mask & (1 << digit)) next.push(to);
	return closure(nfa, next);
}

/**
 * Whether some number of type `type` ({ nfa, lengths }: matched whole, at one of the lengths) that
 * is not one of `unless` starts with `prefix` (national significant digits). Both NFAs run over the
 * prefix, then over every digit that can follow, depth first, each (states, length) once.
 */
function someNumberStartsWith(type, unless, prefix) {
	const types = unless ? [type, unless] : [type];
	let states = types.map(({ nfa }) => closure(nfa, [nfa.start]));
	for (const digit of prefix) states = states.map((set, t) => step(types[t].nfa, set, Number(digit)));
	const longest = Math.max(...type.lengths);
	const seen = new Set();
	const walk = (sets, length) => {
		if (sets[0].size === 0 || length > longest) return false;
		const key = `${length}|${sets.map((set) => [...set].sort((a, b) => a - b).join(',')).join(';')}`;
		if (seen.has(key)) return false;
		seen.add(key);
		const matches = (t) => sets[t].has(types[t].nfa.accept) && types[t].lengths.includes(length);
		if (matches(0) && !(unless && matches(1))) return true;
		for (let digit = 0; digit <= 9; digit++) if (walk(sets.map((set, t) => step(types[t].nfa, set, digit)), length + 1)) return true;
		return false;
	};
	return walk(states, prefix.length);
}

/** A type of a country's numbers from libphonenumber-js metadata (`countries[code]`, its 12th field in libphonenumber-js's order): undefined when it has none. */
function numberType(countryMetadata, index) {
	const type = countryMetadata[11]?.[index];
	return type ? { pattern: type[0], lengths: type[1] ?? countryMetadata[3] } : undefined;
}

/** libphonenumber-js's order of the types (source/metadata.js, getType): 0 fixed line, 1 mobile. */
const fixedLine = (countryMetadata) => numberType(countryMetadata, 0);
const mobile = (countryMetadata) => numberType(countryMetadata, 1);

module.exports = { compile, fixedLine, mobile, someNumberStartsWith };
