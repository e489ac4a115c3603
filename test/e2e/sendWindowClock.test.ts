/**
 * Options › Send Window in a real n8n at a faked clock (libfaketime, test/helpers/fakeClock.ts):
 * every n8n process of this file, and the emulator (a child process), start their wall clock at
 * 2026-03-08T06:30:00Z, Sunday — the day New York springs forward (02:00 EST → 03:00 EDT, at
 * 07:00 UTC) — and run on from there. One `n8n execute` with seven contacts, each carrying its own
 * window (the window's fields are expressions read per item):
 * - a DST edge: +1 212 (America/New_York) with a window opening inside the skipped hour;
 * - a country with several zones and no narrowing: an Australian mobile (+61 4…, zone.tab's 12
 *   zones), with Several Time Zones = all, and again with Use the Fallback Time Zone (Australia/Sydney);
 * - a Rome number inside its window: sent, the emulator receives it;
 * - Australian landlines placed by their prefix: Sydney (+61 2, summer time) deferred to 09:00 on
 *   its clock, Brisbane (+61 7, no DST) an hour behind it and still open: sent, Perth (+61 8 9).
 * Then at 2026-10-24T23:30:00Z, the night Rome falls back (03:00 CEST → 02:00 CET, at 01:00 UTC):
 * a window opening inside the repeated hour, and one opening after the change.
 * The expected instants are written out by hand (see the comments), not computed by the package.
 */
import { E2eInstance, pairedIndex, runOutputs } from './harness';
import { sendWindowWorkflow } from './sendWindowWorkflow';

const FAKED = '2026-03-08T06:30:00Z';

