// The CLI for CI and hooks (issue 17): --fix / --fix-dry-run, baselines, standard input, --list-rules,
// --quiet, --max-warnings, colour and grouping, end to end through dist/cli.js; fingerprints and the fix proof
// in process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { Linter } from '../../src/core/engine';
import { fingerprintFinding } from '../../src/core/fingerprint';
import { SourceText } from '../../src/core/source';
import type { Finding } from '../../src/core/types';
import { fixFile, lineBreakOf } from '../../src/cli/fix';
import { outputStyle } from '../../src/cli/output';
import { defaultSettings } from '../../src/core/settings';
import { CLI, runCli as run } from '../support/run-cli';

const RELAY = 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n';
const APACHE = 'ServerTokens OS\r\nServerSignature On\r\nTraceEnable Off\r\n';
const ESC = '\u001b[';

/** The SARIF 2.1.0 schema shipped in @microsoft/jest-sarif (draft-04 keywords only, compiled by Ajv's default dialect). */
function sarifValidator(): (data: unknown) => boolean {
  const file = path.resolve(__dirname, '../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { id, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(value));
  ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  const validate = ajv.compile({ ...schema, $id: String(id) });
  return (data) => validate(data) || assert.fail(JSON.stringify(validate.errors?.slice(0, 3)));
}

/** The CLI with a chosen environment (colour variables removed unless given). */
function runWith(args: string[], cwd: string, env: Record<string, string>) {
  const clean = { ...process.env };
  delete clean.FORCE_COLOR;
  delete clean.NO_COLOR;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input: '', env: { ...clean, ...env }, timeout: 120_000 });
  assert.equal(result.signal, null);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal runs it. */
function runOnTerminal(args: string[], cwd: string, env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.FORCE_COLOR;
  delete clean.NO_COLOR;
  const command = [process.execPath, CLI, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, encoding: 'utf8', input: '', env: { ...clean, ...env }, timeout: 120_000 });
  assert.equal(result.error, undefined, `script (util-linux) is needed: ${String(result.error)}`);
  return { code: result.status, output: result.stdout.replace(/\r\n/g, '\n') };
}

function finding(text: string, ruleId: string, needle: string, nth = 0): Finding {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const source = new SourceText('/x/main.cf', text);
  return {
    ruleId,
    severity: 'error',
    message: { en: '', ja: '' },
    file: '/x/main.cf',
    range: source.rangeOf(at, at + needle.length),
    start: at,
    end: at + needle.length,
    suggestions: [],
    related: [],
    threats: [],
  };
}

describe('fingerprintFinding', () => {
  const RULE = 'postfix/mynetworks-public-range';
  it('survives lines moving, re-indentation and CRLF, and names no line', () => {
    const base = fingerprintFinding(RELAY, finding(RELAY, RULE, '172.0.0.0/8'));
    assert.match(base, /^[0-9a-f]{16}$/);
    const moved = '# comment\n\nrelayhost = x\n' + RELAY;
    assert.equal(fingerprintFinding(moved, finding(moved, RULE, '172.0.0.0/8')), base);
    const crlf = RELAY.replace(/\n/g, '\r\n').replace('mynetworks =', '  mynetworks   =');
    assert.equal(fingerprintFinding(crlf, finding(crlf, RULE, '172.0.0.0/8')), base);
  });

  it('changes with the rule, the flagged text and which of identical copies it is', () => {
    const base = fingerprintFinding(RELAY, finding(RELAY, 'postfix/mynetworks-public-range', '172.0.0.0/8'));
    assert.notEqual(fingerprintFinding(RELAY, finding(RELAY, 'postfix/other', '172.0.0.0/8')), base);
    const edited = RELAY.replace('172.0.0.0/8', '173.0.0.0/8');
    assert.notEqual(fingerprintFinding(edited, finding(edited, 'postfix/mynetworks-public-range', '173.0.0.0/8')), base);
    const twice = 'mynetworks = 172.0.0.0/8 172.0.0.0/8\nmynetworks = 172.0.0.0/8 172.0.0.0/8\n';
    const prints = [0, 1, 2, 3].map((nth) => fingerprintFinding(twice, finding(twice, 'r', '172.0.0.0/8', nth)));
    assert.equal(new Set(prints).size, 4, 'identical flagged texts on identical lines stay apart');
  });
});

