// Shared by the sshd checks: where a finding goes when the line that causes it is in another file, how a
// context is named in a message, and edits that set a keyword in the global part of the configuration.
import { type TextRef, text, type EditSpec, type RelatedSpec } from '../../../core/check';
import type { Span } from '../../../core/types';
import { basename } from '../../shared/paths';
import type { SshdConfig } from '../model';
import type { SshdContext } from '../contexts';
import { type Directive, directiveSpan, valueSpan } from '../options';

/** `file:line` of a directive, for messages. */
export function where(directive: Directive): string {
  return `${basename(directive.line.file)}:${directive.line.line + 1}`;
}

/**
 * Where a finding about `span` is shown in the linted file: on the span itself, or, when it lies in an included
 * file, on the Include line that reads that file (with the real place as a related location).
 */
export function placeIn(config: SshdConfig, span: Span, note: TextRef): { span: Span; related: RelatedSpec[] } | undefined {
  if (span.file === config.linted.path) return { span, related: [] };
  const include = config.includeLeadingTo(config.linted.path, span.file);
  if (!include) return undefined;
  return { span: directiveSpan(include), related: [{ span, message: note }] };
}

/** "every client", "clients that match no Match block" or "clients matching `Match …` (file:line)". */
export function scopeOf(config: SshdConfig, context: Pick<SshdContext, 'block'>): TextRef {
  if (!context.block) return config.blocks.some((block) => !block.condition.all) ? text('sshd.scope-global') : text('sshd.scope-everyone');
  const line = context.block.directive.line;
  return text('sshd.scope-match', { match: line.content, file: basename(line.file), line: line.line + 1 });
}

/** Replaces the value of a directive (keeping the keyword as written). */
export function replaceValue(directive: Directive, value: string): EditSpec {
  return { span: valueSpan(directive), newText: value };
}

/**
 * An edit that makes `Keyword value` hold for clients matching no Match block, when the keyword is not written
 * anywhere in that part: turns the commented template (`#PasswordAuthentication yes`) into the setting, or
 * inserts a line before the root file's first Match block (at its end when it has none).
 */
export function setGlobally(config: SshdConfig, keyword: string, value: string): EditSpec {
  const root = config.root;
  const firstMatch = root.items.find((item) => item.kind === 'match');
  const limit = firstMatch && firstMatch.kind === 'match' ? firstMatch.block.directive.line.start : Infinity;
  const template = root.syntax.comments.find((comment) => comment.start < limit && new RegExp(`^\\s*${keyword}(\\s|=)`, 'i').test(comment.body));
  const file = root.source.path;
  if (template) return { span: { file, start: template.start, end: template.end }, newText: `${keyword} ${value}` };
  if (firstMatch && firstMatch.kind === 'match') {
    const start = firstMatch.block.directive.line.start;
    const lineStart = root.source.lineStarts[root.source.positionAt(start).line]!;
    return { span: { file, start: lineStart, end: lineStart }, newText: `${keyword} ${value}\n` };
  }
  const text = root.source.text;
  const end = text.length;
  return { span: { file, start: end, end }, newText: `${end > 0 && !text.endsWith('\n') ? '\n' : ''}${keyword} ${value}\n` };
}

/** Where a default value "is": the commented template of the keyword in the root file, else its first line. */
export function defaultAnchor(config: SshdConfig, keywords: readonly string[]): Span {
  const root = config.root;
  const firstMatch = root.items.find((item) => item.kind === 'match');
  const limit = firstMatch && firstMatch.kind === 'match' ? firstMatch.block.directive.line.start : Infinity;
  const pattern = new RegExp(`^\\s*(${keywords.join('|')})(\\s|=)`, 'i');
  const template = root.syntax.comments.find((comment) => comment.start < limit && pattern.test(comment.body));
  if (template) return { file: root.source.path, start: template.start, end: template.end };
  const first = root.syntax.lines[0];
  if (first) return { file: root.source.path, start: first.keyword.start, end: first.keyword.end };
  return { file: root.source.path, start: 0, end: root.source.lineEnd(0) };
}

/** Removes a directive's whole line, line break included. */
export function deleteLine(config: SshdConfig, directive: Directive): EditSpec | undefined {
  const source = config.sources.find((known) => known.path === directive.line.file);
  if (!source) return undefined;
  const line = source.positionAt(directive.line.start).line;
  const start = source.lineStarts[line]!;
  const end = line + 1 < source.lineCount ? source.lineStarts[line + 1]! : source.text.length;
  return { span: { file: source.path, start, end }, newText: '' };
}
