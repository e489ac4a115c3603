/**
 * RBM Send Message versions 1 and 2 (issue 25 items 1, 2, 6, 7, 9, 12).
 * - Version 1 (every workflow saved before version 2): its parameters give the same AgentMessage as
 *   before, Rich Card from its own card* fields.
 * - Version 2 (what the editor adds): Rich Card and Carousel share one Cards list, so n8n keeps the
 *   cards when Message Type changes; Rich Card takes exactly one card.
 * The editor's behaviour is n8n-workflow's getNodeParameters (what the editor runs on every change);
 * the sends go through real n8n execution (WorkflowExecute) to the emulator.
 */
import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { getNodeParameters } from 'n8n-workflow';

import { LIMITS } from '../../../nodes/shared/content/limits';
import { RbmSendMessage } from '../../../nodes/RbmSendMessage/RbmSendMessage.node';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential } from '../../helpers/emulator';
import { itemError, runNode } from '../../helpers/workflow';

const description: INodeTypeDescription = new RbmSendMessage().description;
const properties = description.properties;

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => fx.emulator.reset());
afterAll(async () => fx.emulator.close());

const base = { phoneNumber: '+16505550123', agentId: 'welcome-bot' };

async function bodyOf(parameters: Record<string, unknown>, typeVersion: number): Promise<unknown> {
	const result = await runNode({ items: [{}], parameters: { ...base, ...parameters }, credentials: fx.credentials, typeVersion });
	expect(result.error).toBeUndefined();
	const messageId = result.outputs[0][0].json.messageId as string;
	return fx.emulator.stats().messages[messageId].body;
}

const threeCards = {
	card: [
		{ title: 'Red', description: 'A red shirt', fileUrl: 'https://example.com/red.jpg', suggestions: { suggestion: [{ type: 'reply', text: 'Buy red', postbackData: 'buy:red' }] } },
		{ title: 'Blue', description: 'A blue shirt', fileUrl: 'https://example.com/blue.jpg', mediaHeight: 'TALL', mediaAltText: 'A blue shirt on a hanger' },
		{ title: 'Green', description: 'A green shirt' },
	],
};

/** What the editor keeps of a node's parameters after Message Type is set to `messageType` (n8n's own rule). */
function afterTypeChange(parameters: INodeParameters, messageType: string, typeVersion: number): INodeParameters {
	const kept = getNodeParameters(properties, { ...parameters, messageType }, false, false, { typeVersion }, description);
	if (!kept) throw new Error('getNodeParameters returned nothing');
	return kept;
}

/** Every text the editor shows for these properties: labels, descriptions, hints, placeholders, option names. */
function visibleText(list: unknown[]): string[] {
	const out: string[] = [];
	for (const entry of list) {
		const p = entry as Record<string, unknown>;
		for (const key of ['displayName', 'name', 'description', 'hint', 'placeholder']) {
			// an option's `name` is its label; a parameter's `name` is its key (not shown)
			if (key === 'name' && ('type' in p || 'values' in p)) continue;
			if (typeof p[key] === 'string') out.push(p[key] as string);
		}
		for (const key of ['options', 'values']) if (Array.isArray(p[key])) out.push(...visibleText(p[key] as unknown[]));
	}
	return out;
}

describe('the node', () => {
	test('has versions 1 and 2; the editor adds version 2', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});
});

