// How the code is held together: the core knows no family, families do not reach into each other's checks,
// every user-facing text is in the catalogue and every catalogue text is used.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { engine } from '../../src/product';
import { README, readmeRuleTable, renderRuleTable } from '../support/readme-rules';
import { ROOT, importsOf, readSource, resolveSpecifier, sourceFiles } from '../support/source-tree';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;
const CORE_DATA = new Set(['rules/core.json', 'rules/core.texts.json', 'rules/threats.json']);

describe('code structure', () => {
  it('the core imports no family and no family rules file', () => {
    const problems: string[] = [];
    for (const file of sourceFiles('src/core'))
      for (const specifier of importsOf(readSource(file))) {
        const target = resolveSpecifier(file, specifier);
        if (target.startsWith('src/families') || target.startsWith('src/product')) problems.push(`${file} imports ${specifier}`);
        if (target.startsWith('rules/') && !CORE_DATA.has(target)) problems.push(`${file} imports ${specifier}`);
      }
    assert.deepEqual(problems, []);
  });

  it("no family imports another family's checks", () => {
    const problems: string[] = [];
    for (const file of sourceFiles('src/families')) {
      const family = file.split('/')[2];
      for (const specifier of importsOf(readSource(file))) {
        const target = resolveSpecifier(file, specifier).split('/');
        if (target[0] !== 'src' || target[1] !== 'families') continue;
        if (target[2] !== family && target.includes('checks')) problems.push(`${file} imports ${specifier}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every family in the composition root is built from its own folder', () => {
    const folders = readdirSync(path.join(ROOT, 'src/families'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
      .map((entry) => entry.name)
      .sort();
    assert.deepEqual(engine.families.map((family) => family.id).sort(), folders);
  });

  it('holds no user-facing text in code: no Japanese anywhere under src/', () => {
    const offenders = sourceFiles('src').filter((file) => JAPANESE.test(readSource(file)));
    assert.deepEqual(offenders, []);
  });

  it('every text key used in code is in the catalogue, and every catalogue text is used', () => {
    const used = new Map<string, string>();
    const computed: string[] = [];
    for (const file of sourceFiles('src')) {
      const source = readSource(file);
      // Only files that take `text` from the core refer to catalogue texts (some parsers have a text() of their own).
      const importsText = /import\s*\{[^}]*\btext\b[^}]*\}\s*from\s*'([^']*core\/check|\.\/check)'/.test(source) || file === 'src/core/check.ts';
      if (!importsText) continue;
      for (const match of source.matchAll(/\btext\(\s*'([^']+)'/g)) used.set(match[1]!, file);
      for (const match of source.matchAll(/\btext\(\s*(?![')])([^,)]+)/g)) if (!/^key\b/.test(match[1]!)) computed.push(`${file}: text(${match[1]!.trim()}`);
    }
    assert.deepEqual(computed, [], 'text keys must be string literals so that they can be checked');
    const missing = [...used].filter(([key]) => !engine.catalogue.hasText(key)).map(([key, file]) => `${key} (${file})`);
    assert.deepEqual(missing, [], 'used in code but not in any rules/*.texts.json');
    const defined = readdirSync(path.join(ROOT, 'rules'))
      .filter((name) => name.endsWith('.texts.json'))
      .flatMap((name) => Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'rules', name), 'utf8')) as object).map((key) => `${key} (rules/${name})`));
    const unused = defined.filter((entry) => !used.has(entry.slice(0, entry.indexOf(' '))));
    assert.deepEqual(unused, [], 'defined in the catalogue but used by no code');
  });

  it('every texts file is loaded by a family or the core', () => {
    const loaded = new Set<string>();
    for (const file of [...sourceFiles('src/families'), ...sourceFiles('src/core')])
      for (const specifier of importsOf(readSource(file))) {
        const target = resolveSpecifier(file, specifier);
        if (target.startsWith('rules/')) loaded.add(target);
      }
    const files = readdirSync(path.join(ROOT, 'rules')).map((name) => `rules/${name}`);
    assert.deepEqual(
      files.filter((file) => !loaded.has(file)),
      [],
    );
  });
});

describe('README', () => {
  it("lists every rule of the catalogue in its rule table (regenerate with 'npm run readme:rules')", () => {
    const table = readmeRuleTable(readFileSync(README, 'utf8'));
    assert.ok(table, 'README.md lost its rule-table markers');
    assert.equal(table, renderRuleTable(engine.catalogue));
  });
});

describe('fix titles', () => {
  it("every fix title a check names is in its rule's fixTitles, and every fixTitles entry is used", () => {
    const used = new Map<string, Set<string>>();
    const problems: string[] = [];
    for (const file of sourceFiles('src/families')) {
      const source = readSource(file);
      const ruleIds = [...source.matchAll(/\brule: '([\w-]+\/[\w-]+)'/g)].map((match) => match[1]!);
      // `title: 'key'` or `title: cond ? 'a' : 'b'`: every literal in the expression is a fixTitles key.
      const titles = [...source.matchAll(/\btitle: ([^,}\n]+)/g)].flatMap((match) => [...match[1]!.matchAll(/'([\w-]+)'/g)].map((literal) => literal[1]!));
      if (titles.length === 0) continue;
      if (ruleIds.length === 0) {
        problems.push(`${file}: fix titles ${titles.join(', ')} in a file that names no rule`);
        continue;
      }
      for (const title of titles) {
        const owners = ruleIds.filter((id) => engine.catalogue.ruleById(id)?.fixTitles?.[title]);
        if (owners.length === 0) problems.push(`${file}: fix title '${title}' is in no fixTitles of ${ruleIds.join(', ')}`);
        for (const id of owners) used.set(id, (used.get(id) ?? new Set()).add(title));
      }
    }
    for (const rule of engine.catalogue.rules)
      for (const key of Object.keys(rule.fixTitles ?? {})) if (!used.get(rule.id)?.has(key)) problems.push(`${rule.id}: fixTitles.${key} is used by no check`);
    assert.deepEqual(problems, []);
  });
});
