import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type MongodConfig, parseMongod } from './config';

export type { MongodConfig } from './config';

/** The mongodb model: what this family's loader produces and its checks read. */
export const mongodbModel = modelKey<MongodConfig>('mongodb');

export const mongodConf: FormatHandler<MongodConfig> = {
  id: 'mongod-conf',
  model: mongodbModel,
  label: text('mongodb.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => /(^|[-_.])mongod(b)?([-_.][\w.-]*)?\.conf$/i.test(baseName),
  detectByContent: (head) => /^net:\s*$/m.test(head) && /^\s+(bindIp|bindIpAll|port):/m.test(head) && /^(storage|systemLog):/m.test(head),
  async load(source) {
    const problems: ParseProblem[] = [];
    const config = parseMongod(source, problems);
    return { model: config, problems, sources: [source] };
  },
};

export const mongodbFormats: FormatHandler<unknown>[] = [mongodConf];