describe('version 1: saved workflows send the same AgentMessage as before', () => {
	test('Rich Card from cardTitle, cardDescription, cardMediaUrl, cardMediaHeight, cardMediaAltText, cardThumbnailUrl, cardSuggestions', async () => {
		const body = await bodyOf(
			{
				messageType: 'richCard',
				cardTitle: 'Order shipped',
				cardDescription: 'Arrives Friday',
				cardMediaUrl: 'https://example.com/box.mp4',
				cardThumbnailUrl: 'https://example.com/box.jpg',
				cardMediaHeight: 'TALL',
				cardMediaAltText: 'A parcel',
				cardSuggestions: { suggestion: [{ type: 'reply', text: 'Track', postbackData: 'track' }] },
				suggestions: { suggestion: [{ type: 'dial', text: 'Call us', dialPhoneNumber: '+16505550199', fallbackUrl: 'https://example.com/call' }] },
			},
			1,
		);
		expect(body).toEqual({
			contentMessage: {
				richCard: {
					standaloneCard: {
						cardOrientation: 'VERTICAL',
						cardContent: {
							title: 'Order shipped',
							description: 'Arrives Friday',
							media: { height: 'TALL', contentDescription: 'A parcel', contentInfo: { fileUrl: 'https://example.com/box.mp4', thumbnailUrl: 'https://example.com/box.jpg' } },
							suggestions: [{ reply: { text: 'Track', postbackData: 'track' } }],
						},
					},
				},
				suggestions: [{ action: { text: 'Call us', postbackData: 'Call us', fallbackUrl: 'https://example.com/call', dialAction: { phoneNumber: '+16505550199' } } }],
			},
		});
	});

	test('a version 1 Rich Card ignores a Cards list (hidden in version 1)', async () => {
		const body = await bodyOf({ messageType: 'richCard', cardTitle: 'Mine', cards: threeCards }, 1);
		expect(body).toEqual({ contentMessage: { richCard: { standaloneCard: { cardOrientation: 'VERTICAL', cardContent: { title: 'Mine' } } } } });
	});

	test('Carousel: the same cards give the same message in versions 1 and 2', async () => {
		const parameters = { messageType: 'carousel', cardWidth: 'MEDIUM', cards: threeCards };
		const v1 = await bodyOf(parameters, 1);
		expect(v1).toEqual({
			contentMessage: {
				richCard: {
					carouselCard: {
						cardWidth: 'MEDIUM',
						cardContents: [
							{ title: 'Red', description: 'A red shirt', media: { height: 'MEDIUM', contentInfo: { fileUrl: 'https://example.com/red.jpg' } }, suggestions: [{ reply: { text: 'Buy red', postbackData: 'buy:red' } }] },
							{ title: 'Blue', description: 'A blue shirt', media: { height: 'TALL', contentDescription: 'A blue shirt on a hanger', contentInfo: { fileUrl: 'https://example.com/blue.jpg' } } },
							{ title: 'Green', description: 'A green shirt' },
						],
					},
				},
			},
		});
		expect(await bodyOf(parameters, 2)).toEqual(v1);
	});

	test('in the editor, version 1 still drops the cards when Message Type changes (why version 2 exists)', () => {
		const carousel = { ...base, messageType: 'carousel', cards: threeCards };
		expect(afterTypeChange(carousel, 'richCard', 1).cards).toBeUndefined();
	});
});

