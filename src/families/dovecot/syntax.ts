// dovecot.conf lines as Dovecot 2.3 reads them (src/config/config-parser.c config_parse_line):
// - leading blanks are skipped; a line starting with '#' and an empty line are ignored;
// - a '#' outside quotes starts a comment anywhere else on the line;
// - a line ending in '\' continues on the next one (the pieces are joined with one space); a comment or empty
//   line in between drops what was collected, and the next line stands alone;
// - `key = value`, where the value may be "quoted" (backslash escapes), `<file` or hold `$variables`;
// - `type [name] {` opens a section, `}` closes it; `!include` / `!include_try` read other files.
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { MappedLine } from '../shared/mapped-line';

export type ValueForm = 'plain' | 'quoted' | 'file' | 'variable';

export type DovecotLine =
  | { kind: 'setting'; key: string; keySpan: Span; value: string; valueSpan: Span; form: ValueForm; span: Span }
  | { kind: 'section'; type: string; typeSpan: Span; name: string; nameSpan?: Span; span: Span }
  | { kind: 'end'; span: Span }
  | { kind: 'include'; path: string; pathSpan: Span; optional: boolean; span: Span };

const isBlank = (char: string | undefined) => char === ' ' || char === '\t';

/** str_unescape(): a backslash takes the next character literally. */
export function unescape(value: string): string {
  return value.replace(/\\(.)/gs, '$1');
}

/** Where a comment starts on one physical line (config_parse_line's quote-aware scan), or the line's length. */
function commentStart(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const char = line[i]!;
    if (char === "'" || char === '"') {
      for (i++; i < line.length && line[i] !== char; i++) if (line[i] === '\\' && i + 1 < line.length) i++;
      if (i >= line.length) return line.length;
    } else if (char === '#') return i;
  }
  return line.length;
}

export function parseDovecot(source: SourceText, problems: ParseProblem[]): DovecotLine[] {
  const out: DovecotLine[] = [];
  let pending: MappedLine | undefined;
  for (let number = 0; number < source.lineCount; number++) {
    const line = source.lineText(number);
    const lineStart = source.lineStarts[number]!;
    let start = 0;
    while (isBlank(line[start])) start++;
    // A comment or empty line ends a continuation: what was collected is dropped (full_line is truncated).
    if (start >= line.length || line[start] === '#') {
      pending = undefined;
      continue;
    }
    let end = commentStart(line, start);
    while (end > start && isBlank(line[end - 1])) end--;
    const logical = pending ?? new MappedLine(source.path);
    if (line[end - 1] === '\\') {
      let pieceEnd = end - 1;
      while (pieceEnd > start && isBlank(line[pieceEnd - 1])) pieceEnd--;
      if (pieceEnd > start) logical.append(line.slice(start, pieceEnd), lineStart + start, ' ');
      pending = logical;
      continue;
    }
    logical.append(line.slice(start, end), lineStart + start);
    pending = undefined;
    const parsed = parseLogical(logical, problems);
    if (parsed) out.push(parsed);
  }
  return out;
}

function parseLogical(line: MappedLine, problems: ParseProblem[]): DovecotLine | undefined {
  const value = line.text;
  const whole = line.span(0, value.length);
  let i = 0;
  while (i < value.length && !isBlank(value[i]) && value[i] !== '=') i++;
  const key = value.slice(0, i);
  const keySpan = line.span(0, i);
  while (isBlank(value[i])) i++;
  if (key === '!include' || key === '!include_try') {
    return { kind: 'include', path: value.slice(i), pathSpan: line.span(i, value.length), optional: key === '!include_try', span: whole };
  }
  if (value[i] === '=') {
    i++;
    while (isBlank(value[i])) i++;
    if (key === '') {
      problems.push({ span: whole, severity: 'error', message: text('dovecot.missing-setting-name') });
      return undefined;
    }
    const rest = value.slice(i);
    if (rest.startsWith('<')) {
      let at = i + 1;
      while (isBlank(value[at])) at++;
      return { kind: 'setting', key, keySpan, value: value.slice(at), valueSpan: line.span(at, value.length), form: 'file', span: whole };
    }
    if (rest[0] !== '"' && rest[0] !== "'" && rest.includes('$'))
      return { kind: 'setting', key, keySpan, value: rest, valueSpan: line.span(i, value.length), form: 'variable', span: whole };
    const quote = rest[0];
    if (rest.length >= 2 && (quote === '"' || quote === "'") && rest.endsWith(quote))
      return { kind: 'setting', key, keySpan, value: unescape(rest.slice(1, -1)), valueSpan: line.span(i + 1, value.length - 1), form: 'quoted', span: whole };
    return { kind: 'setting', key, keySpan, value: rest, valueSpan: line.span(i, value.length), form: 'plain', span: whole };
  }
  if (key === '}' && i >= value.length) return { kind: 'end', span: whole };
  // A section: `type {`, `type name {` or `type "name" {`.
  let name = '';
  let nameSpan: Span | undefined;
  if (value[i] !== '{') {
    if (value[i] !== '"') {
      const nameStart = i;
      while (i < value.length && !isBlank(value[i])) i++;
      name = value.slice(nameStart, i);
      nameSpan = line.span(nameStart, i);
    } else {
      const nameStart = ++i;
      while (i < value.length && value[i] !== '"') i++;
      if (value[i] === '"') {
        name = unescape(value.slice(nameStart, i));
        nameSpan = line.span(nameStart, i);
        i++;
      }
    }
    while (isBlank(value[i])) i++;
    if (value[i] !== '{') {
      problems.push({ span: whole, severity: 'error', message: text('dovecot.expecting-brace', { key }) });
      return undefined;
    }
  }
  if (i + 1 < value.length) {
    problems.push({ span: line.span(i + 1, value.length), severity: 'error', message: text('dovecot.garbage-after-brace') });
    return undefined;
  }
  return { kind: 'section', type: key, typeSpan: keySpan, name, ...(nameSpan ? { nameSpan } : {}), span: whole };
}
