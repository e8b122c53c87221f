import { modelKey, text } from '../../core/check';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { type ContentVerdict, contentLines, looksLikeMarkup, verdictFromLines } from '../../core/sniff';
import { SECTION_KEYWORDS, type SectionKind, parseHaproxy } from './config';
import type { HaproxyConfig } from './model';
import type * as Model from './model';
import { affixedName } from '../shared/paths';

export type { HaproxyConfig } from './model';

/** The haproxy model: what this family's loader produces and its checks read. */
export const haproxyModel = modelKey<HaproxyConfig>('haproxy');

// haproxy.cfg, Debian's /etc/haproxy/haproxy.cfg and copies named after it (edge-haproxy.cfg, haproxy-svc1.cfg).
// A proxy section line and, below it, an indented bind, server or mode line.
const SECTION = /^(frontend|backend|listen|defaults|global)([ \t]|$)/m;
const PROXY_KEYWORD = /^[ \t]+(bind|server|mode[ \t]+(http|tcp)|default_backend|use_backend|balance)[ \t]/m;

/** Keywords of the global, defaults and proxy sections (configuration manual 3 and 4.1), the common ones. */
const KEYWORDS = new Set(
  `acl balance bind ca-base capture chroot compression cookie crt-base daemon default-server default_backend description
  email-alert errorfile errorloc errorloc302 errorloc303 external-check filter group hard-stop-after hash-type
  http-after-response http-check http-request http-response http-reuse key-base load localpeer log log-format lua-load
  master-worker maxconn mode monitor monitor-uri nbproc nbthread option peer pidfile presetenv redirect retries server
  server-template setenv source stats stick stick-table tcp-check tcp-request tcp-response timeout total-max-size
  max-object-size max-age process-vary unique-id-format use_backend use-server user nameserver hold resolve_retries
  default-path zero-warning expose-experimental-directives insecure-fork-wanted spread-checks node dispatch fullconn
  unix-bind uid gid ulimit-n cpu-map`.split(/\s+/),
);

/** 'fits' when the lines are sections and HAProxy keywords; 'contradicts' when almost none are. */
export function judgeHaproxy(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  let sections = 0;
  for (const line of lines) {
    const word = /^[^\s#]+/.exec(line.text)?.[0] ?? '';
    if (!line.indented && SECTION_KEYWORDS.has(word as SectionKind)) {
      good++;
      sections++;
    } else if (KEYWORDS.has(word) || /^(tune|ssl|no)[.-]?/.test(word) || word.startsWith('.')) good++;
  }
  return verdictFromLines(good, sections, lines.length, 0.7);
}

export const haproxyCfg: FormatHandler<HaproxyConfig> = {
  id: 'haproxy',
  model: haproxyModel,
  label: text('haproxy.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => affixedName(baseName, 'haproxy', '.cfg', true),
  detectByFolder: (path, baseName) => /(^|\/)haproxy\//.test(path) && /\.cfg$/i.test(baseName),
  detectByContent: (head) => SECTION.test(head) && PROXY_KEYWORD.test(head) && judgeHaproxy(head) === 'fits',
  judgeContent: judgeHaproxy,
  async load(source) {
    const problems: ParseProblem[] = [];
    // The model is loaded with the first haproxy.cfg, not at start-up (issue 16).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = (require('./model') as typeof Model).buildConfig(parseHaproxy(source, problems), problems);
    return { model: config, problems, sources: [source] };
  },
};

export const haproxyFormats: FormatHandler<unknown>[] = [haproxyCfg];
