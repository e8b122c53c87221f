import { type TextRef, modelKey, text } from '../../core/check';
import type { FileAccess } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../core/sniff';
import type { SourceText } from '../../core/source';
import { type HbaRecord, type HbaToken, listMembers, parseHbaLines, tokenize } from './hba';
import { type PgSetting, parsePgConf } from './conf';
import { basename, dirname, folderEntries, joinPath, readSource } from '../shared/paths';
import { reachOf } from '../shared/listen-address';

/** PostgreSQL's include_dir reads the `.conf` files of a folder, skipping hidden ones, in name order. */
const isIncludedConf = (name: string) => name.endsWith('.conf') && !name.startsWith('.');

export interface PgConf {
  settings: PgSetting[];
  sources: SourceText[];
}

export function effectiveSetting(conf: PgConf, name: string): PgSetting | undefined {
  for (let i = conf.settings.length - 1; i >= 0; i--) if (conf.settings[i]!.name === name) return conf.settings[i];
  return undefined;
}

export type ListenState = 'loopback' | 'beyond' | 'none' | 'unknown';

export interface PgHba {
  records: HbaRecord[];
  /** The postgresql.conf found beside pg_hba.conf, if any. */
  conf?: PgConf;
  /** Whether the server accepts TCP connections from other hosts (listen_addresses, default 'localhost'). */
  listen: ListenState;
  listenSetting?: PgSetting;
  sources: SourceText[];
}

const MAX_DEPTH = 8;
/** Files (and @file lists) one pg_hba.conf may include in all, repeats counted, and records it may hold in all. */
export const MAX_INCLUSIONS = 1_000;
export const MAX_RECORDS = 100_000;

