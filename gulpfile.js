const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// n8n loads node and credential icons relative to the compiled .js files, so copy them into dist.
function copyFrom(folder) {
	const copy = () => src(path.resolve(folder, '**', '*.{png,svg}'), { encoding: false }).pipe(dest(path.resolve('dist', folder)));
	copy.displayName = `icons:${folder}`;
	return copy;
}

task('build:icons', parallel(copyFrom('nodes'), copyFrom('credentials')));
