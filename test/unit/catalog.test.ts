import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ENGINE_RULES } from '../../src/core/engine';
import { memoryFiles } from '../support/fixtures';
import { engine } from '../../src/product';

const FIXTURE_ROOT = path.resolve(__dirname, '../../test-fixtures');

async function lintExample(ruleId: string, files: Record<string, string>) {
  const base = `/examples/${ruleId}`;
  const map = new Map(Object.entries(files).map(([name, text]) => [`${base}/${name}`, text]));
  const found = [];
  for (const name of Object.keys(files)) {
    const result = await engine.lintFile(`${base}/${name}`, files[name]!, { files: memoryFiles(map) });
    assert.ok(result.format, `${ruleId}: example file ${name} is not recognised`);
    found.push(...result.findings);
  }
  return found;
}

describe('catalogue', () => {
  it('holds the 20 threats of 2020 and the 46 notified cases, each complete in both languages', () => {
    const ids = engine.catalogue.threats.map((entry) => entry.id);
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `threat-2020-personal-${i + 1}`),
      ...Array.from({ length: 10 }, (_, i) => `threat-2020-org-${i + 1}`),
      ...Array.from({ length: 46 }, (_, i) => `incident-2020h1-${i + 1}`),
    ];
    assert.deepEqual(ids, expected);
    for (const entry of engine.catalogue.threats) {
      for (const language of ['en', 'ja'] as const) {
        assert.ok(entry.title[language].trim(), `${entry.id} title.${language}`);
        assert.ok(entry.summary[language].trim(), `${entry.id} summary.${language}`);
        assert.ok(entry.countermeasures[language].length > 0, `${entry.id} countermeasures.${language}`);
      }
      assert.ok(entry.source.file && entry.source.section, `${entry.id} source`);
    }
  });

  it('links every rule to existing entries, with messages in both languages', () => {
    const known = new Set(engine.catalogue.threats.map((entry) => entry.id));
    for (const rule of engine.catalogue.rules) {
      assert.match(rule.id, /^[a-z0-9]+\/[a-z0-9-]+$/, rule.id);
      assert.ok(rule.threats.length > 0, `${rule.id} links to no entry`);
      for (const id of rule.threats) assert.ok(known.has(id), `${rule.id} links to unknown ${id}`);
      for (const field of ['title', 'message', 'why', 'howToFix'] as const) {
        assert.ok(rule[field].en.trim() && rule[field].ja.trim(), `${rule.id}.${field}`);
        assert.match(rule[field].ja, /[\u3040-\u30ff\u4e00-\u9fff]/, `${rule.id}.${field}.ja is not Japanese`);
      }
    }
  });

  it('fills a template with the values given each time, whether the same values were filled before or not', () => {
    const catalogue = engine.catalogue;
    const template = { en: 'rule {a} in {b}: {c}', ja: '{b} の {a}: {c}' };
    const ref = { text: 'core.binary-file' };
    const values = [
      { a: 'x', b: 'y', c: ref },
      { a: 'x', b: 'z', c: ref },
      { a: 'x', b: 'y', c: 'plain' },
      { a: 'x', b: 'y', c: ref },
      { a: 'long'.repeat(1000), b: 'y', c: ref },
      // Values that would run together if the cache's key only joined them: each must be filled as given.
      { a: 'x;b=s1:y', b: 'y', c: 'plain' },
      { a: 'x', b: 'y;c=s5:plain', c: 'plain' },
      { a: 'x', b: 'y', c: 'plain;' },
      { a: 'x;y', b: 'y', c: 'plain' },
      { a: 'x', b: 'y;y', c: 'plain' },
    ];
    const expected = values.map((data) => ({
      en: `rule ${String(data.a).length > 200 ? '' : data.a} in ${data.b}: ${typeof data.c === 'string' ? data.c : catalogue.resolve(data.c).en}`,
    }));
    values.forEach((data, index) => {
      const filled = catalogue.fill(template, data);
      if (index !== 4) assert.equal(filled.en, expected[index]!.en);
      else assert.ok(filled.en.startsWith('rule longlong') && filled.en.endsWith(catalogue.resolve(ref).en));
      assert.equal(filled.ja.startsWith(`${data.b} の `), true);
      // Filled again with the same values: the same text.
      assert.deepEqual(catalogue.fill(template, data), filled);
    });
  });

  it('keeps rules, checks and fixtures in step', () => {
    const ruleIds = new Set(engine.catalogue.rules.map((rule) => rule.id));
    const checkIds = new Set(engine.checks.map((check) => check.rule));
    for (const id of checkIds) assert.ok(ruleIds.has(id), `check ${id} has no catalogue entry`);
    for (const id of ruleIds) {
      if (!ENGINE_RULES.includes(id)) assert.ok(checkIds.has(id), `rule ${id} has no check`);
      assert.ok(existsSync(path.join(FIXTURE_ROOT, id)), `rule ${id} has no fixture folder test-fixtures/${id}`);
    }
  });

  for (const rule of engine.catalogue.rules) {
    it(`${rule.id}: the bad example is flagged and the good one is not`, async () => {
      const bad = await lintExample(rule.id, rule.examples.bad);
      assert.ok(
        bad.some((finding) => finding.ruleId === rule.id),
        `bad example of ${rule.id} not flagged: ${JSON.stringify(bad.map((f) => f.ruleId))}`,
      );
      const good = await lintExample(rule.id, rule.examples.good);
      assert.deepEqual(
        good.filter((finding) => finding.ruleId === rule.id),
        [],
        `good example of ${rule.id} flagged`,
      );
    });
  }
});
