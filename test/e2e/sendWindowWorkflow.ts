/**
 * The Send Window e2e workflows (sendWindow.test.ts, sendWindowClock.test.ts): examples/campaign.json
 * with these contacts, Options › Send Window set, and the third output, "Deferred", wired to a
 * No Op node "Later".
 */
import { contactsCode, loadExample, node, variant } from './harness';

const campaign = loadExample('campaign.json');

export function sendWindowWorkflow(id: string, name: string, contacts: Array<Record<string, unknown>>, window: Record<string, unknown>, edit: (wf: any) => void = () => {}): any {
	return variant(campaign, id, name, (wf) => {
		node(wf, 'Contacts').parameters.jsCode = contactsCode(contacts);
		node(wf, 'Send RCS').parameters.options = { ...node(wf, 'Send RCS').parameters.options, sendWindow: { window } };
		wf.nodes.push({ id: `${id}-later`, name: 'Later', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [700, 300], parameters: {} });
		wf.connections['Send RCS'].main[2] = [{ node: 'Later', type: 'main', index: 0 }];
		edit(wf);
	});
}
