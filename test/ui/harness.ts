/**
 * UI harness: one real `n8n start` (Node 24, this package installed from its packed tarball, see
 * test/e2e/harness.ts) with the RBM emulator behind it, and Debian's Chromium driven by
 * playwright-core. Screenshots of every step go to test-results/ui/<scenario>/NN-step.png.
 *
 * Selectors are n8n's own `data-test-id` attributes (the editor bundle, n8n-editor-ui in
 * .cache/n8n-runtime/n8n/node_modules); every wait is bounded.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromium, selectors } from 'playwright-core';

import { E2eInstance, REPO_DIR, runtime } from '../e2e/harness';

export const OWNER = { email: 'ui-owner@example.com', firstName: 'Ui', lastName: 'Owner', password: 'UiOwner-Passw0rd' };
export const RESULTS_DIR = join(REPO_DIR, 'test-results', 'ui');
/**
 * Longest single wait for the editor (a click's effect, a panel, an execution). Every step waits for
 * a condition (an element, a state, a response), never for a time: this only bounds a step, wide
 * enough for n8n, Chromium and the emulator sharing 2 busy cores (steps take 0.1 to 5 s unloaded).
 */
export const STEP_MS = 60_000;
/** The browser window: README's screenshots are taken at this size, 1 device pixel per CSS pixel. */
export const VIEWPORT = { width: 1440, height: 900 };

/** Launch flags that work as root on a closed network (background networking would be refused). */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

export interface UiEnv {
	n8n: E2eInstance;
	server: Awaited<ReturnType<typeof runtime.startN8n>>;
	baseUrl: string;
	context: BrowserContext;
	/** The owner's REST session (cookie, browser-id), for reading what the editor reads. */
	headers: Record<string, string>;
	close(): Promise<void>;
}

/** n8n (owner created through the REST API) + emulator + a Chromium context with a fresh profile. */
export async function startUi(): Promise<UiEnv> {
	const n8n = await E2eInstance.create({ seed: 11, deliveryDelayMs: 60_000 });
	let server: UiEnv['server'] | undefined;
	let context: BrowserContext | undefined;
	let headers: Record<string, string> = {};
	const profile = join(n8n.root, 'chromium-profile');
	try {
		server = await runtime.startN8n(n8n.userFolder, { port: await runtime.freePort(), env: n8n.env });
		headers = await runtime.ownerSession(server.url, OWNER);
		mkdirSync(profile, { recursive: true });
		context = await chromium.launchPersistentContext(profile, {
			executablePath: process.env.RBM_UI_CHROMIUM || '/usr/bin/chromium',
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
			timeout: 2 * STEP_MS,
		});
		context.setDefaultTimeout(STEP_MS);
	} catch (error) {
		await context?.close();
		await server?.stop();
		await n8n.close();
		throw error;
	}
	const started = { server, context };
	return {
		n8n,
		server: started.server,
		baseUrl: started.server.url,
		context: started.context,
		headers,
		async close() {
			await started.context.close();
			await started.server.stop();
			await n8n.close();
		},
	};
}

/** Numbered screenshots of one scenario's steps, in a folder emptied when the scenario starts. */
export class Shots {
	readonly dir: string;
	private n = 0;

	constructor(readonly page: Page, scenario: string) {
		this.dir = join(RESULTS_DIR, scenario);
		rmSync(this.dir, { recursive: true, force: true });
		mkdirSync(this.dir, { recursive: true });
	}

	async take(step: string): Promise<string> {
		this.n += 1;
		const file = join(this.dir, `${String(this.n).padStart(2, '0')}-${step}.png`);
		await this.page.screenshot({ path: file, timeout: STEP_MS });
		return file;
	}
}

/** Signs in through the editor's sign-in form. */
export async function signIn(page: Page, baseUrl: string, shots?: Shots): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
	await page.getByTestId('password').locator('input').fill(OWNER.password);
	await shots?.take('sign-in-form');
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: STEP_MS });
}

export function useN8nTestIds(): void {
	// playwright's getByTestId reads data-testid by default; n8n uses data-test-id.
	selectors.setTestIdAttribute('data-test-id');
}

export type { Browser, Locator, Page };
