/**
 * The n8n editor, in Debian's Chromium, with this package installed as a user installs it (packed
 * tarball in the user folder) and the RBM emulator behind the credential: sign-in, the node panel,
 * building and running a send, the credential test, the trigger's webhook URLs and a campaign run
 * twice. One n8n for all scenarios; every step leaves a screenshot under test-results/ui/.
 *
 * Editor behaviour relied on: n8n docs, https://docs.n8n.io/workflows/components/nodes/ (node
 * panel, NDV), https://docs.n8n.io/credentials/add-edit-credentials/ (n8n tests a credential when
 * it is saved), https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.webhook/
 * (Test URL /webhook-test/, Production URL /webhook/); the package's side: README.md and docs/.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { CREDENTIAL_NAME, loadExample, node, REPO_DIR, runtime, variant } from '../e2e/harness';
import type { Locator, Page, UiEnv } from './harness';
import { RESULTS_DIR, Shots, signIn, startUi, STEP_MS, useN8nTestIds, VIEWPORT } from './harness';

interface NodeSummary {
	displayName: string;
	description: string;
}

/**
 * The nodes a user can add: every node file package.json's n8n.nodes lists (the classes as built in
 * dist/, what n8n loads), without the hidden ones (types kept only for saved workflows).
 */
function builtNodes(): INodeTypeDescription[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const pkg = require(join(REPO_DIR, 'package.json')) as { n8n: { nodes: string[] } };
	return pkg.n8n.nodes
		.flatMap((file) => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const mod = require(join(REPO_DIR, file)) as Record<string, new () => { description: INodeTypeDescription }>;
			return Object.values(mod).map((NodeClass) => new NodeClass().description);
		})
		.filter((d) => !d.hidden);
}
function builtNode(name: string): INodeTypeDescription {
	const found = builtNodes().find((d) => d.name === name);
	if (!found) throw new Error(`no visible node "${name}" in package.json n8n.nodes`);
	return found;
}
const SEND = builtNode('rbmSendMessage');
const TRIGGER = builtNode('rbmTrigger');
const summary = (d: INodeTypeDescription): NodeSummary => ({ displayName: d.displayName, description: d.description });

const AGENT = 'rbm-demo-agent';
const REACHABLE = '+16505550123';
/** The emulator's default unreachable range: numbers ending in 404 (emulator/README.md). */
const UNREACHABLE = '+16505550404';
const ALREADY_SENT = 'had been sent before with the same ids';

/**
 * README › Usage's editor screenshots: the three workflows a marketer starts from. `npm run
 * screenshots` runs scenario 8 alone with RBM_UI_README_IMAGES=docs/images, which also copies them
 * there (the committed files); a plain `npm run test:ui` leaves them under test-results/ui/.
 */
const README_SHOTS: Array<{ example: string; image: string; runUntil?: string }> = [
	// run once, so the canvas shows how many contacts left by Sent and by Not Reachable
	{ example: 'campaign.json', image: 'campaign-sms-fallback.png', runUntil: 'SMS fallback (stand-in)' },
	{ example: 'reply-bot.json', image: 'reply-bot-opt-out.png' },
	{ example: 'campaign-report.json', image: 'campaign-report.png', runUntil: 'Record not reachable' },
];
const README_IMAGES_DIR = process.env.RBM_UI_README_IMAGES ? resolve(REPO_DIR, process.env.RBM_UI_README_IMAGES) : undefined;

let ui: UiEnv;
let page: Page;

beforeAll(async () => {
	useN8nTestIds();
	ui = await startUi();
	page = ui.context.pages()[0] ?? (await ui.context.newPage());
}, 8 * 60 * 1000);

afterAll(async () => {
	await ui?.close();
	process.stderr.write(`[ui] screenshots: ${RESULTS_DIR}\n`);
});

/**
 * Signed in (scenario 1 does it through the form; a later scenario run alone signs in itself): waits
 * for the editor's menu or the sign-in form, whichever the app shows (the redirect is client-side).
 */
async function ensureSignedIn(): Promise<void> {
	await page.goto(`${ui.baseUrl}/home/workflows`);
	const signInForm = page.getByTestId('emailOrLdapLoginId');
	await signInForm.or(signedInMenu()).first().waitFor();
	if (await signInForm.isVisible()) await signIn(page, ui.baseUrl);
	await signedInMenu().waitFor();
}

/** The editor's main menu: there once signed in. */
function signedInMenu(): Locator {
	return page.getByTestId('main-sidebar-settings').or(page.getByTestId('project-home-menu-item')).first();
}

async function newWorkflow(): Promise<void> {
	await page.goto(`${ui.baseUrl}/workflow/new`);
	await page.getByTestId('node-creator-plus-button').waitFor();
}

