/**
 * Opt-out (STOP) and opt-in (START) replies in the RBM Trigger, through signed pushes from the
 * emulator over HTTP on 127.0.0.1 (docs/opt-out.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, INodeExecutionData, INodeParameters, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import type { RbmEmulator, WebhookEventInput } from '../../../emulator';
import { startEmulator } from '../../../emulator';
import { DEFAULT_OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS_BY_LANGUAGE } from '../../../nodes/RbmTrigger/consent';
import { RbmTrigger } from '../../../nodes/RbmTrigger/RbmTrigger.node';
import type { WebhookHost } from '../../helpers/webhookHost';
import { hostWebhook } from '../../helpers/webhookHost';

const TOKEN = ['client', 'token', 'for', 'opt', 'out'].join('-');
const ALL = ['text', 'suggestionResponse', 'location', 'file', 'DELIVERED', 'READ', 'IS_TYPING', 'subscription', 'serverEvent', 'agentLaunch'];

let emulator: RbmEmulator;
let host: WebhookHost | undefined;
beforeAll(async () => {
	emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => emulator.close());
afterEach(async () => {
	await host?.close();
	host = undefined;
});

async function withTrigger(parameters: IDataObject = {}): Promise<WebhookHost> {
	host = await hostWebhook(new RbmTrigger(), { parameters: { clientToken: TOKEN, events: ALL, ...parameters } });
	emulator.configure({ webhookUrl: host.url, webhookClientToken: TOKEN });
	return host;
}

let seq = 0;
const text = (body: string): WebhookEventInput => ({ type: 'text', phoneNumber: '+16505550123', agentId: 'welcome-bot', text: body, messageId: `MxOpt${++seq}` });
const chip = (label: string, postbackData: string): WebhookEventInput => ({ type: 'suggestionResponse', phoneNumber: '+16505550123', agentId: 'welcome-bot', text: label, postbackData, messageId: `MxOpt${++seq}` });

/** Pushes each event and returns, per push, what the workflow got: its outputs' items. */
async function push(trigger: WebhookHost, events: WebhookEventInput[]): Promise<INodeExecutionData[][][]> {
	const before = trigger.started.length;
	for (const ev of events) {
		const r = await emulator.sendWebhookEvent(ev);
		expect(r).toEqual({ status: 200, body: '' });
	}
	expect(trigger.started).toHaveLength(before + events.length);
	return trigger.started.slice(before);
}

/** The one item of a single-output start. */
const only = (start: INodeExecutionData[][]): IDataObject => {
	expect(start).toHaveLength(1);
	expect(start[0]).toHaveLength(1);
	return start[0][0].json;
};

async function flagsOf(messages: string[], parameters: IDataObject = {}): Promise<IDataObject[]> {
	const trigger = await withTrigger(parameters);
	const starts = await push(trigger, messages.map(text));
	return starts.map((s) => {
		const { optOut, optIn, keyword } = only(s);
		return keyword === undefined ? { optOut, optIn } : { optOut, optIn, keyword };
	});
}

const OUT = (keyword: string) => ({ optOut: true, optIn: false, keyword });
const NONE = { optOut: false, optIn: false };

