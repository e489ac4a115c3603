import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes an instance config on first use: keep it out of the developer's ~/.n8n, in a
// folder of this test file's own that is removed when the file is done.
const folder = mkdtempSync(join(tmpdir(), 'rbm-jest-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL = 'silent';

afterAll(() => rmSync(folder, { recursive: true, force: true }));
