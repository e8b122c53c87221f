// What the Exim referee judges: every fixture (annotations removed) and golden file under
// test-fixtures/exim, every corpus file in ../shared/corpus/exim, and Debian's own configuration from the
// exim4-config package (split and non-split, and the corpus conf.d files put back in their place).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseAnnotated } from '../../support/fixtures';
import { EXIM_CONFIG, REPO } from './sandbox';

export interface EximCase {
  name: string;
  /** Relative path -> text, as the folder the daemon's configuration lives in. */
  files: Map<string, string>;
  /** The file whose model is judged and which Exim reads (or update-exim4.conf's input). */
  entry: string;
  kind: 'debconf' | 'conf';
}

const FIXTURES = path.join(REPO, 'test-fixtures/exim');
const CORPUS = path.resolve(REPO, '../shared/corpus/exim');

/** A Debian default update-exim4.conf.conf (what debconf writes for an internet site). */
export function debianDebconf(split: boolean): string {
  return [
    "dc_eximconfig_configtype='internet'",
    "dc_other_hostnames='referee.invalid'",
    "dc_local_interfaces='127.0.0.1 ; ::1'",
    "dc_readhost=''",
    "dc_relay_domains=''",
    "dc_minimaldns='false'",
    "dc_relay_nets=''",
    "dc_smarthost=''",
    "CFILEMODE='644'",
    `dc_use_split_config='${split}'`,
    "dc_hide_mailname=''",
    "dc_mailname_in_oh='true'",
    "dc_localdelivery='mail_spool'",
    '',
  ].join('\n');
}

function entryOf(files: Map<string, string>): EximCase['entry'] | undefined {
  const names = [...files.keys()];
  return names.find((name) => name.endsWith('update-exim4.conf.conf')) ?? names.find((name) => !name.includes('/'));
}

function walk(folder: string, relative = ''): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const entry of readdirSync(folder).sort()) {
    const full = path.join(folder, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full, `${relative}${entry}/`));
    else out.push([`${relative}${entry}`, readFileSync(full, 'utf8')]);
  }
  return out;
}

function fixtureCases(): EximCase[] {
  const out: EximCase[] = [];
  const visit = (folder: string) => {
    const entries = readdirSync(folder, { withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile());
    if (files.length) {
      const name = path.relative(FIXTURES, folder);
      const plain = new Map(
        files
          .filter((file) => !file.name.endsWith('.golden'))
          .map((file) => [file.name, parseAnnotated(readFileSync(path.join(folder, file.name), 'utf8')).text]),
      );
      const entry = entryOf(plain);
      if (entry) out.push({ name: `fixture ${name}`, files: plain, entry, kind: entry.endsWith('update-exim4.conf.conf') ? 'debconf' : 'conf' });
      const golden = new Map(plain);
      let any = false;
      for (const file of files.filter((item) => item.name.endsWith('.golden'))) {
        golden.set(file.name.slice(0, -'.golden'.length), readFileSync(path.join(folder, file.name), 'utf8'));
        any = true;
      }
      if (any && entry) out.push({ name: `golden ${name}`, files: golden, entry, kind: entry.endsWith('update-exim4.conf.conf') ? 'debconf' : 'conf' });
    }
    for (const entry of entries) if (entry.isDirectory()) visit(path.join(folder, entry.name));
  };
  visit(FIXTURES);
  return out;
}

function debianTree(split: boolean, replace?: [string, string]): Map<string, string> {
  const files = new Map<string, string>([['update-exim4.conf.conf', debianDebconf(split)]]);
  if (split) for (const [name, text] of walk(path.join(EXIM_CONFIG, 'conf.d'), 'conf.d/')) files.set(name, text);
  else files.set('exim4.conf.template', readFileSync(path.join(EXIM_CONFIG, 'exim4.conf.template'), 'utf8'));
  if (replace) files.set(replace[0], replace[1]);
  return files;
}

function corpusCases(): EximCase[] {
  if (!existsSync(CORPUS)) return [];
  const out: EximCase[] = [];
  for (const name of readdirSync(CORPUS).sort()) {
    const text = readFileSync(path.join(CORPUS, name), 'utf8');
    if (name.endsWith('update-exim4.conf.conf'))
      out.push({ name: `corpus ${name}`, files: new Map([['update-exim4.conf.conf', text]]), entry: 'update-exim4.conf.conf', kind: 'debconf' });
    else if (name.endsWith('.template')) {
      out.push({ name: `corpus ${name} (alone)`, files: new Map([['exim4.conf.template', text]]), entry: 'exim4.conf.template', kind: 'conf' });
      out.push({
        name: `corpus ${name} (with Debian's update-exim4.conf.conf)`,
        files: debianTree(false, ['exim4.conf.template', text]),
        entry: 'update-exim4.conf.conf',
        kind: 'debconf',
      });
    } else if (/exim4-config_/.test(name)) {
      // A conf.d file: back in its folder of Debian's split configuration.
      const base = name.replace(/^debian-/, '');
      const folder = /_options$|listmacrosdefs|tlsoptions|log_selector/.test(base) ? 'main' : 'acl';
      out.push({
        name: `corpus ${name} (in conf.d/${folder})`,
        files: debianTree(true, [`conf.d/${folder}/${base}`, text]),
        entry: 'update-exim4.conf.conf',
        kind: 'debconf',
      });
    } else out.push({ name: `corpus ${name}`, files: new Map([['exim.conf', text]]), entry: 'exim.conf', kind: 'conf' });
  }
  return out;
}

export function allCases(): EximCase[] {
  return [
    ...fixtureCases(),
    ...corpusCases(),
    { name: "Debian's split configuration", files: debianTree(true), entry: 'update-exim4.conf.conf', kind: 'debconf' },
    { name: "Debian's exim4.conf.template", files: debianTree(false), entry: 'update-exim4.conf.conf', kind: 'debconf' },
  ];
}
