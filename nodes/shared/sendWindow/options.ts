/** Options › Send Window of RBM Send Message: its UI, and reading it for an item (docs/send-window.md). */
import type { INodeProperties } from 'n8n-workflow';

import { ContentError } from '../content/types';
import type { SendWindow } from './window';
import type { SeveralZonesRule } from './zones';
import { isTimeZone, KNOWN_ZONES } from './zones';

/** The option as n8n stores it: `options.sendWindow.window` (a fixed collection with one group). */
export interface SendWindowParameters {
	from?: string;
	to?: string;
	days?: 'everyDay' | 'weekdays' | 'chosenDays';
	chosenDays?: string[];
	severalZones?: SeveralZonesRule;
	fallbackTimeZone?: string;
}

export interface SendWindowRule {
	window: SendWindow;
	severalZones: SeveralZonesRule;
	fallbackZone?: string;
}

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const FIELD = 'options.sendWindow.window';

/** The n8n expression that is true when a node has the Send Window option (its outputs depend on it). */
export const HAS_SEND_WINDOW = '(($parameter["options"] || {})["sendWindow"] || {})["window"]';

/** Whether the node's stored options hold a Send Window: the same test as HAS_SEND_WINDOW. */
export function hasSendWindow(options: unknown): boolean {
	const sendWindow = typeof options === 'object' && options !== null ? (options as { sendWindow?: { window?: unknown } }).sendWindow : undefined;
	return Boolean(sendWindow?.window);
}

export const sendWindowOption: INodeProperties = {
	displayName: 'Send Window',
	name: 'sendWindow',
	type: 'fixedCollection',
	placeholder: 'Add Send Window',
	typeOptions: { multipleValues: false },
	default: { window: {} },
	description:
		'Quiet hours: send only between these times in the recipient\'s own time zone (worked out from the phone number). Messages outside the window are not sent: they come out of a third output, "Deferred", with the time the window opens.',
	options: [
		{
			displayName: 'Window',
			name: 'window',
			values: [
				{
					displayName: 'Chosen Days',
					name: 'chosenDays',
					type: 'multiOptions',
					default: [],
					displayOptions: { show: { days: ['chosenDays'] } },
					// Shown Monday to Sunday, as a week reads; n8n's lint wants multiOptions sorted by name.
					options: DAY_NAMES.map((day) => ({ name: day[0].toUpperCase() + day.slice(1), value: day })).sort((a, b) => a.name.localeCompare(b.name)),
				},
				{
					displayName: 'Days',
					name: 'days',
					type: 'options',
					default: 'everyDay',
					options: [
						{ name: 'Chosen Days', value: 'chosenDays' },
						{ name: 'Every Day', value: 'everyDay' },
						{ name: 'Weekdays (Monday to Friday)', value: 'weekdays' },
					],
					description: 'Days the window opens, in the recipient\'s time zone',
				},
				{
					displayName: 'Fallback Time Zone',
					name: 'fallbackTimeZone',
					type: 'options',
					default: '',
					description: 'Used for numbers of no country (+800…) and, if chosen above, for numbers that may be in several time zones. Without it such numbers are an error.',
					options: [{ name: 'None', value: '' }, ...KNOWN_ZONES.map((zone) => ({ name: zone.replace(/_/g, ' '), value: zone }))],
				},
				{ displayName: 'Send From', name: 'from', type: 'string', default: '09:00', placeholder: '09:00', description: "Local time the window opens, in the recipient's time zone, 24-hour clock (HH:MM)" },
				{
					displayName: 'Send Until',
					name: 'to',
					type: 'string',
					default: '20:00',
					placeholder: '20:00',
					description: "Local time the window closes, in the recipient's time zone, 24-hour clock (HH:MM, 24:00 = midnight). Must be after Send From.",
				},
				{
					displayName: 'Several Time Zones',
					name: 'severalZones',
					type: 'options',
					default: 'all',
					description: 'For numbers that may be in more than one time zone (a US number without a known area code, a mobile in Australia, Brazil, Russia…)',
					options: [
						{ name: 'Send Only When Open in All of Them', value: 'all', description: 'The safest: nobody in that country gets it at night' },
						{ name: 'Use the Fallback Time Zone', value: 'fallback', description: 'Treat every such number as being in the Fallback Time Zone' },
					],
				},
			],
		},
	],
};

