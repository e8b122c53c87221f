// MySQL/MariaDB option files (my.cnf): `[group]` headers, `name[=value]` lines, `#`/`;` comment lines,
// a `#` after a value starts a comment too, values may be quoted. `-` and `_` are the same in names and
// a `loose-` prefix only tells the server not to fail on an unknown option. `!include` and `!includedir`
// splice other files in (directories in name order, `*.cnf` only); the last value read wins.
import { isSpaceCode, skipSpace, trimmedEnd } from '../../core/chars';
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';

export interface MysqlOption {
  group: string;
  /** Normalised: lower case, `_` for `-`, without `loose-`. */
  name: string;
  nameSpan: Span;
  value?: { text: string; span: Span };
  /** The whole line. */
  span: Span;
}

export type MysqlLine = { kind: 'option'; option: MysqlOption } | { kind: 'include'; directory: boolean; path: string; span: Span };

export function normaliseOptionName(name: string): string {
  let out = name.toLowerCase();
  if (out.includes('-')) out = out.replace(/-/g, '_');
  return out.startsWith('loose_') ? out.slice('loose_'.length) : out;
}

export function parseOptionFile(source: SourceText, problems: ParseProblem[]): MysqlLine[] {
  const out: MysqlLine[] = [];
  let group = '';
  for (let line = 0; line < source.lineCount; line++) {
    const lineText = source.lineText(line);
    const offset = source.lineStarts[line]!;
    const lead = skipSpace(lineText);
    const first = lineText.charCodeAt(lead);
    // An empty line, or a comment (`#`, `;`).
    if (lead === lineText.length || first === 35 || first === 59) continue;
    const end = trimmedEnd(lineText, lineText.length, lead);
    const lineSpan = { file: source.path, start: offset + lead, end: offset + end };
    if (first === 33) {
      const trimmed = lineText.slice(lead, end);
      const directive = includeDirective(trimmed);
      // mysys get_argument() cuts the line's last character, taking it for the newline: on a last line
      // without one, `!include /etc/mysql/local.cnf` names `/etc/mysql/local.cn` (my_print_defaults agrees).
      const unterminated = line === source.lineCount - 1 && !/[\r\n]$/.test(source.text);
      const target = unterminated && directive ? includeDirective(lineText.trimStart().slice(0, -1).trimEnd())?.path : directive?.path;
      if (directive && target) out.push({ kind: 'include', directory: directive.keyword === 'includedir', path: target, span: lineSpan });
      else problems.push({ span: lineSpan, message: text('mysql.unknown-directive') });
      continue;
    }
    if (first === 91) {
      const close = lineText.indexOf(']', lead);
      if (close > 0 && close < end)
        group = lineText
          .slice(lead + 1, close)
          .trim()
          .toLowerCase();
      else problems.push({ span: lineSpan, message: text('mysql.unclosed-group-header') });
      continue;
    }
    const match = optionLine(lineText.slice(lead));
    if (!match) {
      problems.push({ span: lineSpan, message: text('mysql.not-an-option-line') });
      continue;
    }
    const nameStart = offset + lead;
    const option: MysqlOption = {
      group,
      name: normaliseOptionName(match.name),
      nameSpan: { file: source.path, start: nameStart, end: nameStart + match.name.length },
      span: lineSpan,
    };
    if (match.value !== undefined) {
      const raw = match.value;
      const rawStart = offset + lead + match.valueStart;
      let value = raw;
      let start = rawStart;
      const quote = raw[0];
      if ((quote === '"' || quote === "'") && raw.indexOf(quote, 1) > 0) {
        const close = raw.indexOf(quote, 1);
        value = raw.slice(1, close);
        start = rawStart + 1;
      } else {
        const hash = raw.includes('#') ? raw.search(/\s#/) : -1;
        if (hash >= 0) value = raw.slice(0, hash).trimEnd();
      }
      option.value = { text: value, span: { file: source.path, start, end: start + value.length } };
    }
    out.push({ kind: 'option', option });
  }
  return out;
}

const isSpace = (c: string | undefined) => c !== undefined && isSpaceCode(c.charCodeAt(0));

/** `!include path` / `!includedir path` (a trimmed line): the keyword and the path, blanks around it removed. */
function includeDirective(trimmed: string): { keyword: string; path: string } | undefined {
  let end = 1;
  while (end < trimmed.length && /\w/.test(trimmed[end]!)) end++;
  const keyword = trimmed.slice(1, end);
  if ((keyword !== 'include' && keyword !== 'includedir') || !isSpace(trimmed[end])) return undefined;
  const path = trimmed.slice(end).trim();
  return path ? { keyword, path } : undefined;
}

/** `name`, `name = value` (blanks around `=` and at the end removed), scanned once; undefined when the line is not one. */
function optionLine(textValue: string): { name: string; value?: string; valueStart: number } | undefined {
  let i = 0;
  while (i < textValue.length && textValue[i] !== '=' && textValue[i] !== '#' && !isSpace(textValue[i])) i++;
  if (i === 0) return undefined;
  const name = textValue.slice(0, i);
  while (isSpace(textValue[i])) i++;
  if (i === textValue.length) return { name, valueStart: i };
  if (textValue[i] !== '=') return undefined;
  i++;
  while (isSpace(textValue[i])) i++;
  return { name, value: textValue.slice(i).trimEnd(), valueStart: i };
}

/** Groups mysqld and mariadbd read (MariaDB: [mariadb-10.11]; MySQL: [mysqld-8.0]). */
export function isServerGroup(group: string): boolean {
  return /^(mysqld|server|mariadb|mariadbd|client-server)(-[\d.]+)?$/.test(group);
}

const FALSE_VALUES = new Set(['0', 'off', 'false', 'no', 'disabled']);

/** A boolean option written as `name`, `name=1|on|true`; false for `=0|off|false`. */
export function optionEnabled(option: MysqlOption): boolean {
  return option.value === undefined || !FALSE_VALUES.has(option.value.text.toLowerCase());
}
