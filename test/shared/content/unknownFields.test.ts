/** Message Type = JSON: field names Google does not know, named with a suggestion (issue 25 item 8). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { checkFieldNames, fieldsOf, nearest } from '../../../nodes/shared/content/unknownFields';
import { ContentError } from '../../../nodes/shared/content/types';

const root = join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require(join(root, 'scripts', 'schema', 'contentFields.js')) as { render(schema: unknown): string };

test('contentFields.json is what scripts/schema/contentFields.js makes of schema/rbm-v1.json', () => {
	const schema = JSON.parse(readFileSync(join(root, 'schema', 'rbm-v1.json'), 'utf8')) as unknown;
	expect(readFileSync(join(root, 'nodes', 'shared', 'content', 'contentFields.json'), 'utf8')).toBe(generator.render(schema));
	expect(fieldsOf('AgentContentMessage')).toEqual(['contentInfo', 'fileName', 'richCard', 'suggestions', 'text', 'uploadedRbmFile']);
	expect(fieldsOf('CardContent')).toEqual(['description', 'media', 'suggestions', 'title']);
});

test.each([
	['txt', 'text'],
	['Text', 'text'],
	['titel', 'title'],
	['descripton', 'description'],
	['richcard', 'richCard'],
	['sugestions', 'suggestions'],
	['colour', undefined],
	['image', undefined],
])('nearest(%s) = %s', (name, guess) => {
	expect(nearest(name, ['text', 'title', 'description', 'richCard', 'suggestions', 'media'])).toBe(guess);
});

test('checkFieldNames: every key at any depth, proto names too; values of the wrong kind left to the limit checks', () => {
	expect(() => checkFieldNames({ rich_card: { carousel_card: { card_contents: [{ title: 'a', media: { content_info: { file_url: 'x' } } }] } }, suggestions: [{ action: { text: 'a', open_url_action: { url: 'x' } } }] }, 'json')).not.toThrow();
	expect(() => checkFieldNames({ richCard: 'not an object', suggestions: { not: 'a list' } }, 'json')).not.toThrow();
	const run = () => checkFieldNames({ richCard: { carouselCard: { cardContents: [{}, { media: { contentInfo: { fileUrl: 'x', thumbnail: 'y' } } }] } } }, 'json');
	expect(run).toThrow(ContentError);
	expect(run).toThrow('The JSON has an unknown field "thumbnail": did you mean "thumbnailUrl"?');
	try {
		run();
	} catch (error) {
		expect((error as ContentError).field).toBe('json.richCard.carouselCard.cardContents[1].media.contentInfo.thumbnail');
	}
});