describe('--fix proof (in process)', () => {
  let folder: string;
  before(() => (folder = mkdtempSync(path.join(tmpdir(), 'scr-fixproof-'))));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps the line break of the file', () => {
    assert.equal(lineBreakOf('a\r\nb\r\n'), '\r\n');
    assert.equal(lineBreakOf('a\nb\r\nc\n'), '\n');
  });

  it('leaves the file untouched when the re-lint still finds what a fix claimed to remove', async () => {
    const file = path.join(folder, 'main.cf');
    writeFileSync(file, 'a = 1\n');
    // A linter whose "safe fix" rewrites the value but whose finding stays: the proof must refuse it.
    const stubborn = {
      async lintFile(_path: string, content: string) {
        const at = content.indexOf('= ') + 2;
        const source = new SourceText(file, content);
        const range = source.rangeOf(at, at + 1);
        const edit = { file, start: at, end: at + 1, range, newText: '2' };
        return {
          format: 'x',
          findings: [{ ...finding(content, 'x/rule', content.slice(at, at + 1)), file, fix: { title: { en: '', ja: '' }, edits: [edit] } }],
          suppressed: [],
        };
      },
    } as unknown as Linter;
    const audited = { path: 'main.cf', format: 'x', findings: [] };
    const outcome = await fixFile(stubborn, audited, file, defaultSettings(), { write: true, format: 'x' });
    assert.deepEqual(outcome && { kind: outcome.kind, rules: 'rules' in outcome ? outcome.rules : [] }, { kind: 'reverted', rules: ['x/rule'] });
    assert.equal(readFileSync(file, 'utf8'), 'a = 1\n');
  });
});

