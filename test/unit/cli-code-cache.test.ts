// The CLI's V8 code cache (src/cli/entry.ts, issue 16): the first run writes it, later runs use it, and the
// output is the same with it, without it and from a cache of another build; a folder others may write is not used.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI } from '../support/run-cli';

const FIXTURES = path.resolve(__dirname, '../../test-fixtures');

function run(cache: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SECURE_CONFIG_REVIEW_CACHE: cache },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI code cache (dist/cli.js)', () => {
  let scratch: string;
  before(function () {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
    scratch = mkdtempSync(path.join(os.tmpdir(), 'scr-code-cache-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const args = ['audit', '--format', 'json', '--fail-on', 'none', path.join(FIXTURES, 'nginx')];

  it('writes the cache once, and every run prints the same as a run without it', () => {
    const folder = path.join(scratch, 'own');
    const without = run('off', args);
    assert.equal(without.code, 0, without.stderr);
    assert.ok(JSON.parse(without.stdout).summary.files > 0);

    const first = run(folder, args);
    assert.deepEqual(first, without);
    const written = readdirSync(folder);
    assert.equal(written.length, 1);
    assert.match(written[0]!, /^cli-[0-9a-f]+-v[\d.]+-\w+\.v8cache$/);
    const file = path.join(folder, written[0]!);
    assert.equal(statSync(folder).mode & 0o077, 0);
    const before = statSync(file).mtimeMs;

    const second = run(folder, args);
    assert.deepEqual(second, without);
    assert.equal(statSync(file).mtimeMs, before, 'a cache that was accepted is not written again');

    // A cache of an older build is removed when this build writes its own.
    writeFileSync(path.join(folder, 'cli-0123456789abcdef0123-v20.0.0-x64.v8cache'), 'old');
    rmSync(file);
    assert.deepEqual(run(folder, args), without);
    assert.deepEqual(readdirSync(folder), written);
  });

  it('ignores a damaged cache and replaces it', () => {
    const folder = path.join(scratch, 'damaged');
    const without = run('off', args);
    run(folder, ['--help']);
    const [name] = readdirSync(folder);
    writeFileSync(path.join(folder, name!), Buffer.alloc(4096, 7), { mode: 0o600 });
    assert.deepEqual(run(folder, args), without);
    assert.notEqual(statSync(path.join(folder, name!)).size, 4096);
  });

  it('neither reads nor writes a cache in a folder others may write', () => {
    const folder = path.join(scratch, 'shared');
    run(folder, ['--help']);
    chmodSync(folder, 0o777);
    const [name] = readdirSync(folder);
    writeFileSync(path.join(folder, name!), Buffer.alloc(4096, 7), { mode: 0o600 });
    const without = run('off', args);
    assert.deepEqual(run(folder, args), without);
    assert.equal(statSync(path.join(folder, name!)).size, 4096, 'the planted file was left as it was, and not used');
  });

  it('answers --version without loading the rest of the CLI', () => {
    const folder = path.join(scratch, 'version');
    const result = run(folder, ['--version']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^\d+\.\d+\.\d+/);
    assert.equal(existsSync(folder), false);
  });
});