/**
 * Waits until `expression` is true in the page: browser-side JavaScript (a string: these tests compile
 * without the DOM's types), checked at every animation frame, bounded by STEP_MS. A condition,
 * never a time.
 */
async function untilInPage(what: string, expression: string): Promise<void> {
	try {
		await page.waitForFunction(expression, undefined, { polling: 'raf', timeout: STEP_MS });
	} catch (error) {
		throw new Error(`waiting for ${what}: ${(error as Error).message.split('\n')[0]}`);
	}
}

/** Browser-side: every entry the node panel lists, as [name, description]. */
const PANEL_ENTRIES_JS = `[...document.querySelectorAll('[data-test-id="item-iterator-item"]')].map((item) => [
	(item.querySelector('[data-test-id="node-creator-item-name"]')?.textContent ?? '').trim(),
	(item.querySelector('[data-test-id="node-creator-item-description"]')?.textContent ?? '').trim(),
])`;

/** Every entry the node panel lists right now: its name and its description. */
async function panelEntries(): Promise<NodeSummary[]> {
	const entries = (await page.evaluate(PANEL_ENTRIES_JS)) as Array<[string, string]>;
	return entries.map(([displayName, description]) => ({ displayName, description }));
}

/**
 * Opens the node panel with its "+" button, searches, and waits until the list follows the query:
 * it changed and it shows every text of `shows` (names or descriptions). The panel runs its search
 * after a debounce, at once on ArrowUp/ArrowDown/Enter (n8n's NodesListPanel); ArrowUp only moves
 * the highlight.
 */
async function searchNodes(query: string, shows: string[]): Promise<NodeSummary[]> {
	const search = page.getByTestId('node-creator-search-bar');
	if (!(await search.isVisible())) await page.getByTestId('node-creator-plus-button').click();
	await search.waitFor();
	const before = JSON.stringify(await page.evaluate(PANEL_ENTRIES_JS));
	await search.fill(query);
	await search.press('ArrowUp');
	await untilInPage(
		`the node panel's results for "${query}" with ${JSON.stringify(shows)}`,
		`(() => {
			const entries = ${PANEL_ENTRIES_JS};
			const texts = entries.flat();
			return JSON.stringify(entries) !== ${JSON.stringify(before)} && ${JSON.stringify(shows)}.every((t) => texts.includes(t));
		})()`,
	);
	return await panelEntries();
}

function panelEntry(displayName: string): Locator {
	return page.getByTestId('item-iterator-item').filter({ has: page.getByTestId('node-creator-item-name').getByText(displayName, { exact: true }) });
}

/**
 * Clicks a node panel entry. A community node first shows its details with "Add to workflow"; a
 * node with events or actions lists them (the first is taken); other nodes are added at once.
 */
async function addFromPanel(entry: Locator): Promise<void> {
	await entry.click();
	const add = page.getByRole('button', { name: 'Add to workflow' });
	const firstEvent = page.getByTestId('node-creator-category-item').first();
	// whichever comes first (the others' waits end with theirs, bounded)
	const next = await Promise.any([
		add.waitFor().then(() => 'add' as const),
		firstEvent.waitFor().then(() => 'events' as const),
		page.getByTestId('node-creator').waitFor({ state: 'hidden' }).then(() => 'added' as const),
	]).catch(() => {
		throw new Error(`after clicking a node panel entry, none of "Add to workflow", its events, or the node added within ${STEP_MS} ms`);
	});
	if (next === 'add') await add.click();
	if (next === 'events') await page.getByTestId('item-iterator-item').first().click();
	await page.getByTestId('node-creator').waitFor({ state: 'hidden' });
}

/** The answer to the editor's next credential test (POST /rest/credentials/test). */
function credentialTestAnswer(): Promise<unknown> {
	return page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/rest/credentials/test', { timeout: STEP_MS });
}

/** A new workflow: Manual Trigger → RBM Send Message (as the node panel adds it: the default version), its panel open. */
async function newSendNode(shots: Shots): Promise<void> {
	await newWorkflow();
	await searchNodes('Manual', ['Manual Trigger']);
	await addFromPanel(panelEntry('Manual Trigger'));
	await page.getByTestId('canvas-trigger-node').waitFor();
	await shots.take('manual-trigger-added');

	// "+" with the trigger selected: n8n connects the new node after it
	await searchNodes(SEND.displayName, [SEND.displayName]);
	await shots.take('search-send-message');
	await addFromPanel(panelEntry(SEND.displayName));
	await ndv().waitFor();
	await shots.take('ndv-open');
}

