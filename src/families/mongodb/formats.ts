import { modelKey } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type MongodConfig, parseMongod } from './config';
import { beyondLoopback, reachOf } from '../shared/listen-address';

export type { MongodConfig } from './config';

export interface MongodAssessment {
  /** The value that opens the server beyond loopback (bindIp entry or bindIpAll). */
  exposedBy?: { text: string; span: MongodConfig['bindIp'] & {} };
  /** Access control is on: authorization enabled, or internal authentication (keyFile, x509), which implies it. */
  authenticated: boolean;
}

export function assessMongod(config: MongodConfig): MongodAssessment {
  let exposedBy: MongodAssessment['exposedBy'];
  if (config.bindIpAll && /^(true|1|yes)$/i.test(config.bindIpAll.text)) exposedBy = { text: 'bindIpAll', span: config.bindIpAll };
  else if (config.bindIp) {
    // net.bindIp: comma-separated addresses, host names and socket paths; absent means localhost (3.6+).
    let offset = 0;
    for (const part of config.bindIp.text.split(',')) {
      const trimmed = part.trim();
      const start = config.bindIp.span.start + offset + part.indexOf(trimmed);
      offset += part.length + 1;
      const hostName = reachOf(trimmed) === 'unknown' && !trimmed.startsWith('/') && trimmed !== '' && trimmed.toLowerCase() !== 'localhost';
      if (beyondLoopback(trimmed) || hostName) {
        exposedBy = { text: trimmed, span: { text: trimmed, span: { file: config.bindIp.span.file, start, end: start + trimmed.length } } };
        break;
      }
    }
  }
  const authorization = config.authorization?.text.toLowerCase() === 'enabled';
  const internal = config.keyFile !== undefined || /x509/i.test(config.clusterAuthMode?.text ?? '');
  const noauth = config.noauth !== undefined && /^(true|1|yes)$/i.test(config.noauth.text);
  return { ...(exposedBy ? { exposedBy } : {}), authenticated: !noauth && (authorization || internal) };
}

/** The mongodb model: what this family's loader produces and its checks read. */
export const mongodbModel = modelKey<MongodConfig>('mongodb');

export const mongodConf: FormatHandler<MongodConfig> = {
  id: 'mongod-conf',
  model: mongodbModel,
  label: { en: 'MongoDB mongod.conf', ja: 'MongoDB mongod.conf' },
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
