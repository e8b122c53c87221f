import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import packageJson from '../../package.json';
import { CLI, runCli as run } from '../support/run-cli';

const MISTAKE = 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n';
const NO_STACK = /\n\s+at .*:\d+:\d+/;

describe('CLI (dist/cli.js, built by `npm test` before mocha)', () => {
  let folder: string;
  before(() => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
    folder = mkdtempSync(path.join(tmpdir(), 'scr-cli-'));
    mkdirSync(path.join(folder, 'etc', 'postfix'), { recursive: true });
    mkdirSync(path.join(folder, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(folder, 'etc', 'postfix', 'main.cf'), MISTAKE);
    writeFileSync(path.join(folder, 'node_modules', 'x', 'main.cf'), 'mynetworks = 0.0.0.0/0\n');
    writeFileSync(path.join(folder, 'README.txt'), 'not a config\n');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('prints path:line:col: severity rule-id message and exits 1 on findings', () => {
    const result = run(['audit'], folder);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stdout.trim(),
      'etc/postfix/main.cf:2:26: error postfix/mynetworks-public-range mynetworks entry 172.0.0.0/8 trusts 15,728,640 public addresses: SMTP clients there may relay mail through this server. Did you mean the private block 172.16.0.0/12?',
    );
    assert.match(result.stderr, /1 files audited, 1 findings/);
  });

  it('speaks Japanese with --lang ja', () => {
    const result = run(['audit', '--lang', 'ja'], folder);
    assert.match(result.stdout, /グローバルアドレス/);
    assert.match(result.stderr, /1 ファイルを監査/);
  });

  it('honours --fail-on and the project settings file', () => {
    assert.equal(run(['audit', '--fail-on', 'none'], folder).code, 0);
    writeFileSync(path.join(folder, '.secure-config-review.json'), JSON.stringify({ rules: { 'postfix/mynetworks-public-range': 'info' } }));
    try {
      assert.equal(run(['audit', '--fail-on', 'warning'], folder).code, 0);
      assert.equal(run(['audit', '--fail-on', 'note'], folder).code, 1);
    } finally {
      writeFileSync(path.join(folder, '.secure-config-review.json'), '{}');
    }
  });

  it('exits 2 on usage errors, with one line and a pointer to --help, never a stack trace', () => {
    for (const args of [
      ['audit', '--format', 'xml'],
      ['frobnicate'],
      ['audit', '--bogus'],
      ['audit', '--format'],
      ['explain'],
      ['explain', 'x', '--format', 'json'],
      [],
    ]) {
      const result = run(args, folder);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, NO_STACK, args.join(' '));
      assert.match(result.stderr, /^secure-config-review: .+\nRun "secure-config-review --help" for usage\.\n$/, args.join(' '));
      assert.equal(result.stdout, '');
    }
    assert.match(run(['audit', '--formt', 'json'], folder).stderr, /unknown option --formt \(did you mean "--format"\?\)/);
    assert.match(run(['adit'], folder).stderr, /unknown command "adit" \(did you mean "audit"\?\)/);
    assert.match(run(['audit', '--format', 'xml', '--lang', 'ja'], folder).stderr, /--format xml: text, json, sarif, markdown のいずれかを指定してください/);
  });

  it('prints --help and -h on standard output with exit 0, in the chosen language', () => {
    for (const args of [['--help'], ['-h'], ['audit', '--help']]) {
      const result = run(args, folder);
      assert.equal(result.code, 0, args.join(' '));
      assert.match(result.stdout, /^Usage: secure-config-review <command> \[options\]/);
      assert.match(result.stdout, /--allow-empty-input/);
      assert.equal(result.stderr, '');
    }
    assert.match(run(['--help', '--lang', 'ja'], folder).stdout, /^使い方: secure-config-review/);
  });

  it('prints --version', () => {
    for (const args of [['--version'], ['-v']]) assert.deepEqual(run(args, folder), { code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('takes options anywhere: before the command, between paths, as --name=value', () => {
    const before = run(['--format', 'json', '--fail-on=none', 'audit', 'etc'], folder);
    assert.equal(before.code, 0, before.stderr);
    assert.equal(JSON.parse(before.stdout).files[0].path, 'etc/postfix/main.cf');
    const between = run(['audit', 'etc/postfix', '--lang', 'ja', 'etc'], folder);
    assert.match(between.stdout, /^etc\/postfix\/main\.cf:2:26: error .*グローバルアドレス/);
    assert.match(between.stderr, /1 ファイルを監査/, 'etc/postfix/main.cf is reached twice and audited once');
  });

  it('writes SARIF 2.1.0 with rule docs, threat links, exact regions and fix replacements', () => {
    const sarif = JSON.parse(run(['audit', '--format', 'sarif'], folder).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    const rule = run0.tool.driver.rules[0];
    assert.equal(rule.id, 'postfix/mynetworks-public-range');
    // The rule's page is embedded (no link to where the tool is installed): test/unit/sarif.test.ts.
    assert.equal(rule.helpUri, undefined);
    assert.match(rule.help.markdown, /^# /);
    assert.ok(rule.fullDescription.text.length > 50);
    assert.ok(rule.properties.threats.includes('incident-2020h1-21'));
    const result = run0.results[0];
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 26, endLine: 2, endColumn: 37 });
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'etc/postfix/main.cf', uriBaseId: '%SRCROOT%' });
    assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '172.16.0.0/12');
    assert.deepEqual(run0.invocations, [{ executionSuccessful: true, exitCode: 1, toolExecutionNotifications: [] }]);
  });

  it('writes JSON and Markdown reports', () => {
    const json = JSON.parse(run(['audit', '--format', 'json'], folder).stdout);
    assert.equal(json.files[0].findings[0].ruleId, 'postfix/mynetworks-public-range');
    assert.deepEqual(json.summary, {
      files: 1,
      findings: 1,
      bySeverity: { error: 1, warning: 0, info: 0 },
      suppressed: 0,
      unreadable: 0,
      unreadableSkipped: 0,
    });
    const markdown = run(['audit', '--format', 'markdown'], folder).stdout;
    assert.match(markdown, /incident-2020h1-21/);
  });

  it('explains a rule and a catalogue entry, and suggests the id meant', () => {
    assert.match(run(['explain', 'postfix/mynetworks-public-range'], folder).stdout, /172\.16\.0\.0\/12/);
    assert.match(run(['explain', 'incident-2020h1-21', '--lang', 'ja'], folder).stdout, /項番21/);
    const typo = run(['explain', 'postfix/mynetwork-public-range'], folder);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /did you mean "postfix\/mynetworks-public-range"/);
  });

  it('skips node_modules and .git by default, and enters them with --no-ignore', () => {
    mkdirSync(path.join(folder, '.git'), { recursive: true });
    writeFileSync(path.join(folder, '.git', 'main.cf'), 'mynetworks = 0.0.0.0/0\n');
    try {
      assert.match(run(['audit', '--fail-on', 'none'], folder).stderr, /^1 files audited/m);
      const all = run(['audit', '--no-ignore', '--format', 'json'], folder);
      assert.deepEqual(
        JSON.parse(all.stdout).files.map((file: { path: string }) => file.path),
        ['.git/main.cf', 'etc/postfix/main.cf', 'node_modules/x/main.cf'],
      );
    } finally {
      rmSync(path.join(folder, '.git'), { recursive: true, force: true });
    }
  });

  it('honours .secure-config-reviewignore (gitignore syntax, nested) and --exclude', () => {
    const tree = mkdtempSync(path.join(tmpdir(), 'scr-ignore-'));
    try {
      for (const name of ['a/main.cf', 'b/main.cf', 'b/keep/main.cf', 'c/main.cf', 'backup/main.cf']) {
        mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
        writeFileSync(path.join(tree, name), MISTAKE);
      }
      writeFileSync(path.join(tree, '.secure-config-reviewignore'), '# old copies\nbackup/\n/b/*\n!/b/keep/\n');
      writeFileSync(path.join(tree, 'c', '.secure-config-reviewignore'), 'main.cf\n');
      const audited = (args: string[], cwd = tree) =>
        (JSON.parse(run(['audit', '--format', 'json', ...args], cwd).stdout).files as { path: string }[]).map((file) => file.path);
      assert.deepEqual(audited([]), ['a/main.cf', 'b/keep/main.cf']);
      assert.deepEqual(audited(['--exclude', 'keep', '--exclude', 'a/main.cf']), []);
      assert.deepEqual(audited(['b']), ['b/keep/main.cf'], 'the project folder’s ignore file applies to a subfolder named on the command line');
      assert.deepEqual(audited(['--no-ignore']), ['a/main.cf', 'b/keep/main.cf', 'b/main.cf', 'backup/main.cf', 'c/main.cf']);
      assert.deepEqual(audited(['--exclude', path.join(tree, 'a')]), ['b/keep/main.cf'], 'an absolute --exclude');
      assert.deepEqual(audited(['c/main.cf']), ['c/main.cf'], 'a file named on the command line is audited');
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('shows paths as they were given: relative stays relative, absolute stays absolute', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'scr-elsewhere-'));
    try {
      const relative = path.relative(elsewhere, path.join(folder, 'etc'));
      assert.match(run(['audit', relative], elsewhere).stdout, new RegExp(`^${relative.replace(/[.]/g, '\\.')}/postfix/main\\.cf:2:26: `));
      const absolute = path.join(folder, 'etc');
      assert.match(run(['audit', absolute], elsewhere).stdout, new RegExp(`^${absolute}/postfix/main\\.cf:2:26: `));
      assert.match(run(['audit', `./etc//postfix/`], folder).stdout, /^etc\/postfix\/main\.cf:2:26: /);
      const sarif = JSON.parse(run(['audit', absolute, '--format', 'sarif'], elsewhere).stdout);
      // SARIF locates files relative to %SRCROOT% (here the audited folder: no repository above it).
      assert.deepEqual(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'postfix/main.cf', uriBaseId: '%SRCROOT%' });
      assert.equal(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `file://${absolute}/`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('audits a file named three ways once', () => {
    const result = run(['audit', 'etc/postfix/main.cf', './etc/postfix/main.cf', path.join(folder, 'etc/postfix/main.cf'), '--format', 'json'], folder);
    assert.deepEqual(
      JSON.parse(result.stdout).files.map((file: { path: string }) => file.path),
      ['etc/postfix/main.cf'],
    );
  });

  it('says so and exits 2 when no file was audited, unless --allow-empty-input', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'scr-empty-'));
    try {
      writeFileSync(path.join(empty, 'notes.txt'), 'nothing to see\n');
      const result = run(['audit'], empty);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /no configuration file was found, so nothing was audited/);
      assert.equal(run(['audit', '--allow-empty-input'], empty).code, 0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reports a missing path in one line, audits the rest and exits 2', () => {
    const result = run(['audit', 'no/such/folder', 'etc'], folder);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^secure-config-review: no\/such\/folder: no such file or folder$/m);
    assert.match(result.stdout, /^etc\/postfix\/main\.cf:2:26: /);
    assert.match(result.stderr, /1 files audited, 1 findings \(1 error, 0 warning, 0 info\), 1 paths could not be read/);
  });

  it('turns file-system errors of docs and --output into one line each, without a stack trace', () => {
    const cases: Array<[string[], RegExp]> = [
      [['docs', path.join(folder, 'README.txt')], /cannot write .*README\.txt: a file is in the way where a folder is needed/],
      [['docs', '/proc/scr-no-such-folder'], /cannot write \/proc\/scr-no-such-folder: /],
      [['audit', '--output', '/nonexistent-folder/report.sarif'], /cannot write \/nonexistent-folder\/report\.sarif: no such file or folder/],
    ];
    for (const [args, message] of cases) {
      const result = run(args, folder);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, NO_STACK);
    }
  });
});

