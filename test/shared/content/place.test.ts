/** Where a field sits, in the UI's words and counting from 1 (error messages; issue 25 item 7). */
import { placeOf } from '../../../nodes/shared/content/place';

test.each([
	['contentMessage.richCard.carouselCard.cardContents[1].title', 'card 2'],
	['contentMessage.richCard.carouselCard.cardContents[0].suggestions[3].action.openUrlAction.url', 'card 1, button 4'],
	['contentMessage.richCard.carouselCard.cardContents[9]', 'card 10'],
	['contentMessage.richCard.standaloneCard.cardContent.media.height', 'the card'],
	['contentMessage.richCard.standaloneCard.cardContent.suggestions[0].reply.text', 'the card, button 1'],
	['contentMessage.suggestions[2].reply.text', 'button 3 under the message'],
	['json.suggestions[0].reply.txt', 'button 1 under the message'],
	['json.contentMessage.suggestions[1]', 'button 2 under the message'],
	// Google's paths (proto names)
	['agent_message.content_message.rich_card.carousel_card.card_contents[1].suggestions[0].action.open_url_action.url', 'card 2, button 1'],
	['agent_message.content_message.suggestions[4].reply.text', 'button 5 under the message'],
])('%s → %s', (path, place) => expect(placeOf(path)).toBe(place));

test.each(['contentMessage.text', 'contentMessage.richCard.carouselCard.cardContents', 'contentMessage.suggestions', 'options.ttl', 'phoneNumber', 'json', 'agent_message.ttl'])('%s has no place (the field says it all)', (path) => {
	expect(placeOf(path)).toBeUndefined();
});
