/**
 * Reading the repository's Markdown as GitHub and the npm registry render it: heading anchors
 * (github-slugger's rule) and the links a page holds. No network: external links are only parsed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The text with fenced code blocks blanked (line count kept), so what is in them is neither a heading nor a link. */
export function withoutFences(markdown: string): string {
	let fence: string | undefined;
	return markdown
		.split('\n')
		.map((line) => {
			const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
			if (fence === undefined) {
				if (opener !== undefined) {
					fence = opener[0].repeat(opener.length);
					return '';
				}
				return line;
			}
			if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
			return '';
		})
		.join('\n');
}

/** A heading's anchor as GitHub makes it: the rendered text, lowercase, punctuation but - and _ dropped, spaces → -. */
export function slug(heading: string): string {
	const text = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link renders as its text
		.replace(/<[^>]+>/g, '') // inline HTML renders as its content
		.replace(/[`*]/g, '') // code spans and emphasis render without their marks
		.trim();
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
		.replace(/ /g, '-');
}

/** Every anchor a Markdown page has: its headings (a repeated one gets -1, -2 …) and HTML name/id attributes. */
export function anchorsOf(markdown: string): Set<string> {
	const text = withoutFences(markdown);
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	for (const [, heading] of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
		const base = slug(heading);
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		anchors.add(n === 0 ? base : `${base}-${n}`);
	}
	for (const [, id] of text.matchAll(/<[a-z]+\s[^>]*\b(?:name|id)="([^"]+)"/gi)) anchors.add(id);
	return anchors;
}

export interface Link {
	/** 1-based line of the page. */
	line: number;
	target: string;
	image: boolean;
}

/** The links of a page: inline links and images, reference definitions, autolinks, HTML href/src. Code is skipped. */
export function linksOf(markdown: string): Link[] {
	const links: Link[] = [];
	withoutFences(markdown)
		.split('\n')
		.forEach((raw, index) => {
			const line = raw.replace(/(`+)[\s\S]*?\1/g, (code) => ' '.repeat(code.length)); // code spans hold no links
			const add = (target: string, image: boolean): void => {
				links.push({ line: index + 1, target, image });
			};
			for (const m of line.matchAll(/(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) add(m[2], m[1] === '!');
			const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
			if (definition) add(definition[1], false);
			for (const m of line.matchAll(/<((?:https?|mailto):[^>\s]+)>/g)) add(m[1], false);
			for (const m of line.matchAll(/<(a|img)\s[^>]*\b(href|src)="([^"]*)"/gi)) add(m[3], m[1].toLowerCase() === 'img');
		});
	return links;
}

/** What is wrong with one link of `file` (a path relative to `root`), or undefined when it resolves. */
export function brokenLink(root: string, file: string, link: Link, anchorCache = new Map<string, Set<string>>()): string | undefined {
	const { target } = link;
	if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
		if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(target)) return undefined;
		if (!/^https?:\/\//i.test(target)) return `${target}: only http(s) and mailto links are allowed`;
		try {
			const url = new URL(target);
			if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname)) return `${target}: "${url.hostname}" is not a host name`;
		} catch {
			return `${target}: not a well-formed URL`;
		}
		return undefined;
	}
	if (target === '') return 'empty link';
	const hash = target.indexOf('#');
	const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
	const fragment = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
	if (pathPart.startsWith('/')) return `${target}: absolute paths break on npm and in clones; use a relative path`;
	const resolved = pathPart === '' ? path.join(root, file) : path.join(root, path.dirname(file), pathPart);
	if (path.relative(root, resolved).startsWith('..')) return `${target}: points outside the repository`;
	if (!fs.existsSync(resolved)) return `${target}: ${path.relative(root, resolved)} does not exist`;
	if (link.image && !fs.statSync(resolved).isFile()) return `${target}: an image that is not a file`;
	if (fragment === undefined) return undefined;
	if (!resolved.endsWith('.md')) return /^L\d+(-L\d+)?$/.test(fragment) ? undefined : `${target}: #${fragment} on a file that is not Markdown`;
	let anchors = anchorCache.get(resolved);
	if (!anchors) {
		anchors = anchorsOf(fs.readFileSync(resolved, 'utf8'));
		anchorCache.set(resolved, anchors);
	}
	return anchors.has(fragment) ? undefined : `${target}: ${path.relative(root, resolved)} has no heading with the anchor #${fragment}`;
}

/** Every broken link of the given pages, as "file:line: reason". */
export function brokenLinks(root: string, files: string[]): string[] {
	const cache = new Map<string, Set<string>>();
	return files.flatMap((file) =>
		linksOf(fs.readFileSync(path.join(root, file), 'utf8')).flatMap((link) => {
			const problem = brokenLink(root, file, link, cache);
			return problem === undefined ? [] : [`${file}:${link.line}: ${problem}`];
		}),
	);
}
