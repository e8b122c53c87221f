import { modelKey, text } from '../../core/check';
import type { FileAccess } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../core/sniff';
import type { SourceText } from '../../core/source';
import { type MysqlOption, isServerGroup, parseOptionFile } from './option-file';
import { basename, dirname, folderEntries, joinPath, readReferenced, readSource } from '../shared/paths';
import { withoutTrailingSlashes } from '../shared/names';

export interface MysqlConfig {
  /** Every option of the include tree in the order the server reads them. */
  options: MysqlOption[];
  sources: SourceText[];
}

/** The value the server ends up with: the last occurrence in a server group. */
export function effectiveServerOption(config: MysqlConfig, ...names: string[]): MysqlOption | undefined {
  for (let i = config.options.length - 1; i >= 0; i--) {
    const option = config.options[i]!;
    if (names.includes(option.name) && isServerGroup(option.group)) return option;
  }
  return undefined;
}

const MAX_DEPTH = 8;

async function readIncludedDirectory(files: FileAccess, reference: string, folder: string): Promise<SourceText[]> {
  const candidates = [reference.startsWith('/') ? reference : joinPath(folder, reference)];
  if (reference.startsWith('/etc/mysql/')) candidates.push(joinPath(folder, reference.slice('/etc/mysql/'.length)));
  candidates.push(joinPath(folder, basename(withoutTrailingSlashes(reference))));
  for (const directory of candidates) {
    const paths = await folderEntries(files, withoutTrailingSlashes(directory), (name) => name.endsWith('.cnf'));
    if (!paths) continue;
    const out: SourceText[] = [];
    for (const path of paths) {
      const source = await readSource(files, path);
      if (source) out.push(source);
    }
    return out;
  }
  return [];
}

export async function loadMysqlConfig(source: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<MysqlConfig> {
  const sources: SourceText[] = [source];
  const known = new Set([source.path]);
  // What each `!include` / `!includedir` line names, resolved once per load: a file repeating one line (or
  // including itself) thousands of times would otherwise read and index the same file each time.
  const resolved = new Map<string, SourceText[]>();
  const folder = dirname(source.path);
  const resolve = async (directory: boolean, path: string): Promise<SourceText[]> => {
    const key = `${directory ? 'dir' : 'file'}\u0000${path}`;
    let found = resolved.get(key);
    if (!found) {
      found = directory
        ? await readIncludedDirectory(files, path, folder)
        : [await readReferenced(files, path, folder, '/etc/mysql')].filter((s): s is SourceText => s !== undefined);
      resolved.set(key, found);
    }
    return found;
  };
  const read = async (file: SourceText, depth: number, fileProblems: ParseProblem[]): Promise<MysqlOption[]> => {
    const options: MysqlOption[] = [];
    for (const line of parseOptionFile(file, fileProblems)) {
      if (line.kind === 'option') {
        options.push(line.option);
        continue;
      }
      if (depth >= MAX_DEPTH) continue;
      for (const other of await resolve(line.directory, line.path)) {
        if (known.has(other.path)) continue;
        known.add(other.path);
        sources.push(other);
        options.push(...(await read(other, depth + 1, [])));
      }
    }
    return options;
  };
  return { options: await read(source, 0, problems), sources };
}

/** The mysql model: what this family's loader produces and its checks read. */
export const mysqlModel = modelKey<MysqlConfig>('mysql');

/** An option file: `[group]` headers, `option` or `option = value` lines, `!include` and `!includedir`. */
export function judgeOptionFile(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head, '#;');
  let good = 0;
  let groups = 0;
  for (const line of lines) {
    if (/^\[[^\]]+\]$/.test(line.text)) {
      groups++;
      good++;
    } else if (/^!include(dir)?[ \t]/.test(line.text) || /^[\w.-]+[ \t]*(=|$)/.test(line.text)) good++;
  }
  return verdictFromLines(good, groups, lines.length, 0.8, countShapes(lines, ['tag', 'semicolon', 'brace', 'yaml']));
}

export const mysqlOptionFile: FormatHandler<MysqlConfig> = {
  id: 'mysql-cnf',
  model: mysqlModel,
  label: text('mysql.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => /\.cnf(\.fallback)?$/i.test(baseName) && /(^|[-_.])(my|mysql|mysqld|mariadb|mariadbd)([-_.]|$)/i.test(baseName),
  // Any .cnf under a mysql or mariadb folder (conf.d/, mariadb.conf.d/) when it reads as an option file.
  detectByFolder: (path, baseName) => /\.cnf(\.fallback)?$/i.test(baseName) && /\/(mysql|mariadb)[^/]*\//i.test(path),
  detectByContent: (head) => /^[ \t]*\[(mysqld|mariadb|mariadbd|server|client-server)\][ \t]*$/m.test(head) && judgeOptionFile(head) === 'fits',
  judgeContent: judgeOptionFile,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const config = await loadMysqlConfig(source, context.files, problems);
    return { model: config, problems, sources: config.sources };
  },
};

export const mysqlFormats: FormatHandler<unknown>[] = [mysqlOptionFile];