describe('CLI: the project file is validated and stops the run', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'scr-settings-'));
    writeFileSync(path.join(folder, 'main.cf'), MISTAKE);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const withProjectFile = (content: string, args: string[] = []) => {
    writeFileSync(path.join(folder, '.secure-config-review.json'), content);
    return run(['audit', ...args], folder);
  };

  const cases: Array<[string, string, RegExp]> = [
    ['invalid JSON', '{\n  "rules": {\n', /^\.secure-config-review\.json:3:1: not valid JSON: the file ends in the middle of a value$/m],
    ['a trailing comma', '{ "rules": {}, }', /^\.secure-config-review\.json:1:16: not valid JSON: unexpected character "}"$/m],
    [
      'wrong types',
      '{ "rules": [], "trustedNetworks": "10.0.0.0/8" }',
      /:1:12: "rules" must be an object\n.*:1:35: "trustedNetworks" must be a list of address ranges/,
    ],
    ['an unknown key', '{ "trustedNetwork": [] }', /:1:3: unknown setting "trustedNetwork" \(did you mean "trustedNetworks"\?\)/],
    [
      'a misspelt rule id',
      '{ "rules": { "postfix/mynetwork-public-range": "off" } }',
      /:1:14: unknown rule "postfix\/mynetwork-public-range" \(did you mean "postfix\/mynetworks-public-range"\?\)/,
    ],
    ['a bad rule setting', '{ "rules": { "postfix/mynetworks-public-range": "quiet" } }', /:1:49: rule "postfix\/mynetworks-public-range": expected "off"/],
    ['a word as a range', '{ "trustedNetworks": ["banana"] }', /:1:23: banana is not an address range/],
    ['an impossible prefix', '{ "trustedNetworks": ["10.0.0.0/8", "172.0.0.0/88"] }', /:1:37: 172\.0\.0\.0\/88 is not an address range/],
    ['an unknown format id', '{ "fileAssociations": { "*.conf": "ngnix" } }', /:1:35: unknown format "ngnix" \(did you mean "nginx"\?\)/],
  ];
  for (const [what, content, message] of cases)
    it(`refuses ${what} with exit 2, naming the line`, () => {
      const result = withProjectFile(content);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /problem\(s\) in the project file; nothing was audited/);
      assert.equal(result.stdout, '', 'nothing is audited on a default policy');
    });

  it('refuses a --config file that does not exist', () => {
    const result = run(['audit', '--config', 'nope.json'], folder);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read the project file: nope\.json: no such file or folder/);
  });

  it('says it in Japanese with --lang ja', () => {
    assert.match(withProjectFile('{ "trustedNetworks": ["banana"] }', ['--lang', 'ja']).stderr, /banana はアドレス範囲ではありません/);
  });

  it('accepts a valid file and applies it', () => {
    const result = withProjectFile('{ "$schema": "x", "trustedNetworks": ["172.0.0.0/8"], "rules": { "postfix/mynetworks-host-bits": false } }');
    assert.equal(result.code, 0, result.stderr);
  });
});

