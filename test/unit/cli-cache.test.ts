// `audit --cache` (src/cli/result-cache.ts): a cached audit reports exactly what an audit without the cache
// reports, after any change to a linted file, to a file its lint read (an include, a sibling file), to a
// lookup that found nothing, or to the settings; a damaged cache is said and replaced.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { audit } from '../../src/cli/audit';
import { ResultCache, cacheIdentity } from '../../src/cli/result-cache';
import { normalizeSettings } from '../../src/core/settings';
import { random as seeded } from '../fuzz/random';
import { runCli } from '../support/run-cli';

const ROOT = path.resolve(__dirname, '../..');

interface Report {
  files: unknown[];
  summary: unknown;
}

function report(cwd: string, ...extra: string[]): { json: Report; stderr: string } {
  const result = runCli(['audit', '--format', 'json', '--fail-on', 'none', ...extra, 'tree'], cwd);
  assert.equal(result.code, 0, result.stderr);
  return { json: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

/** The cached audit, checked against an audit without the cache of the same tree. */
function cachedEqualsCold(cwd: string): Report {
  const cold = report(cwd).json;
  const cached = report(cwd, '--cache').json;
  assert.deepEqual(cached, cold);
  return cold;
}

interface StoredCache {
  entries: Record<string, { dependencies: Array<[string, 'f' | 'd', string | null]> }>;
}

const storedCache = (cwd: string) => JSON.parse(readFileSync(path.join(cwd, '.secure-config-review-cache'), 'utf8')) as StoredCache;

describe('audit --cache', function () {
  this.timeout(240_000);
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'scr-cache-'));
    cpSync(path.join(ROOT, 'test-fixtures'), path.join(scratch, 'tree'), { recursive: true });
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('reuses every result of an unchanged tree, and reports exactly what an audit without it reports', async () => {
    const first = cachedEqualsCold(scratch);
    assert.ok((first.files as unknown[]).length > 300);
    const settings = normalizeSettings({}).settings;
    const run = async (cache: ResultCache) =>
      audit([path.join(scratch, 'tree')], settings, { ignore: true, exclude: [], projectFolder: scratch, cwd: scratch, cache });
    const file = path.join(scratch, 'programmatic-cache');
    const identity = cacheIdentity(__filename, 'test', settings);
    const cold = ResultCache.open(file, identity);
    const fresh = await run(cold);
    assert.equal(cold.hits, 0);
    assert.equal(cold.stored, fresh.files.length);
    cold.save();
    const warm = ResultCache.open(file, identity);
    const again = await run(warm);
    assert.equal(warm.hits, fresh.files.length, 'every file is a hit');
    assert.equal(warm.stored, 0);
    assert.deepEqual(again, fresh);
    // Another build or other settings: nothing is reused.
    const other = ResultCache.open(file, cacheIdentity(__filename, 'other', settings));
    assert.equal(other.discarded, 'other-build');
    await run(other);
    assert.equal(other.hits, 0);
    // The tree moved with its cache (a CI cache restored into another checkout): still every file a hit.
    renameSync(path.join(scratch, 'tree'), path.join(scratch, 'moved'));
    const movedScratch = mkdtempSync(path.join(tmpdir(), 'scr-cache-moved-'));
    try {
      renameSync(path.join(scratch, 'moved'), path.join(movedScratch, 'tree'));
      writeFileSync(path.join(movedScratch, 'programmatic-cache'), readFileSync(file));
      const moved = ResultCache.open(path.join(movedScratch, 'programmatic-cache'), identity);
      const result = await audit([path.join(movedScratch, 'tree')], settings, {
        ignore: true,
        exclude: [],
        projectFolder: movedScratch,
        cwd: movedScratch,
        cache: moved,
      });
      assert.equal(moved.hits, fresh.files.length);
      assert.equal(result.files.length, fresh.files.length);
    } finally {
      renameSync(path.join(movedScratch, 'tree'), path.join(scratch, 'tree'));
      rmSync(movedScratch, { recursive: true, force: true });
    }
  });

  it('lints again what a changed, deleted or newly created file that a lint read can change', () => {
    const before = cachedEqualsCold(scratch);
    const generator = seeded(16);
    const random = () => generator.next();
    const stored = storedCache(scratch);
    /** Other files each linted file's lint read, and lookups that found nothing. */
    const readers = new Map<string, string[]>();
    const missing = new Set<string>();
    for (const [linted, entry] of Object.entries(stored.entries))
      for (const [other, kind, found] of entry.dependencies) {
        if (kind !== 'f' || other === linted || !other.startsWith('tree/')) continue;
        if (found === null) missing.add(other);
        else readers.set(other, [...(readers.get(other) ?? []), linted]);
      }
    assert.ok(readers.size >= 10, `only ${readers.size} files are read by other files' lints`);
    assert.ok(missing.size >= 10, `only ${missing.size} lookups found nothing`);
    const pick = (from: Iterable<string>, share: number) => [...from].sort().filter(() => random() < share);
    const changed = pick(readers.keys(), 0.4);
    for (const file of changed) {
      const absolute = path.join(scratch, file);
      if (random() < 0.7) unlinkSync(absolute);
      else writeFileSync(absolute, `${readFileSync(absolute, 'utf8')}\n# changed by the test\n`);
    }
    for (const file of pick(missing, 0.3))
      if (existsSync(path.dirname(path.join(scratch, file))) && !existsSync(path.join(scratch, file)))
        writeFileSync(path.join(scratch, file), 'include /etc/nginx/sites-enabled/*;\n');
    const after = cachedEqualsCold(scratch);
    // The test proves something only if some file that was not itself changed now gets another result because a
    // file its lint read changed: those are the results a cache that ignored what lints read would get wrong.
    const byPath = (report: Report) => new Map((report.files as Array<{ path: string }>).map((file) => [file.path, JSON.stringify(file)]));
    const [old, now] = [byPath(before), byPath(after)];
    const dependents = new Set(changed.flatMap((file) => readers.get(file)!).filter((file) => !changed.includes(file)));
    const moved = [...dependents].filter((file) => old.has(file) && now.has(file) && old.get(file) !== now.get(file));
    assert.ok(moved.length >= 3, `only ${moved.length} unchanged files got another result from a changed file they read`);
  });

  it('follows a change of the project settings', () => {
    const before = cachedEqualsCold(scratch);
    const rule = (before.files as Array<{ findings: Array<{ ruleId: string }> }>).flatMap((file) => file.findings)[0]!.ruleId;
    writeFileSync(path.join(scratch, 'tree', '.secure-config-review.json'), JSON.stringify({ rules: { [rule]: 'off' } }));
    const after = cachedEqualsCold(scratch);
    assert.notDeepEqual(after, before);
  });

  it('says when the cache is damaged, audits as without it, and writes it anew', () => {
    const cold = report(scratch).json;
    const cache = path.join(scratch, '.secure-config-review-cache');
    writeFileSync(cache, '{"version": 1, "identity": "x", "entries": {"a": {"text": 3}}');
    const damaged = report(scratch, '--cache');
    assert.deepEqual(damaged.json, cold);
    assert.match(damaged.stderr, /the cache \.secure-config-review-cache is damaged and was not used/);
    assert.doesNotThrow(() => JSON.parse(readFileSync(cache, 'utf8')));
    const ja = runCli(['audit', '--lang', 'ja', '--cache-location', 'c2', '--format', 'json', '--fail-on', 'none', 'tree'], scratch);
    assert.equal(ja.code, 0, ja.stderr);
    writeFileSync(path.join(scratch, 'c2'), '\u0000binary');
    const jaDamaged = runCli(['audit', '--lang', 'ja', '--cache-location', 'c2', '--format', 'json', '--fail-on', 'none', 'tree'], scratch);
    assert.match(jaDamaged.stderr, /キャッシュ c2 が壊れているため使いませんでした/);
    assert.deepEqual(JSON.parse(jaDamaged.stdout), cold);
  });

  it('goes on when the cache cannot be written, and says why', () => {
    const cold = report(scratch).json;
    const result = runCli(['audit', '--cache-location', 'no/such/folder/cache', '--format', 'json', '--fail-on', 'none', 'tree'], scratch);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), cold);
    assert.match(result.stderr, /the cache was not saved: .*no\/such\/folder\/cache/);
  });
});
