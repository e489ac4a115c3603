import { startEmulator, type RbmEmulator } from '../../emulator';
import { EMULATOR_CARRIER } from '../../emulator/billing';
import { api, getToken, sendPath } from './helpers';

/** US billing fields of the created AgentMessage, and an unlaunched agent's sends (emulator README). */
describe('emulator: US billing fields and launch state on agentMessages.create', () => {
	let emu: RbmEmulator;
	let token: string;
	let n = 0;
	beforeAll(async () => {
		emu = await startEmulator({ deliveryDelayMs: 10_000, unlaunchedAgents: ['dark-agent'], testers: ['^\\+15550001111$'] });
		token = await getToken(emu);
	});
	afterAll(() => emu.close());
	const send = (body: unknown, phone: string, agentId?: string) => api(emu, token, 'POST', sendPath(phone, `b-${++n}`, agentId), body);

	it.each([
		['160 characters of text', { text: 'a'.repeat(160) }, { classificationType: 'RICH_MESSAGE', segmentCount: 1 }],
		['161 characters of text', { text: 'a'.repeat(161) }, { classificationType: 'RICH_MESSAGE', segmentCount: 2 }],
		['160 two-byte characters (characters, not bytes)', { text: 'é'.repeat(160) }, { classificationType: 'RICH_MESSAGE', segmentCount: 1 }],
		['300 characters (Google\'s example: 2)', { text: 'x'.repeat(300) }, { classificationType: 'RICH_MESSAGE', segmentCount: 2 }],
		['short text with a chip', { text: 'hi', suggestions: [{ reply: { text: 'Yes', postbackData: 'y' } }] }, { classificationType: 'RICH_MESSAGE', segmentCount: 1 }],
		['a file by URL', { contentInfo: { fileUrl: 'https://example.com/a.jpg' } }, { classificationType: 'RICH_MEDIA_MESSAGE' }],
	])('a US number gets the billing fields: %s', async (_name, contentMessage, classification) => {
		const res = await send({ contentMessage }, '+12223334444');
		expect(res.status).toBe(200);
		const b = res.json();
		expect(b.richMessageClassification).toEqual(classification);
		expect(b.carrier).toBe(EMULATOR_CARRIER);
		expect(b.totalPayloadSizeBytes).toBe('0');
	});

	it('counts the bytes of files uploaded to it in totalPayloadSizeBytes', async () => {
		const up = await fetch(`${emu.url}/upload/v1/files?agentId=test-agent`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
			body: Buffer.alloc(1234, 1),
		});
		expect(up.status).toBe(200);
		const { name } = (await up.json()) as { name: string };
		const res = await send({ contentMessage: { uploadedRbmFile: { fileName: name } } }, '+12223334444');
		expect(res.json()).toMatchObject({ richMessageClassification: { classificationType: 'RICH_MEDIA_MESSAGE' }, totalPayloadSizeBytes: '1234' });
	});

	it('a number outside the US gets none of them', async () => {
		const b = (await send({ contentMessage: { text: 'hi' } }, '+447700900123')).json();
		expect(b.name).toBeDefined();
		expect(b).not.toHaveProperty('richMessageClassification');
		expect(b).not.toHaveProperty('carrier');
		expect(b).not.toHaveProperty('totalPayloadSizeBytes');
	});

	it('an unlaunched agent gets 403 PERMISSION_DENIED for a non-tester, 200 for an accepted tester', async () => {
		const denied = await send({ contentMessage: { text: 'hi' } }, '+447700900123', 'dark-agent');
		expect(denied.status).toBe(403);
		expect(denied.json().error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
		expect(denied.json().error.message).toMatch(/not launched/);
		expect((await send({ contentMessage: { text: 'hi' } }, '+15550001111', 'dark-agent')).status).toBe(200);
		expect((await send({ contentMessage: { text: 'hi' } }, '+447700900123')).status).toBe(200);
		expect(emu.stats()).toMatchObject({ forbidden: 1 });
	});
});