describe('CLI: suppression comments', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'scr-suppress-'));
    writeFileSync(
      path.join(folder, 'main.cf'),
      [
        'compatibility_level = 3.6',
        '# secure-config-review-disable-next-line postfix/mynetworks-public-range -- leased from our provider, contract 2020-114',
        'mynetworks = 127.0.0.0/8 172.0.0.0/8',
        '# secure-config-review-disable-next-line postfix/mynetworks-host-bits -- stale',
        'myhostname = mail.example.com',
        '# secure-config-review-disable-file * -- everything',
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('reports invalid and unused suppressions, and counts what was suppressed', () => {
    const result = run(['audit'], folder);
    assert.equal(result.code, 1, 'the invalid suppression is a warning');
    assert.deepEqual(result.stdout.trim().split('\n'), [
      'main.cf:4:42: info config/unused-suppression This suppression of postfix/mynetworks-host-bits hides no finding: remove it.',
      'main.cf:6:37: warning config/invalid-suppression This suppression comment is ignored: "*" is not allowed (name each rule it suppresses).',
    ]);
    assert.match(result.stderr, /1 files audited, 2 findings \(0 error, 1 warning, 1 info\), 1 suppressed/);
  });

  it('carries suppressed findings in JSON and in SARIF, with the reason as justification', () => {
    const json = JSON.parse(run(['audit', '--format', 'json'], folder).stdout);
    assert.equal(json.summary.suppressed, 1);
    assert.equal(json.files[0].suppressed[0].ruleId, 'postfix/mynetworks-public-range');
    assert.deepEqual(json.files[0].suppressed[0].suppression, { kind: 'next-line', reason: 'leased from our provider, contract 2020-114', line: 1 });
    const sarif = JSON.parse(run(['audit', '--format', 'sarif'], folder).stdout);
    const suppressed = sarif.runs[0].results.filter((result: { suppressions?: unknown[] }) => result.suppressions);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0].ruleId, 'postfix/mynetworks-public-range');
    assert.deepEqual(suppressed[0].suppressions[0].kind, 'inSource');
    assert.deepEqual(suppressed[0].suppressions[0].justification, 'leased from our provider, contract 2020-114');
    const markdown = run(['audit', '--format', 'markdown'], folder).stdout;
    assert.match(markdown, /Suppressed by comments: 1/);
    assert.match(markdown, /main\.cf:3 `postfix\/mynetworks-public-range` — .*\(reason: leased from our provider, contract 2020-114\)/);
  });
});

