/** Message Type = JSON: syntax errors placed in what the user typed (issue 25 item 8). */
import { jsonSyntaxError, problemAt, spotOf, syntaxErrorPosition } from '../../../nodes/shared/content/jsonSyntax';
import { mulberry32 } from '../../../emulator/faults';

const valid = [
	'{}',
	'[]',
	'0',
	'-1.5e+3',
	'"a\\u00e9\\n"',
	'true',
	' null ',
	'{"text": "Hi", "suggestions": [{"reply": {"text": "Yes", "postbackData": "yes"}}]}',
	'{\n\t"contentMessage": {"richCard": {"carouselCard": {"cardWidth": "MEDIUM", "cardContents": [{"title": "a"}, {"title": "b", "media": {"height": "TALL"}}]}}},\n\t"ttl": "60s"\n}',
	'[[[[[]]]], {"a": [1, 2, {"b": null}]}, "😀"]',
];

describe('syntaxErrorPosition agrees with JSON.parse', () => {
	test.each(valid)('valid: %s', (text) => expect(syntaxErrorPosition(text)).toBeUndefined());

	test('random one-character edits of valid JSON: invalid exactly when JSON.parse refuses it, at a position inside the text', () => {
		const random = mulberry32(25);
		const alphabet = ['{', '}', '[', ']', ',', ':', '"', "'", ' ', '\n', 'x', '1', '-', '.', 'e', '\\', 'n'];
		let invalid = 0;
		for (let k = 0; k < 4000; k++) {
			const base = valid[Math.floor(random() * valid.length)];
			const at = Math.floor(random() * (base.length + 1));
			const char = alphabet[Math.floor(random() * alphabet.length)];
			const edit = Math.floor(random() * 3);
			const text = edit === 0 ? base.slice(0, at) + char + base.slice(at) : edit === 1 ? base.slice(0, at) + base.slice(at + 1) : base.slice(0, at) + char + base.slice(at + 1);
			let parses = true;
			try {
				JSON.parse(text);
			} catch {
				parses = false;
			}
			const position = syntaxErrorPosition(text);
			expect([text, position === undefined]).toEqual([text, parses]);
			if (position !== undefined) {
				invalid++;
				expect(position).toBeGreaterThanOrEqual(0);
				expect(position).toBeLessThanOrEqual(text.length);
			}
		}
		expect(invalid).toBeGreaterThan(1000);
	});

	test('a deep nesting is scanned without recursion', () => {
		expect(syntaxErrorPosition(`${'['.repeat(100000)}${']'.repeat(99999)}`)).toBe(199999);
	});

	test.each([
		['{"a": 1,}', 8],
		['{"a" 1}', 5],
		['[1 2]', 3],
		['{"a": "b\nc"}', 8],
		['{"a": tru}', 6],
		['{"a": 1} x', 9],
		['{"a": [1, 2}', 11],
		['', 0],
	])('%j fails at %i', (text, position) => expect(syntaxErrorPosition(text)).toBe(position));
});

test('spotOf: line and column from 1, characters as the editor counts them, a caret under the spot', () => {
	expect(spotOf('{\n  "a": 😀😀 x\n}', 14)).toEqual({ line: 2, column: 11, snippet: '  "a": 😀😀 x\n          ^' });
});

test.each([
	['{"a": 1,}', 8, 'a comma before "}": JSON allows no comma after the last entry'],
	["{'a': 1}", 1, 'a single quote: JSON strings and names take double quotes (")'],
	['{"a": "b\nc"}', 8, 'a line break inside a string: write it as \\n'],
	['{"a": 1', 7, 'the JSON ends too early (a missing }, ] or ")'],
	['{"a" 1}', 5, 'unexpected "1"'],
])('problemAt %j', (text, position, problem) => expect(problemAt(text, position)).toBe(problem));

describe('jsonSyntaxError: where in what the user typed', () => {
	test('typed without expressions: the position as is', () => {
		const error = jsonSyntaxError('{"text": "hi",}', '{"text": "hi",}');
		expect(error.message).toBe('The JSON is not valid at line 1, column 15: a comma before "}": JSON allows no comma after the last entry');
		expect(error.field).toBe('json');
	});

	test('a typo after two expressions: the column in the template, not in the filled-in text', () => {
		const typed = '={"text": "{{ $json.greeting }} {{ $json.name }}" "x"}';
		const error = jsonSyntaxError('{"text": "Good morning Alexandra" "x"}', typed);
		expect(error.message).toBe(`The JSON is not valid at line 1, column ${typed.indexOf('"x"')}: unexpected "\\""`);
	});

	test('a typo inside an expression\'s place (before it) is still placed in the template', () => {
		const error = jsonSyntaxError('{"a": 1 "b": "Ann"}', '={"a": 1 "b": "{{ $json.name }}"}');
		expect(error.message).toBe('The JSON is not valid at line 1, column 9: unexpected "\\""');
	});

	test('a filled-in value that breaks the JSON: the expression is named; a whole-field expression too', () => {
		expect(jsonSyntaxError('{"text": "a"b"}', '={"text": "{{ $json.t }}"}').message).toMatch(/^The JSON is not valid once \{\{ \$json\.t \}\} \(line 1, column 11\) is filled in/);
		const whole = jsonSyntaxError('{"text": }', '={{ $json.content }}');
		expect(whole.message).toMatch(/^The JSON is not valid once \{\{ \$json\.content \}\} \(line 1, column 1\) is filled in: its value breaks it \(unexpected "}"\)/);
		expect(whole.detail).toContain('Filled in, line 1, column 10:\n{"text": }\n         ^');
	});

	test('no typed text (the node read it otherwise): the filled-in text', () => {
		expect(jsonSyntaxError('{"a": }', undefined).message).toBe('The JSON is not valid at line 1, column 7: unexpected "}"');
	});
});
