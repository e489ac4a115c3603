/**
 * Options › Send Window in n8n's engine against the emulator: a window closed now (computed from
 * the clock of this run, so the test holds whenever it runs) defers and sends nothing; an open one
 * sends; "Deferred" is the third output only with the option; the error output, the AI-tool form
 * and the run notices know it. The time rules themselves are in test/shared/sendWindow.test.ts.
 */
import type { INode, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { RbmSendMessage } from '../../../nodes/RbmSendMessage/RbmSendMessage.node';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { hh, wallClock as localNow } from '../../helpers/wallClock';
import { runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => fx.emulator.reset());
afterAll(async () => fx.emulator.close());

const ROME = '+39 06 1234 5678';
const NEW_YORK = '+1 212 555 0100';
const LOS_ANGELES = '+1 213 555 0100';
const DAY = 86_400_000;

/** A one-hour window that is closed now in the zone, and the local date and time it opens next. */
function closedWindow(zone: string): { from: string; to: string; opensOn: string } {
	const { date, hour } = localNow(zone);
	if (hour <= 21) return { from: hh(hour + 2), to: hh(hour + 3), opensOn: date };
	return { from: hh(hour - 3), to: hh(hour - 2), opensOn: localNow(zone, Date.now() + DAY).date };
}

const withWindow = (window: Record<string, unknown>, options: Record<string, unknown> = {}) => textParams({ options: { ...options, sendWindow: { window } } });

describe('a window closed now in the recipient\'s zone', () => {
	test('nothing goes to RBM: each item comes out of "Deferred", paired, with its fields and when the window opens', async () => {
		const { from, to, opensOn } = closedWindow('Europe/Rome');
		const items = [
			{ phone: ROME, name: 'Ada', campaign: 'spring' },
			{ phone: '+39 312 345 6789', name: 'Bea', campaign: 'spring' },
		];
		const started = Date.now();
		const r = await runNode({ items, parameters: withWindow({ from, to }), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(r.outputs).toHaveLength(3);
		const [sent, unreachable, deferred] = r.outputs;
		expect(sent).toEqual([]);
		expect(unreachable).toEqual([]);
		expect(deferred.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(deferred[0].json).toEqual({
			phone: ROME,
			name: 'Ada',
			campaign: 'spring',
			phoneNumber: '+390612345678',
			agentId: 'welcome-bot',
			deferredUntil: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/),
			deferredUntilLocal: expect.stringMatching(new RegExp(`^${opensOn}T${from}:00\\+0[12]:00$`)),
			timeZone: 'Europe/Rome',
			timeZoneSource: 'country',
			country: 'IT',
		});
		const until = Date.parse(deferred[0].json.deferredUntil as string);
		expect(Date.parse(deferred[0].json.deferredUntilLocal as string)).toBe(until);
		expect(until).toBeGreaterThan(started);
		expect(until).toBeLessThanOrEqual(started + DAY);
		expect(deferred[1].json).toMatchObject({ phoneNumber: '+393123456789', deferredUntil: deferred[0].json.deferredUntil });
		const stats = fx.emulator.stats();
		expect(stats.accepted).toBe(0);
		expect(stats.messages).toEqual({});
	});

	test('by area code: a window open now in New York sends there and defers Los Angeles (3 hours behind) to the same hour on its clock', async () => {
		const { hour } = localNow('America/New_York');
		const from = hh(hour);
		const to = hh(Math.min(hour + 2, 24));
		const items = [{ phone: NEW_YORK, name: 'Ny' }, { phone: LOS_ANGELES, name: 'La' }, { phone: '+1 212 555 0404', name: 'Unreachable' }];
		const r = await runNode({ items, parameters: withWindow({ from, to }), credentials: fx.credentials });
		const [sent, unreachable, deferred] = r.outputs;
		expect(sent.map((i) => [i.json.phoneNumber, i.pairedItem])).toEqual([['+12125550100', { item: 0 }]]);
		expect(unreachable.map((i) => [i.json.phoneNumber, i.pairedItem])).toEqual([['+12125550404', { item: 2 }]]);
		expect(deferred).toHaveLength(1);
		expect(deferred[0].pairedItem).toEqual({ item: 1 });
		expect(deferred[0].json).toMatchObject({ phoneNumber: '+12135550100', timeZone: 'America/Los_Angeles', timeZoneSource: 'areaCode', areaCode: '213' });
		expect(deferred[0].json.deferredUntilLocal).toMatch(new RegExp(`T${from}:00-0[78]:00$`));
		expect(fx.emulator.stats()).toMatchObject({ accepted: 1, notFound: 1 });
	});
});

describe('the zone comes from the number\'s prefix (fixed lines) or the country (mobiles of a country with several zones)', () => {
	const LANDLINES = [
		{ phone: '+61 2 9374 4000', name: 'Sydney', zone: 'Australia/Sydney', prefix: '+61 2', offset: /\+1[01]:00$/ },
		{ phone: '+61 8 9222 1234', name: 'Perth', zone: 'Australia/Perth', prefix: '+61 89', offset: /\+08:00$/ },
		{ phone: '+34 91 123 45 67', name: 'Madrid', zone: 'Europe/Madrid', prefix: '+34 9', offset: /\+0[12]:00$/ },
		{ phone: '+34 928 123 456', name: 'Las Palmas', zone: 'Atlantic/Canary', prefix: '+34 928', offset: /\+0[01]:00$/ },
	];

	test('a one-hour window closed now everywhere: each landline deferred to that hour on its own clock, with its zone and prefix', async () => {
		// An hour that is neither now nor the next hour in any of the four zones.
		const busy = new Set(LANDLINES.flatMap(({ zone }) => [localNow(zone).hour, (localNow(zone).hour + 1) % 24]));
		const hour = [...Array(23).keys()].find((h) => !busy.has(h))!;
		const started = Date.now();
		const r = await runNode({ items: LANDLINES.map(({ phone, name }) => ({ phone, name })), parameters: withWindow({ from: hh(hour), to: hh(hour + 1) }), credentials: fx.credentials });
		const [sent, , deferred] = r.outputs;
		expect(sent).toEqual([]);
		expect(deferred.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		deferred.forEach((item, k) => {
			const { zone, prefix, offset } = LANDLINES[k];
			expect(item.json).toMatchObject({ name: LANDLINES[k].name, timeZone: zone, timeZoneSource: 'prefix', prefix });
			expect(item.json).not.toHaveProperty('timeZones');
			expect(item.json.deferredUntilLocal).toMatch(new RegExp(`T${hh(hour)}:00`));
			expect(item.json.deferredUntilLocal).toMatch(offset);
			const until = Date.parse(item.json.deferredUntil as string);
			expect(until).toBe(Date.parse(item.json.deferredUntilLocal as string));
			// On the zone's own clock (Intl, not the package): that hour, within a day.
			expect(localNow(zone, until)).toMatchObject({ hour, minute: 0 });
			expect(until).toBeGreaterThan(started);
			expect(until).toBeLessThanOrEqual(started + DAY);
		});
		expect(fx.emulator.stats().accepted).toBe(0);
	});

	test('an Australian mobile waits for every zone of Australia (zone.tab: 12, no Asia/Tokyo): 09:00 in Perth, the last to open', async () => {
		// The day after tomorrow in Sydney, a day no Australian zone is in yet.
		const { date } = localNow('Australia/Sydney', Date.now() + 2 * DAY);
		const weekday = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long' }).format(new Date(`${date}T12:00:00Z`)).toLowerCase();
		const r = await runNode({
			items: [{ phone: '+61 412 345 678', name: 'Mobile' }],
			parameters: withWindow({ from: '09:00', to: '20:00', days: 'chosenDays', chosenDays: [weekday] }),
			credentials: fx.credentials,
		});
		const [item] = r.outputs[2];
		expect(item.json).toMatchObject({ phoneNumber: '+61412345678', timeZone: 'Australia/Perth', timeZoneSource: 'country', country: 'AU', deferredUntilLocal: `${date}T09:00:00+08:00` });
		expect(item.json).not.toHaveProperty('prefix');
		expect(item.json.timeZones).toHaveLength(12);
		expect(item.json.timeZones).toEqual(expect.arrayContaining(['Australia/Perth', 'Australia/Adelaide', 'Australia/Darwin', 'Australia/Brisbane', 'Australia/Sydney']));
		expect(item.json.timeZones).not.toContain('Asia/Tokyo');
	});
});

describe('a window open now', () => {
	test('sends as without the option; "Deferred" is there and empty', async () => {
		const items = [{ phone: ROME, name: 'Ada' }, { phone: NEW_YORK, name: 'Ny' }];
		const r = await runNode({ items, parameters: withWindow({ from: '00:00', to: '24:00' }), credentials: fx.credentials });
		expect(r.outputs.map((o) => o.length)).toEqual([2, 0, 0]);
		expect(r.outputs[0][0].json).toMatchObject({ phoneNumber: '+390612345678', contentMessage: { text: 'Hello Ada' } });
		expect(fx.emulator.stats().accepted).toBe(2);
	});

	test('without the option the node keeps its two outputs', async () => {
		const r = await runNode({ items: [{ phone: ROME, name: 'Ada' }], parameters: textParams(), credentials: fx.credentials });
		expect(r.outputs.map((o) => o.length)).toEqual([1, 0]);
	});

	test('open when the items are checked, closed by the time the second is sent: that one comes out of "Deferred"', async () => {
		// Every item is checked before the first request; sending can take long (a big list, a rate
		// limit), so the window is looked at again when a minute has passed since the check. The wall
		// clock (Date.now, which n8n, the node and the in-process emulator read) jumps 3 hours while
		// item 1's request is at the emulator.
		const { hour } = localNow('America/Los_Angeles');
		const window = { from: hh(hour), to: hh(Math.min(hour + 2, 24)) };
		fx.emulator.configure({ faults: { 'agentMessages.create': { latencyMs: 300 } } });
		const realNow = Date.now.bind(Date);
		let shift = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
		try {
			const items = [{ phone: LOS_ANGELES, name: 'A' }, { phone: LOS_ANGELES, name: 'B' }];
			const running = runNode({ items, parameters: withWindow(window, { concurrency: 1 }), credentials: fx.credentials });
			for (let k = 0; k < 500 && (fx.emulator.stats().requests['agentMessages.create'] ?? 0) === 0; k++) await new Promise((resolve) => setTimeout(resolve, 10));
			shift = 3 * 3_600_000;
			const r = await running;
			expect(r.error).toBeUndefined();
			expect(r.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
			expect(r.outputs[2].map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
			expect(r.outputs[2][0].json).toMatchObject({ name: 'B', timeZone: 'America/Los_Angeles', deferredUntilLocal: expect.stringMatching(new RegExp(`T${window.from}:00-0[78]:00$`)) });
			// One message reached RBM (the jump can make item 1's request look timed out: its retry is a duplicate).
			expect(fx.emulator.stats().accepted).toBe(1);
			expect(Object.keys(fx.emulator.stats().messages)).toEqual([r.outputs[0][0].json.messageId]);
		} finally {
			clock.mockRestore();
			fx.emulator.configure({ faults: {} });
		}
	});
});

describe('the outputs the editor draws', () => {
	/** What n8n's editor and engine compute from the description (NodeHelpers.getNodeOutputs evaluates its expression). */
	function outputsOf(options: Record<string, unknown>) {
		const type = new RbmSendMessage();
		const node: INode = { id: 'n', name: 'Send', type: 'n8n-nodes-rbm.rbmSendMessage', typeVersion: 1, position: [0, 0], parameters: textParams({ options }) };
		const nodeTypes = { getByName: () => type, getByNameAndVersion: () => type, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Send')!, type.description);
	}

	test('Sent and Not Reachable; Deferred third only with a Send Window', () => {
		const names = (options: Record<string, unknown>) => outputsOf(options).map((o) => (typeof o === 'string' ? o : o.displayName));
		expect(names({})).toEqual(['Sent', 'Not Reachable']);
		expect(names({ idempotencyKey: 'x' })).toEqual(['Sent', 'Not Reachable']);
		expect(names({ sendWindow: { window: { from: '09:00', to: '20:00' } } })).toEqual(['Sent', 'Not Reachable', 'Deferred']);
		expect(names({ sendWindow: { window: {} } })).toEqual(['Sent', 'Not Reachable', 'Deferred']);
	});
});

describe('errors name the item and the field', () => {
	test('a number of no country without a Fallback Time Zone; with one it is deferred on that zone', async () => {
		const items = [{ phone: ROME, name: 'Ada' }, { phone: '+800 1234 5678', name: 'Free' }];
		const bad = await runNode({ items, parameters: withWindow({ from: '00:00', to: '24:00' }), credentials: fx.credentials });
		expect(bad.error?.message).toBe('Contact 2: Phone Number +80012345678 belongs to no country, so its local time is unknown: set Options › Send Window › Fallback Time Zone');
		expect(bad.error?.description).toContain('Field: phoneNumber');

		const { from, to } = closedWindow('Asia/Tokyo');
		const good = await runNode({ items: items.slice(1), parameters: withWindow({ from, to, fallbackTimeZone: 'Asia/Tokyo' }), credentials: fx.credentials });
		expect(good.outputs[2][0].json).toMatchObject({ phoneNumber: '+80012345678', timeZone: 'Asia/Tokyo', timeZoneSource: 'fallback', deferredUntilLocal: expect.stringMatching(/\+09:00$/) });
	});

	test('a bad time; under "Continue (using error output)" the error output comes after "Deferred"', async () => {
		const r = await runNode({
			items: [{ phone: ROME, name: 'Ada' }],
			parameters: withWindow({ from: '9 o\'clock', to: '20:00' }),
			credentials: fx.credentials,
			settings: { onError: 'continueErrorOutput' },
		});
		expect(r.outputs.map((o) => o.length)).toEqual([0, 0, 0, 1]);
		expect(r.outputs[3][0].json.error).toMatchObject({ message: 'Contact 1: Send Window › Send From "9 o\'clock" is not a time: write it as HH:MM, e.g. 09:00', field: 'options.sendWindow.window.from' });
		expect(fx.emulator.stats().accepted).toBe(0);
	});
});

describe('as an AI-agent tool', () => {
	test('one output: the deferred message says so, and until when on the recipient\'s clock', async () => {
		const { from, to } = closedWindow('Europe/Rome');
		const r = await runNode({ type: 'n8n-nodes-rbm.rbmSendMessageTool', items: [{ phone: ROME, name: 'Ada' }], parameters: withWindow({ from, to }), credentials: fx.credentials });
		expect(r.outputs).toHaveLength(1);
		const [answer] = r.outputs[0];
		expect(answer.json).toMatchObject({ phoneNumber: '+390612345678', sent: false, deferred: true });
		expect(answer.json.hint).toBe(
			`Not sent: it is outside the send window for the recipient, whose time zone is Europe/Rome. ` +
				`The window opens at ${answer.json.deferredUntilLocal as string} (${answer.json.deferredUntil as string}); send it then, or tell the user it will go then.`,
		);
		expect(fx.emulator.stats().accepted).toBe(0);
	});
});

describe('run notices', () => {
	const notices = (hints: Array<{ message: string; type?: string }>) => hints.filter((h) => /Send Window/.test(h.message));

	test('deferred items with "Deferred" connected to nothing: a warning; connected: how many and the first opening', async () => {
		const { from, to } = closedWindow('Europe/Rome');
		const items = [{ phone: ROME, name: 'Ada' }, { phone: '+39 312 345 6789', name: 'Bea' }];
		const alone = await runNode({ items, parameters: withWindow({ from, to }), credentials: fx.credentials });
		expect(notices(alone.hints)).toEqual([
			expect.objectContaining({
				type: 'warning',
				message: expect.stringMatching(/^2 messages were not sent: the Send Window was closed for their recipients\. They came out of "Deferred", which is connected to nothing/),
			}),
		]);
		const wired = await runNode({ items, parameters: withWindow({ from, to }), credentials: fx.credentials, connectOutputs: [2] });
		const until = (wired.outputs[2][0].json.deferredUntil as string).replace('T', ' ').replace(':00Z', ' UTC');
		expect(notices(wired.hints)).toEqual([
			expect.objectContaining({ type: 'info', message: `2 messages were not sent yet: the Send Window was closed for their recipients. They came out of "Deferred"; the first window opens at ${until}.` }),
		]);
	});

	test('no notice when nothing was deferred', async () => {
		const r = await runNode({ items: [{ phone: ROME, name: 'Ada' }], parameters: withWindow({ from: '00:00', to: '24:00' }), credentials: fx.credentials });
		expect(notices(r.hints)).toEqual([]);
	});
});
