import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI (dist/cli.js, built by `npm test` before mocha)', () => {
  let folder: string;
  before(() => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
    folder = mkdtempSync(path.join(tmpdir(), 'scr-cli-'));
    mkdirSync(path.join(folder, 'etc', 'postfix'), { recursive: true });
    mkdirSync(path.join(folder, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(folder, 'etc', 'postfix', 'main.cf'), 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n');
    writeFileSync(path.join(folder, 'node_modules', 'x', 'main.cf'), 'mynetworks = 0.0.0.0/0\n');
    writeFileSync(path.join(folder, 'README.txt'), 'not a config\n');
  });

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
    assert.match(run(['audit', '--lang', 'ja'], folder).stdout, /グローバルアドレス/);
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

  it('exits 2 on usage errors', () => {
    assert.equal(run(['audit', '--format', 'xml'], folder).code, 2);
    assert.equal(run(['audit', 'no/such/folder'], folder).code, 2);
    assert.equal(run(['frobnicate'], folder).code, 2);
  });

  it('writes SARIF 2.1.0 with rule docs, threat links, exact regions and fix replacements', () => {
    const sarif = JSON.parse(run(['audit', '--format', 'sarif'], folder).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    const rule = run0.tool.driver.rules[0];
    assert.equal(rule.id, 'postfix/mynetworks-public-range');
    assert.match(rule.helpUri, /^file:\/\/.*docs\/rules\/postfix\/mynetworks-public-range\.md$/);
    assert.ok(existsSync(new URL(rule.helpUri)), `${rule.helpUri} does not exist`);
    assert.ok(rule.fullDescription.text.length > 50);
    assert.ok(rule.properties.threats.includes('incident-2020h1-21'));
    const result = run0.results[0];
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 26, endLine: 2, endColumn: 37 });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'etc/postfix/main.cf');
    assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '172.16.0.0/12');
  });

  it('writes JSON and Markdown reports', () => {
    const json = JSON.parse(run(['audit', '--format', 'json'], folder).stdout);
    assert.equal(json.files[0].findings[0].ruleId, 'postfix/mynetworks-public-range');
    const markdown = run(['audit', '--format', 'markdown'], folder).stdout;
    assert.match(markdown, /incident-2020h1-21/);
  });

  it('explains a rule and a catalogue entry', () => {
    assert.match(run(['explain', 'postfix/mynetworks-public-range'], folder).stdout, /172\.16\.0\.0\/12/);
    assert.match(run(['explain', 'incident-2020h1-21', '--lang', 'ja'], folder).stdout, /項番21/);
  });
});