describe(`Send Window in real n8n at a faked clock (${FAKED})`, () => {
	let n8n: E2eInstance;

	beforeAll(async () => {
		n8n = await E2eInstance.createAtFakedClock(FAKED, ['--seed', '3', '--delivery-delay', '60000']);
	});

	afterAll(async () => {
		await n8n?.close();
	});

	it('defers to the right local time across a DST jump, in every zone of a multi-zone country for a mobile and in its own zone for a landline, and sends the items inside their window', async () => {
		const workflow = sendWindowWorkflow(
			'rbmSendWindowClock01',
			'Send window at a faked clock',
			[
				{ name: 'Ny', phone: '+1 212 555 0101', from: '02:30', to: '20:00', severalZones: 'all' },
				{ name: 'AuAll', phone: '+61 412 345 678', from: '09:00', to: '17:00', severalZones: 'all' },
				{ name: 'AuFallback', phone: '+61 412 345 679', from: '09:00', to: '17:00', severalZones: 'fallback' },
				{ name: 'Rome', phone: '+39 06 1234 5678', from: '07:00', to: '21:00', severalZones: 'all' },
				{ name: 'Sydney', phone: '+61 2 9374 4000', from: '09:00', to: '17:00', severalZones: 'all' },
				{ name: 'Brisbane', phone: '+61 7 3224 1234', from: '09:00', to: '17:00', severalZones: 'all' },
				{ name: 'Perth', phone: '+61 8 9222 1234', from: '09:00', to: '14:00', severalZones: 'all' },
			],
			{ from: '={{ $json.from }}', to: '={{ $json.to }}', days: 'everyDay', severalZones: '={{ $json.severalZones }}', fallbackTimeZone: 'Australia/Sydney' },
			(wf) => {
				// n8n's own clock ($now, evaluated in the main process where the RBM node runs), on every item.
				wf.nodes.push({
					id: 'send-window-clock',
					name: 'Clock',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [300, 300],
					parameters: {
						mode: 'manual',
						includeOtherFields: true,
						assignments: { assignments: [{ id: 'clock-now', name: 'n8nNow', value: '={{ $now.toUTC().toISO() }}', type: 'string' }] },
						options: {},
					},
				});
				wf.connections.Contacts = { main: [[{ node: 'Clock', type: 'main', index: 0 }]] };
				wf.connections.Clock = { main: [[{ node: 'Send RCS', type: 'main', index: 0 }]] };
			},
		);
		await n8n.importWorkflows([workflow]);

		const started = Date.now();
		const run = await n8n.executeOk(workflow.id);
		const [sent, notReachable, deferred] = runOutputs(run, 'Send RCS');
		const [later] = runOutputs(run, 'Later');
		process.stderr.write(`[sendWindowClock] n8n execute took ${Date.now() - started} ms; n8n's $now: ${runOutputs(run, 'Clock')[0][0].json.n8nNow}\n`);

		// n8n ran at the faked clock: started at 06:30:00Z, a few seconds (n8n's start) later here.
		for (const item of runOutputs(run, 'Clock')[0]) {
			expect(item.json.n8nNow >= '2026-03-08T06:30:00').toBe(true);
			expect(item.json.n8nNow < '2026-03-08T06:35:00').toBe(true);
		}

		expect(notReachable).toEqual([]);
		expect(sent.map((i) => [i.json.phoneNumber, pairedIndex(i)])).toEqual([
			['+390612345678', 3],
			['+61732241234', 5],
		]);
		expect(deferred.map((i) => [i.json.name, pairedIndex(i)])).toEqual([
			['Ny', 0],
			['AuAll', 1],
			['AuFallback', 2],
			['Sydney', 4],
			['Perth', 6],
		]);
		const [ny, auAll, auFallback, sydney, perth] = deferred.map((i) => i.json);

		// DST edge. 06:30Z is 01:30 EST (UTC−5) in New York. 02:30 does not exist on 2026-03-08: at
		// 02:00 EST = 07:00Z the clocks jump to 03:00 EDT (UTC−4). The first moment the local clock
		// reads 02:30 or later is that jump: 03:00 EDT = 03:00 + 4 h = 07:00Z.
		expect(ny).toMatchObject({
			phoneNumber: '+12125550101',
			deferredUntil: '2026-03-08T07:00:00Z',
			deferredUntilLocal: '2026-03-08T03:00:00-04:00',
			timeZone: 'America/New_York',
			timeZoneSource: 'areaCode',
			areaCode: '212',
		});

		// Several zones, all of them. On 2026-03-08 Australia's south-east is on summer time (until
		// 2026-04-05): Sydney, Melbourne, Hobart, Macquarie and Lord Howe are UTC+11 (the east-most),
		// Perth UTC+8 (the west-most, no DST); the others (Adelaide +10:30, Brisbane +10, Darwin
		// +9:30, Eucla +8:45) lie between. 09:00–17:00 is open everywhere from 09:00 in
		// Perth (09:00 − 8 h = 01:00Z) until 17:00 in Sydney (17:00 − 11 h = 06:00Z). At 06:30Z
		// Sydney is at 17:30: closed; next 01:00Z is 2026-03-09, 09:00 in Perth, the zone that opens last.
		expect(auAll).toMatchObject({
			phoneNumber: '+61412345678',
			deferredUntil: '2026-03-09T01:00:00Z',
			deferredUntilLocal: '2026-03-09T09:00:00+08:00',
			timeZone: 'Australia/Perth',
			timeZoneSource: 'country',
			country: 'AU',
		});
		expect(auAll.timeZones).toEqual(expect.arrayContaining(['Australia/Perth', 'Australia/Sydney', 'Australia/Lord_Howe', 'Australia/Eucla']));
		expect(auAll.timeZones).toHaveLength(12);
		expect(auAll.timeZones).not.toContain('Asia/Tokyo');

		// The fallback zone instead: 06:30Z is 17:30 AEDT (UTC+11) in Sydney, past 17:00; it opens
		// at 09:00 AEDT on 2026-03-09 = 09:00 − 11 h = 22:00Z on 2026-03-08.
		expect(auFallback).toMatchObject({
			phoneNumber: '+61412345679',
			deferredUntil: '2026-03-08T22:00:00Z',
			deferredUntilLocal: '2026-03-09T09:00:00+11:00',
			timeZone: 'Australia/Sydney',
			timeZoneSource: 'fallback',
		});

		// A Sydney landline (+61 2): Sydney's zone alone. 06:30Z is 17:30 AEDT, past 17:00; 09:00 AEDT
		// on 2026-03-09 is 22:00Z on the 8th (not 01:00Z, Perth's 09:00, as when it took all of Australia's zones).
		expect(sydney).toMatchObject({
			phoneNumber: '+61293744000',
			deferredUntil: '2026-03-08T22:00:00Z',
			deferredUntilLocal: '2026-03-09T09:00:00+11:00',
			timeZone: 'Australia/Sydney',
			timeZoneSource: 'prefix',
			prefix: '+61 2',
			country: 'AU',
		});
		expect(sydney.timeZones).toBeUndefined();
		// A Perth landline (+61 8 9): 06:30Z is 14:30 AWST (UTC+8), past 14:00; 09:00 AWST on the 9th = 01:00Z.
		expect(perth).toMatchObject({
			phoneNumber: '+61892221234',
			deferredUntil: '2026-03-09T01:00:00Z',
			deferredUntilLocal: '2026-03-09T09:00:00+08:00',
			timeZone: 'Australia/Perth',
			timeZoneSource: 'prefix',
			prefix: '+61 89',
		});
		// The Brisbane landline (+61 7 3224, Queensland keeps UTC+10 all year) was at 16:30, inside 09:00–17:00: sent above.

		expect(later.map((i) => i.json.phoneNumber)).toEqual(['+12125550101', '+61412345678', '+61412345679', '+61293744000', '+61892221234']);

		// Inside its window: 06:30Z is 07:30 CET (UTC+1; Italy's summer time starts 2026-03-29) in
		// Rome, within 07:00–21:00. The emulator (at the same faked clock) accepted it then.
		const stats = await n8n.emulatorProcess!.stats();
		expect(stats.accepted).toBe(2);
		const messages = Object.values(stats.messages);
		expect(messages.map((m) => m.phoneNumber).sort()).toEqual(['+390612345678', '+61732241234']);
		for (const message of messages) {
			expect(message.acceptedAt >= '2026-03-08T06:30:00').toBe(true);
			expect(message.acceptedAt < '2026-03-08T06:35:00').toBe(true);
		}
	});
});

