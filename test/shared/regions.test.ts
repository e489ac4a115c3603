/**
 * The node's region table (by country, nodes/shared/regions.ts) and the emulator's (by calling
 * code, in schema/rbm-v1.json) are written independently; they must agree for every country.
 */
import { getCountries, getExampleNumber } from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/mobile/examples';

import { regionOfNumber } from '../../emulator/schema';
import { regionOfPhone } from '../../nodes/shared/regions';

describe('RBM region of a phone number (users.batchGet endpoints)', () => {
	test('node and emulator agree for an example number of every country', () => {
		const disagreements: string[] = [];
		let checked = 0;
		for (const country of getCountries()) {
			const number = getExampleNumber(country, examples)?.number;
			if (!number) continue;
			checked++;
			const node = regionOfPhone(number);
			const emulator = regionOfNumber(number);
			if (node !== emulator) disagreements.push(`${country} ${number}: node ${String(node)}, emulator ${String(emulator)}`);
		}
		expect(checked).toBeGreaterThan(200);
		expect(disagreements).toEqual([]);
	});

	test.each([
		['+16505550123', 'us'], ['+18095551234', 'us'], ['+5511987654321', 'us'], ['+525512345678', 'us'],
		['+447700900123', 'europe'], ['+393331234567', 'europe'], ['+971501234567', 'europe'], ['+27821234567', 'europe'], ['+79161234567', 'europe'],
		['+6591234567', 'asia'], ['+919876543210', 'asia'], ['+61412345678', 'asia'], ['+819012345678', 'asia'],
		['+80012345678', undefined],
	])('%s → %s', (phone, region) => {
		expect(regionOfPhone(phone)).toBe(region);
		expect(regionOfNumber(phone) ?? undefined).toBe(region);
	});
});
