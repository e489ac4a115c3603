/**
 * What the editor shows about the package before anything runs: "Docs" links that lead somewhere
 * real, and node panel entries that each keep their own name and description.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { RbmApi } from '../../credentials/RbmApi.credentials';
import { PACKAGE_PAGE } from '../../nodes/shared/docs';
import { anchorsOf } from '../helpers/markdown';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; homepage?: string; n8n: { nodes: string[] } };

/** Every node class package.json registers, loaded from the sources (dist/x/Y.node.js → x/Y.node.ts). */
const nodeClasses: INodeTypeDescription[] = pkg.n8n.nodes.map((entry) => {
	const source = path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const className = path.basename(entry).split('.')[0];
	const Class = (require(source) as Record<string, new () => INodeType>)[className];
	return new Class().description;
});

/** README heading anchors as GitHub and the npm registry make them (github-slugger's rule). */
function readmeAnchors(): Set<string> {
	return anchorsOf(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
}

describe('"Docs" links', () => {
	const codex = pkg.n8n.nodes.map((entry) => JSON.parse(fs.readFileSync(path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.json')), 'utf8')) as { resources: Record<string, Array<{ url: string }>> });
	const links = [
		...nodeClasses.map((d) => ({ what: d.displayName, url: d.documentationUrl ?? '' })),
		{ what: 'credential', url: new RbmApi().documentationUrl },
		...codex.flatMap((c) => Object.values(c.resources).flat().map((r) => ({ what: 'codex', url: r.url }))),
	];

	test('go to the package page on the npm registry, which every user of the published package can open', () => {
		expect(PACKAGE_PAGE).toBe(`https://www.npmjs.com/package/${pkg.name}`);
		expect(pkg.homepage).toBe(PACKAGE_PAGE);
		for (const link of links) expect({ what: link.what, url: link.url.split('#')[0] }).toEqual({ what: link.what, url: PACKAGE_PAGE });
	});

	test('name README sections that exist', () => {
		const anchors = readmeAnchors();
		for (const link of links) expect({ what: link.what, anchor: link.url.split('#')[1], exists: anchors.has(link.url.split('#')[1]) }).toMatchObject({ exists: true });
	});
});

describe('node panel', () => {
	const visible = nodeClasses.filter((d) => !d.hidden);
	const triggers = visible.filter((d) => d.group.includes('trigger'));
	const actions = visible.filter((d) => !d.group.includes('trigger'));

	test('each visible node keeps its own entry: no action node is named like a trigger without "Trigger"', () => {
		// n8n's editor merges trigger `xTrigger` into action node `x` and shows only the trigger's
		// description (generateMergedNodesAndActions in the editor's nodeCreator).
		for (const trigger of triggers) expect(actions.map((a) => a.name)).not.toContain(trigger.name.replace('Trigger', ''));
		expect(visible.map((d) => d.displayName).sort()).toEqual(['RBM Send Message', 'RBM Toolbox', 'RBM Trigger']);
		expect(new Set(visible.map((d) => d.description)).size).toBe(visible.length);
	});

	test('the toolbox says what is in it', () => {
		const toolbox = visible.find((d) => d.name === 'rbmToolbox');
		expect(toolbox?.description).toMatch(/check.*revoke.*typing.*read.*upload/i);
	});

	test("the toolbox's first type stays loadable for saved workflows, hidden from the panel, with the same parameters", () => {
		const legacy = nodeClasses.find((d) => d.name === 'rbm');
		const toolbox = nodeClasses.find((d) => d.name === 'rbmToolbox');
		expect(legacy?.hidden).toBe(true);
		expect(legacy?.properties).toEqual(toolbox?.properties);
		expect(legacy?.outputs).toEqual(toolbox?.outputs);
	});
});

describe('field help in plain words', () => {
	/** Every option list and every text the editor shows, from all visible nodes' properties. */
	function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
		if (Array.isArray(value)) for (const v of value) walk(v, visit);
		else if (typeof value === 'object' && value !== null) {
			visit(value as Record<string, unknown>);
			for (const v of Object.values(value)) walk(v, visit);
		}
	}
	const visible = nodeClasses.filter((d) => !d.hidden);

	test('no jargon "E.164" in what the editor shows; phone fields give an example number', () => {
		const texts: string[] = [];
		walk(visible.map((d) => [d.description, d.properties, d.hints]), (n) => {
			for (const key of ['description', 'hint', 'placeholder', 'message', 'displayName']) if (typeof n[key] === 'string') texts.push(n[key] as string);
		});
		expect(texts.filter((t) => t.includes('E.164'))).toEqual([]);
		const phoneFields: Array<Record<string, unknown>> = [];
		walk(visible.map((d) => d.properties), (n) => {
			if (typeof n.name === 'string' && /phoneNumber$|PhoneNumber$/.test(n.name) && n.type === 'string') phoneFields.push(n);
		});
		expect(phoneFields.length).toBeGreaterThanOrEqual(2);
		for (const f of phoneFields) expect({ name: f.name, description: f.description }).toMatchObject({ description: expect.stringMatching(/\+14155550123/) });
	});

	test('in a list where some choices are explained, every choice is', () => {
		const unexplained: string[] = [];
		walk(visible.map((d) => d.properties), (n) => {
			const options = n.options;
			if (n.type !== 'options' || !Array.isArray(options)) return;
			const choices = options as Array<{ name: string; description?: string }>;
			if (choices.some((o) => o.description)) for (const o of choices) if (!o.description) unexplained.push(`${String(n.displayName)} › ${o.name}`);
		});
		expect(unexplained).toEqual([]);
	});
});
