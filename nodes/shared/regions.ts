/**
 * Which RBM regional endpoint serves a phone number. Since May 2026 users.batchGet must go to the
 * regional endpoint of the numbers' geographic region, one region per call, or it fails with 400
 * (https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/users/batchGet,
 * release note of 22 May 2026 at
 * https://developers.google.com/business-communications/rcs-business-messaging/whats-new/latest-releases).
 * Google names three regions (North America, Europe, Asia Pacific) but its pages do not list the
 * countries of each; this table is ours: the Americas → us, Asia-Pacific → asia, Europe, the Middle
 * East and Africa → europe (docs/api-currency.md). Check Many lets the user force one region
 * where Google's routing differs.
 */
import { countriesWithCallingCodes, countryOfPhone } from './phone';
import type { RegionalEndpoint } from './transport/credential';

const AMERICAS = [
	// North American Numbering Plan (+1)
	'US', 'CA', 'AG', 'AI', 'AS', 'BB', 'BM', 'BS', 'DM', 'DO', 'GD', 'GU', 'JM', 'KN', 'KY', 'LC', 'MP', 'MS',
	'PR', 'SX', 'TC', 'TT', 'VC', 'VG', 'VI', 'UM',
	// Latin America and the Caribbean (+5x, +297)
	'MX', 'GT', 'BZ', 'SV', 'HN', 'NI', 'CR', 'PA', 'CU', 'HT', 'PE', 'AR', 'BR', 'CL', 'CO', 'VE', 'BO', 'GY',
	'EC', 'GF', 'PY', 'MQ', 'SR', 'UY', 'GP', 'BL', 'MF', 'CW', 'BQ', 'AW', 'FK', 'PM',
] as const;

const ASIA_PACIFIC = [
	// Oceania and South-East Asia (+6x)
	'AU', 'CC', 'CX', 'NF', 'NZ', 'MY', 'ID', 'PH', 'SG', 'TH', 'TL', 'BN', 'PG', 'TO', 'SB', 'VU', 'FJ', 'PW',
	'WF', 'CK', 'NU', 'WS', 'KI', 'NC', 'TV', 'PF', 'TK', 'FM', 'MH', 'NR',
	// East Asia (+8x)
	'JP', 'KR', 'KP', 'VN', 'CN', 'HK', 'MO', 'KH', 'LA', 'BD', 'TW',
	// South and Central Asia (+9x)
	'IN', 'PK', 'AF', 'LK', 'MM', 'MV', 'BT', 'MN', 'NP', 'TJ', 'TM', 'KG', 'UZ',
] as const;

const REGION_OF_COUNTRY = new Map<string, RegionalEndpoint>([
	...AMERICAS.map((c) => [c, 'us'] as const),
	...ASIA_PACIFIC.map((c) => [c, 'asia'] as const),
]);

export const REGION_NAMES: Record<RegionalEndpoint, string> = { us: 'US', europe: 'Europe', asia: 'Asia-Pacific' };

let byCallingCode: Map<string, RegionalEndpoint | undefined> | undefined;

/** Region of a calling code whose countries all lie in one region (+1: us); undefined if shared or none. */
function regionOfCallingCode(code: string): RegionalEndpoint | undefined {
	if (!byCallingCode) {
		byCallingCode = new Map();
		const seen = new Map<string, Set<RegionalEndpoint>>();
		for (const { country, callingCode: cc } of countriesWithCallingCodes()) {
			const set = seen.get(cc) ?? new Set<RegionalEndpoint>();
			set.add(regionOfCountry(country));
			seen.set(cc, set);
		}
		for (const [cc, set] of seen) byCallingCode.set(cc, set.size === 1 ? [...set][0] : undefined);
	}
	return byCallingCode.get(code);
}

/** The region of an E.164 number, or undefined for numbers of no country (+800, +882 …). */
export function regionOfPhone(e164: string): RegionalEndpoint | undefined {
	const parsed = countryOfPhone(e164);
	if (!parsed) return undefined;
	// The country when libphonenumber can tell it, else the calling code's (a +1 number it cannot place is still +1).
	return parsed.country !== undefined ? regionOfCountry(parsed.country) : regionOfCallingCode(parsed.callingCode);
}

export function regionOfCountry(country: string): RegionalEndpoint {
	return REGION_OF_COUNTRY.get(country.toUpperCase()) ?? 'europe';
}
