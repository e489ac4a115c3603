import type { CountryCode } from 'libphonenumber-js/min';
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** Characters people type around a phone number; anything else (letters, emoji) is a mistake. */
const PHONE_CHARACTERS = /^[0-9+\-().\s/\u00a0]+$/;

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

const COUNTRIES = new Set<string>(getCountries());

export function isCountryCode(value: string): value is CountryCode {
	return COUNTRIES.has(value.toUpperCase());
}

/**
 * Normalise what a user or a spreadsheet holds ("+1 650-555-0123", "0044 20 7946 0958",
 * "(650) 555.0123" with a default country) to E.164, the only form RBM accepts in its paths.
 * Uses libphonenumber's length and country rules rather than a regex.
 */
export function normalizePhone(raw: unknown, defaultCountry?: string): PhoneResult {
	if (typeof raw === 'number' && Number.isFinite(raw)) raw = `+${Math.trunc(raw)}`;
	if (typeof raw !== 'string') {
		return { ok: false, reason: `must be text, got ${raw === null ? 'null' : typeof raw}` };
	}
	const input = raw.trim();
	if (input === '') return { ok: false, reason: 'is empty' };
	if (!PHONE_CHARACTERS.test(input)) {
		return { ok: false, reason: `"${input}" contains characters that are not part of a phone number` };
	}
	// "00" is the international call prefix in most of the world: treat it as "+".
	const candidate = input.startsWith('00') ? `+${input.slice(2)}` : input;
	const country = defaultCountry ? defaultCountry.toUpperCase() : undefined;
	if (country !== undefined && !isCountryCode(country)) {
		return { ok: false, reason: `default country "${defaultCountry}" is not an ISO 3166 country code (e.g. US, GB, IT)` };
	}
	if (!candidate.startsWith('+') && country === undefined) {
		return {
			ok: false,
			reason: `"${input}" has no country code: write it as +<country code><number> or set Options › Default Country`,
		};
	}
	const parsed = parsePhoneNumberFromString(candidate, country as CountryCode | undefined);
	if (!parsed || !parsed.isPossible()) {
		return { ok: false, reason: `"${input}" is not a possible phone number (wrong length or country code)` };
	}
	return { ok: true, e164: parsed.number };
}

/** Country (ISO 3166) and calling code of an E.164 number; country is undefined where libphonenumber cannot place it. */
export function countryOfPhone(e164: string): { country?: string; callingCode: string } | undefined {
	const parsed = parsePhoneNumberFromString(e164);
	return parsed ? { country: parsed.country, callingCode: parsed.countryCallingCode } : undefined;
}

/** Every country libphonenumber knows, with its calling code. */
export function countriesWithCallingCodes(): Array<{ country: string; callingCode: string }> {
	return getCountries().map((country) => ({ country, callingCode: getCountryCallingCode(country) }));
}
