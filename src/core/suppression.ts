import type { SourceText } from './source';

// A suppression is a full-line comment in the file's own syntax, always with the rule and a reason:
//   # secure-config-review-disable-next-line postfix/mynetworks-public-range -- lab network, owned by us
//   # secure-config-review-disable-file postfix/sasl-enabled-on-port-25 -- relay for staff only
// Full-line comments are safe in every format we read (postconf(5): only a leading # starts a comment).
// A comment that lacks the reason, names no rule, names `*` or a rule that does not exist suppresses
// nothing and is itself reported (config/invalid-suppression); one that hides nothing is reported too
// (config/unused-suppression), so that a stale exception cannot silently cover a future mistake.
const MARKER = 'secure-config-review-disable';
const DIRECTIVE = /^(\s*)(#|;|\/\/)\s*secure-config-review-disable-(next-line|file)\b(.*)$/;

export interface NamedRule {
  id: string;
  /** Offsets of the id in the file. */
  start: number;
  end: number;
}

export interface SuppressionDirective {
  kind: 'next-line' | 'file';
  /** 0-based line of the comment. */
  line: number;
  /** 0-based line whose findings a next-line comment hides (the next line that is not itself a suppression). */
  target: number;
  /** Offsets of the comment text (after its indentation). */
  start: number;
  end: number;
  rules: NamedRule[];
  /** The text after ` -- `, trimmed; empty when missing. */
  reason: string;
}

/** Every suppression comment of the file, as written (valid or not). */
export function parseSuppressions(source: SourceText, commentPrefix: string): SuppressionDirective[] {
  if (!source.text.includes(MARKER)) return [];
  const directives: SuppressionDirective[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const lineText = source.lineText(line);
    if (!lineText.trimStart().startsWith(commentPrefix)) continue;
    const match = DIRECTIVE.exec(lineText);
    if (!match) continue;
    const lineStart = source.lineStarts[line]!;
    const bodyOffset = lineText.length - match[4]!.length;
    const separator = match[4]!.search(/(?:^|\s)--(?:\s|$)/);
    const idsText = separator < 0 ? match[4]! : match[4]!.slice(0, separator);
    const reason =
      separator < 0
        ? ''
        : match[4]!
            .slice(separator)
            .replace(/^\s*--/, '')
            .trim();
    const rules: NamedRule[] = [];
    for (const id of idsText.matchAll(/[^\s,]+/g))
      rules.push({ id: id[0], start: lineStart + bodyOffset + id.index!, end: lineStart + bodyOffset + id.index! + id[0].length });
    directives.push({
      kind: match[3] as 'next-line' | 'file',
      line,
      target: line + 1,
      start: lineStart + match[1]!.length,
      end: lineStart + lineText.trimEnd().length,
      rules,
      reason,
    });
  }
  // Stacked next-line comments all speak of the first line below them that is not a suppression.
  const directiveLines = new Set(directives.map((directive) => directive.line));
  for (const directive of directives) while (directiveLines.has(directive.target)) directive.target++;
  return directives;
}

/** The comment line a "suppress with a reason" action inserts above a finding. */
export function suppressionComment(commentPrefix: string, ruleId: string, reason: string): string {
  return `${commentPrefix} secure-config-review-disable-next-line ${ruleId} -- ${reason}`;
}