export async function loadPgConf(source: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<PgConf> {
  const sources: SourceText[] = [source];
  const read = async (file: SourceText, depth: number, fileProblems: ParseProblem[]): Promise<PgSetting[]> => {
    const out: PgSetting[] = [];
    for (const setting of parsePgConf(file, fileProblems)) {
      if (!setting.name.startsWith('include')) {
        out.push(setting);
        continue;
      }
      if (depth >= MAX_DEPTH) continue;
      const folder = dirname(file.path);
      const target = joinPath(folder, setting.value);
      const included: SourceText[] = [];
      if (setting.name === 'include_dir') {
        for (const entry of (await folderEntries(files, target, isIncludedConf)) ?? []) {
          const other = await readSource(files, entry);
          if (other) included.push(other);
        }
      } else {
        const other = (await readSource(files, target)) ?? (await readSource(files, joinPath(folder, basename(setting.value))));
        if (other) included.push(other);
      }
      for (const other of included) {
        if (sources.some((known) => known.path === other.path)) continue;
        sources.push(other);
        out.push(...(await read(other, depth + 1, [])));
      }
    }
    return out;
  };
  return { settings: await read(source, 0, problems), sources };
}

export function listenState(conf: PgConf | undefined): { state: ListenState; setting?: PgSetting } {
  if (!conf) return { state: 'unknown' };
  const setting = effectiveSetting(conf, 'listen_addresses');
  const value = setting?.value ?? 'localhost';
  const hosts = value
    .split(',')
    .map((host) => host.trim())
    .filter(Boolean);
  if (hosts.length === 0) return { state: 'none', ...(setting ? { setting } : {}) };
  const reaches = hosts.map(reachOf);
  const state: ListenState = reaches.every((reach) => reach === 'loopback')
    ? 'loopback'
    : reaches.some((reach) => reach !== 'loopback' && reach !== 'unknown') || hosts.includes('*')
      ? 'beyond'
      : 'unknown';
  return { state, ...(setting ? { setting } : {}) };
}

const problemAt = (span: HbaToken['span'], message: TextRef): ParseProblem => ({ span, message });

/**
 * pg_hba.conf with PostgreSQL 16's include, include_if_exists and include_dir expanded in place (files
 * relative to the including file's folder; include_dir reads *.conf in name order) and `@file` members of the
 * database and user columns replaced by the names listed in the file, so "first matching line wins" runs over
 * the sequence the server reads. A missing include or @file makes the server refuse the file: a problem.
 */
export async function loadHba(source: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<{ records: HbaRecord[]; sources: SourceText[] }> {
  const sources: SourceText[] = [source];
  // Inclusions (files and @file lists, counting repeats: the same file included ten times from each of ten
  // files is read a hundred times) and records, bounded whatever the fan-out; the first excess is reported.
  let inclusions = 0;
  let recordCount = 0;
  let overBudget = false;
  // The problem goes on the linted file's own include line (or record) that leads to the excess.
  let root: HbaToken['span'] | undefined;
  const spend = (span: HbaToken['span'], what: 'files' | 'records'): boolean => {
    if (what === 'files' ? ++inclusions <= MAX_INCLUSIONS : ++recordCount <= MAX_RECORDS) return true;
    if (!overBudget) {
      overBudget = true;
      problems.push(
        problemAt(
          span.file === source.path ? span : (root ?? span),
          text('pg.include-budget', { files: MAX_INCLUSIONS.toLocaleString('en-US'), records: MAX_RECORDS.toLocaleString('en-US') }),
        ),
      );
    }
    return false;
  };
  const known = async (path: string): Promise<SourceText | undefined> => {
    const seen = sources.find((other) => other.path === path);
    if (seen) return seen;
    const read = await readSource(files, path);
    if (read) sources.push(read);
    return read;
  };
  const expandList = async (members: HbaToken[], depth: number): Promise<HbaToken[] | undefined> => {
    const out: HbaToken[] = [];
    for (const member of members) {
      if (member.quoted || !member.text.startsWith('@') || member.text.length === 1) {
        out.push(member);
        continue;
      }
      if (!spend(member.span, 'files')) return undefined;
      const listFile = depth < MAX_DEPTH ? await known(joinPath(dirname(member.span.file), member.text.slice(1))) : undefined;
      if (!listFile) {
        problems.push(problemAt(member.span, text('pg.unreadable-name-list', { file: member.text })));
        return undefined;
      }
      // The file holds names separated by blanks or commas, with # comments; it may name further @files.
      const names: HbaToken[] = [];
      for (let line = 0; line < listFile.lineCount; line++)
        for (const token of tokenize(listFile.lineText(line), listFile.lineStarts[line]!, listFile.path)) names.push(...listMembers(token));
      const expanded = await expandList(names, depth + 1);
      if (!expanded) return undefined;
      out.push(...expanded);
    }
    return out;
  };
  const read = async (file: SourceText, depth: number, stack: string[]): Promise<HbaRecord[]> => {
    const out: HbaRecord[] = [];
    for (const line of parseHbaLines(file, problems)) {
      if ('record' in line) {
        if (!spend(line.record.span, 'records')) break;
        const databases = await expandList(line.record.databases, 0);
        const users = databases && (await expandList(line.record.users, 0));
        if (databases && users) out.push({ ...line.record, databases, users });
        continue;
      }
      const { kind, target, span } = line.include;
      const path = joinPath(dirname(file.path), target.text);
      const included: SourceText[] = [];
      if (kind === 'include_dir') {
        for (const entry of (await folderEntries(files, path, isIncludedConf)) ?? []) {
          const other = await known(entry);
          if (other) included.push(other);
        }
      } else {
        const other = await known(path);
        if (other) included.push(other);
        else if (kind === 'include') problems.push(problemAt(span, text('pg.unreadable-include', { file: target.text })));
      }
      for (const other of included) {
        if (stack.includes(other.path) || depth >= MAX_DEPTH) {
          problems.push(problemAt(span, text('pg.include-loop', { file: target.text })));
          continue;
        }
        if (!spend(span, 'files')) break;
        if (depth === 0) root = span;
        out.push(...(await read(other, depth + 1, [...stack, other.path])));
      }
    }
    return out;
  };
  return { records: await read(source, 0, [source.path]), sources };
}

/** postgresql.conf beside pg_hba.conf: `postgresql.conf`, or the same name with pg_hba replaced (a renamed copy). */
async function siblingConf(hbaPath: string, files: FileAccess): Promise<SourceText | undefined> {
  const folder = dirname(hbaPath);
  const base = basename(hbaPath);
  const names = [base.replace(/pg_hba\.conf(\.sample)?$/, 'postgresql.conf$1'), 'postgresql.conf'];
  for (const name of [...new Set(names)]) {
    if (name === base) continue;
    const source = await readSource(files, joinPath(folder, name));
    if (source) return source;
  }
  return undefined;
}

/** pg_hba.conf: one record a line, starting with its connection type, or an include directive. */
export function judgeHba(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  let records = 0;
  for (const line of lines) {
    if (/^(local|host|hostssl|hostnossl|hostgssenc|hostnogssenc)[ \t]+\S/.test(line.text)) {
      records++;
      good++;
    } else if (/^include(_if_exists|_dir)?[ \t]+\S/.test(line.text)) good++;
  }
  return verdictFromLines(good, records, lines.length, 0.8, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'assign', 'yaml']));
}

