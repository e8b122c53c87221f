// Referee: MariaDB's my_print_defaults reads each MySQL/MariaDB fixture and corpus option file, and the
// last value of every option in the server groups must equal our effective value (names compared after
// `-`/`_` folding and without `loose-`). `!include`/`!includedir` are pointed at the copied siblings the
// way our loader finds them (same relative path, the part below /etc/mysql/, or the base name); an
// include with no copy is commented out, since our loader reads nothing for it either.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { loadMysqlConfig } from '../../../src/families/mysql/formats';
import { isServerGroup, normaliseOptionName } from '../../../src/families/mysql/option-file';
import { memoryFiles } from '../../support/fixtures';
import { type Input, type Tally, inputs, printTable, requireProgram, withTempDir } from './support';

// The groups mariadbd 10.11 reads (mysqld --help: "default options are read from the following groups").
const GROUPS = ['mysqld', 'server', 'mysqld-10.11', 'mariadb', 'mariadb-10.11', 'mariadbd', 'mariadbd-10.11', 'client-server', 'galera'];

async function modelValues(input: Input): Promise<Map<string, string | undefined>> {
  const files = new Map([[`/ref/${input.baseName}`, input.text], ...[...input.siblings].map(([name, text]) => [`/ref/${name}`, text] as [string, string])]);
  const config = await loadMysqlConfig(new SourceText(`/ref/${input.baseName}`, input.text), memoryFiles(files), []);
  const out = new Map<string, string | undefined>();
  for (const option of config.options) if (isServerGroup(option.group) && GROUPS.includes(option.group)) out.set(option.name, option.value?.text);
  return out;
}

function copyTree(input: Input, folder: string): string {
  const local = (target: string): string | undefined => {
    const bare = target.replace(/\/+$/, '');
    const candidates = [
      bare.startsWith('/') ? undefined : bare,
      bare.startsWith('/etc/mysql/') ? bare.slice('/etc/mysql/'.length) : undefined,
      path.basename(bare),
    ];
    return candidates.find((candidate) => candidate !== undefined && existsSync(path.join(folder, candidate)));
  };
  const rewrite = (text: string) =>
    text.replace(/^([ \t]*!include(?:dir)?[ \t]+)(.+?)[ \t]*$/gm, (line, head: string, target: string) => {
      const found = local(target);
      return found ? `${head}${path.join(folder, found)}` : `# referee: no copy of ${line.trim()}`;
    });
  for (const [name, text] of input.siblings) writeFileSync(path.join(folder, name), text);
  // A sibling folder named by !includedir (conf.d/) is made from siblings only when our loader would read it: none here.
  for (const [name, text] of input.siblings) writeFileSync(path.join(folder, name), rewrite(text));
  mkdirSync(path.join(folder, 'main'), { recursive: true });
  const main = path.join(folder, 'main', input.baseName);
  writeFileSync(main, rewrite(input.text));
  return main;
}

function programValues(program: string, file: string): Map<string, string | undefined> | string {
  const result = spawnSync(program, [`--defaults-file=${file}`, ...GROUPS], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) return `my_print_defaults failed: ${(result.stderr || result.stdout).trim()}`;
  const out = new Map<string, string | undefined>();
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(line);
    if (match) out.set(normaliseOptionName(match[1]!), match[2]);
  }
  return out;
}

describe('referee: my_print_defaults agrees with our MySQL/MariaDB option-file model', function () {
  this.timeout(60_000);
  it('every server-group option has the value my_print_defaults prints last', async function () {
    const program = requireProgram(this, 'my_print_defaults (Debian package mariadb-server / mariadb-client-core)', [
      '/usr/bin/my_print_defaults',
      '/usr/local/bin/my_print_defaults',
    ]);
    const tally: Tally = { files: 0, values: 0, disagreements: [] };
    for (const input of inputs(['mysql-cnf'], ['mysql'])) {
      const model = await modelValues(input);
      const daemon = withTempDir('scr-mysql-', (folder) => programValues(program, copyTree(input, folder)));
      tally.files++;
      if (typeof daemon === 'string') {
        tally.disagreements.push(`${input.name}: ${daemon}`);
        continue;
      }
      for (const name of new Set([...model.keys(), ...daemon.keys()])) {
        tally.values++;
        if (!model.has(name) || !daemon.has(name) || model.get(name) !== daemon.get(name))
          tally.disagreements.push(
            `${input.name}: ${name} is ${daemon.has(name) ? JSON.stringify(daemon.get(name) ?? '(flag)') : 'absent'} for my_print_defaults, ${model.has(name) ? JSON.stringify(model.get(name) ?? '(flag)') : 'absent'} for us`,
          );
      }
    }
    printTable('my_print_defaults referee', tally);
    assert.ok(tally.files > 0, 'no option files found');
    assert.deepEqual(tally.disagreements, []);
  });
});
