import type { MediaInput } from './media';
import { buildCardMedia } from './media';
import type { SuggestionsInput } from './suggestions';
import { buildSuggestions } from './suggestions';
import type { CardContent, RichCard } from './types';
import { optionalText } from './types';

/** One card as the node UI holds it (standalone card fields, or one carousel card). */
export interface CardInput extends MediaInput {
	title?: unknown;
	description?: unknown;
	mediaHeight?: string;
	/** Alt text of the media (the UI's "Media Alt Text"). */
	mediaAltText?: unknown;
	suggestions?: SuggestionsInput;
}

export function buildCardContent(input: CardInput, field: string): CardContent {
	const card: CardContent = {};
	const title = optionalText(input.title);
	const description = optionalText(input.description);
	if (title !== undefined) card.title = title;
	if (description !== undefined) card.description = description;
	const media = buildCardMedia({ ...input, height: input.mediaHeight, altText: input.mediaAltText });
	if (media) card.media = media;
	const suggestions = buildSuggestions(input.suggestions, `${field}.suggestions`);
	if (suggestions) card.suggestions = suggestions;
	return card;
}

export function buildStandaloneCard(input: CardInput & { orientation?: string; thumbnailAlignment?: string }): RichCard {
	const horizontal = input.orientation === 'HORIZONTAL';
	return {
		standaloneCard: {
			cardOrientation: horizontal ? 'HORIZONTAL' : 'VERTICAL',
			...(horizontal ? { thumbnailImageAlignment: input.thumbnailAlignment === 'RIGHT' ? 'RIGHT' : 'LEFT' } : {}),
			cardContent: buildCardContent(input, 'contentMessage.richCard.standaloneCard.cardContent'),
		},
	};
}
