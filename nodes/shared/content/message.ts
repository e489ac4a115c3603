import { buildCarousel } from './carousel';
import type { CarouselInput } from './carousel';
import { validateContentMessage } from './limits';
import { buildFile } from './media';
import type { MediaInput } from './media';
import type { CardInput } from './richCard';
import { buildStandaloneCard } from './richCard';
import type { SuggestionsInput } from './suggestions';
import { buildSuggestions } from './suggestions';
import type { AgentContentMessage } from './types';
import { ContentError } from './types';
import { tryParseJson } from '../json';

export const MESSAGE_TYPES = ['text', 'richCard', 'carousel', 'media', 'json'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Reads a node parameter for the current item; the builders never see n8n itself. */
export type ParameterReader = (name: string, fallback?: unknown) => unknown;

function parseJsonParameter(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const parsed = tryParseJson(value);
	if (!parsed.ok) throw new ContentError(`JSON is not valid JSON${parsed.position ? ` (parse error at character ${parsed.position})` : ''}`, 'json');
	return parsed.value;
}

/** Builds (and checks) the AgentContentMessage for one item from the node's parameters. */
export function buildContentMessage(type: string, read: ParameterReader): AgentContentMessage {
	let content: AgentContentMessage;
	switch (type) {
		case 'text': {
			const text = read('text', '') ?? '';
			if (typeof text !== 'string' && typeof text !== 'number') throw new ContentError(`Text must be text, got ${Array.isArray(text) ? 'a list' : typeof text}`, 'contentMessage.text');
			content = { text: String(text) };
			break;
		}
		case 'richCard':
			content = {
				richCard: buildStandaloneCard({
					title: read('cardTitle', ''),
					description: read('cardDescription', ''),
					source: 'url',
					fileUrl: read('cardMediaUrl', ''),
					thumbnailUrl: read('cardThumbnailUrl', ''),
					mediaHeight: read('cardMediaHeight', 'MEDIUM') as string,
					orientation: read('cardOrientation', 'VERTICAL') as string,
					thumbnailAlignment: read('thumbnailImageAlignment', 'LEFT') as string,
					suggestions: read('cardSuggestions', {}) as SuggestionsInput,
				} as CardInput & { orientation?: string; thumbnailAlignment?: string }),
			};
			break;
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
		case 'json': {
			const raw = parseJsonParameter(read('json', '{}'));
			// Accept a whole AgentMessage pasted from Google's docs as well as its contentMessage.
			const candidate = typeof raw === 'object' && raw !== null && 'contentMessage' in raw ? (raw as { contentMessage: unknown }).contentMessage : raw;
			validateContentMessage(candidate);
			return candidate as AgentContentMessage;
		}
		default:
			throw new ContentError(`Message Type "${type}" is not one of ${MESSAGE_TYPES.join(', ')}`, 'messageType');
	}
	const suggestions = buildSuggestions(read('suggestions', {}) as SuggestionsInput, 'contentMessage.suggestions', 'The message');
	if (suggestions) content.suggestions = suggestions;
	validateContentMessage(content);
	return content;
}
