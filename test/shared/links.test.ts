/**
 * The repository's pages hold together: every relative link and #anchor in README.md,
 * CONTRIBUTING.md, CHANGELOG.md, docs/, examples/, emulator/, bench/ and scripts/ READMEs resolves
 * (anchors by GitHub's slug rule), every image is there, external links are well-formed (not
 * fetched), and README.md, the npm page a user reads first, stays within its line budget.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { anchorsOf, brokenLinks, linksOf, slug } from '../helpers/markdown';

const root = path.join(__dirname, '..', '..');
const README_MAX_LINES = 300;

/** The pages checked, relative to the repository root. */
function pages(): string[] {
	const list = (dir: string, deep: boolean): string[] =>
		fs.existsSync(path.join(root, dir))
			? fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
					const rel = path.posix.join(dir, entry.name);
					if (entry.isDirectory()) return deep ? list(rel, deep) : [];
					return entry.name.endsWith('.md') ? [rel] : [];
				})
			: [];
	return [
		'README.md',
		'CONTRIBUTING.md',
		'CHANGELOG.md',
		...list('docs', false),
		'examples/README.md',
		'emulator/README.md',
		'bench/README.md',
		...list('scripts', true).filter((file) => path.basename(file) === 'README.md'),
	];
}

/** README.md's lines as an editor counts them (a final newline ends the last line). */
function lineCount(text: string): number {
	return text.replace(/\n$/, '').split('\n').length;
}

describe('links and anchors', () => {
	test('every page named here exists', () => {
		const files = pages();
		expect(files.filter((file) => !fs.existsSync(path.join(root, file)))).toEqual([]);
		expect(files.filter((file) => file.startsWith('docs/')).length).toBeGreaterThanOrEqual(5);
	});

	test('every relative link, #anchor and image resolves; external links are well-formed', () => {
		expect(brokenLinks(root, pages())).toEqual([]);
	});

	test(`README.md is at most ${README_MAX_LINES} lines`, () => {
		expect(lineCount(fs.readFileSync(path.join(root, 'README.md'), 'utf8'))).toBeLessThanOrEqual(README_MAX_LINES);
	});
});

describe("README in the shape of n8n's community-node template (README_TEMPLATE.md of n8n-nodes-starter)", () => {
	const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8').replace(/```[\s\S]*?```/g, '');
	const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim());

	test('its sections, in order: what it is, Installation … Version history, then Develop', () => {
		expect(sections).toEqual(['Installation', 'Operations', 'Credentials', 'Compatibility', 'Usage', 'Resources', 'Version history', 'Develop', 'License']);
		expect(readme.indexOf('\n## Installation')).toBeGreaterThan(readme.indexOf('# n8n-nodes-rbm') + 200); // a paragraph on what it is comes first
	});

	test('Usage shows the three starting workflows with an editor screenshot each (taken by npm run screenshots)', () => {
		const usage = readme.slice(readme.indexOf('\n## Usage'), readme.indexOf('\n## Resources'));
		const images = [...usage.matchAll(/!\[[^\]]+\]\((docs\/images\/[^)]+\.png)\)/g)].map((m) => m[1]);
		expect(images).toEqual(['docs/images/campaign-sms-fallback.png', 'docs/images/reply-bot-opt-out.png', 'docs/images/campaign-report.png']);
		const ui = fs.readFileSync(path.join(root, 'test', 'ui', 'editor.test.ts'), 'utf8');
		for (const image of images) expect({ image, takenByTestUi: ui.includes(path.basename(image)) }).toEqual({ image, takenByTestUi: true });
		for (const image of images) expect(fs.readFileSync(path.join(root, image)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	});
});

