/**
 * Options › Send Window in a real n8n with the packed package: examples/campaign.json with a window
 * open now in New York (area code 212) and so closed in Los Angeles (213, three hours behind). The
 * New York contact is sent; the Los Angeles one comes out of the third output, "Deferred", with the
 * window's opening on Los Angeles's clock, and reaches the node wired there; RBM sees one message.
 * Then the documented way to send later: Deferred → n8n's Wait node (At Specified Time,
 * {{ $json.deferredUntil }}) → back into the node, which sends once the window has opened.
 */
import { hh, wallClock as wall } from '../helpers/wallClock';
import { E2eInstance, loadExample, node, pairedIndex, runOutputs, variant } from './harness';
import { sendWindowWorkflow } from './sendWindowWorkflow';

const campaign = loadExample('campaign.json');

let n8n: E2eInstance;

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: 3 });
});

afterAll(async () => {
	await n8n?.close();
});

describe('Send Window in real n8n', () => {
	it('sends to the recipient whose window is open and defers the other to the window\'s opening on their own clock', async () => {
		const started = Date.now();
		const nyHour = wall('America/New_York', started).hour;
		const from = hh(nyHour);
		const to = hh(Math.min(nyHour + 2, 24));
		const workflow = sendWindowWorkflow(
			'rbmSendWindow001',
			'Send window',
			[
				{ name: 'Ny', phone: '+1 212 555 0101' },
				{ name: 'La', phone: '+1 213 555 0102' },
			],
			{ from, to, days: 'everyDay' },
		);
		await n8n.importWorkflows([workflow]);

		const run = await n8n.executeOk(workflow.id);
		const [contacts] = runOutputs(run, 'Contacts');
		const [sent, notReachable, deferred] = runOutputs(run, 'Send RCS');
		const [later] = runOutputs(run, 'Later');

		expect(sent.map((i) => [i.json.phoneNumber, pairedIndex(i)])).toEqual([['+12125550101', 0]]);
		expect(notReachable).toEqual([]);
		expect(deferred).toHaveLength(1);
		const item = deferred[0];
		expect(pairedIndex(item)).toBe(1);
		expect(item.json).toMatchObject({ name: 'La', phone: contacts[1].json.phone, phoneNumber: '+12135550102', sendStatus: 'deferred', agentId: 'rbm-demo-agent', timeZone: 'America/Los_Angeles', timeZoneSource: 'areaCode', areaCode: '213' });

		// The right local time: deferredUntil (UTC) is `from` on Los Angeles's clock, today there or tomorrow.
		const until = Date.parse(item.json.deferredUntil);
		expect(item.json.deferredUntil).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
		expect(Date.parse(item.json.deferredUntilLocal)).toBe(until);
		const la = wall('America/Los_Angeles', until);
		expect(`${hh(la.hour)}:${la.minute}`).toBe(`${from}:0`);
		expect(item.json.deferredUntilLocal).toBe(`${la.date}T${from}:00${item.json.deferredUntilLocal.slice(-6)}`);
		expect(item.json.deferredUntilLocal.slice(-6)).toMatch(/^-0[78]:00$/);
		expect(until).toBeGreaterThan(started);
		expect(until).toBeLessThan(started + 24 * 3_600_000);
		expect(later.map((i) => i.json.phoneNumber)).toEqual(['+12135550102']);

		const stats = n8n.emulator.stats();
		expect(stats.accepted).toBe(1);
		expect(Object.values(stats.messages).map((m) => m.phoneNumber)).toEqual(['+12125550101']);
	});

	it('Deferred → Wait until deferredUntil → back into the node: sent once the window opens', async () => {
		// The window opens at the next whole minute on New York's clock, computed in the Code node
		// just before the send (3 to 63 s away: n8n's Wait node waits in-process under 65 s), and stays open an hour.
		const contacts = `
const opens = new Date(Math.floor((Date.now() + 3000) / 60000) * 60000 + 60000);
const clock = (t) => new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
const opensAt = clock(opens);
const closesAt = Number(opensAt.slice(0, 2)) === 23 ? '24:00' : String(Number(opensAt.slice(0, 2)) + 1).padStart(2, '0') + opensAt.slice(2);
return [{ json: { name: 'Ny', phone: '+1 212 555 0103', opensAt, closesAt } }];`;
		const workflow = variant(campaign, 'rbmSendWindow002', 'Send window, wait and send', (wf) => {
			node(wf, 'Contacts').parameters.jsCode = contacts;
			node(wf, 'Send RCS').parameters.options = {
				...node(wf, 'Send RCS').parameters.options,
				sendWindow: { window: { from: '={{ $json.opensAt }}', to: '={{ $json.closesAt }}' } },
			};
			wf.nodes.push({
				id: 'send-window-wait',
				name: 'Wait for the window',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [700, 300],
				webhookId: '7d3b1f0e-5f51-4c57-9a53-2d6f0c2a0002',
				parameters: { resume: 'specificTime', dateTime: '={{ $json.deferredUntil }}' },
			});
			wf.connections['Send RCS'].main[2] = [{ node: 'Wait for the window', type: 'main', index: 0 }];
			wf.connections['Wait for the window'] = { main: [[{ node: 'Send RCS', type: 'main', index: 0 }]] };
		});
		await n8n.importWorkflows([workflow]);
		n8n.emulator.reset();

		const run = await n8n.executeOk(workflow.id);
		const [contact] = runOutputs(run, 'Contacts')[0];
		const first = runOutputs(run, 'Send RCS', 0);
		const second = runOutputs(run, 'Send RCS', 1);

		expect(first[0]).toEqual([]);
		expect(first[2]).toHaveLength(1);
		const deferred = first[2][0].json;
		expect(deferred).toMatchObject({ phoneNumber: '+12125550103', timeZone: 'America/New_York', opensAt: contact.json.opensAt });
		expect(deferred.deferredUntilLocal).toMatch(new RegExp(`T${contact.json.opensAt}:00-0[45]:00$`));

		// The second pass (after the Wait node) sent it, no earlier than the window's opening.
		expect(second[0].map((i) => i.json.phoneNumber)).toEqual(['+12125550103']);
		expect(second[2]).toEqual([]);
		const messages = Object.values(n8n.emulator.stats().messages);
		expect(messages).toHaveLength(1);
		expect(Date.parse(messages[0].acceptedAt)).toBeGreaterThanOrEqual(Date.parse(deferred.deferredUntil));
	});
});
