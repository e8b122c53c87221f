// Referee: a throw-away PostgreSQL 15 cluster (initdb in a temporary folder, run as the `postgres` user when
// we are root, listening on a unix socket in that folder only: listen_addresses=''). Each pg_hba.conf
// fixture or corpus file is copied over the cluster's pg_hba.conf and `pg_hba_file_rules` (which parses the
// file on disk when queried) must list our records in order with the same type, database, user, address,
// netmask and method. Each postgresql.conf is copied over the cluster's postgresql.conf and
// `pg_file_settings` (likewise parsed when queried; pg_settings would need a restart per file) must give
// our effective value for listen_addresses and every other setting we read. The server runs with ssl=on
// (a throw-away self-signed certificate) so that hostssl lines load as they would in production.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { loadHba, loadPgConf, effectiveSetting } from '../../../src/families/postgresql/formats';
import { memoryFiles } from '../../support/fixtures';
import { type Input, type Tally, inputs, printTable, requireProgram, withTempDirAsync } from './support';

const BIN =
  ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find((folder) => existsSync(`${folder}/initdb`)) ??
  '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

function asPostgres(command: string, args: string[]): string[] {
  return isRoot ? ['runuser', '-u', 'postgres', '--', command, ...args] : [command, ...args];
}

function run(command: string, args: string[]): { status: number | null; out: string } {
  const [program, ...rest] = asPostgres(command, args);
  const result = spawnSync(program!, rest, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

function netmask(prefix: number, version: 4 | 6): string {
  if (version === 4) return [0, 1, 2, 3].map((octet) => (0xff << (8 - Math.max(0, Math.min(8, prefix - octet * 8)))) & 0xff).join('.');
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((group) => ((0xffff << (16 - Math.max(0, Math.min(16, prefix - group * 16)))) & 0xffff).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** PostgreSQL 15 has no include lines in pg_hba.conf (16 added them): such files cannot be judged here. */
const usesHbaInclude = (text: string) => /^\s*include(_if_exists|_dir)?\s/m.test(text);

/** The sibling files a pg_hba.conf names as @file lists; they are copied beside the cluster's pg_hba.conf. */
const listFiles = (input: Input) => [...input.siblings].filter(([name]) => input.text.includes(`@${name}`));

async function ourHbaRows(input: Input): Promise<string[]> {
  const files = memoryFiles(new Map(listFiles(input).map(([name, text]) => [`/ref/${name}`, text])));
  const { records } = await loadHba(new SourceText('/ref/pg_hba.conf', input.text), files, []);
  return records.map((record) => {
    const address = record.address;
    let addressText = '';
    let mask = '';
    if (address?.kind === 'range') {
      addressText = address.token.text.replace(/\/.*$/, '').replace(/^\[|\]$/g, '');
      mask = netmask(address.parsed.prefix, address.parsed.version);
    } else if (address) addressText = address.token.text;
    const names = (members: typeof record.users) =>
      `{${members.map((member) => (/[\s,{}"]/.test(member.text) || member.text === '' ? `"${member.text}"` : member.text)).join(',')}}`;
    return [record.type.text, names(record.databases), names(record.users), addressText, mask, record.method.text].join('|');
  });
}

async function ourSettings(input: Input): Promise<Map<string, string>> {
  const files = new Map([[`/ref/${input.baseName}`, input.text], ...[...input.siblings].map(([name, text]) => [`/ref/${name}`, text] as [string, string])]);
  const conf = await loadPgConf(new SourceText(`/ref/${input.baseName}`, input.text), memoryFiles(files), []);
  return new Map(conf.settings.map((setting) => [setting.name, effectiveSetting(conf, setting.name)!.value]));
}

describe('referee: a throw-away PostgreSQL cluster agrees with our pg_hba.conf and postgresql.conf models', function () {
  this.timeout(300_000);
  it('pg_hba_file_rules and pg_file_settings equal our records and effective settings', async function () {
    requireProgram(this, 'PostgreSQL server binaries (Debian package postgresql-15)', [`${BIN}/initdb`]);
    const hbaInputs = inputs(['pg-hba'], ['postgresql']).filter((input) => !usesHbaInclude(input.text));
    const confInputs = inputs(['postgresql-conf'], ['postgresql']);
    const tally: Tally = { files: 0, values: 0, disagreements: [] };
    await withTempDirAsync('scr-pg-', async (folder) => {
      chmodSync(folder, 0o755);
      const data = path.join(folder, 'data');
      if (isRoot)
        chownSync(
          folder,
          Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
          Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
        );
      const init = run(`${BIN}/initdb`, ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
      assert.equal(init.status, 0, `initdb failed: ${init.out}`);
      // hostssl lines "cannot match" on a server without SSL: give it a throw-away self-signed certificate.
      const cert = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=referee',
          '-keyout',
          path.join(data, 'server.key'),
          '-out',
          path.join(data, 'server.crt'),
        ],
        { encoding: 'utf8' },
      );
      assert.equal(cert.status, 0, `openssl failed: ${cert.stderr}`);
      chmodSync(path.join(data, 'server.key'), 0o600);
      if (isRoot) spawnSync('chown', ['postgres:postgres', path.join(data, 'server.key'), path.join(data, 'server.crt')]);
      const [program, ...args] = asPostgres(`${BIN}/postgres`, [
        '-D',
        data,
        '-c',
        'listen_addresses=',
        '-c',
        `unix_socket_directories=${folder}`,
        '-c',
        'port=5432',
        '-c',
        'logging_collector=off',
        '-c',
        'ssl=on',
      ]);
      const server = spawn(program!, args, { stdio: 'ignore' });
      const hba = path.join(data, 'pg_hba.conf');
      const conf = path.join(data, 'postgresql.conf');
      const originalHba = `${hba}.referee`;
      copyFileSync(hba, originalHba);
      const query = (sql: string) => run(`${BIN}/psql`, ['-h', folder, '-p', '5432', '-U', 'postgres', '-d', 'postgres', '-AtX', '-F', '|', '-c', sql]);
      try {
        for (let attempt = 0; attempt < 100 && query('select 1').status !== 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
        const write = (file: string, text: string) => {
          writeFileSync(file, text);
          if (isRoot) spawnSync('chown', ['postgres:postgres', file]);
        };
        for (const input of hbaInputs) {
          // pg_hba.conf.sample's @placeholders@ lines are initdb's to fill in; our model skips them, so does the copy.
          write(hba, input.text.replace(/^.*@[\w-]+@.*$/gm, '# referee: initdb template line'));
          for (const [name, text] of listFiles(input)) write(path.join(data, name), text);
          const result = query(
            "select type, database, user_name, coalesce(address,''), coalesce(netmask,''), auth_method, coalesce(error,'') from pg_hba_file_rules order by line_number",
          );
          tally.files++;
          const theirs = result.out.trim().split('\n').filter(Boolean);
          const errors = theirs.filter((row) => !row.endsWith('|'));
          const rows = theirs.filter((row) => row.endsWith('|')).map((row) => row.slice(0, -1));
          const ours = await ourHbaRows(input);
          tally.values += Math.max(rows.length, ours.length) * 6;
          if (errors.length) tally.disagreements.push(`${input.name}: PostgreSQL rejects lines: ${errors.join(' / ')}`);
          for (let i = 0; i < Math.max(rows.length, ours.length); i++)
            if (rows[i] !== ours[i])
              tally.disagreements.push(`${input.name}: record ${i + 1} is "${rows[i] ?? '(none)'}" for PostgreSQL, "${ours[i] ?? '(none)'}" for us`);
        }
        copyFileSync(originalHba, hba);
        for (const input of confInputs) {
          write(conf, input.text);
          const result = query(
            "select name, coalesce(setting,''), coalesce(error,'') from pg_file_settings where sourcefile = current_setting('config_file') order by seqno",
          );
          tally.files++;
          const theirs = new Map<string, string>();
          const ignoredNames = new Set<string>();
          for (const row of result.out.trim().split('\n').filter(Boolean)) {
            const [name, setting, error] = row.split('|');
            // Not reading errors: a postmaster-only setting differing from the running one ("could not be
            // applied", the value is still read), a parameter removed before 15 (stats_temp_directory of a
            // 9.6 file), and an include_dir we have no copy of (our loader reads nothing there either).
            if (error === 'setting could not be applied') theirs.set(name!, setting!);
            else if (error === 'unrecognized configuration parameter') ignoredNames.add(name!);
            else if (!name && /could not open directory/.test(error ?? '')) continue;
            else if (error) tally.disagreements.push(`${input.name}: PostgreSQL reports ${name}: ${error}`);
            else theirs.set(name!, setting!);
          }
          const ours = await ourSettings(input);
          for (const name of new Set([...theirs.keys(), ...ours.keys()])) {
            if (name.startsWith('include') || ignoredNames.has(name)) continue;
            tally.values++;
            if (theirs.get(name) !== ours.get(name))
              tally.disagreements.push(
                `${input.name}: ${name} is ${JSON.stringify(theirs.get(name))} for PostgreSQL, ${JSON.stringify(ours.get(name))} for us`,
              );
          }
          if (!ours.has('listen_addresses') && !theirs.has('listen_addresses')) tally.values++; // both leave the default 'localhost'
        }
      } finally {
        // runuser does not pass SIGINT on: stop the postmaster itself (fast shutdown), by the pid it wrote.
        const exited = new Promise((resolve) => (server.exitCode !== null ? resolve(undefined) : server.once('exit', resolve)));
        const pidFile = path.join(data, 'postmaster.pid');
        const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
        if (postmaster) process.kill(postmaster, 'SIGINT');
        else server.kill('SIGKILL');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
    });
    printTable('PostgreSQL referee', tally);
    assert.ok(tally.files > 0, 'no PostgreSQL files found');
    assert.deepEqual(tally.disagreements, []);
  });
});
