/**
 * The example workflows, imported and executed by a real n8n with the packed package installed:
 * Sent / Not Reachable routing, the SMS stand-in, item pairing, every message type, the
 * scheduled variant. Assertions come from n8n's run data and the emulator's records.
 */
import type { N8nItem } from './harness';
import { E2eInstance, loadExample, outputs, pairedIndex, runOutputs } from './harness';

const campaign = loadExample('campaign.json');
const allTypes = loadExample('campaign-all-types.json');
const scheduled = loadExample('scheduled-campaign.json');

const digits = (phone: string) => `+${phone.replace(/\D/g, '')}`;

let n8n: E2eInstance;

beforeAll(async () => {
	n8n = await E2eInstance.create({ seed: 1 });
	await n8n.importWorkflows([campaign, allTypes, scheduled]);
});

afterAll(async () => {
	await n8n?.close();
});

beforeEach(() => {
	n8n.emulator.configure({ faults: {} });
	n8n.emulator.reset();
});

describe('examples/campaign.json in real n8n', () => {
	it('sends to reachable contacts, routes numbers ending in 404 to Not Reachable and on to the SMS stand-in, every item paired', async () => {
		const run = await n8n.executeOk(campaign.id);
		const [contacts] = runOutputs(run, 'Contacts');
		const [sent, notReachable] = runOutputs(run, 'Send RCS');
		const [sms] = runOutputs(run, 'SMS fallback (stand-in)');
		const [rcsSent] = runOutputs(run, 'RCS sent');

		expect(contacts).toHaveLength(6);
		const unreachable = contacts.filter((c) => digits(c.json.phone).endsWith('404'));
		expect(unreachable.length).toBeGreaterThan(0);
		expect(sent).toHaveLength(contacts.length - unreachable.length);
		expect(notReachable).toHaveLength(unreachable.length);
		expect(rcsSent).toHaveLength(sent.length);

		// Pairing: each output item points at the contact it came from; phones are E.164.
		for (const item of [...sent, ...notReachable]) {
			const contact = contacts[pairedIndex(item)];
			expect(item.json.phoneNumber).toBe(digits(contact.json.phone));
			expect(item.json.agentId).toBe('rbm-demo-agent');
			expect(item.json.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		}
		expect(new Set([...sent, ...notReachable].map(pairedIndex)).size).toBe(contacts.length);
		for (const item of notReachable) {
			expect(item.json.phoneNumber).toMatch(/404$/);
			expect(item.json.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
		}
		// Options › Include Input Fields: phone, status and id first, the contact's fields kept (its `name`
		// is the contact's), RBM's answer under agentMessage, its content not echoed.
		for (const item of [...sent, ...notReachable]) {
			const contact = contacts[pairedIndex(item)];
			expect(Object.keys(item.json).slice(0, 3)).toEqual(['phoneNumber', 'sendStatus', 'messageId']);
			expect(item.json).toMatchObject(contact.json);
		}
		for (const item of notReachable) {
			expect(item.json.sendStatus).toBe('notReachable');
			expect(item.json.reason).toMatch(/^This phone cannot get RCS messages/);
		}
		for (const item of sent) {
			expect(item.json.sendStatus).toBe('sent');
			expect(item.json.name).toBe(contacts[pairedIndex(item)].json.name);
			expect(item.json.agentMessage.name).toBe(`phones/${item.json.phoneNumber}/agentMessages/${item.json.messageId}`);
			expect(item.json.contentMessage).toBeUndefined();
			expect(item.json.agentMessage.contentMessage).toBeUndefined();
			expect(item.json.alreadyAccepted).toBeUndefined();
		}

		// The SMS stand-in got exactly the unreachable ones, each paired with its Not Reachable item.
		expect(sms).toHaveLength(notReachable.length);
		sms.forEach((item: N8nItem) => {
			expect(item.json.smsFallback).toBe(true);
			expect(item.json.phoneNumber).toBe(notReachable[pairedIndex(item)].json.phoneNumber);
			expect(item.json.smsText).toBe(`Hi ${notReachable[pairedIndex(item)].json.name}, spring sale: 20% off everything until Sunday. https://example.com/sale`);
		});

		// The emulator saw each reachable phone once, with the ids n8n reports.
		const stats = n8n.emulator.stats();
		expect(stats.accepted).toBe(sent.length);
		expect(stats.notFound).toBe(notReachable.length);
		for (const item of sent) {
			expect(stats.messages[item.json.messageId]).toMatchObject({ count: 1, phoneNumber: item.json.phoneNumber, agentId: 'rbm-demo-agent' });
			const body = stats.messages[item.json.messageId].body as any;
			expect(body.messageTrafficType).toBe('PROMOTION');
			expect(body.contentMessage.text).toBe(`Hi ${item.json.name}, our spring sale starts today: 20% off everything until Sunday.`);
			expect(body.contentMessage.suggestions).toHaveLength(3);
		}
	});

	it('a second execution of the same campaign sends nothing new (idempotency key): all already accepted', async () => {
		const first = await n8n.executeOk(campaign.id);
		const second = await n8n.executeOk(campaign.id);
		const [sent1] = runOutputs(first, 'Send RCS');
		const [sent2, notReachable2] = runOutputs(second, 'Send RCS');
		expect(sent2.map((i) => i.json.messageId)).toEqual(sent1.map((i) => i.json.messageId));
		expect(sent2.every((i) => i.json.alreadyAccepted === true)).toBe(true);
		expect(notReachable2.length).toBeGreaterThan(0);
		const stats = n8n.emulator.stats();
		expect(stats.accepted).toBe(sent1.length);
		expect(stats.duplicates).toBe(sent1.length);
	});
});

describe('examples/campaign-all-types.json in real n8n', () => {
	const expectations: Record<string, (content: any) => void> = {
		'Send text': (c) => {
			expect(c.text).toMatch(/^Hello Reachable text!/);
			expect(c.suggestions.map((s: any) => Object.keys(s.reply ?? s.action)[0])).toEqual(['text', 'text']);
			expect(c.suggestions[1].action.dialAction.phoneNumber).toBe('+16505550000');
		},
		'Send rich card': (c) => {
			const card = c.richCard.standaloneCard;
			expect(card.cardOrientation).toBe('VERTICAL');
			expect(card.cardContent.title).toBe('Spring sale');
			expect(card.cardContent.media.contentInfo.fileUrl).toBe('https://example.com/images/spring-sale.jpg');
			expect(card.cardContent.suggestions).toHaveLength(2);
		},
		'Send carousel': (c) => {
			expect(c.richCard.carouselCard.cardWidth).toBe('MEDIUM');
			expect(c.richCard.carouselCard.cardContents.map((card: any) => card.title)).toEqual(['Running shoes', 'Rain jacket', 'Backpack']);
		},
		'Send media': (c) => {
			expect(c.contentInfo.fileUrl).toBe('https://example.com/images/catalog.png');
		},
		'Send JSON': (c) => {
			expect(c.text).toBe('Where should we deliver?');
			expect(c.suggestions[0].action.shareLocationAction).toEqual({});
		},
	};

	it('sends one message of every type, splits Sent / Not Reachable per node, the SMS stand-in receives all unreachable items', async () => {
		const run = await n8n.executeOk(allTypes.id);
		const [messages] = runOutputs(run, 'Messages');
		expect(messages).toHaveLength(10);
		const stats = n8n.emulator.stats();

		for (const [nodeName, check] of Object.entries(expectations)) {
			const [sent, notReachable] = runOutputs(run, nodeName);
			expect([nodeName, sent.length, notReachable.length]).toEqual([nodeName, 1, 1]);
			expect(sent[0].json.phoneNumber).not.toMatch(/404$/);
			expect(notReachable[0].json.phoneNumber).toMatch(/404$/);
			// Include Message Content: the content RBM accepted, under agentMessage.
			check(sent[0].json.agentMessage.contentMessage);
			// What RBM (the emulator) stored is what n8n reports.
			const stored = stats.messages[sent[0].json.messageId];
			expect(stored).toMatchObject({ count: 1, phoneNumber: sent[0].json.phoneNumber });
			check((stored.body as any).contentMessage);
			// Pairing through the Switch: each item points back at the Switch item it came from.
			const switchOutput = runOutputs(run, 'By message type')[Object.keys(expectations).indexOf(nodeName)];
			for (const item of [...sent, ...notReachable]) {
				expect(item.json.phoneNumber).toBe(switchOutput[pairedIndex(item)].json.phone);
			}
		}
		expect(runOutputs(run, 'By message type').flat()).toHaveLength(10);

		const sms = outputs(run, 'SMS fallback (stand-in)')[0];
		expect(sms).toHaveLength(5);
		expect(sms.every((i) => i.json.smsFallback === true && /404$/.test(i.json.phoneNumber))).toBe(true);
		expect(new Set(sms.map((i) => i.json.phoneNumber)).size).toBe(5);
		expect(stats.accepted).toBe(5);
		expect(stats.notFound).toBe(5);
		expect(stats.invalid).toBe(0);
	});
});

describe('examples/scheduled-campaign.json in real n8n', () => {
	it('runs from its Manual Trigger through the CLI, with a TTL and a per-day idempotency key', async () => {
		const run = await n8n.executeOk(scheduled.id);
		expect(run.data.resultData.runData['Run now']).toBeDefined();
		const [contacts] = runOutputs(run, 'Contacts');
		const [sent, notReachable] = runOutputs(run, 'Send RCS');
		const [sms] = runOutputs(run, 'SMS fallback (stand-in)');
		expect(sent.length + notReachable.length).toBe(contacts.length);
		expect(sms).toHaveLength(notReachable.length);
		expect(contacts[0].json.campaignId).toBe(`daily-${new Date().toISOString().slice(0, 10)}`);
		const stats = n8n.emulator.stats();
		expect(stats.accepted).toBe(sent.length);
		for (const item of sent) {
			expect(item.json.agentMessage.expireTime).toBeDefined();
			expect((stats.messages[item.json.messageId].body as any).ttl).toBe('28800s');
		}
	});
});