describe('version 2: one Cards list for Rich Card and Carousel', () => {
	test('in the editor: a 3-card carousel switched to Rich Card and back keeps its cards and their buttons', () => {
		const carousel = { ...base, messageType: 'carousel', cards: threeCards, suggestions: { suggestion: [{ type: 'reply', text: 'More' }] } };
		const asRichCard = afterTypeChange(carousel, 'richCard', 2);
		// the editor stores values without their defaults (a Reply button's type)
		expect(asRichCard.cards).toMatchObject({
			card: [
				{ title: 'Red', description: 'A red shirt', fileUrl: 'https://example.com/red.jpg', suggestions: { suggestion: [{ text: 'Buy red', postbackData: 'buy:red' }] } },
				{ title: 'Blue', description: 'A blue shirt', mediaHeight: 'TALL', mediaAltText: 'A blue shirt on a hanger' },
				{ title: 'Green', description: 'A green shirt' },
			],
		});
		const back = afterTypeChange(asRichCard, 'carousel', 2);
		expect(back.cards).toEqual(asRichCard.cards);
		expect(back.suggestions).toMatchObject({ suggestion: [{ text: 'More' }] });
		// through Text (no cards there) the cards go, as n8n drops what a type does not show
		expect(afterTypeChange(carousel, 'text', 2).cards).toBeUndefined();
	});

	test('Rich Card sends its one card, with orientation, alignment and the optional card fields', async () => {
		const body = await bodyOf(
			{
				messageType: 'richCard',
				cardOrientation: 'HORIZONTAL',
				thumbnailImageAlignment: 'RIGHT',
				cards: {
					card: [
						{
							title: 'Order shipped',
							description: 'Arrives Friday',
							fileUrl: 'https://example.com/box.mp4',
							thumbnailUrl: 'https://example.com/box.jpg',
							mediaHeight: 'SHORT',
							mediaAltText: 'A parcel',
							forceRefresh: true,
							suggestions: { suggestion: [{ type: 'openUrl', text: 'Track', url: 'https://example.com/track' }] },
						},
					],
				},
			},
			2,
		);
		expect(body).toEqual({
			contentMessage: {
				richCard: {
					standaloneCard: {
						cardOrientation: 'HORIZONTAL',
						thumbnailImageAlignment: 'RIGHT',
						cardContent: {
							title: 'Order shipped',
							description: 'Arrives Friday',
							media: {
								height: 'SHORT',
								contentDescription: 'A parcel',
								contentInfo: { fileUrl: 'https://example.com/box.mp4', thumbnailUrl: 'https://example.com/box.jpg', forceRefresh: true },
							},
							suggestions: [{ action: { text: 'Track', postbackData: 'Track', openUrlAction: { url: 'https://example.com/track', application: 'BROWSER' } } }],
						},
					},
				},
			},
		});
	});

	test('a card with only a title: media height is not asked for (default Medium only with media)', async () => {
		const body = await bodyOf({ messageType: 'richCard', cards: { card: [{ title: 'Hi' }] } }, 2);
		expect(body).toEqual({ contentMessage: { richCard: { standaloneCard: { cardOrientation: 'VERTICAL', cardContent: { title: 'Hi' } } } } });
	});

	test.each([
		[threeCards, /Rich Card sends exactly 1 card and Cards has 3: remove 2, or set Message Type to Carousel/],
		[{}, /Rich Card has no card: add one under Cards/],
	])('Rich Card with the wrong number of cards is an error for that item, nothing sent (%#)', async (cards, message) => {
		const result = await runNode({
			items: [{}],
			parameters: { ...base, messageType: 'richCard', cards },
			credentials: fx.credentials,
			typeVersion: 2,
			settings: { onError: 'continueRegularOutput' },
		});
		const error = itemError(result.outputs[0][0]);
		expect(error?.message).toMatch(message);
		expect(Object.keys(fx.emulator.stats().messages)).toHaveLength(0);
	});
});

