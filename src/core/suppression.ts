import { isSpaceCode } from './chars';
import type { SourceText } from './source';

// A suppression is a full-line comment in the file's own syntax, always with the rule and a reason:
//   # secure-config-review-disable-next-line postfix/mynetworks-public-range -- lab network, owned by us
//   # secure-config-review-disable-file postfix/sasl-enabled-on-port-25 -- relay for staff only
// Full-line comments are safe in every format we read (postconf(5): only a leading # starts a comment).
// In XML (firewalld) the comment is closed on its line and the reason follows a single ` - `, since XML
// forbids `--` inside a comment:
//   <!-- secure-config-review-disable-next-line firewalld/zone-port-public - partner range, contract 2024-17 -->
// A comment that lacks the reason, names no rule, names `*` or a rule that does not exist suppresses
// nothing and is itself reported (config/invalid-suppression); one that hides nothing is reported too
// (config/unused-suppression), so that a stale exception cannot silently cover a future mistake.
const MARKER = 'secure-config-review-disable';
/** The comment marks a suppression may start with (the format's own prefix must be one of them). */
const MARKS = ['#', ';', '//'];
const KINDS = ['next-line', 'file'] as const;

/** How a format writes a full-line comment: its opening mark, and its closing mark for block comments (XML). */
export interface CommentSyntax {
  prefix: string;
  suffix?: string;
}

/** A format's comment syntax (`#` when there is no format). */
export function commentSyntaxOf(format: { commentPrefix: string; commentSuffix?: string } | undefined): CommentSyntax {
  if (!format) return { prefix: '#' };
  return format.commentSuffix ? { prefix: format.commentPrefix, suffix: format.commentSuffix } : { prefix: format.commentPrefix };
}

/** The mark between the rules and the reason: ` -- `, or ` - ` in a block comment (XML forbids `--` in one). */
function reasonMark(syntax: CommentSyntax): string {
  return syntax.suffix ? '-' : '--';
}

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
  /** The text after ` -- ` (` - ` in XML), trimmed; empty when missing. */
  reason: string;
}

// Read with index arithmetic, not a regular expression: a line of this kind is a full scan at worst, whatever
// runs of spaces, dashes or slashes it holds.
function isSpace(c: string | undefined): boolean {
  return c !== undefined && isSpaceCode(c.charCodeAt(0));
}

function isWordCharacter(c: string | undefined): boolean {
  return c !== undefined && /\w/.test(c);
}

/** Where the separator (`mark` between blanks) of a suppression body starts (at the blank before it, or at 0), or -1. */
function separatorIn(body: string, mark: string): number {
  for (let at = body.indexOf(mark); at >= 0; at = body.indexOf(mark, at + 1)) {
    const before = at === 0 || isSpace(body[at - 1]);
    const after = at + mark.length === body.length || isSpace(body[at + mark.length]);
    if (before && after) return at === 0 ? 0 : at - 1;
  }
  return -1;
}

/** The suppression on one line: its kind and where its body (after the kind) starts, or undefined. */
function directiveOn(lineText: string, syntax: CommentSyntax): { kind: 'next-line' | 'file'; indent: number; body: number } | undefined {
  let at = 0;
  while (isSpace(lineText[at])) at++;
  const indent = at;
  if (!lineText.startsWith(syntax.prefix, at)) return undefined;
  const mark = syntax.suffix ? syntax.prefix : MARKS.find((candidate) => lineText.startsWith(candidate, at));
  if (!mark) return undefined;
  at += mark.length;
  while (isSpace(lineText[at])) at++;
  if (!lineText.startsWith(`${MARKER}-`, at)) return undefined;
  at += MARKER.length + 1;
  const kind = KINDS.find((candidate) => lineText.startsWith(candidate, at) && !isWordCharacter(lineText[at + candidate.length]));
  if (!kind) return undefined;
  return { kind, indent, body: at + kind.length };
}

/** Every suppression comment of the file, as written (valid or not). */
export function parseSuppressions(source: SourceText, syntax: CommentSyntax): SuppressionDirective[] {
  if (!source.text.includes(MARKER)) return [];
  const directives: SuppressionDirective[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const lineText = source.lineText(line);
    if (!lineText.includes(MARKER)) continue;
    const found = directiveOn(lineText, syntax);
    if (!found) continue;
    const lineStart = source.lineStarts[line]!;
    const written = lineText.trimEnd();
    // A block comment must close on its line; the body stops before the closing mark.
    if (syntax.suffix && !written.endsWith(syntax.suffix)) continue;
    const body = lineText.slice(found.body, syntax.suffix ? written.length - syntax.suffix.length : undefined);
    const mark = reasonMark(syntax);
    const separator = separatorIn(body, mark);
    const idsText = separator < 0 ? body : body.slice(0, separator);
    const reason = separator < 0 ? '' : body.slice(body.indexOf(mark, separator) + mark.length).trim();
    const rules: NamedRule[] = [];
    for (const id of idsText.matchAll(/[^\s,]+/g))
      rules.push({ id: id[0], start: lineStart + found.body + id.index!, end: lineStart + found.body + id.index! + id[0].length });
    directives.push({
      kind: found.kind,
      line,
      target: line + 1,
      start: lineStart + found.indent,
      end: lineStart + lineText.trimEnd().length,
      rules,
      reason,
    });
  }
  // Stacked next-line comments all speak of the first line below them that is not a suppression: from the
  // last up, a comment directly above another takes that one's target (one pass).
  for (let index = directives.length - 2; index >= 0; index--) {
    const directive = directives[index]!;
    const below = directives[index + 1]!;
    if (below.line === directive.target) directive.target = below.target;
  }
  return directives;
}

/**
 * The comment line a "suppress with a reason" action inserts above a finding, in two parts: what comes before
 * the reason (ending with the reason mark) and what comes after it (the closing mark of a block comment).
 */
export function suppressionCommentParts(syntax: CommentSyntax, ruleId: string): { lead: string; tail: string } {
  return { lead: `${syntax.prefix} ${MARKER}-next-line ${ruleId} ${reasonMark(syntax)}`, tail: syntax.suffix ? ` ${syntax.suffix}` : '' };
}

/** The whole comment line for `reason` (see suppressionCommentParts). */
export function suppressionComment(syntax: CommentSyntax, ruleId: string, reason: string): string {
  const { lead, tail } = suppressionCommentParts(syntax, ruleId);
  return `${lead} ${reason}${tail}`;
}