/** "9:00", "09:00", "24:00" → minutes since midnight; undefined if not a time. */
function minutesOf(text: unknown, allowEndOfDay: boolean): number | undefined {
	const match = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(String(text ?? ''));
	if (!match) return undefined;
	const minutes = Number(match[1]) * 60 + Number(match[2]);
	if (Number(match[2]) > 59) return undefined;
	return minutes < 24 * 60 || (allowEndOfDay && minutes === 24 * 60) ? minutes : undefined;
}

/** The item's Send Window, checked; ContentError names the field. Undefined when the option is not set. */
export function readSendWindow(raw: { window?: SendWindowParameters } | undefined): SendWindowRule | undefined {
	const p = raw?.window;
	if (!p) return undefined;
	const from = minutesOf(p.from ?? '09:00', false);
	if (from === undefined) throw new ContentError(`Send Window › Send From "${String(p.from)}" is not a time: write it as HH:MM, e.g. 09:00`, `${FIELD}.from`);
	const to = minutesOf(p.to ?? '20:00', true);
	if (to === undefined) throw new ContentError(`Send Window › Send Until "${String(p.to)}" is not a time: write it as HH:MM, e.g. 20:00 (24:00 = midnight)`, `${FIELD}.to`);
	if (to <= from) throw new ContentError(`Send Window › Send Until (${p.to}) must be after Send From (${p.from}); a window cannot run past midnight`, `${FIELD}.to`);
	let days: number[];
	if ((p.days ?? 'everyDay') === 'everyDay') days = [1, 2, 3, 4, 5, 6, 7];
	else if (p.days === 'weekdays') days = [1, 2, 3, 4, 5];
	else if (p.days === 'chosenDays') {
		const chosen = p.chosenDays ?? [];
		const unknown = chosen.filter((d) => !(DAY_NAMES as readonly string[]).includes(d));
		if (unknown.length > 0) throw new ContentError(`Send Window › Chosen Days has "${unknown[0]}": use monday … sunday`, `${FIELD}.chosenDays`);
		if (chosen.length === 0) throw new ContentError('Send Window › Chosen Days is empty: pick at least one day', `${FIELD}.chosenDays`);
		days = chosen.map((d) => (DAY_NAMES as readonly string[]).indexOf(d) + 1);
	} else throw new ContentError(`Send Window › Days "${String(p.days)}" is not one of everyDay, weekdays, chosenDays`, `${FIELD}.days`);
	const severalZones = p.severalZones ?? 'all';
	if (severalZones !== 'all' && severalZones !== 'fallback') throw new ContentError(`Send Window › Several Time Zones "${String(severalZones)}" is not one of all, fallback`, `${FIELD}.severalZones`);
	const fallbackZone = (p.fallbackTimeZone ?? '').trim() || undefined;
	if (fallbackZone !== undefined && !isTimeZone(fallbackZone)) {
		throw new ContentError(`Send Window › Fallback Time Zone "${fallbackZone}" is not an IANA time zone such as Europe/Rome or America/New_York`, `${FIELD}.fallbackTimeZone`);
	}
	if (severalZones === 'fallback' && !fallbackZone) {
		throw new ContentError('Send Window › Several Time Zones is "Use the Fallback Time Zone" but no Fallback Time Zone is set', `${FIELD}.fallbackTimeZone`);
	}
	return { window: { from, to, days: new Set(days) }, severalZones, ...(fallbackZone ? { fallbackZone } : {}) };
}
