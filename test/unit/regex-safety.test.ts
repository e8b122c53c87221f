// No catastrophic regex in the product's source: every regex literal and `new RegExp('literal')` under src/
// is judged by recheck (a ReDoS checker that runs offline, here its pure JavaScript backend); a regex it
// proves super-linear (polynomial or exponential backtracking) fails the test with its file:line and an
// attack string. Regexes recheck cannot decide within its time budget are listed, not failed.
import assert from 'node:assert/strict';
import { judgeRegex, sourceRegexes, type RegexVerdict } from '../fuzz/regex-scan';

describe('regex safety: no super-linear regex in src/ (recheck)', function () {
  this.timeout(15 * 60_000);

  it('finds the regexes (literals and new RegExp with a literal pattern)', () => {
    const all = sourceRegexes();
    assert.ok(all.length > 200, `only ${all.length} regexes found`);
    assert.ok(all.some((regex) => regex.file.startsWith('src/core/')));
  });

  it('no regex is vulnerable', () => {
    const verdicts = new Map<string, RegexVerdict>();
    const vulnerable: string[] = [];
    const unknown: string[] = [];
    for (const regex of sourceRegexes()) {
      const key = `${regex.flags}/${regex.pattern}`;
      let verdict = verdicts.get(key);
      if (!verdict) verdicts.set(key, (verdict = judgeRegex(regex, 2000)));
      const where = `${regex.file}:${regex.line} /${regex.pattern}/${regex.flags}`;
      if (verdict.status === 'vulnerable') vulnerable.push(`${where}: ${verdict.complexity}, attack ${verdict.attack}`);
      else if (verdict.status === 'unknown') unknown.push(`${where}: ${verdict.error}`);
    }
    if (unknown.length) console.log(`      recheck could not decide ${unknown.length} regexes in time:\n        ${unknown.join('\n        ')}`);
    assert.deepEqual(vulnerable, []);
  });
});
