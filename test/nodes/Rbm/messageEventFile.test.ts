import type { IDataObject } from 'n8n-workflow';

import { RbmToolbox } from '../../../nodes/Rbm/RbmToolbox.node';
import type { EmulatorFixture } from '../../helpers/emulator';
import { emulatorWithCredential, textParams } from '../../helpers/emulator';
import { itemError, runNode } from '../../helpers/workflow';

let fx: EmulatorFixture;
beforeAll(async () => {
	// Online phones are delivered 2 s after acceptance. A revoke sent right after the message comes
	// well before (~20 ms; it was 300 ms, which a loaded machine overran), and the tests that need a
	// delivery wait for it (bounded polls), never for a fixed time.
	fx = await emulatorWithCredential({ deliveryDelayMs: 2_000 });
});
beforeEach(() => {
	fx.emulator.reset();
	fx.emulator.configure({ faults: {} });
});
afterAll(async () => fx.emulator.close());

const rbm = (parameters: Record<string, unknown>, items: IDataObject[] = [{}], settings = {}, executionId?: string) =>
	runNode({ type: 'n8n-nodes-rbm.rbmToolbox', items, parameters: { agentId: 'welcome-bot', ...parameters }, credentials: fx.credentials, settings, executionId });

async function sendText(phone: string): Promise<string> {
	const r = await runNode({ items: [{ phone, name: 'X' }], parameters: textParams(), credentials: fx.credentials });
	return r.outputs[0][0].json.messageId as string;
}

describe("the toolbox's first type (n8n-nodes-rbm.rbm, hidden) in saved workflows", () => {
	test('still runs every operation as RBM Toolbox does', async () => {
		const messageId = await sendText('+16505550110');
		const params = { agentId: 'welcome-bot', resource: 'message', operation: 'revoke', phoneNumber: '+16505550110', messageId };
		const r = await runNode({ type: 'n8n-nodes-rbm.rbm', items: [{}], parameters: params, credentials: fx.credentials });
		expect(r.outputs[0][0].json).toEqual({ phoneNumber: '+16505550110', agentId: 'welcome-bot', messageId, revoked: true });
	});
});

describe('Message › Revoke', () => {
	test('an undelivered message is revoked and never delivered', async () => {
		const messageId = await sendText('+16505550111');
		// Accepted after the first: its delivery timer (same delay) fires after the first one's would.
		const control = await sendText('+16505550113');
		const r = await rbm({ resource: 'message', operation: 'revoke', phoneNumber: '+16505550111', messageId: '={{ $json.id }}' }, [{ id: messageId }]);
		expect(r.outputs).toHaveLength(1);
		expect(r.outputs[0][0].json).toEqual({ phoneNumber: '+16505550111', agentId: 'welcome-bot', messageId, revoked: true });
		const last = fx.emulator.stats().lastRequest['agentMessages.delete'];
		expect([last.method, last.path, last.query]).toEqual(['DELETE', `/v1/phones/+16505550111/agentMessages/${messageId}`, { agentId: 'welcome-bot' }]);
		// Once the control message is delivered, the revoked one's delivery time has passed too.
		for (let k = 0; k < 1000 && !fx.emulator.stats().messages[control]?.delivered; k++) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(fx.emulator.stats().messages[control].delivered).toBe(true);
		expect(fx.emulator.stats().messages[messageId]).toMatchObject({ revoked: true, delivered: false });
	});

	test('a delivered message: a clear "not revoked" result, not a crash', async () => {
		const messageId = await sendText('+16505550112');
		// Delivered 2 s after acceptance (deliveryDelayMs): wait for it (bounded: 1,000 checks, ≥ 10 s).
		for (let k = 0; k < 1000 && !fx.emulator.stats().messages[messageId]?.delivered; k++) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(fx.emulator.stats().messages[messageId].delivered).toBe(true);
		const r = await rbm({ resource: 'message', operation: 'revoke', phoneNumber: '+16505550112', messageId: `phones/+16505550112/agentMessages/${messageId}` });
		expect(r.error).toBeUndefined();
		expect(r.outputs[0][0].json).toMatchObject({ messageId, revoked: false, reason: 'alreadyDeliveredOrUnknown', error: { code: 404 } });
	});

	test('a missing message id is an input error', async () => {
		const r = await rbm({ resource: 'message', operation: 'revoke', phoneNumber: '+16505550112', messageId: '={{ $json.none }}' });
		expect(r.error?.message).toMatch(/^Item 1: Message ID is missing or malformed/);
	});
});