/** postgresql.conf: `name = value` or `name value` lines and include directives. */
export function judgePgConf(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  for (const line of lines) if (/^[a-z_][\w.]*([ \t]*=|[ \t]+\S)/i.test(line.text)) good++;
  return verdictFromLines(good, good, lines.length, 0.8, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'yaml']));
}

/** The pg-hba model: what this family's loader produces and its checks read. */
export const pgHbaModel = modelKey<PgHba>('pg-hba');
/** The pg-conf model: what this family's loader produces and its checks read. */
export const pgConfModel = modelKey<PgConf>('pg-conf');

/** A record with an authentication method after its columns (the line's start and the method tested apart: linear). */
function looksLikeRecord(line: string): boolean {
  const columns = /^[ \t]*(local|host|hostssl|hostnossl)[ \t]+\S+[ \t]+\S+[ \t]/.exec(line);
  return columns !== null && /\b(trust|md5|scram-sha-256|peer|password|reject|ident|cert)\b/.test(line.slice(columns[0].length));
}

export const pgHbaConf: FormatHandler<PgHba> = {
  id: 'pg-hba',
  model: pgHbaModel,
  label: text('pg.label-hba'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => /pg_hba\.conf/i.test(baseName),
  // A record with an authentication method, in a file of records (shell's `local` lines are not).
  detectByContent: (head) => head.split('\n').some(looksLikeRecord) && judgeHba(head) === 'fits',
  judgeContent: judgeHba,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const { records, sources } = await loadHba(source, context.files, problems);
    const confSource = await siblingConf(source.path, context.files);
    const conf = confSource ? await loadPgConf(confSource, context.files, []) : undefined;
    const { state, setting } = listenState(conf);
    return {
      model: {
        records,
        ...(conf ? { conf } : {}),
        listen: state,
        ...(setting ? { listenSetting: setting } : {}),
        sources: [...sources, ...(conf?.sources ?? [])],
      },
      problems,
      sources: [...sources, ...(conf?.sources ?? [])],
    };
  },
};

export const postgresqlConf: FormatHandler<PgConf> = {
  id: 'postgresql-conf',
  model: pgConfModel,
  label: text('pg.label-conf'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => /postgresql(\.auto)?\.conf(\.sample)?$/i.test(baseName),
  judgeContent: judgePgConf,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const conf = await loadPgConf(source, context.files, problems);
    return { model: conf, problems, sources: conf.sources };
  },
};

export const postgresqlFormats: FormatHandler<unknown>[] = [pgHbaConf, postgresqlConf];
