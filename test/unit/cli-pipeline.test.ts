// The audit pipeline (src/cli/audit.ts, audit-workers.ts): the outcome of an audit never depends on how many
// threads linted it, and `--version` answers without loading the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { audit } from '../../src/cli/audit';
import { normalizeSettings } from '../../src/core/settings';
import packageJson from '../../package.json';
import { CLI, runCli } from '../support/run-cli';

const ROOT = path.resolve(__dirname, '../..');

function auditWith(workers: number, target: string) {
  const result = spawnSync(process.execPath, [CLI, 'audit', '--format', 'json', '--fail-on', 'none', target], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SECURE_CONFIG_REVIEW_WORKERS: String(workers) },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return { json: JSON.parse(result.stdout) as { files: Array<{ path: string }>; summary: unknown; unreadable: unknown }, stderr: result.stderr };
}

describe('CLI audit pipeline', () => {
  it('reports the same files, findings and order on one thread and on worker threads', () => {
    const single = auditWith(0, 'test-fixtures');
    const parallel = auditWith(2, 'test-fixtures');
    assert.ok(single.json.files.length > 300, `only ${single.json.files.length} files audited`);
    assert.deepEqual(parallel.json.files, single.json.files);
    assert.deepEqual(parallel.json.summary, single.json.summary);
    assert.deepEqual(parallel.json.unreadable, single.json.unreadable);
    assert.equal(parallel.stderr, single.stderr);
    // Walk order: arguments in order, names sorted within folders.
    const paths = single.json.files.map((file) => file.path);
    assert.deepEqual(
      paths,
      [...paths].sort((a, b) => compareWalked(a, b)),
    );
  });

  it('lints on this thread what a failing worker was given: the outcome does not change', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'scr-pipeline-'));
    const previous = process.env.SECURE_CONFIG_REVIEW_WORKERS;
    try {
      // A "worker" that ends at once without answering, as a crashed or out-of-memory worker does.
      const broken = path.join(scratch, 'broken-worker.js');
      writeFileSync(broken, 'process.exit(3);\n');
      const { settings } = normalizeSettings();
      const options = { ignore: true, exclude: [], cwd: ROOT };
      process.env.SECURE_CONFIG_REVIEW_WORKERS = '0';
      const single = await audit(['test-fixtures/nginx', 'test-fixtures/postfix'], settings, options);
      process.env.SECURE_CONFIG_REVIEW_WORKERS = '2';
      const withBroken = await audit(['test-fixtures/nginx', 'test-fixtures/postfix'], settings, { ...options, workerScript: broken });
      assert.ok(single.files.length > 40, `only ${single.files.length} files audited`);
      assert.deepEqual(withBroken, single);
    } finally {
      if (previous === undefined) delete process.env.SECURE_CONFIG_REVIEW_WORKERS;
      else process.env.SECURE_CONFIG_REVIEW_WORKERS = previous;
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('answers --version from the entry point alone', () => {
    const result = runCli(['--version'], ROOT);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${packageJson.version}\n`);
    assert.equal(runCli(['-v'], ROOT).stdout, `${packageJson.version}\n`);
  });
});

/** The walk's order: folder by folder, names compared as strings. */
function compareWalked(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let index = 0; index < Math.min(left.length, right.length); index++) if (left[index] !== right[index]) return left[index]! < right[index]! ? -1 : 1;
  return left.length - right.length;
}