describe('CLI for CI (dist/cli.js)', () => {
  let folder: string;
  const write = (relative: string, content: string) => {
    mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
    writeFileSync(path.join(folder, relative), content);
  };
  const read = (relative: string) => readFileSync(path.join(folder, relative), 'utf8');
  beforeEach(() => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
    folder = mkdtempSync(path.join(tmpdir(), 'scr-ci-'));
    write('etc/postfix/main.cf', RELAY);
    write('etc/apache2/apache2.conf', APACHE);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('--fix applies safe fixes only, keeps CRLF, and re-lints', () => {
    const result = run(['audit', '--fix'], folder);
    assert.equal(read('etc/apache2/apache2.conf'), 'ServerTokens Prod\r\nServerSignature Off\r\nTraceEnable Off\r\n');
    assert.equal(read('etc/postfix/main.cf'), RELAY, 'a suggestion (who may relay) is never applied');
    assert.match(result.stderr, /etc\/apache2\/apache2\.conf: 2 safe fix\(es\) applied/);
    assert.equal(result.code, 1, 'the unfixed error still fails');
    assert.doesNotMatch(result.stdout, /server-version-disclosure/, 'the report shows what is left after fixing');
    assert.match(result.stdout, /^etc\/postfix\/main\.cf:2:26: error postfix\/mynetworks-public-range /m);
    const again = run(['audit', '--fix', 'etc/apache2'], folder);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /applied/);
  });

  it('--fix writes a UTF-16 file back in UTF-16 with its byte order mark, and a UTF-8 BOM stays', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(APACHE, 'utf16le')]);
    writeFileSync(path.join(folder, 'etc/apache2/apache2.conf'), utf16);
    write('etc/apache2/conf-enabled/security.conf', '\ufeffServerTokens Full\n');
    run(['audit', '--fix', 'etc/apache2'], folder);
    const bytes = readFileSync(path.join(folder, 'etc/apache2/apache2.conf'));
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
    assert.equal(bytes.subarray(2).toString('utf16le'), 'ServerTokens Prod\r\nServerSignature Off\r\nTraceEnable Off\r\n');
    assert.equal(read('etc/apache2/conf-enabled/security.conf'), '\ufeffServerTokens Prod\n');
  });

  it('--fix-dry-run prints a unified diff and writes nothing', () => {
    const result = run(['audit', '--fix-dry-run', '--fail-on', 'error'], folder);
    assert.equal(
      result.stdout,
      [
        '--- a/etc/apache2/apache2.conf',
        '+++ b/etc/apache2/apache2.conf',
        '@@ -1,3 +1,3 @@',
        '-ServerTokens OS',
        '-ServerSignature On',
        '+ServerTokens Prod',
        '+ServerSignature Off',
        ' TraceEnable Off',
        '',
      ].join('\n'),
    );
    assert.match(result.stderr, /2 safe fix\(es\) would be applied \(nothing written\)/);
    assert.equal(read('etc/apache2/apache2.conf'), APACHE);
    assert.equal(result.code, 1);
    assert.equal(run(['audit', '--fix-dry-run', '--format', 'json'], folder).code, 2, 'a JSON report needs --output then');
  });

  it('baselines: accepted findings shown as such, new ones fail, another file is not absorbed, gone ones reported', () => {
    const written = run(['audit', '--write-baseline', 'baseline.json', 'etc/postfix'], folder);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, /wrote 1 findings to the baseline baseline\.json/);
    const baseline = JSON.parse(read('baseline.json'));
    assert.equal(baseline.version, 1);
    assert.deepEqual(
      baseline.findings.map((entry: { path: string; ruleId: string }) => [entry.path, entry.ruleId]),
      [['etc/postfix/main.cf', 'postfix/mynetworks-public-range']],
    );

    // Lines move above the finding: still accepted, shown with its mark, exit 0.
    write('etc/postfix/main.cf', '# moved down\n\n' + RELAY);
    const moved = run(['audit', '--baseline', 'baseline.json', 'etc/postfix'], folder);
    assert.equal(moved.code, 0, moved.stdout + moved.stderr);
    assert.match(moved.stdout, /^etc\/postfix\/main\.cf:4:26: error postfix\/mynetworks-public-range .* \[baseline\]$/m);
    assert.match(moved.stderr, /1 accepted by the baseline/);

    // The same mistake in another file is new: it fails, and the entry stays with its own file.
    write('etc/postfix-b/main.cf', RELAY);
    const other = run(['audit', '--baseline', 'baseline.json', '--format', 'json', 'etc'], folder);
    assert.equal(other.code, 1);
    const report = JSON.parse(other.stdout);
    const byPath = (shown: string) => report.files.find((file: { path: string }) => file.path === shown);
    assert.equal(byPath('etc/postfix-b/main.cf').findings[0].ruleId, 'postfix/mynetworks-public-range');
    assert.equal(byPath('etc/postfix/main.cf').findings.length, 0);
    assert.equal(byPath('etc/postfix/main.cf').suppressed[0].suppression.kind, 'baseline');
    assert.equal(report.baseline.baselined, 1);

    // SARIF: the accepted finding is a result with a suppression, the new one has none.
    const sarif = JSON.parse(run(['audit', '--baseline', 'baseline.json', '--format', 'sarif', 'etc'], folder).stdout);
    const results = sarif.runs[0].results.filter((result: { ruleId: string }) => result.ruleId === 'postfix/mynetworks-public-range');
    assert.equal(results.length, 2);
    assert.equal(results.filter((result: { suppressions?: unknown[] }) => result.suppressions?.length).length, 1);
    assert.deepEqual(results.map((result: { baselineState: string }) => result.baselineState).sort(), ['new', 'unchanged']);
    assert.ok(sarifValidator()(sarif), 'SARIF 2.1.0');

    // A second copy of the flagged line in the same file is new too (the entry accepts one finding).
    write('etc/postfix/main.cf', RELAY + 'mynetworks = 127.0.0.0/8 172.0.0.0/8\n');
    assert.equal(run(['audit', '--baseline', 'baseline.json', 'etc/postfix'], folder).code, 1);

    // Fixed: reported as gone, and nothing fails.
    write('etc/postfix/main.cf', 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n');
    const gone = run(['audit', '--baseline', 'baseline.json', '--format', 'json', 'etc/postfix'], folder);
    assert.equal(gone.code, 0, gone.stderr);
    assert.match(gone.stderr, /etc\/postfix\/main\.cf: postfix\/mynetworks-public-range \(line 2 when the baseline was written\) is gone/);
    assert.deepEqual(
      JSON.parse(gone.stdout).baseline.gone.map((entry: { ruleId: string }) => entry.ruleId),
      ['postfix/mynetworks-public-range'],
    );
    const absent = JSON.parse(run(['audit', '--baseline', 'baseline.json', '--format', 'sarif', 'etc/postfix'], folder).stdout);
    const goneResult = absent.runs[0].results.find((result: { baselineState: string }) => result.baselineState === 'absent');
    assert.equal(goneResult.ruleId, 'postfix/mynetworks-public-range');
    // %SRCROOT% is the audited folder here (no repository): etc/postfix.
    assert.deepEqual(goneResult.locations[0].physicalLocation.artifactLocation, { uri: 'main.cf', uriBaseId: '%SRCROOT%' });
    assert.equal(goneResult.partialFingerprints['secureConfigReview/v1'], baseline.findings[0].fingerprint);
    assert.ok(sarifValidator()(absent), 'SARIF 2.1.0 with an absent result');
    assert.equal(run(['audit', '--baseline', 'missing.json'], folder).code, 2);
    write('broken.json', '{"findings": 3}');
    assert.match(run(['audit', '--baseline', 'broken.json'], folder).stderr, /broken\.json is not a baseline/);
  });

  it('baselines in a repository: keyed from its root, whatever folder the CLI runs in', () => {
    mkdirSync(path.join(folder, '.git'));
    assert.equal(run(['audit', '--write-baseline', 'baseline.json', '--fail-on', 'none'], folder).code, 0);
    const keys = JSON.parse(read('baseline.json')).findings.map((entry: { path: string }) => entry.path);
    assert.ok(keys.includes('etc/postfix/main.cf'), keys.join());
    const inner = run(['audit', '.', '--baseline', '../../baseline.json', '--format', 'json'], path.join(folder, 'etc', 'postfix'));
    assert.equal(inner.code, 0, inner.stdout + inner.stderr);
    assert.equal(JSON.parse(inner.stdout).baseline.baselined, 1);
    const fromStdin = run(['audit', '--stdin-filename', 'etc/postfix/main.cf', '--baseline', 'baseline.json'], folder, { input: RELAY });
    assert.equal(fromStdin.code, 0, 'standard input named as the file is keyed as the file');
  });

  it('reads standard input under the name --stdin-filename gives', () => {
    const result = run(['audit', '--stdin', '--stdin-filename', 'conf/main.cf'], folder, { input: RELAY });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^conf\/main\.cf:2:26: error postfix\/mynetworks-public-range /);
    assert.match(result.stderr, /1 files audited/);
    const clean = run(['audit', '--stdin-filename', 'main.cf'], folder, { input: 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n' });
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const dry = run(['audit', '--stdin', '--stdin-filename', 'apache2.conf', '--fix-dry-run', '--fail-on', 'none'], folder, { input: APACHE });
    assert.match(dry.stdout, /^\+ServerTokens Prod$/m);
    assert.equal(run(['audit', '--stdin'], folder, { input: RELAY }).code, 2, '--stdin needs a name');
    assert.equal(run(['audit', '--stdin-filename', 'x/main.cf', 'etc'], folder, { input: RELAY }).code, 2, 'no paths with --stdin');
    assert.equal(run(['audit', '--stdin-filename', 'x/main.cf', '--fix'], folder, { input: RELAY }).code, 2, 'nothing to write back');
  });

  it('--list-rules in text and JSON, in both languages', () => {
    const textList = run(['--list-rules'], folder);
    assert.equal(textList.code, 0);
    assert.match(textList.stdout, /^postfix\/mynetworks-public-range +error +postfix +.*incident-2020h1-21/m);
    assert.match(textList.stdout, /^config\/parse-problem +warning +\(every family\)/m);
    const json = JSON.parse(run(['--list-rules', '--format', 'json', '--lang', 'ja'], folder).stdout);
    const rule = json.find((entry: { id: string }) => entry.id === 'postfix/mynetworks-public-range');
    assert.equal(rule.severity, 'error');
    assert.deepEqual(rule.families, ['postfix']);
    assert.ok(rule.threats.some((threat: { id: string; title: string }) => threat.id === 'incident-2020h1-21' && /[ぁ-んァ-ン一-龯]/.test(threat.title)));
    assert.equal(run(['--list-rules', '--format', 'sarif'], folder).code, 2);
  });

  it('--quiet shows errors only; --max-warnings fails above its count', () => {
    write('warn/main.cf', 'mynetworks = 127.0.0.0/8\n');
    const loud = run(['audit', 'warn'], folder);
    assert.equal(loud.code, 1);
    assert.match(loud.stdout, /warning postfix\/relay-check-missing/);
    const quiet = run(['audit', '--quiet', 'warn', 'etc'], folder);
    assert.doesNotMatch(quiet.stdout, /warning|info/);
    assert.match(quiet.stdout, /error postfix\/mynetworks-public-range/);
    assert.equal(run(['audit', '--quiet', 'warn'], folder).code, 0, 'warnings hidden by --quiet do not fail');
    assert.equal(run(['audit', '--max-warnings', '1', 'warn'], folder).code, 0);
    const over = run(['audit', '--max-warnings', '0', 'warn'], folder);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /1 warnings, more than --max-warnings 0 allows/);
    assert.equal(run(['audit', '--max-warnings', 'x', 'warn'], folder).code, 2);
  });

  it('no colour and one line a finding in a pipe; grouped and coloured on a terminal; NO_COLOR and FORCE_COLOR', () => {
    const piped = runWith(['audit'], folder, {});
    assert.ok(!piped.stdout.includes(ESC) && !piped.stderr.includes(ESC), 'no escape codes in a pipe');
    assert.match(piped.stdout, /^etc\/postfix\/main\.cf:2:26: error /m);
    assert.match(piped.stderr, /Findings by threat entry:\n( {2}.*\n)* {2}incident-2020h1-21 Relay allow-list .*: 1\n/);
    assert.ok(runWith(['audit'], folder, { FORCE_COLOR: '1' }).stdout.includes(`${ESC}31merror`), 'FORCE_COLOR colours a pipe');
    assert.ok(!runWith(['audit'], folder, { FORCE_COLOR: '0' }).stdout.includes(ESC));

    const terminal = runOnTerminal(['audit'], folder);
    assert.equal(terminal.code, 1);
    assert.ok(terminal.output.includes(`${ESC}1m${ESC}4metc/postfix/main.cf${ESC}0m\n`), terminal.output);
    assert.ok(terminal.output.includes(`${ESC}31merror${ESC}0m`));
    const plain = runOnTerminal(['audit'], folder, { NO_COLOR: '1' });
    assert.ok(!plain.output.includes(ESC), 'NO_COLOR');
    assert.match(plain.output, /^etc\/postfix\/main\.cf\n {2}2:26 {2}error {4}mynetworks entry/m);
  });

  it('documents the new options in --help, in English and Japanese', () => {
    for (const language of ['en', 'ja']) {
      const help = run(['--help', '--lang', language], folder).stdout;
      for (const option of [
        '--fix',
        '--fix-dry-run',
        '--baseline',
        '--write-baseline',
        '--quiet',
        '--max-warnings',
        '--stdin-filename',
        '--list-rules',
        'NO_COLOR',
      ])
        assert.ok(help.includes(option), `${language}: ${option}`);
    }
  });

  it('style: colour only on a terminal unless NO_COLOR / FORCE_COLOR say otherwise', () => {
    assert.deepEqual(outputStyle({}, false), { colour: false, group: false });
    assert.deepEqual(outputStyle({}, true), { colour: true, group: true });
    assert.deepEqual(outputStyle({ NO_COLOR: '1' }, true), { colour: false, group: true });
    assert.deepEqual(outputStyle({ NO_COLOR: '' }, true), { colour: true, group: true });
    assert.deepEqual(outputStyle({ FORCE_COLOR: '1' }, false), { colour: true, group: false });
    assert.deepEqual(outputStyle({ FORCE_COLOR: 'false' }, false), { colour: false, group: false });
  });
});
