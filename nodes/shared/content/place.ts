/**
 * Where in a message a field sits, in the words and 1-based numbers the node's UI uses: "card 2",
 * "card 2, button 1", "button 3 under the message", "the card". Errors put this in their message;
 * the API path itself (0-based, `contentMessage.richCard.carouselCard.cardContents[1].title`) goes
 * to their details. Takes our paths (lowerCamelCase) and Google's (proto snake_case) alike.
 */

const CARD = /(?:card_?contents\[(\d+)\]|card_?content\b)(?:\.suggestions\[(\d+)\])?/i;
const MESSAGE_BUTTON = /^(?:json\.)?(?:agent_?message\.)?(?:content_?message\.)?suggestions\[(\d+)\]/i;

export function placeOf(path: string): string | undefined {
	const card = CARD.exec(path);
	if (card) {
		const which = card[1] === undefined ? 'the card' : `card ${Number(card[1]) + 1}`;
		return card[2] === undefined ? which : `${which}, button ${Number(card[2]) + 1}`;
	}
	const button = MESSAGE_BUTTON.exec(path);
	return button ? `button ${Number(button[1]) + 1} under the message` : undefined;
}