describe('CLI: complete output whatever the sink', function () {
  let folder: string;
  const big = () => path.join(folder, 'tree');
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'scr-pipe-'));
    // 40 Postfix configurations with 20 public mynetworks entries each: 800 findings, over a megabyte of SARIF.
    const entries = Array.from({ length: 20 }, (_, index) => `${index + 30}.0.0.0/8`).join(' ');
    for (let site = 0; site < 40; site++) {
      mkdirSync(path.join(big(), `site-${site}`), { recursive: true });
      writeFileSync(path.join(big(), `site-${site}`, 'main.cf'), `compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 ${entries}\n`);
    }
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('delivers a > 1 MB SARIF whole through a pipe to a reader that starts late', async () => {
    const child = spawn(process.execPath, [CLI, 'audit', big(), '--format', 'sarif'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    // Nothing is read from standard output until the CLI has said it is done (its summary follows the report)
    // or has ended: a CLI that exits with writes pending loses everything past the pipe's 64 KiB buffer.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/files audited/.test(stderr)) resolve();
      });
      child.on('exit', () => resolve());
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    const output = Buffer.concat(chunks).toString('utf8');
    assert.ok(output.length > 1024 * 1024, `only ${output.length} bytes arrived`);
    assert.equal(JSON.parse(output).runs[0].results.length, 800);
    assert.equal(code, 1, stderr);
  });

  it('delivers JSON and SARIF whole through a shell pipe into another program', () => {
    const reader = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);console.log(s.length, (r.files||r.runs[0].results).length)})`;
    for (const format of ['sarif', 'json']) {
      const result = spawnSync('sh', ['-c', `"$0" "$1" audit "$2" --format ${format} | "$0" -e "$3"`, process.execPath, CLI, big(), reader], {
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      const [length, count] = result.stdout.trim().split(' ').map(Number);
      assert.ok(length! > 1024 * 1024 || format === 'json', `${format}: ${length} bytes`);
      assert.equal(count, format === 'sarif' ? 800 : 40);
    }
  });

  it('writes the same report with --output', () => {
    const file = path.join(folder, 'report.sarif');
    assert.equal(run(['audit', big(), '--format', 'sarif', '--output', file], folder).code, 1);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).runs[0].results.length, 800);
  });
});
