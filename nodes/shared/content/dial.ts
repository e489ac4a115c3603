/**
 * Dial chips: RBM wants `dialAction.phoneNumber` in E.164 (+12223334444). Numbers are normalised
 * like recipients (same library, same Options › Default Country), in built and raw JSON messages.
 * Runs on a checked content message, so the shapes are known to be right.
 */
import { normalizePhone } from '../phone';
import type { AgentContentMessage, CardContent, Suggestion } from './types';
import { ContentError } from './types';

function normaliseList(suggestions: Suggestion[] | undefined, field: string, defaultCountry?: string): void {
	suggestions?.forEach((suggestion, i) => {
		const dial = suggestion.action?.dialAction;
		if (!dial) return;
		const phone = normalizePhone(dial.phoneNumber, defaultCountry);
		if (!phone.ok) {
			throw new ContentError(`Phone Number ${phone.reason}`, `${field}[${i}].action.dialAction.phoneNumber`);
		}
		dial.phoneNumber = phone.e164;
	});
}

function normaliseCard(card: CardContent, field: string, defaultCountry?: string): void {
	normaliseList(card.suggestions, `${field}.suggestions`, defaultCountry);
}

/** Rewrites every dial chip's number to E.164 in place; an impossible number is an error naming the chip. */
export function normaliseDialNumbers(content: AgentContentMessage, defaultCountry?: string, field = 'contentMessage'): void {
	const standalone = content.richCard?.standaloneCard;
	if (standalone) normaliseCard(standalone.cardContent, `${field}.richCard.standaloneCard.cardContent`, defaultCountry);
	content.richCard?.carouselCard?.cardContents.forEach((card, i) =>
		normaliseCard(card, `${field}.richCard.carouselCard.cardContents[${i}]`, defaultCountry),
	);
	normaliseList(content.suggestions, `${field}.suggestions`, defaultCountry);
}
