import { modelKey, text } from '../../core/check';
import type { FileAccess } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { RedisConfig, type RedisDirective, parseRedisFile } from './config';
import { dirname, readReferenced } from '../shared/paths';

export { RedisConfig } from './config';

const MAX_INCLUDE_DEPTH = 8;

/** Reads a redis.conf with its `include` files spliced in where they appear. */
export async function loadRedisConfig(source: SourceText, files: FileAccess, problems: ParseProblem[]): Promise<RedisConfig> {
  const sources: SourceText[] = [source];
  const folder = dirname(source.path);
  const expand = async (file: SourceText, depth: number, fileProblems: ParseProblem[]): Promise<RedisDirective[]> => {
    const out: RedisDirective[] = [];
    for (const directive of parseRedisFile(file, fileProblems)) {
      if (directive.name !== 'include' || !directive.args[0]) {
        out.push(directive);
        continue;
      }
      const reference = directive.args[0].text;
      const included = depth < MAX_INCLUDE_DEPTH && !/[*?[]/.test(reference) ? await readReferenced(files, reference, folder, '/etc/redis') : undefined;
      if (!included || sources.some((known) => known.path === included.path)) continue;
      sources.push(included);
      out.push(...(await expand(included, depth + 1, [])));
    }
    return out;
  };
  const directives = await expand(source, 0, problems);
  return new RedisConfig(directives, sources);
}

/** The redis model: what this family's loader produces and its checks read. */
export const redisModel = modelKey<RedisConfig>('redis');

export const redisConf: FormatHandler<RedisConfig> = {
  id: 'redis-conf',
  model: redisModel,
  label: text('redis.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => /(^|[-_.])redis([-_.][\w.-]*)?\.conf$/i.test(baseName) && !/sentinel/i.test(baseName),
  detectByContent: (head) =>
    (head.match(/^(bind|protected-mode|requirepass|appendonly|maxmemory-policy|save|dbfilename|rdbcompression)\s/gm)?.length ?? 0) >= 3,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    const config = await loadRedisConfig(source, context.files, problems);
    return { model: config, problems, sources: config.sources };
  },
};

export const redisFormats: FormatHandler<unknown>[] = [redisConf];
