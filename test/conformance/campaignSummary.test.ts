import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * examples/campaign-summary.json's "Summary per campaign" code, run on rows as the campaign report
 * example records them: US billing segments are summed once per message (issue 26), rows without
 * them count 0, and the SMS text names them only when there are any.
 */
interface Wf { nodes: Array<{ name: string; parameters: Record<string, unknown> }> }
const root = join(__dirname, '..', '..');
const summaryCode = (JSON.parse(readFileSync(join(root, 'examples', 'campaign-summary.json'), 'utf8')) as Wf).nodes.find((n) => n.name === 'Summary per campaign')!.parameters.jsCode as string;

function summarise(messages: object[], events: object[] = []): Array<{ json: Record<string, unknown> }> {
	const rows: Record<string, object[]> = { Messages: messages, Events: events };
	const $ = (node: string) => ({ all: () => rows[node].map((json, i) => ({ json: { id: i + 1, ...json } })) });
	return new Function('$', summaryCode)($) as Array<{ json: Record<string, unknown> }>;
}

describe('examples/campaign-summary.json: US message segments', () => {
	test('sums segments of sent messages once each (a re-run records them again), 0 where absent', () => {
		const [s] = summarise([
			{ messageId: 'm1', phone: '+16505550101', campaignId: 'c', outcome: 'sent', segments: 2 },
			{ messageId: 'm2', phone: '+16505550102', campaignId: 'c', outcome: 'sent', segments: 3 },
			{ messageId: 'm1', phone: '+16505550101', campaignId: 'c', outcome: 'sent', segments: 2 },
			{ messageId: 'm3', phone: '+447700900123', campaignId: 'c', outcome: 'sent', segments: null },
			{ messageId: 'm4', phone: '+16505550404', campaignId: 'c', outcome: 'notReachable', segments: 0 },
		]);
		expect(s.json).toMatchObject({ campaignId: 'c', sent: 3, notReachable: 1, segments: 5 });
		expect(s.json.smsText).toMatch(/, 5 US rich message segments$/);
	});

	test('without segments (rows recorded before, or outside the US) the SMS text is as before', () => {
		const [s] = summarise([{ messageId: 'm1', phone: '+447700900123', campaignId: 'c', outcome: 'sent' }]);
		expect(s.json.segments).toBe(0);
		expect(s.json.smsText).toBe('c: 1 sent, 0% delivered, 0% read, 0 replies, 0 opt-outs, 0 not reachable (SMS), 0 suppressed');
	});
});
