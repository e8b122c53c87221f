import type { FileAccess } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { type HbaRecord, parseHba } from './hba';
import { type PgSetting, parsePgConf } from './conf';
import { basename, dirname, joinPath, readSource } from '../shared/paths';
import { reachOf } from '../shared/listen-address';

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
        const names = (await files.readDirectory(target).catch(() => undefined)) ?? [];
        for (const name of names.filter((entry) => entry.endsWith('.conf') && !entry.startsWith('.')).sort()) {
          const other = await readSource(files, joinPath(target, name));
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
  const hosts = value.split(',').map((host) => host.trim()).filter(Boolean);
  if (hosts.length === 0) return { state: 'none', ...(setting ? { setting } : {}) };
  const reaches = hosts.map(reachOf);
  const state: ListenState = reaches.every((reach) => reach === 'loopback')
    ? 'loopback'
    : reaches.some((reach) => reach !== 'loopback' && reach !== 'unknown') || hosts.includes('*')
      ? 'beyond'
      : 'unknown';
  return { state, ...(setting ? { setting } : {}) };
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

export const pgHbaConf: FormatHandler<PgHba> = {
  id: 'pg-hba',
  model: 'pg-hba',
  label: { en: 'PostgreSQL pg_hba.conf', ja: 'PostgreSQL pg_hba.conf' },
  commentPrefix: '#',
  detectByName: (_path, baseName) => /pg_hba\.conf/i.test(baseName),
  detectByContent: (head) => /^\s*(local|host|hostssl|hostnossl)\s+\S+\s+\S+\s+.*\b(trust|md5|scram-sha-256|peer|password|reject|ident|cert)\b/m.test(head),
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const records = parseHba(source, problems);
    const confSource = await siblingConf(source.path, context.files);
    const conf = confSource ? await loadPgConf(confSource, context.files, []) : undefined;
    const { state, setting } = listenState(conf);
    return {
      model: { records, ...(conf ? { conf } : {}), listen: state, ...(setting ? { listenSetting: setting } : {}), sources: [source, ...(conf?.sources ?? [])] },
      problems,
      sources: [source, ...(conf?.sources ?? [])],
    };
  },
};

export const postgresqlConf: FormatHandler<PgConf> = {
  id: 'postgresql-conf',
  model: 'pg-conf',
  label: { en: 'PostgreSQL postgresql.conf', ja: 'PostgreSQL postgresql.conf' },
  commentPrefix: '#',
  detectByName: (_path, baseName) => /postgresql(\.auto)?\.conf(\.sample)?$/i.test(baseName),
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const conf = await loadPgConf(source, context.files, problems);
    return { model: conf, problems, sources: conf.sources };
  },
};

export const postgresqlFormats: FormatHandler[] = [pgHbaConf, postgresqlConf] as FormatHandler[];