describe('default opt-out words, in several languages', () => {
	test.each([
		['STOP', 'STOP'], ['stopall', 'STOPALL'], ['Unsubscribe', 'UNSUBSCRIBE'], ['cancel', 'CANCEL'], ['END', 'END'], ['quit', 'QUIT'], ['revoke', 'REVOKE'], ['optout', 'OPTOUT'],
		['Arrêt', 'ARRÊT'], ['désinscrire', 'DÉSINSCRIRE'], ['BAJA', 'BAJA'], ['dar de baja', 'DAR DE BAJA'], ['Parar', 'PARAR'], ['sair', 'SAIR'],
		['disiscrivimi', 'DISISCRIVIMI'], ['Stopp', 'STOPP'], ['abmelden', 'ABMELDEN'], ['afmelden', 'AFMELDEN'],
	])('%s → optOut, keyword %s', async (message, keyword) => {
		expect(await flagsOf([message])).toEqual([OUT(keyword)]);
	});

	test('capitals, spaces, accents and punctuation at the ends do not matter', async () => {
		const variants = ['  stop  ', 'Stop!', 'STOP.', '¡Stop!', '"stop"', 'stop 🛑', 'ARRET', 'arrêt !', 'Opt-Out', 'opt   out', 'OPT_OUT', 'Dar  de\tbaja', 'de\u0301sabonner', '\u00a0Quit?!'];
		expect(await flagsOf(variants)).toEqual([
			OUT('STOP'), OUT('STOP'), OUT('STOP'), OUT('STOP'), OUT('STOP'), OUT('STOP'), OUT('ARRÊT'), OUT('ARRÊT'),
			OUT('OPT OUT'), OUT('OPT OUT'), OUT('OPT OUT'), OUT('DAR DE BAJA'), OUT('DÉSABONNER'), OUT('QUIT'),
		]);
	});

	test('only the whole message counts: sentences with a keyword in them are ordinary messages', async () => {
		const sentences = ['stop sending me this', "Don't stop", 'Please stop', 'STOP STOP', 'end of story', 'I want to cancel my order', 's.t.o.p', 'stopping', 'startup', 'baja california'];
		expect(await flagsOf(sentences)).toEqual(sentences.map(() => NONE));
	});

	test('everyday words left out of the defaults (docs/opt-out.md) are ordinary messages', async () => {
		const words = ['Annulla', 'Cancelar', 'Alto', 'Fin', 'Yes', 'No', 'Hello'];
		expect(await flagsOf(words)).toEqual(words.map(() => NONE));
	});
});

describe('opt-in', () => {
	test('START, UNSTOP and SUBSCRIBE by default', async () => {
		expect(await flagsOf(['start', 'Unstop!', 'SUBSCRIBE', 'start again'])).toEqual([
			{ optOut: false, optIn: true, keyword: 'START' },
			{ optOut: false, optIn: true, keyword: 'UNSTOP' },
			{ optOut: false, optIn: true, keyword: 'SUBSCRIBE' },
			NONE,
		]);
	});

	test('a word in both lists opts out (the safe side)', async () => {
		expect(await flagsOf(['go'], { optOutKeywords: 'GO', optInKeywords: 'go, START' })).toEqual([OUT('GO')]);
	});
});

describe('custom lists', () => {
	test('comma-separated, written as the user likes; keyword shows the entry as written', async () => {
		const parameters = { optOutKeywords: ' Basta ,  Non più,,FINE ', optInKeywords: 'Ancora' };
		expect(await flagsOf(['basta!', 'NON PIU', 'fine', 'STOP', 'ancora'], parameters)).toEqual([
			OUT('Basta'), OUT('Non più'), OUT('FINE'),
			// the defaults are replaced, not extended
			NONE,
			{ optOut: false, optIn: true, keyword: 'Ancora' },
		]);
	});

	test('an empty list turns that matching off; the fields stay, false', async () => {
		expect(await flagsOf(['STOP', 'START'], { optOutKeywords: '', optInKeywords: ' , ' })).toEqual([NONE, NONE]);
	});
});

