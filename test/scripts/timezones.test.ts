/**
 * scripts/timezones: the generator's reading of libphonenumber's number patterns (numberTypes.js),
 * checked against RegExp by brute force, and the rule the table gives the nodes (zones.ts: only a
 * landline is placed by prefix) checked against libphonenumber-js's own number types (max
 * metadata, which the nodes do not bundle) on numbers drawn at random.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

import table from '../../nodes/shared/sendWindow/timeZones.json';
import { placeOfPhone } from '../../nodes/shared/sendWindow/zones';

interface Nfa {
	accept: number;
}
interface Type {
	nfa: Nfa;
	lengths: number[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const numberTypes = require('../../scripts/timezones/numberTypes.js') as {
	compile: (pattern: string) => Nfa;
	someNumberStartsWith: (type: Type, unless: Type | undefined, prefix: string) => boolean;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const metadata = require('libphonenumber-js/metadata.max.json') as { countries: Record<string, unknown[]> };

/** Deterministic digits (a linear congruential generator's high bits), so a failure can be replayed. */
function digits(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return Math.floor(state / 2 ** 16) % 10;
	};
}

describe('numberTypes.js: does some number of the pattern start with this prefix', () => {
	/** A country's type (0 fixed line, 1 mobile) from the metadata, as a RegExp and as the generator's NFA. */
	function type(country: string, index: number) {
		const [pattern, lengths] = (metadata.countries[country][11] as Array<[string, number[]?]>)[index];
		const allLengths = lengths ?? (metadata.countries[country][3] as number[]);
		return { re: new RegExp(`^(?:${pattern})$`), nfa: numberTypes.compile(pattern), lengths: allLengths };
	}

	// Greenland: landlines and mobiles apart; Micronesia: every fixed line may be a mobile; Papua New Guinea: mobiles are longer.
	test.each([
		['GL', 6],
		['FM', 7],
		['PG', 7],
	])('%s: every prefix of 1 to 3 digits, fixed lines and fixed lines that are not mobiles, against RegExp on all numbers of %i digits', (country, length) => {
		const fixed = type(country, 0);
		const mobile = type(country, 1);
		expect(fixed.lengths).toEqual([length]);
		const starts = { fixed: new Set<string>(), landline: new Set<string>() };
		for (let n = 0; n < 10 ** length; n++) {
			const number = String(n).padStart(length, '0');
			if (!fixed.re.test(number)) continue;
			for (let k = 1; k <= 3; k++) {
				starts.fixed.add(number.slice(0, k));
				if (!(mobile.lengths.includes(length) && mobile.re.test(number))) starts.landline.add(number.slice(0, k));
			}
		}
		let agreed = 0;
		for (let k = 1; k <= 3; k++) {
			for (let n = 0; n < 10 ** k; n++) {
				const prefix = String(n).padStart(k, '0');
				expect([prefix, numberTypes.someNumberStartsWith(fixed, undefined, prefix)]).toEqual([prefix, starts.fixed.has(prefix)]);
				expect([prefix, numberTypes.someNumberStartsWith(fixed, mobile, prefix)]).toEqual([prefix, starts.landline.has(prefix)]);
				agreed++;
			}
		}
		expect(agreed).toBe(1110);
		expect(starts.fixed.size).toBeGreaterThan(0);
	});

	test('a pattern using RegExp syntax it does not know is an error, not a guess', () => {
		expect(() => numberTypes.compile('4\\d+')).toThrow(/unsupported "\+"/);
		expect(() => numberTypes.compile('(4)\\d')).toThrow(/unsupported/);
	});
});

describe('only landlines (type FIXED_LINE) are placed by prefix, as libphonenumber-js (max metadata) types them', () => {
	test.each(Object.keys(table.landlines))('%s: 1,000 random valid numbers', (country) => {
		const callingCode = metadata.countries[country][0] as string;
		const lengths = metadata.countries[country][3] as number[];
		const next = digits(country.charCodeAt(0) * 256 + country.charCodeAt(1));
		const seen = { prefix: 0, landline: 0, other: 0 };
		for (let tries = 0; tries < 200_000 && seen.landline + seen.other < 1000; tries++) {
			const length = lengths[next() % lengths.length];
			const national = Array.from({ length }, next).join('');
			const parsed = parsePhoneNumberFromString(`+${callingCode}${national}`);
			if (!parsed?.isValid() || parsed.country !== country) continue;
			const type = parsed.getType();
			const landline = type === 'FIXED_LINE';
			const place = placeOfPhone(parsed.number);
			if (landline) seen.landline++;
			else seen.other++;
			if (place.source === 'prefix') seen.prefix++;
			// Placed by prefix ⇒ a landline; anything else (mobile, fixed line or mobile, VoIP…) ⇒ the country's zones.
			if (place.source === 'prefix' || !landline) expect([parsed.number, type, place.source]).toEqual([parsed.number, type, landline ? 'prefix' : 'country']);
		}
		expect(seen.landline).toBeGreaterThan(0);
		expect(seen.other).toBeGreaterThan(0);
		expect(seen.prefix).toBeGreaterThan(0);
	});
});
