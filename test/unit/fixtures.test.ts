import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Finding } from '../../src/core/types';
import { allFixEdits, applyEdits, loadFixtureCases, memoryFiles, parseAnnotated, type FixtureCase } from '../support/fixtures';
import { engine } from '../../src/product';

const FIXTURE_ROOT = path.resolve(__dirname, '../../test-fixtures');

const describeFinding = (finding: { ruleId: string; range: Finding['range'] }) =>
  `${finding.ruleId} @${finding.range.start.line + 1}:${finding.range.start.character}-${finding.range.end.character}`;

/**
 * Lints every file of a case with the others reachable, as they would be on disk; `around` holds the other
 * fixtures' files (a case's subfolders: an include_dir). A file no format recognises is allowed only as data
 * another file of the case names (an env_file, a pg_hba.conf @file list): it is read, not linted.
 */
export async function lintCase(fixture: FixtureCase, texts: Map<string, string>, around = new Map<string, string>()): Promise<Map<string, Finding[]>> {
  const base = `/fixtures/${fixture.name}`;
  const files = new Map([...around, ...[...texts].map(([name, text]) => [`${base}/${name}`, text] as [string, string])]);
  const out = new Map<string, Finding[]>();
  for (const [name, text] of texts) {
    const result = await engine.lintFile(`${base}/${name}`, text, { files: memoryFiles(files) });
    const named = [...texts].some(([other, otherText]) => other !== name && otherText.includes(name));
    assert.ok(result.format || named, `${fixture.name}/${name} is not recognised as a supported format`);
    out.set(name, result.findings);
  }
  return out;
}

/** Every fixture file by its path under /fixtures, annotations removed. */
const stripped = (cases: FixtureCase[]) =>
  new Map(
    cases.flatMap((fixture) => [...fixture.files].map(([name, text]) => [`/fixtures/${fixture.name}/${name}`, parseAnnotated(text).text] as [string, string])),
  );

describe('fixtures (test-fixtures/**): every annotated finding and nothing else', function () {
  let cases: FixtureCase[] = [];
  before(async () => {
    // Rule fixtures live under a rule family's folder; other folders (the editor's workspace) are not rule fixtures.
    const families = new Set(engine.catalogue.rules.map((rule) => rule.id.split('/')[0]!));
    cases = (await loadFixtureCases(FIXTURE_ROOT)).filter((fixture) => families.has(fixture.name.split('/')[0]!));
  });

  it('has fixtures', () => assert.ok(cases.length > 0));

  it('each fixture produces exactly its annotations', async () => {
    const failures: string[] = [];
    for (const fixture of cases) {
      const parsed = new Map([...fixture.files].map(([name, text]) => [name, parseAnnotated(text)]));
      const findings = await lintCase(fixture, new Map([...parsed].map(([name, value]) => [name, value.text])), stripped(cases));
      for (const [name, { expectations }] of parsed) {
        const got = (findings.get(name) ?? []).map(describeFinding).sort();
        const want = expectations.map((e) => `${e.ruleId} @${e.line + 1}:${e.startCharacter}-${e.endCharacter}`).sort();
        if (JSON.stringify(got) !== JSON.stringify(want))
          failures.push(`${fixture.name}/${name}\n    expected: ${want.join(', ') || '(nothing)'}\n    found:    ${got.join(', ') || '(nothing)'}`);
        for (const expectation of expectations.filter((e) => e.severity)) {
          const finding = findings.get(name)?.find((f) => f.ruleId === expectation.ruleId && f.range.start.line === expectation.line);
          if (finding && finding.severity !== expectation.severity)
            failures.push(`${fixture.name}/${name}:${expectation.line + 1}: severity ${finding.severity}, expected ${expectation.severity}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('golden files: applying every fix gives the golden text, and re-linting finds only what had no fix', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const fixture of cases.filter((c) => c.golden.size > 0)) {
      const texts = new Map([...fixture.files].map(([name, text]) => [name, parseAnnotated(text).text]));
      const findings = await lintCase(fixture, texts, stripped(cases));
      const all = [...findings.values()].flat();
      const base = `/fixtures/${fixture.name}/`;
      const fixed = new Map(texts);
      for (const [name, text] of texts)
        fixed.set(
          name,
          applyEdits(
            text,
            allFixEdits(all).filter((edit) => edit.file === base + name),
          ),
        );
      for (const [name, golden] of fixture.golden) {
        checked++;
        if (fixed.get(name) !== golden) failures.push(`${fixture.name}/${name}: fixed text differs from ${name}.golden:\n${fixed.get(name)}`);
      }
      const after = [...(await lintCase(fixture, fixed, stripped(cases))).values()]
        .flat()
        .map((f) => f.ruleId)
        .sort();
      const unfixable = all
        .filter((f) => !f.fix && f.suggestions.length === 0)
        .map((f) => f.ruleId)
        .sort();
      if (JSON.stringify(after) !== JSON.stringify(unfixable))
        failures.push(`${fixture.name}: after fixes found [${after.join(', ')}], expected only the unfixable [${unfixable.join(', ')}]`);
    }
    assert.ok(checked > 0, 'no golden files found');
    assert.deepEqual(failures, []);
  });
});
