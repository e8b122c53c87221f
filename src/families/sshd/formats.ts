import { modelKey, text } from '../../core/check';
import type { FormatHandler } from '../../core/format';
import { type ContentLine, type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../core/sniff';
import { KEYWORDS } from './keywords';
import { isDropInPath, isMainConfigName } from './names';
import type * as Load from './load';
import type { SshdConfig } from './model';

export type { SshdConfig } from './model';

/** Keywords only the server's file writes (ssh_config, the client's, has none of them). */
const SERVER_ONLY =
  /^(PermitRootLogin|UsePAM|Subsystem|AuthorizedKeysFile|PermitEmptyPasswords|ClientAliveInterval|ClientAliveCountMax|MaxAuthTries|AllowUsers|AllowGroups|DenyUsers|PrintMotd|AcceptEnv|X11Forwarding|UsePrivilegeSeparation|StrictModes|ChrootDirectory|ForceCommand|LoginGraceTime|MaxStartups|PrintLastLog)[ \t=]/i;

/** 'fits' when most lines start with a keyword sshd knows followed by a value; 'contradicts' when almost none does. */
export function judgeSshd(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  const others: ContentLine[] = [];
  let known = 0;
  let anchors = 0;
  for (const line of lines) {
    const word = /^([A-Za-z0-9]+)([ \t]+|[ \t]*=[ \t]*)\S/.exec(line.text)?.[1];
    if (word === undefined || !KEYWORDS.has(word.toLowerCase())) {
      others.push(line);
      continue;
    }
    known++;
    if (SERVER_ONLY.test(line.text)) anchors++;
  }
  return verdictFromLines(known, anchors, lines.length, 0.75, countShapes(others, ['tag', 'ini-section', 'semicolon', 'brace', 'assign', 'yaml']));
}

/** The sshd model: what this family's loader produces and its checks read. */
export const sshdModel = modelKey<SshdConfig>('sshd');

export const sshdConfigFormat: FormatHandler<SshdConfig> = {
  id: 'sshd-config',
  model: sshdModel,
  label: text('sshd.label'),
  commentPrefix: '#',
  detectByName: (path, baseName) => isMainConfigName(baseName) || isDropInPath(path),
  // Two keywords only sshd_config writes, in a file of sshd keywords (a renamed copy, sshd_config.orig).
  detectByContent: (head) =>
    new Set(contentLines(head).flatMap((line) => SERVER_ONLY.exec(line.text)?.[1]?.toLowerCase() ?? [])).size >= 2 && judgeSshd(head) === 'fits',
  judgeContent: judgeSshd,
  async load(source, context) {
    // The loader (includes, Match blocks, the firewall beside it) is loaded with the first sshd_config (issue 16).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { config, problems } = await (require('./load') as typeof Load).loadSshdConfig(source, context.files);
    return { model: config, problems, sources: config.sources };
  },
};

export const sshdFormats: FormatHandler<unknown>[] = [sshdConfigFormat];
