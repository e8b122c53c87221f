import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { commentSyntaxOf, suppressionComment, suppressionCommentParts } from '../../src/core/suppression';
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

  it('name an unknown rule of any length without a hint, and a near one with it (fuzz seed 11 #20818)', async () => {
    // Each unknown id is compared with every rule for a hint; a 40,000-character one took minutes per comment.
    const long = `config/unused-supp${'each'.repeat(10_000)}`;
    const comments = Array.from({ length: 10 }, () => `# secure-config-review-disable-file ${long}, postfix/mynetwork-public-range -- legacy`);
    const { shown, result } = await lint(`${comments.join('\n')}\n${MISTAKE}\n`);
    assert.equal(shown.filter((line) => line.endsWith('config/invalid-suppression')).length, 20);
    const messages = result.findings.filter((finding) => finding.ruleId === 'config/invalid-suppression').map((finding) => finding.message.en);
    assert.equal(messages.filter((message) => message.includes('did you mean')).length, 10, 'the near id gets its hint');
    assert.ok(
      messages.every((message) => message.length < 4000),
      'the long id is shortened in the message',
    );
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

describe('suppression comments in XML (firewalld)', () => {
  const RULE_XML = 'firewalld/trusted-zone-bound-to-public-sources';
  const zone = (comment: string) =>
    `<?xml version="1.0" encoding="utf-8"?>\n<zone target="ACCEPT">\n  <short>Trusted</short>\n${comment}  <source address="5.6.7.8"/>\n</zone>\n`;
  const lintZone = async (text: string) => {
    const result = await engine.lintFile('/etc/firewalld/zones/trusted.xml', text, { files: none });
    return { shown: result.findings.map((finding) => finding.ruleId), suppressed: result.suppressed.map((finding) => finding.suppression?.reason) };
  };

  it('hide the finding when the comment closes on its line and gives a reason after " - "', async () => {
    assert.deepEqual(await lintZone(zone('')), { shown: [RULE_XML], suppressed: [] });
    const comment = `  ${suppressionComment(commentSyntaxOf(engine.formatById('firewalld-zone')), RULE_XML, 'partner range, contract 2024-17')}\n`;
    assert.equal(comment, `  <!-- secure-config-review-disable-next-line ${RULE_XML} - partner range, contract 2024-17 -->\n`);
    assert.deepEqual(await lintZone(zone(comment)), { shown: [], suppressed: ['partner range, contract 2024-17'] });
  });

  it('report a comment without a reason, with "--" (which XML forbids in a comment), or not closed on its line', async () => {
    for (const comment of [
      `<!-- secure-config-review-disable-next-line ${RULE_XML} -->`,
      `<!-- secure-config-review-disable-next-line ${RULE_XML} - -->`,
      `<!-- secure-config-review-disable-next-line ${RULE_XML} -- a reason -->`,
    ])
      assert.deepEqual(await lintZone(zone(`  ${comment}\n`)), { shown: ['config/invalid-suppression', RULE_XML], suppressed: [] }, comment);
    const open = await lintZone(zone(`  <!-- secure-config-review-disable-next-line ${RULE_XML} - a reason\n  -->\n`));
    assert.deepEqual(open, { shown: [RULE_XML], suppressed: [] });
  });

  it('inserted by the editors, leave the zone well-formed XML for the parser firewalld uses (Python, expat)', () => {
    const syntax = commentSyntaxOf(engine.formatById('firewalld-zone'));
    const { lead, tail } = suppressionCommentParts(syntax, RULE_XML);
    const folder = mkdtempSync(path.join(tmpdir(), 'scr-xml-'));
    try {
      // As inserted (no reason yet) and once a reason is typed.
      for (const [name, comment] of [
        ['empty.xml', `${lead} ${tail}`],
        ['reason.xml', suppressionComment(syntax, RULE_XML, 'partner - range')],
      ]) {
        const file = path.join(folder, name!);
        writeFileSync(file, zone(`  ${comment}\n`));
        const parsed = spawnSync('python3', ['-c', 'import sys, xml.sax; xml.sax.parse(sys.argv[1], xml.sax.ContentHandler())', file], { encoding: 'utf8' });
        if (parsed.error) throw parsed.error;
        assert.equal(parsed.status, 0, `${comment}\n${parsed.stderr}`);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
