import { normalizePhone } from '../../nodes/shared/phone';

describe('phone numbers are normalised to E.164 with libphonenumber', () => {
	test.each([
		['+1 650-555-0123', undefined, '+16505550123'],
		['+1 (650) 555.0123', undefined, '+16505550123'],
		['0044 20 7946 0958', undefined, '+442079460958'],
		['+44 20 7946 0958', undefined, '+442079460958'],
		['  +39 333 123 4567 ', undefined, '+393331234567'],
		['(650) 555-0123', 'US', '+16505550123'],
		['020 7946 0958', 'gb', '+442079460958'],
		['333 1234567', 'IT', '+393331234567'],
		[16505550123, undefined, '+16505550123'],
	])('%s (default country %s) → %s', (input, country, expected) => {
		expect(normalizePhone(input, country)).toEqual({ ok: true, e164: expected });
	});

	test.each([
		['', /is empty/],
		['call me', /characters that are not part of a phone number/],
		['+1 650 555 0123 ☎', /characters that are not part of a phone number/],
		['+1555', /not a possible phone number/],
		['+123456789012345678', /not a possible phone number/],
		['650 555 0123', /has no country code/],
		[null, /must be text, got null/],
		[{ phone: '+1' }, /must be text, got object/],
	])('%p is rejected: %s', (input, reason) => {
		const result = normalizePhone(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});

	test('an unknown default country is named', () => {
		expect(normalizePhone('650 555 0123', 'XX')).toEqual({ ok: false, reason: expect.stringMatching(/"XX" is not an ISO 3166 country code/) });
	});
});
