import type { CardInput } from './richCard';
import { buildCardContent } from './richCard';
import type { RichCard } from './types';

export interface CarouselInput {
	cardWidth?: string;
	cards?: { card?: CardInput[] };
}

export function buildCarousel(input: CarouselInput): RichCard {
	const cards = input.cards?.card ?? [];
	return {
		carouselCard: {
			cardWidth: input.cardWidth === 'SMALL' ? 'SMALL' : 'MEDIUM',
			cardContents: cards.map((card, i) => buildCardContent(card, `contentMessage.richCard.carouselCard.cardContents[${i}]`)),
		},
	};
}
