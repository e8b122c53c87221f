import assert from 'node:assert/strict';
import type { FileAccess } from '../../src/core/types';
import { normalizeSettings } from '../../src/core/settings';
import { engine } from '../../src/product';

const none: FileAccess = { readFile: async () => undefined, readDirectory: async () => undefined };
/** The rules these tests are about; other Postfix rules may speak about the short snippets too. */
const OURS = /^(config\/|postfix\/mynetworks-)/;
const lint = async (text: string, rules: Record<string, string> = {}) => {
  const result = await engine.lintFile('/m/main.cf', text, { files: none, settings: normalizeSettings({ rules }).settings });
  const at = (finding: { ruleId: string; range: { start: { line: number } } }) => `${finding.range.start.line + 1} ${finding.ruleId}`;
  const ours = <T extends { ruleId: string }>(list: T[]) => list.filter((finding) => OURS.test(finding.ruleId));
  return {
    shown: ours(result.findings).map(at),
    suppressed: ours(result.suppressed).map(at),
    result: { ...result, findings: ours(result.findings), suppressed: ours(result.suppressed) },
  };
};
const MISTAKE = 'mynetworks = 127.0.0.0/8 172.0.0.0/8';
const RULE = 'postfix/mynetworks-public-range';

describe('suppression comments', () => {
  it('hide the finding on the next line, keep it for reports with the reason, and nothing else', async () => {
    const { shown, suppressed, result } = await lint(`compatibility_level = 3.6\n# secure-config-review-disable-next-line ${RULE} -- leased\n${MISTAKE}\n`);
    assert.deepEqual(shown, []);
    assert.deepEqual(suppressed, [`3 ${RULE}`]);
    assert.deepEqual(result.suppressed[0]!.suppression, { kind: 'next-line', reason: 'leased', line: 1 });
  });

  it('cover a whole file, several rules, and stacked comments', async () => {
    const file = await lint(`# secure-config-review-disable-file ${RULE} -- leased\ncompatibility_level = 3.6\n${MISTAKE}\n`);
    assert.deepEqual([file.shown, file.suppressed], [[], [`3 ${RULE}`]]);
    const listed = await lint(`# secure-config-review-disable-next-line postfix/mynetworks-host-bits, ${RULE} -- both\n${MISTAKE} 192.168.1.1/24\n`);
    assert.deepEqual(listed.shown, []);
    assert.deepEqual(listed.suppressed, [`2 ${RULE}`, '2 postfix/mynetworks-host-bits']);
    const stacked = await lint(
      `# secure-config-review-disable-next-line ${RULE} -- one\n# secure-config-review-disable-next-line postfix/mynetworks-host-bits -- two\n${MISTAKE} 192.168.1.1/24\n`,
    );
    assert.deepEqual(stacked.shown, []);
  });

  it('are findings themselves when they lack a reason or a rule, use *, or name no rule that exists', async () => {
    const cases: Array<[string, string]> = [
      [`# secure-config-review-disable-next-line ${RULE}`, 'it gives no reason'],
      [`# secure-config-review-disable-next-line ${RULE} --   `, 'it gives no reason'],
      ['# secure-config-review-disable-next-line -- why', 'it names no rule'],
      ['# secure-config-review-disable-next-line * -- all', '"*" is not allowed'],
      ['# secure-config-review-disable-next-line postfix/* -- all of postfix', '"*" is not allowed'],
      [
        '# secure-config-review-disable-next-line postfix/mynetwork-public-range -- typo',
        `there is no rule "postfix/mynetwork-public-range" (did you mean "${RULE}"?)`,
      ],
      ['# secure-config-review-disable-file config/unused-suppression -- quiet', 'config/unused-suppression cannot be suppressed by a comment'],
    ];
    for (const [comment, message] of cases) {
      const { shown, suppressed, result } = await lint(`${comment}\n${MISTAKE}\n`);
      assert.deepEqual(shown, ['1 config/invalid-suppression', `2 ${RULE}`], comment);
      assert.deepEqual(suppressed, [], comment);
      assert.ok(result.findings[0]!.message.en.includes(message), `${comment}: ${result.findings[0]!.message.en}`);
      assert.equal(result.findings[0]!.severity, 'warning');
    }
  });

  it('that hide nothing are reported as information, unless the rule is turned off', async () => {
    const text = `# secure-config-review-disable-next-line ${RULE} -- was leased\nmynetworks = 127.0.0.0/8\n`;
    const { shown, result } = await lint(text);
    assert.deepEqual(shown, ['1 config/unused-suppression']);
    assert.equal(result.findings[0]!.severity, 'info');
    assert.equal(text.slice(result.findings[0]!.start, result.findings[0]!.end), RULE);
    assert.deepEqual((await lint(text, { [RULE]: 'off' })).shown, []);
    assert.deepEqual((await lint(text, { 'config/unused-suppression': 'off' })).shown, []);
    assert.deepEqual((await lint(`# secure-config-review-disable-next-line ${RULE} -- two lines down\n\n${MISTAKE}\n`)).shown, [
      '1 config/unused-suppression',
      `3 ${RULE}`,
    ]);
  });

  it('are not judged in a file that was not analysed (binary)', async () => {
    const { shown } = await lint(`# secure-config-review-disable-next-line ${RULE}\n${MISTAKE}\u0000\n`);
    assert.deepEqual(shown, ['1 config/parse-problem']);
  });
});
