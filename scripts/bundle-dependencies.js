#!/usr/bin/env node
/**
 * Build step after tsc (npm run build): what n8n loads ships alone. n8n's verification and n8n
 * Cloud refuse community packages with runtime dependencies, and n8n deletes a package's
 * devDependencies when it installs it; so every module the compiled nodes and credentials require
 * that is not a relative path, `n8n-workflow` or Node's crypto is bundled here, with esbuild, from
 * the devDependencies into dist/vendor/<module>.js, and the require is rewritten to that file.
 * Today that is libphonenumber-js (E.164 parsing and its metadata). `npm run scan` then lints the
 * bundled code with n8n's Cloud rules like our own; console calls are dropped from it.
 *
 * A require of a module that is not a devDependency fails the build (an accidental runtime import).
 */
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const vendor = path.join(dist, 'vendor');
const SHIPPED = ['nodes', 'credentials'].map((folder) => path.join(dist, folder));
/** What n8n provides at run time (n8n-workflow is a peer dependency; node:crypto is Node's). */
const PROVIDED = new Set(['n8n-workflow', 'crypto', 'node:crypto']);
const REQUIRE = /\brequire\("([^"]+)"\)/g;

function jsFiles(folder) {
	if (!fs.existsSync(folder)) return [];
	return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(folder, entry.name);
		if (entry.isDirectory()) return jsFiles(file);
		return entry.name.endsWith('.js') ? [file] : [];
	});
}

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const vendorFile = (specifier) => path.join(vendor, `${specifier.replace(/^@/, '').replace(/\//g, '__')}.js`);

function main() {
	const devDependencies = new Set(Object.keys(require(path.join(root, 'package.json')).devDependencies ?? {}));
	const bundled = new Map();
	for (const file of SHIPPED.flatMap(jsFiles)) {
		const source = fs.readFileSync(file, 'utf8');
		let changed = false;
		const rewritten = source.replace(REQUIRE, (whole, specifier) => {
			if (specifier.startsWith('.') || PROVIDED.has(specifier)) return whole;
			if (!devDependencies.has(packageName(specifier))) {
				throw new Error(`${path.relative(root, file)} requires "${specifier}", which is neither a devDependency to bundle nor provided by n8n (n8n-workflow, node:crypto)`);
			}
			const target = vendorFile(specifier);
			if (!bundled.has(specifier)) {
				esbuild.buildSync({
					entryPoints: [require.resolve(specifier, { paths: [root] })],
					bundle: true,
					format: 'cjs',
					platform: 'node',
					target: 'node20',
					minify: true,
					legalComments: 'inline',
					// A node must not write to n8n's console (the scanner's no-console): libphonenumber-js
					// logs a cache miss and an as-you-type formatting error, neither of which we use.
					drop: ['console'],
					outfile: target,
					logLevel: 'warning',
				});
				bundled.set(specifier, target);
			}
			changed = true;
			let relative = path.relative(path.dirname(file), target).split(path.sep).join('/');
			if (!relative.startsWith('.')) relative = `./${relative}`;
			return `require("${relative}")`;
		});
		if (changed) fs.writeFileSync(file, rewritten);
	}
	for (const [specifier, target] of bundled) {
		console.log(`bundled ${specifier} → ${path.relative(root, target)} (${Math.round(fs.statSync(target).size / 1024)} KB)`);
	}
}

main();
