import { modelKey, text } from '../../core/check';
import type { FormatHandler, LoadContext, Loaded, ParseProblem } from '../../core/format';
import { SourceText } from '../../core/source';
import { basename, dirname, folderEntries, joinPath, readSource } from '../shared/paths';
import { type Debconf, configType, debconfText, debianMacros, parseDebconf } from './debconf';
import { EximConfig, buildModel } from './model';
import { EximReader } from './reader';
import { judgeDebconf, judgeEximConf } from './sniff';

/** Debian's split configuration: conf.d/<folder> in update-exim4.conf's order, and the section each starts in. */
const SPLIT_FOLDERS: ReadonlyArray<[folder: string, section: string]> = [
  ['main', 'main'],
  ['acl', 'acl'],
  ['router', 'routers'],
  ['transport', 'transports'],
  ['retry', 'retry'],
  ['rewrite', 'rewrite'],
  ['auth', 'authenticators'],
];

/** update-exim4.conf's run-parts: names of letters, digits, `_` and `-` only (a `.rul` twin replaces its file). */
const RUN_PARTS_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * What Debian's template does with update-exim4.conf.conf's macros when the template itself is not in
 * sight: relay_from_hosts is MAIN_RELAY_NETS and the RCPT ACL accepts it before the relay check
 * (exim4.conf.template, conf.d/acl/30_exim4-config_check_rcpt).
 */
const DEBIAN_DEFAULT = [
  'UPEX4CmacrosUPEX4C = 1',
  'domainlist local_domains = MAIN_LOCAL_DOMAINS',
  'domainlist relay_to_domains = MAIN_RELAY_TO_DOMAINS',
  'hostlist relay_from_hosts = MAIN_RELAY_NETS',
  '.ifdef MAIN_LOCAL_INTERFACES',
  'local_interfaces = MAIN_LOCAL_INTERFACES',
  '.endif',
  'acl_smtp_rcpt = acl_check_rcpt',
  'begin acl',
  'acl_check_rcpt:',
  '  accept hosts = :',
  '  accept hosts = +relay_from_hosts',
  '  accept authenticated = *',
  '  require domains = +local_domains : +relay_to_domains',
  '  require verify = recipient',
  '  accept',
  '',
].join('\n');
export const DEBIAN_DEFAULT_PATH = '(debian exim4.conf.template)';

const SPLIT_PATH = /^(.*)\/conf\.d\/(main|acl|router|transport|retry|rewrite|auth)\/[^/]+$/;

async function readDebconf(context: LoadContext, folder: string): Promise<Debconf | undefined> {
  const source = await readSource(context.files, joinPath(folder, 'update-exim4.conf.conf'));
  return source ? parseDebconf(source) : undefined;
}

/** Reads a Debian split configuration rooted at `confdir` (the folder holding conf.d), or undefined. */
async function readSplit(reader: EximReader, context: LoadContext, confdir: string, linted: SourceText): Promise<boolean> {
  const listed: Array<[string, string[]]> = [];
  for (const [folder, section] of SPLIT_FOLDERS) {
    const entries = await folderEntries(context.files, joinPath(confdir, `conf.d/${folder}`), (name) => RUN_PARTS_NAME.test(name));
    if (!entries) continue;
    listed.push([section, entries]);
  }
  if (!listed.some(([, entries]) => entries.includes(linted.path))) return false;
  for (const [, entries] of listed)
    for (const path of entries) {
      const rul = await readSource(context.files, `${path}.rul`);
      const source = rul ?? (path === linted.path ? linted : await readSource(context.files, path));
      if (source) await reader.read(source);
    }
  return true;
}

/** The section a fragment read alone starts in: its conf.d folder, else what its lines look like. */
function fragmentSection(path: string, text: string): string {
  const folder = SPLIT_PATH.exec(path)?.[2];
  if (folder) return SPLIT_FOLDERS.find(([name]) => name === folder)![1];
  if (/^[^\S\r\n\u2028\u2029]*begin\s+\w+/m.test(text)) return 'main';
  if (
    /^[^\S\r\n\u2028\u2029]*(accept|deny|require|warn|drop|defer|discard)\b/m.test(text) &&
    /^[^\S\r\n\u2028\u2029]*[\w-]+:[^\S\r\n\u2028\u2029]*$/m.test(text)
  )
    return 'acl';
  if (/^[^\S\r\n\u2028\u2029]*driver\s*=\s*(plaintext|cram_md5|dovecot|cyrus_sasl|gsasl|heimdal_gssapi|spa|external|tls)\s*$/m.test(text))
    return 'authenticators';
  return 'main';
}