describe('Event › Send Typing / Mark as Read', () => {
	test('typing: POST agentEvents with a v5 event id; the same execution reuses it (already accepted)', async () => {
		const params = { resource: 'event', operation: 'sendTyping', phoneNumber: '+16505550120' };
		const a = await rbm(params, [{}], {}, 'exec-events');
		expect(a.outputs).toHaveLength(2);
		const eventId = a.outputs[0][0].json.eventId as string;
		expect(eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/);
		expect(fx.emulator.stats().events).toEqual([expect.objectContaining({ eventId, eventType: 'IS_TYPING', phoneNumber: '+16505550120', agentId: 'welcome-bot' })]);
		const last = fx.emulator.stats().lastRequest['agentEvents.create'];
		expect([last.path, last.query]).toEqual(['/v1/phones/+16505550120/agentEvents', { eventId, agentId: 'welcome-bot' }]);
		const b = await rbm(params, [{}], {}, 'exec-events');
		expect(b.outputs[0][0].json).toMatchObject({ eventId, alreadyAccepted: true });
	});

	test('read receipt carries the user message id; unreachable phones go to "Not Reachable"', async () => {
		const r = await rbm({ resource: 'event', operation: 'markRead', phoneNumber: '={{ $json.phone }}', messageId: '={{ $json.userMessageId }}' }, [
			{ phone: '+16505550121', userMessageId: 'MxUserMsg1' },
			{ phone: '+16505550404', userMessageId: 'MxUserMsg2' },
		]);
		expect(r.outputs[0][0].json).toMatchObject({ eventType: 'READ', messageId: 'MxUserMsg1', phoneNumber: '+16505550121' });
		expect(r.outputs[1][0].json).toMatchObject({ phoneNumber: '+16505550404', error: { code: 404 } });
		expect(r.outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(fx.emulator.stats().events).toEqual([expect.objectContaining({ eventType: 'READ', messageId: 'MxUserMsg1' })]);
	});

	test('read receipt without a message id is an input error', async () => {
		const r = await rbm({ resource: 'event', operation: 'markRead', phoneNumber: '+16505550121', messageId: '={{ $json.none }}' });
		expect(r.error?.message).toMatch(/^Item 1: Message ID is required/);
		expect(fx.emulator.stats().requests['agentEvents.create'] ?? 0).toBe(0);
	});
});

describe('File › Upload', () => {
	test('from a URL: files.create with the URL form, the name comes back for media messages', async () => {
		const r = await rbm({ resource: 'file', operation: 'upload', uploadSource: 'url', fileUrl: 'https://example.com/v.mp4', thumbnailUrl: 'https://example.com/t.jpg', contentDescription: 'A video' });
		expect(r.error).toBeUndefined();
		const json = r.outputs[0][0].json;
		expect(json.fileName).toMatch(/^files\//);
		expect(json.name).toBe(json.fileName);
		expect(fx.emulator.stats().lastRequest['files.create']).toMatchObject({ method: 'POST', path: '/v1/files', query: { agentId: 'welcome-bot' } });
		expect(fx.emulator.stats().files).toEqual([expect.objectContaining({ name: json.fileName })]);
	});

	test('files.create gets fileUrl, thumbnailUrl and agentId only: a Content Description left in an old workflow is not sent', async () => {
		const r = await rbm({ resource: 'file', operation: 'upload', uploadSource: 'url', fileUrl: 'https://example.com/v.mp4', thumbnailUrl: 'https://example.com/t.jpg', contentDescription: 'A video' });
		expect(r.error).toBeUndefined();
		const [file] = fx.emulator.stats().files;
		expect(file).toMatchObject({ name: r.outputs[0][0].json.fileName, fileUrl: 'https://example.com/v.mp4', thumbnailUrl: 'https://example.com/t.jpg' });
		expect(file).not.toHaveProperty('contentDescription');
		const names = new RbmToolbox().description.properties.filter((p) => JSON.stringify(p.displayOptions ?? {}).includes('"upload"')).map((p) => p.name);
		expect(names).toContain('fileUrl');
		expect(names).not.toContain('contentDescription');
	});

	test('from a binary property: raw bytes to /upload/v1/files with the file\'s media type', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		const r = await runNode({
			type: 'n8n-nodes-rbm.rbmToolbox',
			items: [{}],
			binary: [{ data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'logo.png' } }],
			parameters: { agentId: 'welcome-bot', resource: 'file', operation: 'upload', uploadSource: 'binary', binaryPropertyName: 'data' },
			credentials: fx.credentials,
		});
		expect(r.error).toBeUndefined();
		const last = fx.emulator.stats().lastRequest['files.create'];
		expect(last.path).toBe('/upload/v1/files');
		expect(last.headers['content-type']).toBe('image/png');
		expect(fx.emulator.stats().files[0]).toMatchObject({ name: r.outputs[0][0].json.fileName });
	});

	test('an unsupported file type or a missing binary property is an input error with no upload', async () => {
		const r = await runNode({
			type: 'n8n-nodes-rbm.rbmToolbox',
			items: [{}, {}],
			binary: [{ data: { data: 'aGVsbG8=', mimeType: 'text/plain', fileName: 'a.txt' } }, {}],
			parameters: { agentId: 'welcome-bot', resource: 'file', operation: 'upload', uploadSource: 'binary', binaryPropertyName: 'data' },
			credentials: fx.credentials,
			settings: { onError: 'continueRegularOutput' },
		});
		expect(r.outputs[0].map((i) => itemError(i)?.message)).toEqual([
			expect.stringMatching(/^Item 1: File type "text\/plain" is not supported by RBM/),
			expect.stringMatching(/^Item 2: No binary property "data"/),
		]);
		expect(fx.emulator.stats().requests['files.create'] ?? 0).toBe(0);
	});
});
