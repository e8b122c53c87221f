import type { SourceText } from './source';

// A suppression is a full-line comment in the file's own syntax, always with the rule and a reason:
//   # secure-config-review-disable-next-line postfix/mynetworks-public-range -- lab network, owned by us
//   # secure-config-review-disable-file postfix/sasl-enabled-on-port-25 -- relay for staff only
// Full-line comments are safe in every format we read (postconf(5): only a leading # starts a comment).
const DIRECTIVE = /^\s*(?:#|;|\/\/)\s*secure-config-review-disable-(next-line|file)\s+([^\s].*?)\s*(?:--\s*(.*))?$/;

export interface Suppressions {
  suppresses(ruleId: string, line: number): boolean;
}

export function collectSuppressions(source: SourceText, commentPrefix: string): Suppressions {
  const byLine = new Map<number, Set<string>>();
  const wholeFile = new Set<string>();
  if (!source.text.includes('secure-config-review-disable')) return { suppresses: () => false };
  for (let line = 0; line < source.lineCount; line++) {
    const text = source.lineText(line);
    if (!text.trimStart().startsWith(commentPrefix)) continue;
    const match = DIRECTIVE.exec(text);
    if (!match) continue;
    const ids = match[2]!.split(/[\s,]+/).filter(Boolean);
    if (match[1] === 'file') ids.forEach((id) => wholeFile.add(id));
    else byLine.set(line + 1, new Set(ids));
  }
  return {
    suppresses: (ruleId, line) =>
      wholeFile.has(ruleId) || wholeFile.has('*') || (byLine.get(line)?.has(ruleId) ?? false) || (byLine.get(line)?.has('*') ?? false),
  };
}

/** The comment line a "suppress with a reason" action inserts above a finding. */
export function suppressionComment(commentPrefix: string, ruleId: string, reason: string): string {
  return `${commentPrefix} secure-config-review-disable-next-line ${ruleId} -- ${reason}`;
}
