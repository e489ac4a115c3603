const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
	const root = process.env.RBM_E2E_ROOT;
	if (root && !process.env.RBM_E2E_KEEP) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
	else if (root) process.stderr.write(`[e2e teardown] kept ${root} (RBM_E2E_KEEP)\n`);
};
