// What Sendmail's files look like in their first kilobytes, for detection (src/core/sniff.ts conventions).
import { type ContentVerdict, contentLines, countShapes, looksLikeMarkup, verdictFromLines } from '../../core/sniff';

/** A .mc: m4 macro calls, dnl lines and the sendmail.cf lines of LOCAL_CONFIG. */
export function judgeMc(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  let good = 0;
  let anchors = 0;
  for (const line of lines) {
    if (/^(dnl\b|divert\(|[A-Za-z_]\w*\(|[A-Z_]+$|[CFDOKRS][\w{])/.test(line.text) || /^[`'),]/.test(line.text)) good++;
    if (/^(OSTYPE|DOMAIN|FEATURE|MAILER|DAEMON_OPTIONS|VERSIONID)\(/.test(line.text) || /^include\(`[^']*cf\.m4'\)/.test(line.text)) anchors++;
  }
  return verdictFromLines(good, anchors, lines.length, 0.6, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'yaml']));
}

/** The access map's source: `key value` lines, tagged keys (Connect:, From:, To:) among them. */
export function judgeAccess(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  const good = lines.filter((line) => /^\S+\s+\S/.test(line.text)).length;
  const anchors = lines.filter((line) =>
    /^(Connect|From|To|Spam|GreetPause|ClientRate|ClientConn|Auth|Srv_Features|Try_TLS|TLS_Clt|TLS_Srv):/i.test(line.text),
  ).length;
  return verdictFromLines(good, anchors, lines.length, 0.8, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace']));
}

/** relay-domains: one name or address prefix a line. */
export function judgeClassFile(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const lines = contentLines(head);
  const good = lines.filter((line) => /^[\w.:-]+$/.test(line.text)).length;
  return verdictFromLines(good, good, lines.length, 0.9, countShapes(lines, ['tag', 'ini-section', 'semicolon', 'brace', 'assign', 'yaml']));
}