describe('README › Develop: the two commands', () => {
	/** The commands of the first code block under "## Develop", without their comments. */
	function developCommands(): string[] {
		const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('\n## Develop\n'));
		const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
		return block
			.split('\n')
			.map((line) => line.replace(/#.*$/, '').trim())
			.filter((line) => line !== '');
	}

	test('are the demo and the test command, and .ci/run runs both', () => {
		const commands = developCommands();
		expect(commands).toEqual(['npm run demo', 'npm test']);
		const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8');
		for (const command of commands) expect({ command, inCi: new RegExp(`^${command}(\\s|$)`, 'm').test(ci) }).toEqual({ command, inCi: true });
	});

	test('are scripts package.json defines', () => {
		const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
		expect(scripts.test).toBeDefined();
		expect(scripts.demo).toBeDefined();
	});
});

describe('the checker', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbm-links-'));
		fs.mkdirSync(path.join(dir, 'docs', 'images'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'docs', 'images', 'shot.png'), '');
		fs.writeFileSync(path.join(dir, 'docs', 'page.md'), '# Page\n\n## Send window (quiet hours)\n\n## Notes\n\n## Notes\n');
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	const check = (markdown: string): string[] => {
		fs.writeFileSync(path.join(dir, 'README.md'), markdown);
		return brokenLinks(dir, ['README.md']);
	};

	test('accepts links that resolve', () => {
		expect(
			check(
				[
					'# Title',
					'## Install in n8n',
					'[a](docs/page.md) [b](docs/page.md#send-window-quiet-hours) [c](docs/page.md#notes-1) [d](#install-in-n8n)',
					'![shot](docs/images/shot.png) [e](https://developers.google.com/x?y=1#z) <https://docs.n8n.io/> [f](docs/)',
				].join('\n'),
			),
		).toEqual([]);
	});

	test('reports a missing file, a missing anchor, a missing image and a malformed URL, with their lines', () => {
		const problems = check(
			[
				'# Title',
				'[a](docs/nope.md)',
				'[b](docs/page.md#send-window)',
				'![shot](docs/images/missing.png)',
				'[c](#no-such-heading) [d](https://docs.n8n.io:99999/) [e](http://docs/x) [f](docs/page.md#notes-2)',
			].join('\n'),
		);
		expect(problems).toEqual([
			expect.stringMatching(/^README\.md:2: docs\/nope\.md: .*does not exist/),
			expect.stringMatching(/^README\.md:3: .*no heading with the anchor #send-window$/),
			expect.stringMatching(/^README\.md:4: .*missing\.png does not exist/),
			expect.stringMatching(/^README\.md:5: #no-such-heading: /),
			expect.stringMatching(/^README\.md:5: https:\/\/docs\.n8n\.io:99999\/: not a well-formed URL$/),
			expect.stringMatching(/^README\.md:5: http:\/\/docs\/x: "docs" is not a host name$/),
			expect.stringMatching(/^README\.md:5: .*#notes-2$/),
		]);
	});

	test('ignores what is in code, and does not take a heading in a code block for an anchor', () => {
		expect(check('# T\n\n```sh\n# restart n8n\n[x](nope.md)\n```\n\n`[y](nope.md)`\n')).toEqual([]);
		expect(anchorsOf('# T\n\n```sh\n# restart n8n\n```\n')).toEqual(new Set(['t']));
		expect(linksOf('see [x](a.md "title") and ![i](b.png)')).toEqual([
			{ line: 1, target: 'a.md', image: false },
			{ line: 1, target: 'b.png', image: true },
		]);
	});

	test("slugs follow GitHub's rule", () => {
		expect(slug('Credential: Google RBM API')).toBe('credential-google-rbm-api');
		expect(slug('Message Type = JSON')).toBe('message-type--json');
		expect(slug("The agent's quota")).toBe('the-agents-quota');
		expect(slug('A campaign across workers: `examples/campaign-queue.json` + `campaign-queue-chunk.json`')).toBe(
			'a-campaign-across-workers-examplescampaign-queuejson--campaign-queue-chunkjson',
		);
		expect(slug('Opt-out (STOP) and opt-in')).toBe('opt-out-stop-and-opt-in');
		expect(slug('[RBM Trigger](docs/trigger.md) and snake_case')).toBe('rbm-trigger-and-snake_case');
	});

	test(`the line budget counts lines as an editor does: ${README_MAX_LINES} passes, ${README_MAX_LINES + 1} does not`, () => {
		expect(lineCount('a\n'.repeat(README_MAX_LINES))).toBe(README_MAX_LINES);
		expect(lineCount('a\n'.repeat(README_MAX_LINES + 1))).toBe(README_MAX_LINES + 1);
		expect(lineCount('a\n'.repeat(README_MAX_LINES - 1) + 'a')).toBe(README_MAX_LINES);
	});
});