/** The open dropdown's option `label` (its name, without the description under it). */
function optionLabelled(label: string): Locator {
	return page
		.getByRole('option')
		.filter({ visible: true })
		.filter({ has: page.getByText(label, { exact: true }) })
		.first();
}

/** Picks an option of an options parameter by its label. */
async function choose(name: string, label: string): Promise<void> {
	await parameter(name).click();
	await optionLabelled(label).click();
	await optionLabelled(label).waitFor({ state: 'hidden' });
	await untilValue(`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] input`, label);
}

/** Waits until the first input matching `selector` holds `value`. */
async function untilValue(selector: string, value: string): Promise<void> {
	await untilInPage(`${selector} to hold ${JSON.stringify(value)}`, `document.querySelector(${JSON.stringify(selector)})?.value === ${JSON.stringify(value)}`);
}

/** Opens an item's "Add Option" picker and adds the optional field `label`. */
async function addOptionalField(item: Locator, label: string): Promise<void> {
	await item.getByTestId('fixed-collection-add-property').last().click();
	await optionLabelled(label).click();
}

function ndv(): Locator {
	return page.getByTestId('ndv');
}

async function closeNdv(): Promise<void> {
	await ndv().getByTestId('ndv-close-button').click();
	await ndv().waitFor({ state: 'hidden' });
}

function parameter(name: string, nth = 0): Locator {
	return ndv().getByTestId(`parameter-input-${name}`).nth(nth);
}

/** The output panel's text once the run shows a branch tab or data. */
/**
 * The output panel's text once it shows `expected`: the branch tabs render before the items'
 * table, so wait (bounded) for the item; on a timeout the caller's expect shows what was there.
 */
async function outputText(expected: string): Promise<string> {
	const output = ndv().getByTestId('output-panel');
	await output.getByTestId('ndv-data-container').waitFor();
	await output
		.getByText(expected)
		.first()
		.waitFor({ timeout: STEP_MS })
		.catch(() => undefined);
	return await output.innerText();
}

/** Imports a workflow file the way the REST API (the editor's own client) creates one; returns its new id. */
async function importThroughRest(wf: { name: string; nodes: unknown[]; connections: unknown; settings?: unknown; pinData?: unknown; meta?: unknown }): Promise<string> {
	const body = { name: wf.name, nodes: wf.nodes, connections: wf.connections, settings: wf.settings ?? {}, pinData: wf.pinData ?? {}, meta: wf.meta, active: false };
	const res = await runtime.httpJson('POST', `${ui.baseUrl}/rest/workflows`, { body, headers: ui.headers, timeoutMs: STEP_MS });
	const id = (res.json as { data?: { id?: string } } | undefined)?.data?.id;
	if (res.status !== 200 || !id) throw new Error(`POST /rest/workflows "${wf.name}": HTTP ${res.status} ${res.text.slice(0, 300)}`);
	return id;
}

