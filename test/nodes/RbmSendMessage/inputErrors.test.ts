/** Bad input: a clear per-item error naming the item and field, no request, other items unaffected. */
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { startApiStub } from '../../helpers/apiStub';
import { expectNoSecrets } from '../../helpers/secrets';
import { runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	fx = await emulatorWithCredential();
});
beforeEach(() => fx.emulator.reset());
afterAll(async () => fx.emulator.close());

const items = [{ phone: '+16505550101', name: 'A' }, { phone: 'call me maybe', name: 'B' }, { phone: '+16505550103', name: 'C' }];

describe('Continue On Fail off', () => {
	test('the node stops with an error that names the item and the field; the bad item is never sent', async () => {
		const r = await runNode({ items: [items[1]], parameters: textParams(), credentials: fx.credentials });
		expect(r.error?.message).toBe('Contact 1: Phone Number "call me maybe" contains characters that are not part of a phone number');
		expect(r.error?.description).toMatch(/Field: phoneNumber/);
		expect(r.error?.description).toContain("Contact 1 is n8n's Item Index 0");
		expect(r.error?.context?.itemIndex).toBe(0);
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});
});

describe('every item is checked before the first request', () => {
	// Row 2 is bad in one way each; rows 1 and 3 are good. Per-row values come from the items, as a
	// spreadsheet gives them (expressions in the parameters and in Options).
	const parameters = textParams({
		text: '={{ $json.text }}',
		options: { ttl: '={{ $json.ttl }}', suppress: '={{ $json.optedOut }}', sendWindow: { window: { from: '={{ $json.from }}', to: '={{ $json.to }}' } } },
	});
	const good = (n: number) => ({ phone: `+1650555010${n}`, text: `Hi ${n}`, ttl: 3600, optedOut: false, from: '00:00', to: '24:00' });
	const cases: Array<[string, Record<string, unknown>, RegExp, string]> = [
		['a malformed phone', { phone: 'call me maybe' }, /Phone Number "call me maybe" contains characters/, 'phoneNumber'],
		['Skip (Suppressed) that is not true or false', { optedOut: 'yes' }, /Skip \(Suppressed\) is "yes"/, 'options.suppress'],
		['text over the limit', { text: 'x'.repeat(3073) }, /Text is 3073 characters/, 'contentMessage.text'],
		['an option out of range', { ttl: 1296001 }, /TTL must be between 1 and 1296000 seconds/, 'options.ttl'],
		['a Send Window time that is not a time', { from: '9 o\'clock' }, /Send From "9 o'clock" is not a time/, 'options.sendWindow.window.from'],
		// An Australian mobile may be anywhere on the mainland (Perth to Sydney: 2 hours apart).
		['a Send Window never open in all the zones of the number at once', { phone: '+61 412 345 678', from: '09:00', to: '10:00' }, /never open in all \d+ time zones of AU/, 'options.sendWindow.window'],
		['a Send Window for a number of no country without a Fallback Time Zone', { phone: '+800 1234 5678' }, /belongs to no country, so its local time is unknown/, 'phoneNumber'],
	];

	test.each(cases)('Continue On Fail off, row 2 has %s: the node fails naming row 2 and the field, nothing is sent', async (_name, bad, message, field) => {
		const rows = [good(1), { ...good(2), ...bad }, good(3)];
		const r = await runNode({ items: rows, parameters, credentials: fx.credentials });
		expect(r.error?.message).toMatch(/^Contact 2: /);
		expect(r.error?.message).toMatch(message);
		expect(r.error?.description).toContain(`Field: ${field}.`);
		expect(r.error?.context?.itemIndex).toBe(1);
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});

	test('Continue On Fail on: every bad row is an error item, the good rows are sent', async () => {
		const rows = [good(1), ...cases.map(([, bad], k) => ({ ...good(2), phone: `+1650555020${k}`, ...bad })), good(3)];
		const r = await runNode({ items: rows, parameters, credentials: fx.credentials, settings: { onError: 'continueErrorOutput' } });
		expect(r.error).toBeUndefined();
		expect(r.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: rows.length - 1 }]);
		expect(r.outputs[3].map((i) => [(i.pairedItem as { item: number }).item, (i.json.error as { field: string }).field])).toEqual(cases.map(([, , , field], k) => [k + 1, field]));
		expect(fx.emulator.stats().accepted).toBe(2);
	});
});

