// What Exim's files look like in their first kilobytes, for detection (src/core/sniff.ts conventions).
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../core/sniff';

const ACL_VERB = /^(accept|deny|require|warn|drop|defer|discard)\b/;

/** 'fits' when most lines are Exim's (options, named lists, directives, ACL statements, driver options). */
export function judgeEximConf(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  let anchors = 0;
  let continued = false;
  for (const line of lines) {
    const text = line.text;
    const shaped =
      continued ||
      /^!?[A-Za-z_][\w]*\s*==?/.test(text) ||
      /^[\w-]+:$/.test(text) ||
      /^\.(ifdef|ifndef|elifdef|elifndef|else|endif|include|include_if_exists)\b/.test(text) ||
      ACL_VERB.test(text) ||
      /^(hide\s+)?(no_|not_)?[a-z][\w]*$/.test(text) ||
      /^endpass$/.test(text);
    if (shaped) good++;
    if (
      /^begin\s+(acl|routers|transports|authenticators|retry|rewrite)$/.test(text) ||
      /^(hostlist|domainlist|addresslist|localpartlist)\s/.test(text) ||
      /^acl_smtp_\w+\s*=/.test(text) ||
      /^driver\s*=/.test(text)
    ) {
      good++;
      anchors++;
    }
    continued = text.endsWith('\\');
  }
  return verdictFromLines(Math.min(good, lines.length), anchors, lines.length, 0.75, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace']));
}

/** update-exim4.conf.conf: shell assignments, dc_* among them. */
export function judgeDebconf(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  const good = lines.filter((line) => /^[A-Za-z_]\w*=/.test(line.text)).length;
  const anchors = lines.filter((line) => /^dc_\w+=/.test(line.text)).length;
  return verdictFromLines(good, anchors, lines.length, 0.8, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'yaml']));
}
