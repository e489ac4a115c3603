/**
 * The parameter reader's short-cuts (`{{ $json.path }}` and "text {{ $json.path }} text") must give
 * exactly what n8n's own expression evaluation gives. Each case runs the real node twice in n8n's
 * WorkflowExecute: once with the short-cut form, once with the bracket form `$json["a"]["b"]`,
 * which only n8n evaluates; the texts RBM receives must be the same.
 */
import type { IDataObject } from 'n8n-workflow';
import { Expression } from 'n8n-workflow';

import type { EmulatorFixture } from '../helpers/emulator';
import { emulatorWithCredential, textParams } from '../helpers/emulator';
import { itemError, runNode } from '../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
afterAll(async () => fx.emulator.close());
afterEach(() => jest.restoreAllMocks());

const values: unknown[] = ['Ana', '', 'Zoë 🚀', 'a}b{c {{ x }}', '  spaced  ', 'line\nbreak', 42, 1.5, -0, 1e21, 0.1 + 0.2, -7, null, true, false, { x: 1 }, [1, 2], undefined];
const contacts = values.map((v, k) => {
	const json: IDataObject = { phone: `+1650555${String(3000 + k).padStart(4, '0')}`, o: { k: k % 2 ? 'odd' : k } };
	if (v !== undefined) json.v = v as IDataObject[string];
	return json;
});

/** What each item came out as: the text RBM accepted, or the error message. */
async function texts(text: string): Promise<string[]> {
	const run = await runNode({ items: contacts, parameters: textParams({ text }), credentials: fx.credentials, settings: { onError: 'continueRegularOutput' } });
	const out: string[] = contacts.map(() => 'missing');
	for (const item of run.outputs[0]) {
		const json = item.json as IDataObject & { contentMessage?: { text?: string } };
		out[(item.pairedItem as { item: number }).item] = json.contentMessage?.text ?? `error: ${String(itemError(item)?.message)}`;
	}
	return out;
}

describe('parameter short-cuts equal n8n evaluation', () => {
	test('a text template of literal text and {{ $json.path }} parts', async () => {
		const fast = await texts('=Hi {{ $json.v }}, from {{$json.o.k}} team!');
		const n8n = await texts('=Hi {{ $json["v"] }}, from {{$json["o"]["k"]}} team!');
		expect(fast).toEqual(n8n);
		expect(fast[0]).toBe('Hi Ana, from 0 team!');
		expect(fast[6]).toBe('Hi 42, from 6 team!');
	});

	test('a template starting and ending with a part, and one whose literal text has braces (n8n decides)', async () => {
		expect(await texts('={{ $json.v }}{{ $json.o.k }}')).toEqual(await texts('={{ $json["v"] }}{{ $json["o"]["k"] }}'));
		expect(await texts('={ {{ $json.v }} }')).toEqual(await texts('={ {{ $json["v"] }} }'));
	});

	test('string and number values of a template are filled in without n8n evaluating the expression per item', async () => {
		const evaluated: unknown[] = [];
		const original = Expression.prototype.resolveSimpleParameterValue;
		jest.spyOn(Expression.prototype, 'resolveSimpleParameterValue').mockImplementation(function (this: Expression, value, ...rest) {
			if (typeof value === 'string' && value.includes('Hi ')) evaluated.push(value);
			return original.call(this, value, ...rest);
		});
		const run = await runNode({
			items: [
				{ phone: '+16505553101', v: 'Ana' },
				{ phone: '+16505553102', v: 7 },
				{ phone: '+16505553103', v: { nested: true } },
			],
			parameters: textParams({ text: '=Hi {{ $json.v }}!' }),
			credentials: fx.credentials,
			settings: { onError: 'continueRegularOutput' },
		});
		expect(run.outputs[0].slice(0, 2).map((i) => (i.json.contentMessage as IDataObject).text)).toEqual(['Hi Ana!', 'Hi 7!']);
		// Only the object value went to n8n's evaluation.
		expect(evaluated).toHaveLength(1);
	});
});