const FALL_BACK = '2026-10-24T23:30:00Z';

describe(`Send Window in real n8n at a faked clock (${FALL_BACK}, Rome falls back that night)`, () => {
	let n8n: E2eInstance;

	beforeAll(async () => {
		n8n = await E2eInstance.createAtFakedClock(FALL_BACK, ['--seed', '3', '--delivery-delay', '60000']);
	});

	afterAll(async () => {
		await n8n?.close();
	});

	it('a window opening in the repeated hour opens at its first pass (CEST); 09:00 that morning is CET', async () => {
		const workflow = sendWindowWorkflow(
			'rbmSendWindowClock02',
			'Send window at a faked clock, fall back',
			[
				{ name: 'RomeNight', phone: '+39 06 1234 5601', from: '02:30', to: '20:00' },
				{ name: 'RomeMorning', phone: '+39 06 1234 5602', from: '09:00', to: '20:00' },
			],
			{ from: '={{ $json.from }}', to: '={{ $json.to }}', days: 'everyDay' },
		);
		await n8n.importWorkflows([workflow]);

		const run = await n8n.executeOk(workflow.id);
		const [sent, , deferred] = runOutputs(run, 'Send RCS');
		expect(sent).toEqual([]);
		const [night, morning] = deferred.map((i) => i.json);

		// 23:30Z on 2026-10-24 is 01:30 CEST (UTC+2) on the 25th in Rome. At 03:00 CEST = 01:00Z the
		// clocks go back to 02:00 CET (UTC+1), so 02:00–03:00 is lived twice: 02:30 CEST = 00:30Z, then
		// 02:30 CET = 01:30Z. The window opens at the first: 00:30Z.
		expect(night).toMatchObject({
			phoneNumber: '+390612345601',
			deferredUntil: '2026-10-25T00:30:00Z',
			deferredUntilLocal: '2026-10-25T02:30:00+02:00',
			timeZone: 'Europe/Rome',
			timeZoneSource: 'country',
		});
		// After the change: 09:00 CET = 09:00 − 1 h = 08:00Z (it would be 07:00Z the day before).
		expect(morning).toMatchObject({
			phoneNumber: '+390612345602',
			deferredUntil: '2026-10-25T08:00:00Z',
			deferredUntilLocal: '2026-10-25T09:00:00+01:00',
			timeZone: 'Europe/Rome',
		});
		expect((await n8n.emulatorProcess!.stats()).accepted).toBe(0);
	});
});
