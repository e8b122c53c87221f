import assert from 'node:assert/strict';
import { normalizeSettings } from '../../src/core/settings';
import { suppressionComment } from '../../src/core/suppression';
import { memoryFiles } from '../support/fixtures';
import { engine } from '../../src/product';

const none = memoryFiles(new Map());
const MISTAKE = 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n';

describe('format detection', () => {
  it('knows Postfix files by name in any folder, whatever the editor called them', () => {
    assert.equal(engine.detectFormat('/srv/configs/mail-1/main.cf', '')?.id, 'postfix-main');
    assert.equal(engine.detectFormat('C:\\configs\\master.cf', '')?.id, 'postfix-master');
    assert.equal(engine.detectFormat('/tmp/notes.txt', 'hello')?.id, undefined);
  });

  it('recognises renamed copies by content', () => {
    assert.equal(engine.detectFormat('/backup/main.cf.2019', 'myhostname = a\nmynetworks = 127.0.0.0/8\n')?.id, 'postfix-main');
    assert.equal(engine.detectFormat('/backup/master.old', 'smtp      inet  n       -       y       -       -       smtpd\n')?.id, 'postfix-master');
  });

  it('lets the user decide with file associations', () => {
    assert.equal(engine.detectFormat('/x/relay.conf', '', { '**/relay.conf': 'postfix-main' })?.id, 'postfix-main');
    assert.equal(engine.detectFormat('/x/main.cf', '', { 'main.cf': 'off' }), undefined);
  });
});

describe('engine', () => {
  it('returns findings with exact spans, catalogue links and bilingual messages', async () => {
    const { findings } = await engine.lintFile('/m/main.cf', MISTAKE, { files: none });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(MISTAKE.slice(finding!.start, finding!.end), '172.0.0.0/8');
    assert.deepEqual(finding!.range, { start: { line: 1, character: 25 }, end: { line: 1, character: 36 } });
    assert.match(finding!.message.en, /15,728,640 public addresses/);
    assert.match(finding!.message.ja, /172\.16\.0\.0\/12/);
    assert.equal(finding!.fix, undefined, 'changing who may relay is never a safe fix');
    assert.equal(finding!.suggestions[0]!.edits[0]!.newText, '172.16.0.0/12');
  });

  it('turns unreadable lines into findings instead of exceptions', async () => {
    const { findings } = await engine.lintFile('/m/main.cf', 'mynetworks\n= oops\n\u00ff\u00fe = x\n', { files: none });
    assert.ok(findings.length >= 1);
    assert.ok(findings.every((finding) => finding.ruleId === 'config/parse-problem'));
  });

  it('survives random and half-typed input', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = 'mynetworks =$${}()[]/:,#!\n\t 0123456789.abc-o';
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: Math.floor(random() * 200) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      await engine.lintFile('/fuzz/main.cf', text, { files: none });
      await engine.lintFile('/fuzz/master.cf', text, { files: none });
    }
    const half = MISTAKE.slice(0, -7);
    const { findings } = await engine.lintFile('/m/main.cf', half, { files: none });
    assert.ok(Array.isArray(findings));
  });

  it('reports a self-referencing $name as a problem, not a crash', async () => {
    const { findings } = await engine.lintFile('/m/main.cf', 'a = $b\nb = $a\nmynetworks = $a\n', { files: none });
    assert.ok(
      findings.some((finding) => /refers to itself|nests too deeply/.test(finding.message.en)),
      JSON.stringify(findings),
    );
    assert.ok(!findings.some((finding) => /internal error/.test(finding.message.en)), 'a cycle is a parse problem, not a bug');
  });

  it('does not parse binary or huge files, and says why', async () => {
    const binary = await engine.lintFile('/m/main.cf', 'mynetworks = 0.0.0.0/0\u0000\u0001', { files: none });
    assert.equal(binary.findings.length, 1);
    assert.match(binary.findings[0]!.message.en, /binary/);
    const huge = await engine.lintFile('/m/main.cf', 'mynetworks = 0.0.0.0/0\n' + '#'.repeat(5 * 1024 * 1024), { files: none });
    assert.equal(huge.findings.length, 1);
    assert.match(huge.findings[0]!.message.en, /larger than/);
  });

  it('honours suppression comments with a reason, for that rule and line only', async () => {
    const comment = suppressionComment({ prefix: '#' }, 'postfix/mynetworks-public-range', 'lab network we own');
    const suppressed = `compatibility_level = 3.6\n${comment}\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n`;
    assert.deepEqual((await engine.lintFile('/m/main.cf', suppressed, { files: none })).findings, []);
    const otherRule = suppressed.replace('postfix/mynetworks-public-range', 'postfix/mynetworks-host-bits');
    assert.deepEqual(
      (await engine.lintFile('/m/main.cf', otherRule, { files: none })).findings.map((finding) => finding.ruleId),
      ['config/unused-suppression', 'postfix/mynetworks-public-range'],
    );
  });

  it('applies project settings: rule off, severity override, trusted networks', async () => {
    const off = normalizeSettings({ rules: { 'postfix/mynetworks-public-range': 'off' } }).settings;
    assert.deepEqual((await engine.lintFile('/m/main.cf', MISTAKE, { files: none, settings: off })).findings, []);
    const info = normalizeSettings({ rules: { 'postfix/mynetworks-public-range': 'info' } }).settings;
    assert.equal((await engine.lintFile('/m/main.cf', MISTAKE, { files: none, settings: info })).findings[0]!.severity, 'info');
    const owned = normalizeSettings({ trustedNetworks: ['172.0.0.0/8'] }).settings;
    assert.deepEqual((await engine.lintFile('/m/main.cf', MISTAKE, { files: none, settings: owned })).findings, []);
    const { problems } = normalizeSettings({ rules: { x: 'loud' }, trustedNetworks: 'all' });
    assert.equal(problems.length, 2);
  });

  it('reads mynetworks from a /file reference, in the folder main.cf was found in', async () => {
    const files = new Map([
      ['/repo/postfix/main.cf', 'compatibility_level = 3.6\nmynetworks = /etc/postfix/network_table\n'],
      ['/repo/postfix/network_table', '# trusted\n127.0.0.0/8\n88.198.250.128/27\n'],
    ]);
    const main = files.get('/repo/postfix/main.cf')!;
    const { findings } = await engine.lintFile('/repo/postfix/main.cf', main, { files: memoryFiles(files) });
    assert.equal(findings.length, 1);
    assert.equal(main.slice(findings[0]!.start, findings[0]!.end), '/etc/postfix/network_table');
    assert.equal(findings[0]!.severity, 'warning');
    assert.deepEqual(
      findings[0]!.related.map((related) => [related.file, related.range.start.line]),
      [['/repo/postfix/network_table', 2]],
    );
    assert.equal(findings[0]!.suggestions[0]!.edits[0]!.file, '/repo/postfix/network_table');
  });
});