describe('which events carry the fields', () => {
	test('suggestion taps: only the postback data counts, the chip text never does', async () => {
		const trigger = await withTrigger();
		const taps: Array<[WebhookEventInput, IDataObject]> = [
			// issue 24: a chip labelled "Cancel" for an order is not an unsubscribe
			[chip('Cancel', 'cancel_order_42'), NONE],
			[chip('Unsubscribe', 'promo_chip_7'), NONE],
			[chip('Stop', 'show_offers'), NONE],
			[chip('Start', 'show_offers'), NONE],
			// the business chose a keyword as the chip's postback data
			[chip('No more offers', 'unsubscribe'), OUT('UNSUBSCRIBE')],
			[chip('Cancel', 'CANCEL'), OUT('CANCEL')],
			[chip('Stop messages', 'OPT_OUT'), OUT('OPT OUT')],
			[chip('Leave', ' stop '), OUT('STOP')],
			[chip('Se désabonner', 'désabonner'), OUT('DÉSABONNER')],
			[chip('Yes please', 'start'), { optOut: false, optIn: true, keyword: 'START' }],
			// postback data must be the keyword itself: nothing but spaces is dropped at its ends
			[chip('Stop', '/stop'), NONE],
			[chip('Stop', 'stop!'), NONE],
			[chip('Cancel', '#cancel'), NONE],
			[chip('Cancel', '-cancel'), NONE],
			[chip('Stop', 'stop now'), NONE],
		];
		const starts = await push(trigger, taps.map(([ev]) => ev));
		expect(starts.map((s) => only(s)).map(({ type, optOut, optIn, keyword }) => (keyword === undefined ? { type, optOut, optIn } : { type, optOut, optIn, keyword }))).toEqual(
			taps.map(([, flags]) => ({ type: 'suggestionResponse', ...flags })),
		);
	});

	test('the same chip rule with a custom list: postback data, not text', async () => {
		const trigger = await withTrigger({ optOutKeywords: 'Basta, Annulla' });
		const starts = await push(trigger, [chip('Annulla', 'annulla_ordine_7'), chip('Basta così', 'basta')]);
		expect(starts.map((s) => only(s).optOut)).toEqual([false, true]);
	});

	test('locations and files: both false; RBM\'s UNSUBSCRIBE / SUBSCRIBE events: true; receipts and typing: no fields', async () => {
		const trigger = await withTrigger();
		const base = { phoneNumber: '+16505550123', agentId: 'welcome-bot' };
		const starts = await push(trigger, [
			{ ...base, type: 'location', latitude: 45.4, longitude: 9.2, messageId: 'MxLoc1' },
			{ ...base, type: 'file', fileUri: 'https://rcs.example/f.jpg', mimeType: 'image/jpeg', messageId: 'MxFile1' },
			{ ...base, type: 'UNSUBSCRIBE', eventId: 'MxUnsub1' },
			{ ...base, type: 'SUBSCRIBE', eventId: 'MxSub1' },
			{ ...base, type: 'DELIVERED', messageId: 'agent-msg-1', eventId: 'MxDel1' },
			{ ...base, type: 'IS_TYPING', eventId: 'MxTyp1' },
		]);
		const items = starts.map(only);
		expect(items.map(({ type, optOut, optIn }) => ({ type, optOut, optIn }))).toEqual([
			{ type: 'location', optOut: false, optIn: false },
			{ type: 'file', optOut: false, optIn: false },
			{ type: 'UNSUBSCRIBE', optOut: true, optIn: false },
			{ type: 'SUBSCRIBE', optOut: false, optIn: true },
			{ type: 'DELIVERED', optOut: undefined, optIn: undefined },
			{ type: 'IS_TYPING', optOut: undefined, optIn: undefined },
		]);
		expect(items.every((i) => !('keyword' in i))).toBe(true);
	});
});

