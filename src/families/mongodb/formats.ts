import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type ContentVerdict, contentLines, judgeYaml, looksLikeMarkup } from '../../core/sniff';
import type * as Config from './config';
import type { MongodConfig } from './config';
import { nameHasWord } from '../shared/names';

export type { MongodConfig } from './config';

/** The mongodb model: what this family's loader produces and its checks read. */
export const mongodbModel = modelKey<MongodConfig>('mongodb');

/** mongod.conf: YAML, or the legacy `name = value` lines of MongoDB before 2.6. */
function judgeMongod(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let legacy = 0;
  for (const line of lines) if (/^[a-zA-Z][\w.]*[ \t]*=/.test(line.text)) legacy++;
  if (legacy > 0 && legacy >= 0.8 * lines.length) return 'fits';
  return judgeYaml(head);
}

export const mongodConf: FormatHandler<MongodConfig> = {
  id: 'mongod-conf',
  model: mongodbModel,
  label: text('mongodb.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => nameHasWord(baseName, ['mongod', 'mongodb'], ['conf']),
  detectByContent: (head) =>
    /^net:[ \t]*$/m.test(head) && /^[ \t]+(bindIp|bindIpAll|port):/m.test(head) && /^(storage|systemLog):/m.test(head) && judgeMongod(head) === 'fits',
  judgeContent: judgeMongod,
  async load(source) {
    const problems: ParseProblem[] = [];
    // The parser (and the YAML library) is loaded with the first mongod.conf, not at start-up (issue 16).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = (require('./config') as typeof Config).parseMongod(source, problems);
    return { model: config, problems, sources: [source] };
  },
};

export const mongodbFormats: FormatHandler<unknown>[] = [mongodConf];
