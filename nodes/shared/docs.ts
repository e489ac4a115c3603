/**
 * Where the nodes' and credential's "Docs" links point: the package's page on the npm registry,
 * which shows README.md to every user of the published package. (No other page is promised to
 * exist.) The anchors are README headings; test/shared/docs.test.ts checks each one is there.
 */
export const PACKAGE_PAGE = 'https://www.npmjs.com/package/n8n-nodes-rbm';

/** The README section with this heading anchor, on the package's registry page. */
export function docsUrl(anchor: string): string {
	return `${PACKAGE_PAGE}#${anchor}`;
}