describe('Separate Outputs for Opt-Outs and Opt-Ins', () => {
	test('off (the default): one output, as before, whatever the reply', async () => {
		const trigger = await withTrigger();
		const starts = await push(trigger, [text('STOP'), text('START'), text('hello')]);
		expect(starts.map((s) => s.length)).toEqual([1, 1, 1]);
		expect(starts.map((s) => s[0][0].json.text)).toEqual(['STOP', 'START', 'hello']);
	});

	test('on: Everything Else (0), Opt-out (1), Opt-in (2); the other outputs are empty', async () => {
		const trigger = await withTrigger({ consentOutputs: true });
		const base = { phoneNumber: '+16505550123', agentId: 'welcome-bot' };
		const starts = await push(trigger, [text('Stop!'), text('start'), text('stop sending me this'), chip('Unsubscribe', 'unsubscribe'), chip('Cancel', 'cancel_order_42'), { ...base, type: 'UNSUBSCRIBE', eventId: 'MxUnsub2' }, { ...base, type: 'READ', messageId: 'agent-msg-2', eventId: 'MxRead2' }]);
		const where = starts.map((outputs) => {
			expect(outputs).toHaveLength(3);
			expect(outputs.flat()).toHaveLength(1);
			const index = outputs.findIndex((o) => o.length === 1);
			const { type, text: body, optOut, optIn } = outputs[index][0].json;
			return [index, type, body, optOut, optIn];
		});
		expect(where).toEqual([
			[1, 'text', 'Stop!', true, false],
			[2, 'text', 'start', false, true],
			[0, 'text', 'stop sending me this', false, false],
			[1, 'suggestionResponse', 'Unsubscribe', true, false],
			[0, 'suggestionResponse', 'Cancel', false, false],
			[1, 'UNSUBSCRIBE', undefined, true, false],
			[0, 'READ', undefined, undefined, undefined],
		]);
	});

	test('the node has one output unless the option is on, named for the editor (n8n-workflow\'s getNodeOutputs)', () => {
		const trigger = new RbmTrigger();
		const nodeTypes = { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const outputsWith = (parameters: INodeParameters) => {
			const node: INode = { id: 't', name: 'RBM Trigger', type: 'n8n-nodes-rbm.rbmTrigger', typeVersion: 1.1, position: [0, 0], parameters };
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
			return NodeHelpers.getNodeOutputs(workflow, workflow.getNode('RBM Trigger')!, trigger.description);
		};
		// an existing node, saved before the option existed, and a new one: one output as before
		expect(outputsWith({})).toEqual(['main']);
		expect(outputsWith({ consentOutputs: false })).toEqual(['main']);
		expect(outputsWith({ consentOutputs: true })).toEqual([
			{ type: 'main', displayName: 'Everything Else' },
			{ type: 'main', displayName: 'Opt-out' },
			{ type: 'main', displayName: 'Opt-in' },
		]);
	});
});

describe('one keyword list: docs/trigger.md, docs/opt-out.md and README say what the code does', () => {
	const read = (file: string): string => readFileSync(join(__dirname, '../../..', file), 'utf8');
	const split = (list: string): string[] => list.split(',').map((k) => k.trim()).filter((k) => k !== '');
	/** Language → keywords, rows of one language joined in order. */
	const byLanguage = (rows: Array<[string, string]>): Record<string, string[]> => {
		const out: Record<string, string[]> = {};
		for (const [language, list] of rows) out[language] = [...(out[language] ?? []), ...split(list)];
		return out;
	};
	const code = Object.fromEntries(OPT_OUT_KEYWORDS_BY_LANGUAGE.map((l) => [l.language, [...l.keywords]]));
	const defaultOf = (name: string): unknown => new RbmTrigger().description.properties.find((p) => p.name === name)?.default;

	test('docs/trigger.md › Opt-out: the Opt-Out Keywords default, language by language, and the Opt-In default', () => {
		const page = read('docs/trigger.md');
		const optOutCell = /^\| \*Opt-Out Keywords\* \| `optOutKeywords` \| (.+) \|$/m.exec(page)?.[1];
		expect(optOutCell).toBeDefined();
		const rows = optOutCell!.split(' · ').map((part): [string, string] => {
			const [language, list] = part.split(/:\s*/, 2);
			return [language.trim(), list];
		});
		expect(byLanguage(rows)).toEqual(code);
		// the node's default is every keyword of the table once, in table order
		expect(defaultOf('optOutKeywords')).toBe([...new Set(rows.flatMap(([, list]) => split(list)))].join(', '));
		const optInCell = /^\| \*Opt-In Keywords\* \| `optInKeywords` \| (.+) \|$/m.exec(page)?.[1];
		expect(optInCell).toBe(DEFAULT_OPT_IN_KEYWORDS);
		expect(defaultOf('optInKeywords')).toBe(DEFAULT_OPT_IN_KEYWORDS);
	});

	test("README › RBM Trigger: the keywords it names are defaults, and it links the full list", () => {
		const readme = read('README.md');
		const line = /^Replies such as (.+) are flagged `optOut: true` \(([A-Z]+) `optIn: true`\),$/m.exec(readme);
		expect(line).not.toBeNull();
		const named = line![1].split(/, | or /);
		expect(named.length).toBeGreaterThanOrEqual(3);
		const optOutDefaults = Object.values(code).flat();
		for (const keyword of named) expect({ keyword, isDefault: optOutDefaults.includes(keyword) }).toEqual({ keyword, isDefault: true });
		expect(split(DEFAULT_OPT_IN_KEYWORDS)).toContain(line![2]);
		expect(readme).toContain('(docs/trigger.md#opt-out-stop-and-opt-in)');
	});

	test('docs/opt-out.md › Default opt-out keywords: the same table', () => {
		const docs = read('docs/opt-out.md');
		const section = docs.slice(docs.indexOf('## Default opt-out keywords'), docs.indexOf('**Left out on purpose**'));
		const rows = [...section.matchAll(/^\| ([A-Z][a-z]+) \| ([^|a-z]+) \|/gm)].map((m): [string, string] => [m[1], m[2]]);
		expect(byLanguage(rows)).toEqual(code);
	});
});
