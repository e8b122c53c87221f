// Loaded by mocha before every spec (.mocharc.json "require"): the CLI the tests start keeps its V8 code cache
// in a scratch folder of this run, removed when the run ends, so that a test run leaves no cache in the home
// folder of whoever ran it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

if (!process.env.SECURE_CONFIG_REVIEW_CACHE) {
  const folder = mkdtempSync(path.join(tmpdir(), 'scr-test-cache-'));
  process.env.SECURE_CONFIG_REVIEW_CACHE = folder;
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
}
