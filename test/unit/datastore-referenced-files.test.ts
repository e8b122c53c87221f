// Files a datastore configuration names: pg_hba.conf includes and @file lists, compose env_file entries.
import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import { loadHba } from '../../src/families/postgresql/formats';
import { parseEnvFileEntries } from '../../src/families/compose/env-file';
import type { ParseProblem } from '../../src/core/format';
import { memoryFiles } from '../support/fixtures';
import { engine } from '../../src/product';

const textAt = (files: Map<string, string>, span: { file: string; start: number; end: number }) => files.get(span.file)!.slice(span.start, span.end);

describe('pg_hba.conf include lines and @file lists', () => {
  it('expands include, include_dir (*.conf in name order) and @file lists in place, with spans in the files they come from', async () => {
    const files = new Map([
      ['/pg/pg_hba.conf', 'local all all peer\ninclude_dir conf.d\nhost all @admins 10.0.0.0/8 trust\ninclude_if_exists absent.conf\n'],
      ['/pg/conf.d/20-b.conf', 'host all all 192.0.2.0/24 reject\n'],
      ['/pg/conf.d/10-a.conf', 'include ../more/extra\n'],
      ['/pg/conf.d/notes.txt', 'host all all 0.0.0.0/0 trust\n'],
      ['/pg/more/extra', 'hostssl db1,db2 "a b" ::1/128 scram-sha-256\n'],
      ['/pg/admins', '# DBAs\nalice, bob\ncarol # on call\n'],
    ]);
    const problems: ParseProblem[] = [];
    const { records, sources } = await loadHba(new SourceText('/pg/pg_hba.conf', files.get('/pg/pg_hba.conf')!), memoryFiles(files), problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((record) => `${record.type.text} ${record.span.file}`),
      ['local /pg/pg_hba.conf', 'hostssl /pg/more/extra', 'host /pg/conf.d/20-b.conf', 'host /pg/pg_hba.conf'],
    );
    assert.deepEqual(
      records[1]!.databases.map((member) => member.text),
      ['db1', 'db2'],
    );
    assert.deepEqual(
      records[1]!.users.map((member) => [member.text, member.quoted]),
      [['a b', true]],
    );
    const admins = records[3]!.users;
    assert.deepEqual(
      admins.map((member) => member.text),
      ['alice', 'bob', 'carol'],
    );
    assert.deepEqual(
      admins.map((member) => textAt(files, member.span)),
      ['alice', 'bob', 'carol'],
    );
    assert.ok(admins.every((member) => member.span.file === '/pg/admins'));
    assert.ok(sources.some((source) => source.path === '/pg/admins') && !sources.some((source) => source.path.endsWith('notes.txt')));
  });

  it('reports a missing include and a file including itself, but not a missing include_if_exists', async () => {
    const files = new Map([['/pg/pg_hba.conf', 'include_if_exists gone.conf\ninclude gone.conf\ninclude pg_hba.conf\n']]);
    const result = await engine.lintFile('/pg/pg_hba.conf', files.get('/pg/pg_hba.conf')!, { files: memoryFiles(files) });
    assert.deepEqual(
      result.findings.map((finding) => `${finding.ruleId}:${finding.range.start.line}`),
      ['config/parse-problem:1', 'config/parse-problem:2'],
    );
  });

  it('names the roles of an @file list in the trust finding', async () => {
    const files = new Map([
      ['/pg/pg_hba.conf', 'host all @admins 10.0.0.0/8 trust\n'],
      ['/pg/admins', 'alice bob\n'],
      ['/pg/postgresql.conf', "listen_addresses = '*'\n"],
    ]);
    const result = await engine.lintFile('/pg/pg_hba.conf', files.get('/pg/pg_hba.conf')!, { files: memoryFiles(files) });
    assert.match(result.findings[0]!.message.en, /@admins \(alice, bob\)/);
  });
});

describe('compose env_file contents', () => {
  it('reads KEY=VALUE lines with exact value spans, quotes, export, comments and interpolation', () => {
    const text = '# comment\nexport A=plain # note\nB="dq \\"x\\" #not"\nC=\'$HOME #lit\'\nD=${SET:-fallback}\nE=\nBARE\n  F = spaced\n';
    const entries = parseEnvFileEntries(new SourceText('/p/x.env', text), new Map([['SET', 'value']]));
    const files = new Map([['/p/x.env', text]]);
    assert.deepEqual(
      entries.map((entry) => [entry.name, entry.value, textAt(files, entry.span)]),
      [
        ['A', 'plain', 'plain'],
        ['B', 'dq "x" #not', 'dq \\"x\\" #not'],
        ['C', '$HOME #lit', '$HOME #lit'],
        ['D', 'value', '${SET:-fallback}'],
        ['E', '', ''],
        ['BARE', undefined, 'BARE'],
        ['F', 'spaced', 'spaced'],
      ],
    );
  });

  it('lets environment: override env_file, and later env files override earlier ones', async () => {
    const compose = 'services:\n  db:\n    image: mysql:8.0\n    env_file: [a.env, b.env]\n    environment:\n      MYSQL_PASSWORD: ${PW:?set PW}\n';
    const files = new Map([
      ['/p/docker-compose.yml', compose],
      ['/p/a.env', 'MYSQL_ROOT_PASSWORD=root\nMYSQL_PASSWORD=root\n'],
      ['/p/b.env', 'MYSQL_ROOT_PASSWORD=Vq8sL2mR7tZx4Kp1Qw\n'],
    ]);
    const quiet = await engine.lintFile('/p/docker-compose.yml', compose, { files: memoryFiles(files) });
    assert.deepEqual(quiet.findings, []);
    files.set('/p/b.env', '# nothing here\n');
    const loud = await engine.lintFile('/p/docker-compose.yml', compose, { files: memoryFiles(files) });
    assert.deepEqual(
      loud.findings.map((finding) => [finding.ruleId, finding.range.start.line, finding.related.map((item) => `${item.file}:${item.range.start.line}`)]),
      [['compose/default-or-empty-credentials', 3, ['/p/a.env:0']]],
    );
  });
});