describe.each(['continueRegularOutput', 'continueErrorOutput'] as const)('Continue On Fail (%s)', (onError) => {
	test('the bad item carries its error, the others are sent, every item stays paired', async () => {
		const r = await runNode({ items, parameters: textParams(), credentials: fx.credentials, settings: { onError } });
		expect(r.error).toBeUndefined();
		expect(fx.emulator.stats().accepted).toBe(2);
		const all = r.outputs.flat();
		expect(all.map((i) => i.pairedItem).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const errorItems = onError === 'continueErrorOutput' ? r.outputs[2] : r.outputs[0].filter((i) => i.json.error);
		expect(errorItems).toHaveLength(1);
		expect(errorItems[0].json.error).toMatchObject({ message: expect.stringMatching(/^Contact 2: Phone Number/) });
		expect(errorItems[0].pairedItem).toEqual({ item: 1 });
		if (onError === 'continueErrorOutput') {
			expect(r.outputs[0].map((i) => i.json.phoneNumber)).toEqual(['+16505550101', '+16505550103']);
		}
	});

	test('the error item keeps the contact: the input\'s fields, the recipient, the Campaign ID and a structured error (n8n does not reduce it to { error })', async () => {
		const contacts = [{ phone: '+16505550101', name: 'A', list: 'spring' }, { phone: '+1 650 555 0102', name: 'B', list: 'spring', optedOut: 'maybe' }];
		const parameters = textParams({ options: { campaignId: '={{ "c-" + $json.list }}', suppress: '={{ $json.optedOut }}' } });
		const r = await runNode({ items: contacts, parameters, credentials: fx.credentials, settings: { onError } });
		expect(r.error).toBeUndefined();
		const recipient = { phoneNumber: '+16505550102', agentId: 'welcome-bot', campaignId: 'c-spring' };
		const error = {
			message: 'Contact 2: Options › Skip (Suppressed) is "maybe"; it must be true or false (a boolean, or the text true/false in any letter case), e.g. {{ $json.optedOut }}',
			description: "Field: options.suppress.\nContact 2 is n8n's Item Index 1 (n8n and API paths count from 0). Nothing was sent for this contact.",
			field: 'options.suppress',
			itemIndex: 1,
		};
		const failed = onError === 'continueErrorOutput' ? r.outputs[2] : r.outputs[0].filter((i) => i.json.error);
		expect(failed).toHaveLength(1);
		// "Continue": the recipient at the top level, as on every other item; the error output: n8n keeps
		// only error / message / details beside the input's fields, so the recipient is in details (in both modes).
		const top = onError === 'continueRegularOutput' ? recipient : {};
		expect(failed[0].json).toEqual({ ...contacts[1], ...top, error, details: recipient });
		expect(failed[0].error).toBeUndefined();
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(fx.emulator.stats().accepted).toBe(1);
	});

	test('an error from RBM keeps the contact too, with Google\'s HTTP status and code', async () => {
		fx.emulator.configure({ faults: { 'agentMessages.create': { script: ['ok', '403'] } } });
		const contacts = [{ phone: '+16505550101', name: 'A' }, { phone: '+16505550102', name: 'B' }];
		const r = await runNode({ items: contacts, parameters: textParams({ options: { concurrency: 1, campaignId: 'spring' } }), credentials: fx.credentials, settings: { onError } });
		const failed = onError === 'continueErrorOutput' ? r.outputs[2] : r.outputs[0].filter((i) => i.json.error);
		expect(failed).toHaveLength(1);
		const recipient = { phoneNumber: '+16505550102', agentId: 'welcome-bot', campaignId: 'spring' };
		expect(failed[0].json).toMatchObject({ ...contacts[1], details: recipient, error: { message: expect.stringMatching(/^Contact 2: RBM send failed: 403 PERMISSION_DENIED/), itemIndex: 1, code: 403, status: 'PERMISSION_DENIED' } });
		if (onError === 'continueRegularOutput') expect(failed[0].json).toMatchObject(recipient);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});
});

describe('limits are checked before sending', () => {
	const cases: Array<[string, Record<string, unknown>, RegExp, string]> = [
		['text over 3072 characters', { text: 'x'.repeat(3073) }, /^Contact 1: Text is 3073 characters, at most 3072$/, 'contentMessage.text'],
		['empty text (from an expression)', { text: '={{ $json.missing }}' }, /Text is required/, 'contentMessage.text'],
		['12 suggestions', { text: 'hi', suggestions: { suggestion: Array.from({ length: 12 }, (_, i) => ({ type: 'reply', text: `c${i}` })) } }, /^Contact 1: 12 buttons under the message, at most 11$/, 'contentMessage.suggestions'],
		['suggestion text of 26 characters', { text: 'hi', suggestions: { suggestion: [{ type: 'reply', text: 'x'.repeat(26) }] } }, /^Contact 1, button 1 under the message: Text is 26 characters, at most 25$/, 'contentMessage.suggestions[0].reply.text'],
		['postback data of 2049 characters', { text: 'hi', suggestions: { suggestion: [{ type: 'reply', text: 'ok', postbackData: 'p'.repeat(2049) }] } }, /^Contact 1, button 1 under the message: Postback Data is 2049 characters/, 'contentMessage.suggestions[0].reply.postbackData'],
		['open URL without a URL', { text: 'hi', suggestions: { suggestion: [{ type: 'openUrl', text: 'go' }] } }, /^Contact 1, button 1 under the message: URL is required$/, 'openUrlAction.url'],
		['card title of 201 characters', { messageType: 'richCard', cardTitle: 't'.repeat(201) }, /^Contact 1, the card: Title is 201 characters, at most 200$/, 'cardContent.title'],
		['card description of 2001 characters', { messageType: 'richCard', cardDescription: 'd'.repeat(2001) }, /^Contact 1, the card: Description is 2001 characters/, 'cardContent.description'],
		['card title from an expression that returns a list', { messageType: 'richCard', cardTitle: '={{ [1, 2] }}' }, /^Contact 1, the card: Title must be text, got a list/, 'cardContent.title'],
		['empty card', { messageType: 'richCard' }, /needs at least a title, a description or media/, 'cardContent'],
		['5 card suggestions', { messageType: 'richCard', cardTitle: 'a', cardSuggestions: { suggestion: Array.from({ length: 5 }, (_, i) => ({ type: 'reply', text: `c${i}` })) } }, /^Contact 1, the card: 5 buttons on the card, at most 4$/, 'cardContent.suggestions'],
		['carousel of 1 card', { messageType: 'carousel', cards: { card: [{ title: 'a' }] } }, /Carousel has 1 card; RBM needs 2 to 10/, 'carouselCard.cardContents'],
		['carousel of 11 cards', { messageType: 'carousel', cards: { card: Array.from({ length: 11 }, (_, i) => ({ title: `c${i}` })) } }, /Carousel has 11 cards/, 'carouselCard.cardContents'],
		['calendar title of 101 characters', { text: 'hi', suggestions: { suggestion: [{ type: 'calendar', text: 'cal', eventTitle: 'e'.repeat(101), startTime: '2026-12-01T10:00:00Z', endTime: '2026-12-01T11:00:00Z' }] } }, /button 1 under the message: Event Title is 101 characters/, 'createCalendarEventAction.title'],
		['media without a URL', { messageType: 'media', mediaSource: 'url' }, /^Contact 1: File URL is required/, 'contentInfo.fileUrl'],
		['uploaded file name of the wrong shape', { messageType: 'media', mediaSource: 'uploaded', uploadedFileName: 'abc' }, /must look like "files\/<id>"/, 'uploadedRbmFile.fileName'],
		['raw JSON that is not JSON', { messageType: 'json', json: '{"text": ' }, /^Contact 1: The JSON is not valid at line 1, column 10: the JSON ends too early/, 'json'],
		['raw JSON with two contents', { messageType: 'json', json: '{"text":"a","contentInfo":{"fileUrl":"https://e.com/a.png"}}' }, /exactly one of text, richCard/, 'contentMessage'],
		['TTL and expire time together', { text: 'hi', options: { ttl: 60, expireTime: '2099-01-01T00:00:00Z' } }, /either Options › TTL or Options › Expire Time, not both/, 'options.ttl'],
		['TTL over 15 days', { text: 'hi', options: { ttl: 1296001 } }, /TTL must be between 1 and 1296000 seconds/, 'options.ttl'],
		['expire time in the past', { text: 'hi', options: { expireTime: '2001-01-01T00:00:00Z' } }, /Expire Time is in the past/, 'options.expireTime'],
		['agent id empty (from an expression)', { agentId: '={{ $json.missing }}' }, /Agent ID is missing or malformed/, 'agentId'],
		['phone without country code', { phoneNumber: '650 555 0123' }, /has no country code/, 'phoneNumber'],
		['dial chip number that cannot be a phone number', { text: 'hi', suggestions: { suggestion: [{ type: 'dial', text: 'call', dialPhoneNumber: '+1 650 555' }] } }, /^Contact 1, button 1 under the message: Phone Number "\+1 650 555" is not a possible phone number/, 'contentMessage.suggestions[0].action.dialAction.phoneNumber'],
		['dial chip national number without a Default Country', { messageType: 'richCard', cardTitle: 'T', cardSuggestions: { suggestion: [{ type: 'dial', text: 'call', dialPhoneNumber: '(650) 555-0199' }] } }, /^Contact 1, the card, button 1: Phone Number "\(650\) 555-0199" has no country code.*Default Country/, 'cardContent.suggestions[0].action.dialAction.phoneNumber'],
		['dial chip short code (not E.164)', { messageType: 'json', json: JSON.stringify({ text: 'hi', suggestions: [{ action: { text: 'call', postbackData: 'c', dialAction: { phoneNumber: '*611' } } }] }) }, /button 1 under the message: Phone Number "\*611" contains characters that are not part of a phone number/, 'contentMessage.suggestions[0].action.dialAction.phoneNumber'],
		['horizontal card with only media', { messageType: 'richCard', cardOrientation: 'HORIZONTAL', cardMediaUrl: 'https://example.com/a.jpg' }, /horizontal card with media also needs a title, a description or buttons on the card/, 'contentMessage.richCard.standaloneCard.cardContent'],
		['horizontal card with only media (JSON; message chips do not count)', { messageType: 'json', json: JSON.stringify({ richCard: { standaloneCard: { cardOrientation: 'HORIZONTAL', cardContent: { title: '', media: { contentInfo: { fileUrl: 'https://example.com/a.jpg' } }, suggestions: [] } } }, suggestions: [{ reply: { text: 'ok', postbackData: 'ok' } }] }) }, /horizontal card with media also needs a title, a description or buttons on the card/, 'contentMessage.richCard.standaloneCard.cardContent'],
		['card media alt text that is not text (JSON)', { messageType: 'json', json: JSON.stringify({ richCard: { standaloneCard: { cardOrientation: 'VERTICAL', cardContent: { media: { contentDescription: 42, contentInfo: { fileUrl: 'https://example.com/a.jpg' } } } } } }) }, /^Contact 1, the card: Media Alt Text must be text, got number/, 'cardContent.media.contentDescription'],
	];

	test.each(cases)('%s', async (_name, overrides, message, field) => {
		const r = await runNode({ items: [{ phone: '+16505550101', name: 'A' }], parameters: { ...textParams(), ...overrides }, credentials: fx.credentials });
		expect(r.error?.message).toMatch(/^Contact 1[,:] /);
		expect(r.error?.message).toMatch(message);
		expect(r.error?.description).toContain(field);
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});

	test('limits count characters, not bytes: 3072 emoji are allowed', async () => {
		const r = await runNode({ items: [{ phone: '+16505550101' }], parameters: textParams({ text: '😀'.repeat(3072) }), credentials: fx.credentials });
		expect(r.error).toBeUndefined();
		expect(fx.emulator.stats().accepted).toBe(1);
	});

	test('a national number is accepted with a default country', async () => {
		const r = await runNode({ items: [{ phone: '(650) 555-0123' }], parameters: textParams({ options: { defaultCountry: 'US' } }), credentials: fx.credentials });
		expect(r.outputs[0][0].json.phoneNumber).toBe('+16505550123');
	});
});

describe('Message Type = JSON: AgentMessage fields and the Options', () => {
	const content = { text: 'hi' };
	const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();
	const cases: Array<[string, unknown, Record<string, unknown>, RegExp, string]> = [
		['an unknown top-level field', { contentMessage: content, priority: 'HIGH' }, {}, /unknown AgentMessage field "priority"/, 'json.priority'],
		['an unknown snake_case top-level field, named as written', { contentMessage: content, message_priority: 'HIGH' }, {}, /unknown AgentMessage field "message_priority"/, 'json.messagePriority'],
		['content fields beside AgentMessage fields without contentMessage', { text: 'hi', ttl: '60s' }, {}, /AgentMessage field "ttl" but no "contentMessage"/, 'json.contentMessage'],
		['traffic type in Options and JSON with different values', { contentMessage: content, messageTrafficType: 'TRANSACTION' }, { messageTrafficType: 'PROMOTION' }, /Options › Traffic Type is "PROMOTION", the JSON's messageTrafficType is "TRANSACTION"/, 'options.messageTrafficType / json.messageTrafficType'],
		['TTL in Options and JSON with different values', { contentMessage: content, ttl: '300s' }, { ttl: 3600 }, /Options › TTL is "3600s", the JSON's ttl is "300s"/, 'options.ttl / json.ttl'],
		['TTL in Options, expireTime in the JSON', { contentMessage: content, expireTime: inFuture(3_600_000) }, { ttl: 60 }, /Options › TTL and the JSON's expireTime are two expiries; RBM accepts one/, 'options.ttl / json.expireTime'],
		['Expire Time in Options, ttl in the JSON', { contentMessage: content, ttl: '60s' }, { expireTime: inFuture(3_600_000) }, /Options › Expire Time and the JSON's ttl are two expiries/, 'options.expireTime / json.ttl'],
		['Expire Time in Options and JSON with different values', { contentMessage: content, expireTime: inFuture(7_200_000) }, { expireTime: inFuture(3_600_000) }, /Options › Expire Time is .*, the JSON's expireTime is /, 'options.expireTime / json.expireTime'],
		['ttl and expireTime both in the JSON', { contentMessage: content, ttl: '60s', expireTime: inFuture(3_600_000) }, {}, /both ttl and expireTime/, 'json.ttl / json.expireTime'],
		['ttl as a number', { contentMessage: content, ttl: 300 }, {}, /ttl must be a duration in seconds such as "300s" or "3.5s", got 300/, 'json.ttl'],
		['ttl without its unit', { contentMessage: content, ttl: '300' }, {}, /ttl must be a duration in seconds/, 'json.ttl'],
		['ttl in minutes', { contentMessage: content, ttl: '5m' }, {}, /ttl must be a duration in seconds/, 'json.ttl'],
		['ttl of 0s', { contentMessage: content, ttl: '0s' }, {}, /ttl must be more than 0s and at most 1296000s/, 'json.ttl'],
		['ttl over 15 days', { contentMessage: content, ttl: '1296000.5s' }, {}, /ttl must be more than 0s and at most 1296000s \(15 days\)/, 'json.ttl'],
		['expireTime that is not RFC 3339', { contentMessage: content, expireTime: 'next friday' }, {}, /expireTime must be an RFC 3339 date-time/, 'json.expireTime'],
		['expireTime without a time zone', { contentMessage: content, expireTime: '2099-01-01T00:00:00' }, {}, /expireTime must be an RFC 3339 date-time/, 'json.expireTime'],
		['expireTime in the past', { contentMessage: content, expireTime: '2001-01-01T00:00:00Z' }, {}, /expireTime 2001-01-01T00:00:00Z is in the past/, 'json.expireTime'],
		['expireTime more than 15 days ahead', { contentMessage: content, expireTime: inFuture(16 * 86_400_000) }, {}, /expireTime .* is more than 15 days ahead/, 'json.expireTime'],
		['unknown traffic type', { contentMessage: content, messageTrafficType: 'SPAM' }, {}, /messageTrafficType must be one of MESSAGE_TRAFFIC_TYPE_UNSPECIFIED, AUTHENTICATION, .*, got "SPAM"/, 'json.messageTrafficType'],
		['a field in both key styles', { contentMessage: { text: 'hi', suggestions: [{ reply: { text: 'a', postbackData: 'x', postback_data: 'y' } }] } }, {}, /"postback_data" and "postbackData" are the same field written twice/, 'json.contentMessage.suggestions[0].reply.postbackData'],
		['contentMessage in both key styles', { contentMessage: content, content_message: content }, {}, /"content_message" and "contentMessage"/, 'json.contentMessage'],
	];

	test.each(cases)('%s', async (_name, json, options, message, field) => {
		const r = await runNode({ items: [{ phone: '+16505550101' }], parameters: { ...textParams(), messageType: 'json', json: JSON.stringify(json), options }, credentials: fx.credentials });
		expect(r.error?.message).toMatch(/^Contact 1[,:] /);
		expect(r.error?.message).toMatch(message);
		expect(r.error?.description).toContain(`Field: ${field}.`);
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});
});

describe('broken credentials', () => {
	test.each([
		['not JSON', '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEv', /is not valid JSON/],
		['an OAuth client secret', JSON.stringify({ type: 'authorized_user', client_id: 'x' }), /not a service-account key/],
		['missing private_key', JSON.stringify({ type: 'service_account', client_email: 'a@b.iam.gserviceaccount.com' }), /missing "private_key"/],
	])('%s: every item reports it under Continue On Fail, no secret in it', async (_n, serviceAccountJson, message) => {
		const r = await runNode({ items: [{ phone: '+16505550101' }, { phone: '+16505550102' }], parameters: textParams(), credentials: { ...fx.credentials, serviceAccountJson }, settings: { onError: 'continueRegularOutput' } });
		expect(r.outputs[0]).toHaveLength(2);
		for (const item of r.outputs[0]) expect((item.json.error as { message: string }).message).toMatch(message);
		expect(JSON.stringify(r.outputs)).not.toContain('MIIEv');
		expect(fx.emulator.stats().tokenGrants).toBe(0);
	});

	test('no secret appears in any output or error of a normal run', async () => {
		const r = await runNode({ items, parameters: textParams(), credentials: fx.credentials, settings: { onError: 'continueRegularOutput' } });
		expectNoSecrets(r.run, fx.keyJson);
	});
});

describe('error messages count from 1 and name no API path (issue 25 item 7)', () => {
	const carousel = (title: string) => ({ messageType: 'carousel', cards: { card: [{ title: 'One' }, { title }, { title: 'Three' }] } });

	test('contact 3, card 2: the message in plain words; the API path and n8n\'s 0-based Item Index in the description', async () => {
		const contacts = [1, 2, 3].map((n) => ({ phone: `+1650555010${n}`, title: n === 3 ? 't'.repeat(230) : 'Two' }));
		const r = await runNode({ items: contacts, parameters: textParams(carousel('={{ $json.title }}')), credentials: fx.credentials });
		expect(r.error?.message).toBe('Contact 3, card 2: Title is 230 characters, at most 200');
		expect(r.error?.description).toBe(
			"Field: contentMessage.richCard.carouselCard.cardContents[1].title.\nContact 3 is n8n's Item Index 2 (n8n and API paths count from 0). Nothing was sent for this contact.",
		);
		expect(r.error?.context?.itemIndex).toBe(2);
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});

	test('Continue On Fail: the error item says the same, with the path in error.field and n8n\'s itemIndex', async () => {
		const contacts = [{ phone: '+16505550101', chip: 'ok' }, { phone: '+16505550102', chip: 'x'.repeat(26) }];
		const parameters = textParams({ messageType: 'carousel', cards: { card: [{ title: 'A' }, { title: 'B', suggestions: { suggestion: [{ type: 'reply', text: 'Yes' }, { type: 'reply', text: '={{ $json.chip }}' }] } }] } });
		const r = await runNode({ items: contacts, parameters, credentials: fx.credentials, settings: { onError: 'continueRegularOutput' } });
		const failed = r.outputs[0].filter((i) => i.json.error);
		expect(failed.map((i) => i.json.error)).toEqual([
			{
				message: 'Contact 2, card 2, button 2: Text is 26 characters, at most 25',
				description: "Field: contentMessage.richCard.carouselCard.cardContents[1].suggestions[1].reply.text.\nContact 2 is n8n's Item Index 1 (n8n and API paths count from 0). Nothing was sent for this contact.",
				field: 'contentMessage.richCard.carouselCard.cardContents[1].suggestions[1].reply.text',
				itemIndex: 1,
			},
		]);
		expect(fx.emulator.stats().accepted).toBe(1);
	});

	test('an RBM error names the contact and the card; Google\'s path is in the description', async () => {
		const google = "Invalid value at 'agent_message.content_message.rich_card.carousel_card.card_contents[1].suggestions[0].action.open_url_action.url' (TYPE_STRING), \"ftp:x\"";
		const stub = await startApiStub(() => ({ status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT', message: google } } }));
		try {
			const r = await runNode({ items: [{ phone: '+16505550101' }, { phone: '+16505550102' }], parameters: textParams(carousel('Two')), credentials: { ...fx.credentials, baseUrl: stub.url }, settings: { onError: 'continueRegularOutput' } });
			const error = r.outputs[0][1].json.error as { message: string; description: string; itemIndex: number };
			expect(error.message).toBe('Contact 2, card 2, button 1: RBM send failed: 400 INVALID_ARGUMENT: Invalid value (TYPE_STRING), "ftp:x"');
			expect(error.description).toContain(`Field: agent_message.content_message.rich_card.carousel_card.card_contents[1].suggestions[0].action.open_url_action.url (Google's message: ${google})`);
			expect(error.itemIndex).toBe(1);
		} finally {
			await stub.close();
		}
	});
});

describe('Message Type = JSON: syntax errors where the user typed them, unknown fields named (issue 25 item 8)', () => {
	const send = async (json: string, item: Record<string, unknown> = {}) =>
		await runNode({ items: [{ phone: '+16505550101', ...item }], parameters: { ...textParams(), messageType: 'json', json }, credentials: fx.credentials });

	test('a typo after an expression: line and column of the text as typed, not of the filled-in text', async () => {
		// Filled in, the "}" is at column 19 ("Hi Ann"); as typed it is at column 32.
		const r = await send('={"text": "Hi {{ $json.name }}",}', { name: 'Ann' });
		expect(r.error?.message).toBe('Contact 1: The JSON is not valid at line 1, column 32: a comma before "}": JSON allows no comma after the last entry');
		expect(r.error?.description).toContain('Field: json.\nLine 1, column 32:\n{"text": "Hi {{ $json.name }}",}\n                               ^\n');
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});

	test('several lines: the line and the column in it', async () => {
		const r = await send('={\n  "text": "Hi {{ $json.name }}",\n  "suggestions": [\n    { "reply": { "text": "Yes" "postbackData": "yes" } }\n  ]\n}', { name: 'Ann' });
		expect(r.error?.message).toBe('Contact 1: The JSON is not valid at line 4, column 32: unexpected "\\""');
	});

	test('valid as typed, broken by a filled-in value: names the expression and how to write it', async () => {
		const r = await send('={"text": "Hi {{ $json.name }}, welcome"}', { name: 'Anne "Nan" O\'Neil' });
		expect(r.error?.message).toBe(
			'Contact 1: The JSON is not valid once {{ $json.name }} (line 1, column 14) is filled in: its value breaks it (unexpected "N"). For a value that may hold quotes or line breaks write {{ JSON.stringify($json.name) }}, without quotes around it',
		);
		expect(r.error?.description).toContain('Filled in, line 1, column 20:\n{"text": "Hi Anne "Nan" O\'Neil, welcome"}\n                   ^');
	});

	test('JSON without expressions: line and column with a snippet', async () => {
		const r = await send("{\n  'text': 'hi'\n}");
		expect(r.error?.message).toBe('Contact 1: The JSON is not valid at line 2, column 3: a single quote: JSON strings and names take double quotes (")');
	});

	test.each([
		['{"txt": "Hi"}', 'Contact 1: The JSON has an unknown field "txt": did you mean "text"?', 'json.txt'],
		['{"contentMesage": {"text": "Hi"}}', 'Contact 1: The JSON has an unknown field "contentMesage": did you mean "contentMessage"?', 'json.contentMesage'],
		['{"text": "Hi", "suggestions": [{"reply": {"text": "a", "postbackData": "a"}}, {"reply": {"txt": "b"}}]}', 'Contact 1, button 2 under the message: The JSON has an unknown field "txt": did you mean "text"?', 'json.suggestions[1].reply.txt'],
		['{"contentMessage": {"rich_card": {"carousel_card": {"card_width": "MEDIUM", "card_contents": [{"title": "a"}, {"titel": "b"}]}}}}', 'Contact 1, card 2: The JSON has an unknown field "titel": did you mean "title"?', 'json.contentMessage.richCard.carouselCard.cardContents[1].titel'],
		['{"richCard": {"standaloneCard": {"cardOrientation": "VERTICAL", "cardContent": {"title": "a", "colour": "red"}}}}', 'Contact 1, the card: The JSON has an unknown field "colour": RBM\'s CardContent takes description, media, suggestions, title', 'json.richCard.standaloneCard.cardContent.colour'],
	])('an unknown field is named, with the nearest known name: %s', async (json, message, field) => {
		const r = await send(json);
		expect(r.error?.message).toBe(message);
		expect(r.error?.description).toContain(`Field: ${field}.`);
		expect(fx.emulator.stats().requests['agentMessages.create'] ?? 0).toBe(0);
	});
});
