import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type ContentVerdict, contentLines, verdictFromLines } from '../../core/sniff';
import type { SquidConfig } from './model';
import type * as Load from './load';
import { affixedName, underFolder } from '../shared/paths';

export { SquidConfig } from './model';

/** Directives only squid.conf writes. */
const ANCHOR =
  /^(http_access[ \t]+(allow|deny)\b|acl[ \t]+\S+[ \t]+(src|dst|dstdomain|port|method|url_regex|proto|localport|myportname)\b|http_port[ \t]+\S|(cache_peer|cache_peer_access|refresh_pattern|coredump_dir|cache_dir|cache_mem|visible_hostname|logfile_rotate|maximum_object_size|forwarded_for|follow_x_forwarded_for|request_header_access|reply_header_access|ssl_bump|icp_access|miss_access|always_direct|never_direct)[ \t])/;
/** A squid.conf line: a lower-case directive name and its words. */
const SHAPE = /^([a-z][a-z0-9_]*)([ \t]|$)/;

function judgeSquid(head: string): ContentVerdict {
  const lines = contentLines(head);
  const good = lines.filter((line) => SHAPE.test(line.text) && !/^[a-z][a-z0-9_]*[ \t]*[=:{]/.test(line.text)).length;
  const anchors = lines.filter((line) => ANCHOR.test(line.text)).length;
  return verdictFromLines(good, anchors, lines.length);
}

/** The squid model: what this family's loader produces and its checks read. */
export const squidModel = modelKey<SquidConfig>('squid');

export const squidConf: FormatHandler<SquidConfig> = {
  id: 'squid-conf',
  model: squidModel,
  label: text('squid.label'),
  commentPrefix: '#',
  // squid.conf and copies named after it (squid-proxy.conf, debian-squid.conf).
  detectByName: (_path, baseName) => affixedName(baseName, 'squid', '.conf'),
  // The files of /etc/squid/conf.d and other files under a squid folder.
  detectByFolder: (path, baseName) => /\.conf$/.test(baseName) && underFolder(path, 'squid'),
  detectByContent: (head) => judgeSquid(head) === 'fits' && (head.match(new RegExp(ANCHOR.source, 'gm'))?.length ?? 0) >= 2,
  judgeContent: judgeSquid,
  async load(source, context) {
    const problems: ParseProblem[] = [];
    // The reader is loaded with the first squid.conf, not at start-up (issue 16).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = await (require('./load') as typeof Load).loadSquid(source, context.files, problems);
    return { model: config, problems, sources: [...config.sources] };
  },
};

export const squidFormats: FormatHandler<unknown>[] = [squidConf];
