import type { AgentMessageFields } from './agentMessageFields';
import { buildCarousel } from './carousel';
import type { CarouselInput } from './carousel';
import { normaliseDialNumbers } from './dial';
import { readJsonMessage } from './jsonMessage';
import { validateContentMessage } from './limits';
import { buildFile } from './media';
import type { MediaInput } from './media';
import type { CardInput } from './richCard';
import { buildStandaloneCard } from './richCard';
import type { SuggestionsInput } from './suggestions';
import { buildSuggestions } from './suggestions';
import type { AgentContentMessage } from './types';
import { ContentError } from './types';

export const MESSAGE_TYPES = ['text', 'richCard', 'carousel', 'media', 'json'] as const;

/** Reads one node parameter of the item being built (the item is fixed); the builders never see n8n itself. */
export type FieldReader = (name: string, fallback?: unknown) => unknown;

export interface BuildOptions {
	/** Options › Default Country: for dial chip numbers written without a country code. */
	defaultCountry?: string;
	/** The JSON parameter as typed (expressions not filled in): JSON syntax errors are placed in it. */
	typedJson?: unknown;
	/** RBM Send Message's node version (default 1): from 2, Rich Card takes its card from Cards. */
	version?: number;
}

/** One item's checked content, and the AgentMessage fields a JSON message brought along. */
export interface BuiltMessage {
	contentMessage: AgentContentMessage;
	fields: AgentMessageFields;
}

/** Builds (and checks) the message for one item from the node's parameters. */
export function buildMessage(type: string, read: FieldReader, options: BuildOptions = {}): BuiltMessage {
	if (type === 'json') {
		// A whole AgentMessage (as Google's docs show it) or its contentMessage, in either key style.
		const { contentMessage, fields } = readJsonMessage(read('json', '{}'), options.typedJson);
		return { contentMessage: checked(contentMessage, options), fields };
	}
	const content = buildContent(type, read, options.version ?? 1);
	const suggestions = buildSuggestions(read('suggestions', {}) as SuggestionsInput, 'contentMessage.suggestions');
	if (suggestions) content.suggestions = suggestions;
	return { contentMessage: checked(content, options), fields: {} };
}

/** Every limit checked, then the dial chip numbers in E.164. */
function checked(content: unknown, options: BuildOptions): AgentContentMessage {
	validateContentMessage(content);
	normaliseDialNumbers(content as AgentContentMessage, options.defaultCountry || undefined);
	return content as AgentContentMessage;
}

/**
 * Rich Card in version 2: the one card of Cards, the list Carousel uses too (so the editor keeps
 * the cards when Message Type changes between them).
 */
function theOneCard(read: FieldReader): CardInput {
	const cards = (read('cards', {}) as CarouselInput['cards'])?.card ?? [];
	if (cards.length === 1) return cards[0];
	const field = 'contentMessage.richCard.standaloneCard.cardContent';
	if (cards.length === 0) throw new ContentError('Rich Card has no card: add one under Cards (Title, Description, Media URL)', field);
	throw new ContentError(
		`Rich Card sends exactly 1 card and Cards has ${cards.length}: remove ${cards.length - 1}, or set Message Type to Carousel (2 to 10 cards)`,
		field,
	);
}

function buildContent(type: string, read: FieldReader, version: number): AgentContentMessage {
	let content: AgentContentMessage;
	switch (type) {
		case 'text': {
			const text = read('text', '') ?? '';
			if (typeof text !== 'string' && typeof text !== 'number') throw new ContentError(`Text must be text, got ${Array.isArray(text) ? 'a list' : typeof text}`, 'contentMessage.text');
			content = { text: String(text) };
			break;
		}
		case 'richCard': {
			const layout = { orientation: read('cardOrientation', 'VERTICAL') as string, thumbnailAlignment: read('thumbnailImageAlignment', 'LEFT') as string };
			const card: CardInput =
				version >= 2
					? theOneCard(read)
					: {
							title: read('cardTitle', ''),
							description: read('cardDescription', ''),
							fileUrl: read('cardMediaUrl', ''),
							thumbnailUrl: read('cardThumbnailUrl', ''),
							mediaHeight: read('cardMediaHeight', 'MEDIUM') as string,
							mediaAltText: read('cardMediaAltText', ''),
							suggestions: read('cardSuggestions', {}) as SuggestionsInput,
						};
			content = { richCard: buildStandaloneCard({ ...card, source: 'url', ...layout }) };
			break;
		}
		case 'carousel':
			content = {
				richCard: buildCarousel({ cardWidth: read('cardWidth', 'MEDIUM') as string, cards: read('cards', {}) as CarouselInput['cards'] }),
			};
			break;
		case 'media':
			content = buildFile({
				source: read('mediaSource', 'url') as MediaInput['source'],
				fileUrl: read('fileUrl', ''),
				thumbnailUrl: read('thumbnailUrl', ''),
				forceRefresh: read('forceRefresh', false) as boolean,
				uploadedFileName: read('uploadedFileName', ''),
				uploadedThumbnailName: read('uploadedThumbnailName', ''),
			});
			break;
		default:
			throw new ContentError(`Message Type "${type}" is not one of ${MESSAGE_TYPES.join(', ')}`, 'messageType');
	}
	return content;
}