/** `text` inside a CSS attribute selector's double quotes. */
const cssString = (text: string): string => text.replace(/["\\]/g, '\\$&');

/** A node on the canvas by its name (n8n writes it into data-node-name). */
function canvasNode(name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${cssString(name)}"]`);
}

/** Browser-side: the canvas's CSS transform (its pan and zoom). */
const CANVAS_TRANSFORM_JS = `getComputedStyle(document.querySelector('.vue-flow__transformationpane')).transform`;

/**
 * Browser-side: true when the canvas's transform differs from `from` (if given) and is the same as at
 * the previous animation frame (a zoom's animation ended).
 */
function canvasStillJs(from?: string): string {
	return `(() => {
		const transform = ${CANVAS_TRANSFORM_JS};
		const still = transform === window.rbmLastTransform;
		window.rbmLastTransform = transform;
		return still && transform !== ${JSON.stringify(from ?? null)};
	})()`;
}

/**
 * Browser-side: every node and sticky note, their names under them included, lies inside the canvas
 * and above the floating "Execute workflow" button.
 */
const CANVAS_SHOWS_ALL_JS = `(() => {
	const box = document.querySelector('[data-test-id="canvas-wrapper"]').getBoundingClientRect();
	const run = document.querySelector('[data-test-id="execute-workflow-button"]');
	const bottom = run ? Math.min(box.bottom, run.getBoundingClientRect().top) : box.bottom;
	return [...document.querySelectorAll('.vue-flow__node, .vue-flow__node *')].every((el) => {
		const r = el.getBoundingClientRect();
		return r.width === 0 || (r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= bottom);
	});
})()`;

/** Waits until the canvas's zoom or pan animation ended (and, with `from`, that it moved at all). */
async function canvasStill(from?: string): Promise<void> {
	await page.evaluate('window.rbmLastTransform = undefined');
	await untilInPage('the canvas to hold still', canvasStillJs(from));
}

/**
 * Presses "Zoom to fit", then zooms out (a step at a time, at most 3) until the nodes' names, which
 * hang below the boxes n8n fits, are clear of the canvas's edges and of "Execute workflow".
 */
async function zoomToFit(): Promise<void> {
	await page.getByTestId('zoom-to-fit').click();
	await canvasStill();
	for (let steps = 0; !(await page.evaluate(CANVAS_SHOWS_ALL_JS)); steps += 1) {
		if (steps === 3) throw new Error('the workflow does not fit the canvas after "Zoom to fit" and 3 steps of "Zoom out"');
		const from = (await page.evaluate(CANVAS_TRANSFORM_JS)) as string;
		await page.getByTestId('zoom-out-button').click();
		await canvasStill(from);
	}
	// the pointer away from nodes (no hover toolbar in the picture)
	await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
}

/** "Execute workflow" on the canvas; waits for n8n's success notice and `last`'s success mark. */
async function runFromEditor(last: string): Promise<void> {
	await page.getByTestId('execute-workflow-button').click();
	await page.getByText('Workflow executed successfully').first().waitFor({ timeout: STEP_MS });
	await canvasNode(last).getByTestId('canvas-node-status-success').waitFor();
}

/** Closes every notification (toasts) and waits until none is left. */
async function dismissNotifications(): Promise<void> {
	const notifications = page.locator('.el-notification');
	for (let left = await notifications.count(); left > 0; left = await notifications.count()) {
		await notifications.first().locator('.el-notification__closeBtn').click();
		await page.waitForFunction(`document.querySelectorAll('.el-notification').length < ${left}`, undefined, { timeout: STEP_MS });
	}
}

describe('n8n editor with n8n-nodes-rbm (Chromium)', () => {
	it('1. signs in with the sign-in form (owner set up through the REST API)', async () => {
		const shots = new Shots(page, '1-sign-in');
		await page.goto(`${ui.baseUrl}/`);
		await page.waitForURL(/\/signin/, { timeout: STEP_MS });
		await shots.take('redirected-to-sign-in');
		await signIn(page, ui.baseUrl, shots);
		await page.getByTestId('main-sidebar-settings').or(page.getByTestId('project-home-menu-item')).first().waitFor();
		await shots.take('signed-in');
		expect(new URL(page.url()).pathname).not.toMatch(/signin/);
	});

	it('2. the node panel finds every node (send, toolbox, trigger) by "RBM" and by "RCS", each with its own description', async () => {
		await ensureSignedIn();
		const shots = new Shots(page, '2-node-panel');
		await newWorkflow();
		const nodes = builtNodes();
		expect(nodes.map((d) => d.name).sort()).toEqual(['rbmSendMessage', 'rbmToolbox', 'rbmTrigger']);
		const shown: Record<string, NodeSummary[]> = {};
		for (const query of ['RBM', 'RCS']) {
			shown[query] = await searchNodes(query, nodes.map((d) => d.description));
			await shots.take(`search-${query}`);
		}
		process.stderr.write(`[ui] node panel entries: ${JSON.stringify(shown)}\n`);
		for (const [query, entries] of Object.entries(shown)) {
			for (const d of nodes) {
				// each node has one entry with its own description, under its name; n8n's node creator
				// lists a trigger that has events without " Trigger" (the full name stays a search alias)
				const names = d.group.includes('trigger') ? [d.displayName, d.displayName.replace(' Trigger', '')] : [d.displayName];
				const mine = entries.filter((e) => e.description === d.description);
				const name = names.find((n) => mine.some((e) => e.displayName === n)) ?? d.displayName;
				expect({ query, node: d.name, entries: mine.map((e) => e.displayName) }).toEqual({ query, node: d.name, entries: [name] });
			}
		}
		// the trigger's entry opens the trigger by its full name
		await page.getByTestId('item-iterator-item').filter({ hasText: TRIGGER.description }).first().click();
		const title = page.getByTestId('node-creator').getByText(TRIGGER.displayName, { exact: true });
		await title.waitFor({ timeout: STEP_MS }).catch(() => undefined);
		await shots.take('trigger-entry-clicked');
		await expect(title.isVisible()).resolves.toBe(true);
	});

	it('3. builds Manual Trigger → RBM Send Message (expression text, a reply button), runs it, reads Sent and Not Reachable', async () => {
		await ensureSignedIn();
		const shots = new Shots(page, '3-send-message');
		ui.n8n.emulator.reset();
		await newSendNode(shots);

		// the only rbmApi credential is preselected; pick it explicitly anyway, as a user checks it
		const credential = ndv().getByTestId('node-credentials-select');
		await credential.click();
		await page.getByRole('option', { name: CREDENTIAL_NAME }).first().click();
		await untilValue('[data-test-id="ndv"] [data-test-id="node-credentials-select"] input', CREDENTIAL_NAME);
		await parameter('phoneNumber').locator('input').fill(REACHABLE);
		await parameter('agentId').locator('input').fill(AGENT);
		// typing "{{" turns the field into an expression (n8n docs: /code/expressions/)
		await parameter('text').locator('textarea, [contenteditable="true"]').first().fill('Hello {{ $now.year }}');
		await ndv().getByTestId('parameter-expression-preview-text').waitFor();
		await ndv().getByTestId('fixed-collection-add').first().click();
		await parameter('text', 1).waitFor();
		await expect(parameter('type').locator('input').inputValue()).resolves.toBe('Reply');
		// the button's Text is the second "text" parameter (the message's Text is the first)
		await parameter('text', 1).locator('input').fill('Yes please');
		// Postback Data is optional: behind the button's "Add Option" (issue 25 item 6)
		await expect(parameter('postbackData').count()).resolves.toBe(0);
		await addOptionalField(ndv().getByTestId('fixed-collection-suggestions'), 'Postback Data');
		await parameter('postbackData').locator('input').fill('yes_please');
		await shots.take('parameters-filled');

		await ndv().getByTestId('node-execute-button').click();
		const sentTab = ndv().getByTestId('branches').getByTestId('tab-0');
		await sentTab.filter({ hasText: '1 item' }).waitFor({ timeout: STEP_MS });
		// $now is in the instance's time zone (n8n docs: /hosting/configuration/environment-variables/timezone-localization/)
		const settings = await runtime.httpJson('GET', `${ui.baseUrl}/rest/settings`, { headers: ui.headers });
		const timeZone = (settings.json as { data: { timezone: string } }).data.timezone;
		const year = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(new Date());
		const sentText = await outputText(REACHABLE);
		await shots.take('sent-output');
		// Version 2's Sent item: the phone, the status and the message id first, RBM's answer under
		// agentMessage, no echo of the content (that is what the emulator received, checked below).
		expect(sentText).toContain(REACHABLE);
		const columns = ['phoneNumber', 'sendStatus', 'messageId', 'agentMessage'].map((c) => sentText.indexOf(c));
		expect(columns.every((at) => at >= 0)).toBe(true);
		expect([...columns].sort((a, b) => a - b)).toEqual(columns);
		expect(sentText).toMatch(/\bsent\b/);
		expect(sentText).toContain(`phones/${REACHABLE}/agentMessages/`);

		const messages = Object.values(ui.n8n.emulator.stats().messages);
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ phoneNumber: REACHABLE, agentId: AGENT, count: 1 });
		expect(messages[0].body).toMatchObject({
			contentMessage: { text: `Hello ${year}`, suggestions: [{ reply: { text: 'Yes please', postbackData: 'yes_please' } }] },
		});

		// a second run with a number the emulator cannot reach: its item leaves by "Not Reachable"
		await parameter('phoneNumber').locator('input').fill(UNREACHABLE);
		await ndv().getByTestId('node-execute-button').click();
		const notReachableTab = ndv().getByTestId('branches').getByTestId('tab-1');
		await notReachableTab.filter({ hasText: '1 item' }).waitFor({ timeout: STEP_MS });
		await notReachableTab.click();
		const notReachableText = await outputText(UNREACHABLE);
		await shots.take('not-reachable-output');
		expect(notReachableText).toContain(UNREACHABLE);
		// only the reachable number's message was accepted by the emulator
		expect(Object.values(ui.n8n.emulator.stats().messages)).toHaveLength(1);
		expect(ui.n8n.emulator.stats().notFound).toBeGreaterThanOrEqual(1);
	});

	it('4. the credential tests successfully when saved (Test / Retry)', async () => {
		await ensureSignedIn();
		const shots = new Shots(page, '4-credential-test');
		const grantsBefore = ui.n8n.emulator.stats().tokenGrants;
		await page.goto(`${ui.baseUrl}/home/credentials`);
		await page.getByText(CREDENTIAL_NAME, { exact: true }).first().click();
		const dialog = page.getByTestId('credential-edit-dialog');
		await dialog.waitFor();
		// n8n tests a saved credential when it is opened, again on Retry, and when it is saved
		const success = dialog.getByTestId('credentials-config-container-test-success');
		await success.waitFor({ timeout: STEP_MS });
		await shots.take('tested-on-open');
		expect(await success.innerText()).toContain('Connection tested successfully');
		const afterOpen = ui.n8n.emulator.stats().tokenGrants;
		// the test reached the emulator: it signed a JWT and got a token for it
		expect(afterOpen).toBeGreaterThan(grantsBefore);

		// each test is one POST /rest/credentials/test, answered once n8n got its token from the emulator
		let tested = credentialTestAnswer();
		await success.getByRole('button', { name: 'Retry' }).click();
		await tested;
		await success.waitFor({ timeout: STEP_MS });
		await shots.take('retried');
		const afterRetry = ui.n8n.emulator.stats().tokenGrants;
		expect(afterRetry).toBeGreaterThan(afterOpen);

		await dialog.getByTestId('parameter-input-webhookClientToken').locator('input').fill('ui-client-token');
		tested = credentialTestAnswer();
		await page.getByTestId('credential-save-button').click();
		await tested;
		expect(ui.n8n.emulator.stats().tokenGrants).toBeGreaterThan(afterRetry);
		await success.waitFor({ timeout: STEP_MS });
		await shots.take('tested-on-save');
		expect(await success.innerText()).toContain('Connection tested successfully');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
	});

	it('5. RBM Trigger: its entries in the nodes panel (replies and taps first), the notice about a public HTTPS URL, its Production and Test URLs', async () => {
		await ensureSignedIn();
		const shots = new Shots(page, '5-trigger-urls');
		await newWorkflow();
		await searchNodes(TRIGGER.displayName, [TRIGGER.description]);
		await shots.take('search-trigger');
		// the entry that carries the trigger's description (whatever name the panel gives it) lists
		// the trigger's entries: Trigger On's options, by their action names, in their order
		await page.getByTestId('item-iterator-item').filter({ hasText: TRIGGER.description }).first().click();
		await page.getByTestId('node-creator-category-item').first().waitFor();
		const triggerOn = TRIGGER.properties.find((p) => p.name === 'triggerOn');
		const actions = ((triggerOn?.options ?? []) as Array<{ action?: string }>).map((o) => o.action ?? '');
		const firstLines = `[...document.querySelectorAll('[data-test-id="item-iterator-item"]')].map((item) => item.innerText.split('\\n')[0].trim())`;
		await untilInPage("the trigger's entries", `${JSON.stringify(actions)}.every((a) => ${firstLines}.includes(a))`);
		const entries = (await page.getByTestId('item-iterator-item').allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await shots.take('trigger-entries');
		process.stderr.write(`[ui] RBM Trigger entries: ${JSON.stringify(entries)}\n`);
		// every option, in its order (test/nodes/RbmTrigger/triggerOn.test.ts spells the list out)
		expect(entries.filter((t) => t.startsWith('On '))).toEqual(actions);
		expect(actions.slice(0, 2)).toEqual(['On replies and taps', 'On any event']);
		// the first, highlighted entry: replies and taps, all four reply types, no Events list to fill
		await page.getByTestId('item-iterator-item').filter({ hasText: 'On replies and taps' }).first().click();
		await page.getByTestId('node-creator').waitFor({ state: 'hidden' });
		await ndv().waitFor();
		await expect(parameter('triggerOn').locator('input').inputValue()).resolves.toBe('All Replies and Taps');
		await expect(ndv().getByTestId('parameter-input-events').count()).resolves.toBe(0);
		const notice = ndv().getByText('Google only calls a public HTTPS address', { exact: false }).first();
		await notice.waitFor();
		await shots.take('trigger-added');
		const noticeText = await notice.locator('xpath=ancestor::*[contains(@class, "notice")][1]').innerText().catch(async () => await notice.innerText());
		expect(noticeText).toMatch(/http:\/\/.*localhost.*127\.0\.0\.1/s);
		expect(noticeText).toMatch(/publish \(activate\) the workflow/);
		await ndv().getByText('Webhook URLs', { exact: true }).click();
		const url = ndv().locator('.node-webhooks .webhook-url');
		await ndv().getByTestId('radio-button-test').click();
		await url.waitFor();
		await shots.take('test-url');
		const testUrl = (await url.innerText()).trim();
		await ndv().getByTestId('radio-button-production').click();
		await url.filter({ hasNotText: testUrl }).waitFor();
		await shots.take('production-url');
		const productionUrl = (await url.innerText()).trim();
		expect(testUrl.startsWith(`${ui.baseUrl}/webhook-test/`)).toBe(true);
		expect(productionUrl.startsWith(`${ui.baseUrl}/webhook/`)).toBe(true);
		expect(productionUrl).not.toBe(testUrl);
		// same webhook id and path behind both prefixes
		expect(productionUrl.slice(`${ui.baseUrl}/webhook/`.length)).toBe(testUrl.slice(`${ui.baseUrl}/webhook-test/`.length));
		await closeNdv();
	});

	it('6. a campaign run twice from the editor: the second run says the messages had been sent before', async () => {
		await ensureSignedIn();
		const shots = new Shots(page, '6-campaign-twice');
		const campaign = variant(loadExample('campaign.json'), 'rbmUiCampaign001', 'UI campaign', (wf) => {
			const contacts = node(wf, 'Contacts');
			contacts.parameters.jsCode = [
				"const campaignId = 'ui-campaign';",
				"return [{ name: 'Ada', phone: '+16505550101' }, { name: 'Alan', phone: '+16505550404' }].map((c) => ({ json: { ...c, campaignId } }));",
			].join('\n');
		});
		await ui.n8n.importWorkflows([campaign]);
		ui.n8n.emulator.reset();
		await page.goto(`${ui.baseUrl}/workflow/${campaign.id}`);
		const sendNode = page.getByTestId('canvas-node').filter({ hasText: 'Send RCS' });
		await sendNode.waitFor();
		await shots.take('campaign-open');

		const executed = page.getByText('Workflow executed successfully');
		for (const runNo of [1, 2]) {
			// the notice comes once the run ended: every request it made has had its answer
			await page.getByTestId('execute-workflow-button').click();
			await executed.first().waitFor({ timeout: STEP_MS });
			await sendNode.dblclick();
			await ndv().waitFor();
			const hintsPane = ndv().getByTestId('output-panel');
			await hintsPane.getByTestId('ndv-data-container').waitFor();
			// bounded wait for the notice after run 2; the assertion below says what the panel showed
			if (runNo === 2) await hintsPane.getByText(ALREADY_SENT, { exact: false }).waitFor({ timeout: STEP_MS }).catch(() => undefined);
			await shots.take(`run-${runNo}-send-output`);
			const hints = await hintsPane.innerText();
			const stats = ui.n8n.emulator.stats();
			// one reachable contact: one message id, whatever the run (the id comes from campaign + phone)
			expect(Object.keys(stats.messages)).toHaveLength(1);
			if (runNo === 1) {
				expect(stats.duplicates).toBe(0);
				expect(hints).not.toContain(ALREADY_SENT);
			} else {
				// the emulator saw the same id again (Google answers 409 ALREADY_EXISTS)
				expect(stats.duplicates).toBe(1);
				expect(hints).toContain(ALREADY_SENT);
			}
			await closeNdv();
			// the success toast of this run must not answer for the next one
			await dismissNotifications();
			await executed.first().waitFor({ state: 'hidden', timeout: STEP_MS });
		}
	});

	it('7. a 3-card carousel built in the editor: each card reads Title, Description (3 rows), Media URL, buttons; Rich Card and back keeps them; it sends', async () => {
		await ensureSignedIn();
		const shots = new Shots(page, '7-carousel-builder');
		ui.n8n.emulator.reset();
		await newSendNode(shots);
		await parameter('phoneNumber').locator('input').fill(REACHABLE);
		await parameter('agentId').locator('input').fill(AGENT);
		await choose('messageType', 'Carousel');
		const cards = ndv().getByTestId('fixed-collection-cards');
		const shirts = [
			{ title: 'Red shirt', description: 'Soft cotton\nSizes S to XL', url: 'https://example.com/red.jpg' },
			{ title: 'Blue shirt', description: 'Linen', url: 'https://example.com/blue.jpg' },
			{ title: 'Green shirt', description: 'Organic', url: 'https://example.com/green.jpg' },
		];
		for (const [n, shirt] of shirts.entries()) {
			await cards.getByRole('button', { name: 'Add Card' }).click();
			// card n's fields (buttons have no Title, Description or Media URL of their own)
			const title = cards.getByTestId('parameter-input-title').nth(n);
			await title.waitFor();
			await title.locator('input').fill(shirt.title);
			await cards.getByTestId('parameter-input-description').nth(n).locator('textarea').fill(shirt.description);
			await cards.getByTestId('parameter-input-fileUrl').nth(n).locator('input').fill(shirt.url);
			await shots.take(`card-${n + 1}-filled`);
		}
		// a person's reading order: Title first (it heads each card), Description, Media URL, the card's
		// buttons; alt text, height, thumbnail and download-again wait behind the card's "Add Option"
		const order = await cards.locator('[data-test-id^="parameter-input-"]:not([data-test-id="parameter-input-field"]), [data-test-id="fixed-collection-suggestions"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-test-id')));
		const card = ['parameter-input-title', 'parameter-input-description', 'parameter-input-fileUrl', 'fixed-collection-suggestions'];
		expect(order).toEqual([...card, ...card, ...card]);
		const cardsText = await cards.innerText();
		expect(cardsText).toContain('Buttons on This Card');
		// one "Add Option" per card (a placeholder, not text)
		await expect(cards.getByTestId('fixed-collection-add-property').count()).resolves.toBe(3);
		// limits under the fields
		expect(cardsText).toContain('Up to 200 characters');
		expect(cardsText).toContain('Up to 2000 characters');
		// item 12: a carousel card's Description has 3 rows, like the standalone card's
		await expect(cards.getByTestId('parameter-input-description').nth(1).locator('textarea').getAttribute('rows')).resolves.toBe('3');
		// a button on card 1, and one under the message: two lists with their own names
		const cardButtons = cards.getByTestId('fixed-collection-suggestions').first();
		await cardButtons.getByRole('button', { name: 'Add Button' }).click();
		await cardButtons.getByTestId('parameter-input-text').locator('input').fill('Buy red');
		const messageButtons = ndv().getByTestId('fixed-collection-suggestions').last();
		await messageButtons.getByRole('button', { name: 'Add Button' }).click();
		await messageButtons.getByTestId('parameter-input-text').locator('input').fill('All shirts');
		expect(await ndv().innerText()).toContain('Buttons Under the Message');
		await shots.take('carousel-built');

		const titles = async () => await cards.getByTestId('parameter-input-title').locator('input').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value));
		// issue 25 item 1: Carousel → Rich Card → Carousel keeps every card
		await choose('messageType', 'Rich Card');
		const oneCard = ndv().getByText('Rich Card sends exactly 1 card', { exact: false }).first();
		await oneCard.waitFor({ timeout: STEP_MS }).catch(() => undefined);
		await shots.take('switched-to-rich-card');
		expect(await ndv().innerText()).toContain('Rich Card sends exactly 1 card');
		await expect(titles()).resolves.toEqual(shirts.map((shirt) => shirt.title));
		await choose('messageType', 'Carousel');
		await shots.take('switched-back-to-carousel');
		await expect(titles()).resolves.toEqual(shirts.map((shirt) => shirt.title));

		// what the editor kept is what is sent
		await ndv().getByTestId('node-execute-button').click();
		await ndv().getByTestId('branches').getByTestId('tab-0').filter({ hasText: '1 item' }).waitFor({ timeout: STEP_MS });
		await shots.take('sent');
		const messages = Object.values(ui.n8n.emulator.stats().messages);
		expect(messages).toHaveLength(1);
		expect(messages[0].body).toMatchObject({
			contentMessage: {
				richCard: {
					carouselCard: {
						cardContents: shirts.map((shirt, n) => ({
							title: shirt.title,
							description: shirt.description,
							media: { contentInfo: { fileUrl: shirt.url } },
							...(n === 0 ? { suggestions: [{ reply: { text: 'Buy red' } }] } : {}),
						})),
					},
				},
				suggestions: [{ reply: { text: 'All shirts' } }],
			},
		});
	});

	it('8. README screenshots: the three Usage workflows imported through the REST API, opened on the canvas, zoomed to fit', async () => {
		await ensureSignedIn();
		const shots = new Shots(page, '8-readme-screenshots');
		ui.n8n.emulator.reset();
		const made: string[] = [];
		for (const shot of README_SHOTS) {
			const wf = loadExample(shot.example) as Parameters<typeof importThroughRest>[0] & { nodes: Array<{ name: string }> };
			await page.goto(`${ui.baseUrl}/workflow/${await importThroughRest(wf)}`);
			for (const { name } of wf.nodes) await page.locator(`[data-node-name="${cssString(name)}"]`).first().waitFor();
			if (shot.runUntil) await runFromEditor(shot.runUntil);
			await dismissNotifications();
			await zoomToFit();
			const file = await shots.take(shot.image.replace(/\.png$/, ''));
			made.push(file);
			if (README_IMAGES_DIR) {
				mkdirSync(README_IMAGES_DIR, { recursive: true });
				copyFileSync(file, join(README_IMAGES_DIR, shot.image));
				made.push(join(README_IMAGES_DIR, shot.image));
			}
		}
		for (const file of made) {
			// a PNG, of the viewport's size, and small enough for a README
			const png = readFileSync(file);
			expect({ file, signature: png.subarray(0, 8).toString('hex') }).toEqual({ file, signature: '89504e470d0a1a0a' });
			expect({ file, width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ file, width: VIEWPORT.width, height: VIEWPORT.height });
			expect(png.length).toBeGreaterThan(20_000);
			expect(png.length).toBeLessThan(600_000);
		}
		process.stderr.write(`[ui] README screenshots: ${made.join(', ')}\n`);
	});
});