function finish(reader: EximReader, debconf: Debconf | undefined, linted: SourceText): Loaded<EximConfig> {
  const all = [...reader.sources, ...(debconf && !reader.sources.includes(debconf.source) ? [debconf.source] : [])];
  const config = new EximConfig(reader.macros, all, debconf, reader.missingIncludes);
  buildModel(config, reader.lines);
  const problems: ParseProblem[] = reader.problems.filter((problem) => problem.span.file === linted.path);
  const sources = [linted, ...reader.sources.filter((source) => source !== linted), ...(debconf && debconf.source !== linted ? [debconf.source] : [])];
  return { model: config, problems, sources };
}

async function loadConf(source: SourceText, context: LoadContext): Promise<Loaded<EximConfig>> {
  const split = SPLIT_PATH.exec(source.path);
  const folder = split ? split[1]! : dirname(source.path);
  const debconf = await readDebconf(context, folder);
  const seeded = debconf && configType(debconf) !== 'none' ? debianMacros(debconf) : [];
  if (split) {
    const reader = new EximReader({ files: context.files, debianMacros: seeded });
    if (await readSplit(reader, context, folder, source)) return finish(reader, debconf, source);
  }
  const reader = new EximReader({ files: context.files, debianMacros: seeded, section: fragmentSection(source.path, source.text) });
  // Debian's non-split scheme reads exim4.conf.localmacros before the template.
  if (basename(source.path).endsWith('exim4.conf.template')) {
    const local = await readSource(context.files, joinPath(folder, 'exim4.conf.localmacros'));
    if (local) await reader.read(local);
  }
  await reader.read(source);
  return finish(reader, debconf, source);
}

async function loadDebconf(source: SourceText, context: LoadContext): Promise<Loaded<EximConfig>> {
  const debconf = parseDebconf(source);
  const folder = dirname(source.path);
  const seeded = configType(debconf) !== 'none' ? debianMacros(debconf) : [];
  const reader = new EximReader({ files: context.files, debianMacros: seeded });
  const split = debconfText(debconf, 'dc_use_split_config').toLowerCase() === 'true';
  let found = false;
  if (split) {
    const first = (await folderEntries(context.files, joinPath(folder, 'conf.d/main'), (name) => RUN_PARTS_NAME.test(name)))?.[0];
    if (first) found = await readSplit(reader, context, folder, new SourceText(first, (await context.files.readFile(first)) ?? ''));
  } else {
    const template = await readSource(context.files, joinPath(folder, 'exim4.conf.template'));
    if (template) {
      const local = await readSource(context.files, joinPath(folder, 'exim4.conf.localmacros'));
      if (local) await reader.read(local);
      await reader.read(template);
      found = true;
    }
  }
  if (!found) await reader.read(new SourceText(DEBIAN_DEFAULT_PATH, DEBIAN_DEFAULT));
  const loaded = finish(reader, debconf, source);
  return { ...loaded, sources: [source, ...loaded.sources.filter((other) => other !== source && other.path !== DEBIAN_DEFAULT_PATH)] };
}

/** The Exim model: what this family's loaders produce and its checks read. */
export const eximModel = modelKey<EximConfig>('exim');

export const eximConf: FormatHandler<EximConfig> = {
  id: 'exim-conf',
  model: eximModel,
  label: text('exim.label-conf'),
  commentPrefix: '#',
  detectByName: (_path, baseName) =>
    /^(exim4?\.conf|exim4\.conf\.template|exim4\.conf\.localmacros)$/.test(baseName) ||
    /[-_.](exim4?\.conf|exim4\.conf\.template)$/.test(baseName) ||
    /exim4-config_/.test(baseName),
  // A file of Debian's split configuration that update-exim4.conf reads (run-parts names), when its lines are Exim's.
  detectByFolder: (path, baseName) =>
    /\/exim4?\/conf\.d\/(main|acl|router|transport|retry|rewrite|auth)\/[^/]+$/.test(path) && RUN_PARTS_NAME.test(baseName.replace(/\.rul$/, '')),
  detectByContent: (head) =>
    /^begin\s+(acl|routers|transports|authenticators)\s*$/m.test(head) ||
    (/^acl_smtp_(rcpt|mail|data|connect)\s*=/m.test(head) && /^[^\S\r\n\u2028\u2029]*(hostlist|domainlist)\s+\w+\s*=/m.test(head)),
  judgeContent: judgeEximConf,
  load: loadConf,
};

export const eximDebconf: FormatHandler<EximConfig> = {
  id: 'exim-debconf',
  model: eximModel,
  label: text('exim.label-debconf'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => baseName === 'update-exim4.conf.conf' || baseName.endsWith('-update-exim4.conf.conf'),
  detectByContent: (head) => /^dc_eximconfig_configtype=/m.test(head),
  judgeContent: judgeDebconf,
  load: loadDebconf,
};

export const eximFormats: FormatHandler<unknown>[] = [eximDebconf, eximConf];