describe('version 2 in the editor: fields in reading order, limits as hints, plain words', () => {
	const cards = properties.find((p) => p.name === 'cards' && JSON.stringify(p.displayOptions).includes('gte'));
	const card = (cards?.options?.[0] as { displayName: string; values: INodeProperties[] } | undefined) ?? { displayName: '', values: [] };
	const messageButtons = properties.find((p) => p.name === 'suggestions');
	const button = (messageButtons?.options?.[0] as { displayName: string; values: INodeProperties[] } | undefined) ?? { displayName: '', values: [] };

	test('Cards is shown for Rich Card and Carousel, titled "Card 1", "Card 2"… (the option is "Card")', () => {
		// by n8n's root path: the editor deletes a list whose displayOptions name the changed parameter directly
		expect(cards?.displayOptions?.show?.['/messageType']).toEqual(['richCard', 'carousel']);
		expect(messageButtons?.displayOptions?.show?.['/messageType']).toEqual(['text', 'richCard', 'carousel', 'media']);
		expect(cards?.displayOptions?.show?.messageType).toBeUndefined();
		expect(messageButtons?.displayOptions?.show?.messageType).toBeUndefined();
		expect(card.displayName).toBe('Card');
		expect(cards?.typeOptions).toMatchObject({ multipleValues: true, hideOptionalFields: true });
	});

	test('a card reads Title, Description (3 rows), Media URL, its buttons; the rest behind "Add option"', () => {
		const shown = card.values.filter((v) => v.typeOptions?.showEvenWhenOptional).map((v) => v.displayName);
		const optional = card.values.filter((v) => !v.typeOptions?.showEvenWhenOptional).map((v) => v.displayName);
		expect(card.values.map((v) => v.displayName).slice(0, 4)).toEqual(shown);
		expect(shown).toEqual(['Title', 'Description', 'Media URL', 'Buttons on This Card']);
		expect(optional).toEqual(['Media Alt Text', 'Media Height', 'Thumbnail URL', 'Download File Again']);
		expect(card.values.find((v) => v.name === 'description')?.typeOptions?.rows).toBe(3);
	});

	test('buttons: one word ("Button"), two different lists, URL first for Open URL, postback data optional', () => {
		expect(messageButtons?.displayName).toBe('Buttons Under the Message');
		const cardButtons = card.values.find((v) => v.name === 'suggestions');
		expect(cardButtons?.displayName).toBe('Buttons on This Card');
		for (const list of [messageButtons, cardButtons]) {
			expect(list?.placeholder).toBe('Add Button');
			expect((list?.options?.[0] as { displayName: string }).displayName).toBe('Button');
		}
		const names = button.values.map((v) => v.name);
		expect(names.slice(0, 3)).toEqual(['type', 'text', 'url']);
		const optional = button.values.filter((v) => !v.typeOptions?.showEvenWhenOptional).map((v) => v.name);
		expect(optional).toEqual(['postbackData', 'fallbackUrl']);
		expect(visibleText(properties).filter((t) => /\bchips?\b|suggestion/i.test(t))).toEqual([]);
	});

	test('limits show as hints under the fields', () => {
		const hintOf = (list: INodeProperties[], name: string) => list.find((p) => p.name === name)?.hint;
		expect(hintOf(properties, 'text')).toBe(`Up to ${LIMITS.textChars} characters`);
		expect(hintOf(card.values, 'title')).toBe('Up to 200 characters');
		expect(hintOf(card.values, 'description')).toBe('Up to 2000 characters');
		expect(hintOf(button.values, 'text')).toBe('Up to 25 characters');
		expect(hintOf(button.values, 'postbackData')).toMatch(/Up to 2048 characters/);
		expect(messageButtons?.description).toMatch(/Up to 11\./);
		expect(card.values.find((v) => v.name === 'suggestions')?.description).toMatch(/Up to 4\./);
	});

	test('how many cards each type takes is in plain sight (a notice), for version 2 only', () => {
		const notices = properties.filter((p) => p.type === 'notice');
		expect(notices.map((p) => [p.displayName, p.displayOptions?.show?.messageType])).toEqual([
			['Rich Card sends exactly 1 card. For 2 to 10, choose Carousel: the cards stay.', ['richCard']],
			['Carousel sends 2 to 10 cards, each with up to 4 buttons', ['carousel']],
		]);
		for (const notice of notices) expect(notice.displayOptions?.show?.['@version']).toEqual([{ _cnd: { gte: 2 } }]);
	});

	test('plain words: no DP, no "Force Refresh"', () => {
		expect(visibleText(properties).filter((t) => /\bDP\b|Force Refresh/.test(t))).toEqual([]);
		const heights = card.values.find((v) => v.name === 'mediaHeight')?.options?.map((o) => (o as { name: string }).name);
		expect(heights).toEqual(['Short', 'Medium (Standard)', 'Tall']);
	});
});
