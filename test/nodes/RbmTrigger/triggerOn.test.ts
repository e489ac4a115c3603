/**
 * Trigger On (issue 25 items 4 and 5): the nodes panel's entries for the trigger, what each starts
 * the workflow on (signed pushes from the emulator, over HTTP on 127.0.0.1), the canvas subtitle,
 * and the words about the webhook URL (notice, trigger panel, the log when published).
 */
import type { IHookFunctions, INode, INodePropertyOptions, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { RbmEmulator, WebhookEventInput } from '../../../emulator';
import { startEmulator } from '../../../emulator';
import { WEBHOOK_URL_NOTICE } from '../../../nodes/RbmTrigger/description';
import { RbmTrigger } from '../../../nodes/RbmTrigger/RbmTrigger.node';
import { webhookUrlProblem } from '../../../nodes/RbmTrigger/webhookUrl';
import type { WebhookHost } from '../../helpers/webhookHost';
import { hostWebhook } from '../../helpers/webhookHost';

const TOKEN = ['client', 'token', 'for', 'tests'].join('-');
const trigger = new RbmTrigger();
const { description } = trigger;

/**
 * The entries n8n 2.40's node creator makes for a trigger (n8n-editor-ui, useActionsGeneration:
 * triggersCategory): the options of the first property whose display name is Event, Events or
 * Trigger On, in their order, named by `action` (else "On " + the name), each setting that
 * property to its value.
 */
function panelEntries(): Array<{ label: string; values: Record<string, unknown> }> {
	const property = description.properties.find((p) => ['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()));
	const options = (property?.options ?? []) as INodePropertyOptions[];
	return options
		.filter((o) => !['*', '', ' '].includes(o.name))
		.map((o) => ({ label: o.action ?? `On ${o.name}`, values: { [property!.name]: property!.type === 'multiOptions' ? [o.value] : o.value } }));
}

describe('the nodes panel (issue 25 item 4)', () => {
	test('replies and taps first, then any event, then plain names; the last one hands over to Events', () => {
		expect(panelEntries().map((e) => e.label)).toEqual([
			'On replies and taps',
			'On any event',
			'On delivered/read receipts',
			'On expired messages',
			'On agent launch changes',
			'On subscribe/unsubscribe',
			'On typing',
			'On events you choose',
		]);
		expect(panelEntries()[0].values).toEqual({ triggerOn: 'replies' });
		expect(panelEntries()[7].values).toEqual({ triggerOn: 'custom' });
	});

	test('Events shows only with Your Choice of Events, the default, so saved workflows keep their list', () => {
		const triggerOn = description.properties.find((p) => p.name === 'triggerOn');
		const events = description.properties.find((p) => p.name === 'events');
		expect(triggerOn).toMatchObject({ type: 'options', default: 'custom' });
		expect(events?.displayOptions).toEqual({ show: { triggerOn: ['custom'] } });
		// Trigger On comes first: n8n takes the first property with one of the three names
		expect(description.properties.indexOf(triggerOn!)).toBeLessThan(description.properties.indexOf(events!));
	});
});

let emulator: RbmEmulator;
/** The nodes hosted by a test, all closed after it. */
let hosts: WebhookHost[] = [];
beforeAll(async () => {
	emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => emulator.close());
afterEach(async () => {
	await Promise.all(hosts.map((h) => h.close()));
	hosts = [];
});

/** One push of every kind RBM sends; ids differ per call so the redelivery filter lets each through. */
let run = 0;
function everyEvent(): WebhookEventInput[] {
	run += 1;
	const base = { phoneNumber: '+16505550123', agentId: 'welcome-bot' };
	return [
		{ ...base, type: 'text', text: 'Hello', messageId: `Mx${run}-text` },
		{ ...base, type: 'suggestionResponse', text: 'Yes', postbackData: 'yes', messageId: `Mx${run}-tap` },
		{ ...base, type: 'location', latitude: 37.4, longitude: -122.1, messageId: `Mx${run}-loc` },
		{ ...base, type: 'file', fileUri: 'https://rcs.example/f.jpg', mimeType: 'image/jpeg', messageId: `Mx${run}-file` },
		{ ...base, type: 'DELIVERED', messageId: 'agent-msg-1', eventId: `Ev${run}-delivered` },
		{ ...base, type: 'READ', messageId: 'agent-msg-1', eventId: `Ev${run}-read` },
		{ ...base, type: 'IS_TYPING', eventId: `Ev${run}-typing` },
		{ ...base, type: 'UNSUBSCRIBE', eventId: `Ev${run}-unsub` },
		{ ...base, type: 'TTL_EXPIRATION_REVOKED', messageId: 'agent-msg-2', eventId: `Ev${run}-ttl` },
		{ ...base, type: 'agentLaunch', eventId: `Ev${run}-launch` },
	];
}

/** The item types that started the workflow when every kind of event was pushed once. */
async function started(parameters: Record<string, unknown>): Promise<string[]> {
	const host = await hostWebhook(new RbmTrigger(), { parameters: { clientToken: TOKEN, ...parameters } });
	hosts.push(host);
	emulator.configure({ webhookUrl: host.url, webhookClientToken: TOKEN });
	for (const input of everyEvent()) expect((await emulator.sendWebhookEvent(input)).status).toBe(200);
	return host.started.map((s) => String(s[0][0].json.type));
}

describe('what each entry starts the workflow on', () => {
	test('On replies and taps: typed text, taps, locations and files; no receipts or typing', async () => {
		await expect(started({ triggerOn: 'replies' })).resolves.toEqual(['text', 'suggestionResponse', 'location', 'file']);
	});

	test('On any event: all ten, typing included', async () => {
		await expect(started({ triggerOn: 'any' })).resolves.toEqual(['text', 'suggestionResponse', 'location', 'file', 'DELIVERED', 'READ', 'IS_TYPING', 'UNSUBSCRIBE', 'TTL_EXPIRATION_REVOKED', 'agentLaunch']);
	});

	test.each([
		['receipts', ['DELIVERED', 'READ']],
		['IS_TYPING', ['IS_TYPING']],
		['subscription', ['UNSUBSCRIBE']],
		['serverEvent', ['TTL_EXPIRATION_REVOKED']],
		['agentLaunch', ['agentLaunch']],
	])('%s', async (triggerOn, types) => {
		await expect(started({ triggerOn })).resolves.toEqual(types);
	});

	test('a preset ignores an Events list left in the parameters', async () => {
		await expect(started({ triggerOn: 'receipts', events: ['text'] })).resolves.toEqual(['DELIVERED', 'READ']);
	});

	test('Your Choice of Events, and a workflow saved before Trigger On existed: the Events list', async () => {
		await expect(started({ triggerOn: 'custom', events: ['text', 'READ'] })).resolves.toEqual(['text', 'READ']);
		await expect(started({ events: ['location', 'subscription'] })).resolves.toEqual(['location', 'UNSUBSCRIBE']);
	});
});

describe('the subtitle on the canvas (n8n-workflow evaluates it)', () => {
	const nodeTypes = { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	function subtitle(parameters: INode['parameters']): unknown {
		const node: INode = { id: 't', name: 'RBM Trigger', type: 'n8n-nodes-rbm.rbmTrigger', typeVersion: 1.1, position: [0, 0], parameters };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {});
	}
	test.each([
		[{ triggerOn: 'replies' }, 'Replies and taps'],
		[{ triggerOn: 'receipts' }, 'Delivered / read receipts'],
		[{ triggerOn: 'custom', events: ['text', 'READ'] }, 'text, READ'],
		[{ events: ['text'] }, 'text'],
	])('%j → %s', (parameters, expected) => {
		expect(subtitle(parameters as INode['parameters'])).toBe(expected);
	});
});

describe('the webhook URL (issue 25 item 5)', () => {
	test('the notice, first in the settings, says Google needs a public HTTPS URL and a published workflow', () => {
		const [first] = description.properties;
		expect(first).toMatchObject({ type: 'notice', name: 'webhookUrlNotice', displayName: WEBHOOK_URL_NOTICE });
		expect(WEBHOOK_URL_NOTICE).toMatch(/Google only calls a public HTTPS address/);
		expect(WEBHOOK_URL_NOTICE).toMatch(/starts with <code>http:\/\/<\/code> or shows <code>localhost<\/code> or <code>127\.0\.0\.1<\/code>/);
		expect(WEBHOOK_URL_NOTICE).toMatch(/WEBHOOK_URL/);
		expect(WEBHOOK_URL_NOTICE).toMatch(/publish \(activate\) the workflow/);
	});

	test('the trigger panel says it too, before and after publishing', () => {
		const panel = description.triggerPanel as { executionsHelp: { active: string; inactive: string } };
		expect(panel.executionsHelp.inactive).toContain(WEBHOOK_URL_NOTICE);
		expect(panel.executionsHelp.active).toContain(WEBHOOK_URL_NOTICE);
	});

	test.each([
		['http://127.0.0.1:5678/webhook/abc', /plain HTTP.*and.*127\.0\.0\.1 is not reachable/],
		['http://localhost:5678/webhook/abc', /plain HTTP.*localhost is not reachable/],
		['https://localhost/webhook/abc', /^https:\/\/localhost\/webhook\/abc: localhost is not reachable from the internet$/],
		['http://n8n.example.com/webhook/abc', /^[^,]*plain HTTP \(Google needs https:\/\/\)$/],
		['https://192.168.1.20/webhook/abc', /192\.168\.1\.20 is not reachable/],
		['https://10.0.0.5/webhook/abc', /10\.0\.0\.5 is not reachable/],
		['https://172.20.0.2/webhook/abc', /172\.20\.0\.2 is not reachable/],
		['https://[::1]:5678/webhook/abc', /\[?::1\]? is not reachable/],
		['https://n8n.local/webhook/abc', /n8n\.local is not reachable/],
	])('%s: Google cannot call it', (url, reason) => {
		expect(webhookUrlProblem(url)).toMatch(reason);
	});

	test.each(['https://n8n.example.com/webhook/abc', 'https://172.32.0.1/webhook/abc', 'https://fcbarcelona.example/webhook/abc', 'https://8.8.8.8/webhook/abc'])('%s: fine', (url) => {
		expect(webhookUrlProblem(url)).toBeUndefined();
	});

	/** n8n's hook context for checkExists: the URL n8n computed, the activation mode, its logger. */
	async function publish(url: string, activation: 'activate' | 'manual'): Promise<string[]> {
		const warnings: string[] = [];
		const ctx = {
			getActivationMode: () => activation,
			getNodeWebhookUrl: () => url,
			getNode: () => ({ name: 'RBM Trigger' }),
			logger: { warn: (message: string) => warnings.push(message) },
		} as unknown as IHookFunctions;
		await expect(trigger.webhookMethods.default.checkExists.call(ctx)).resolves.toBe(true);
		return warnings;
	}

	test('publishing with such a URL works (the emulator calls it) and n8n\'s log says why Google will not', async () => {
		const [warning, ...more] = await publish('http://127.0.0.1:5678/webhook/abc/webhook', 'activate');
		expect(more).toEqual([]);
		expect(warning).toMatch(/^RBM Trigger "RBM Trigger": Google cannot deliver RBM events to http:\/\/127\.0\.0\.1:5678\/webhook\/abc\/webhook: it is plain HTTP/);
		expect(warning).toMatch(/WEBHOOK_URL/);
		// a public HTTPS URL, or the editor listening for a test event: nothing logged
		await expect(publish('https://n8n.example.com/webhook/abc/webhook', 'activate')).resolves.toEqual([]);
		await expect(publish('http://127.0.0.1:5678/webhook-test/abc/webhook', 'manual')).resolves.toEqual([]);
	});
});
