// Half-typed and damaged files: every parser and check must answer with findings, never an internal error.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFixtureCases, memoryFiles, parseAnnotated } from '../support/fixtures';
import { engine } from '../../src/product';

const FIXTURE_ROOT = path.resolve(__dirname, '../../test-fixtures');

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Truncations (a file being typed), deleted and duplicated stretches, and stray punctuation. */
function damaged(text: string, next: () => number): string[] {
  const at = () => Math.floor(next() * (text.length + 1));
  const out: string[] = [];
  for (let i = 0; i < 6; i++) out.push(text.slice(0, at()));
  for (let i = 0; i < 4; i++) {
    const a = at();
    const b = at();
    out.push(text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b)));
    out.push(text.slice(0, a) + text.slice(Math.min(a, b), Math.max(a, b)) + text.slice(a));
  }
  for (const junk of ['{', '}', '"', "'", ':', '- ', '\t', '[', '$', '\\', '#', '\n  ', '\u00e9\u3042', '&*anchor', '<<: *x']) {
    const a = at();
    out.push(text.slice(0, a) + junk + text.slice(a));
  }
  return out;
}

describe('robustness: damaged versions of every fixture', function () {
  this.timeout(120_000);

  it('never produce an internal error, and every finding lies inside its file', async () => {
    const next = random(20261122);
    const problems: string[] = [];
    let linted = 0;
    for (const fixture of await loadFixtureCases(FIXTURE_ROOT)) {
      const texts = new Map([...fixture.files].map(([name, text]) => [name, parseAnnotated(text).text]));
      const base = `/robust/${fixture.name}`;
      for (const [name, text] of texts) {
        for (const variant of damaged(text, next)) {
          const files = new Map([...texts].map(([other, otherText]) => [`${base}/${other}`, other === name ? variant : otherText]));
          const { findings } = await engine.lintFile(`${base}/${name}`, variant, { files: memoryFiles(files) });
          linted++;
          for (const finding of findings) {
            if (/internal error/.test(finding.message.en)) problems.push(`${fixture.name}/${name}: ${finding.message.en}\n---\n${variant}\n---`);
            if (finding.start < 0 || finding.end > variant.length || finding.start > finding.end)
              problems.push(`${fixture.name}/${name}: span ${finding.start}-${finding.end} outside the text`);
          }
        }
      }
    }
    assert.ok(linted > 1000, `only ${linted} variants linted`);
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} problems in all`);
  });
});
