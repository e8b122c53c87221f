// postgresql.conf: `name = value` or `name value`, values bare or in 'single quotes' ('' is a quote),
// `#` starts a comment outside quotes; the last setting read wins; include, include_if_exists and
// include_dir (files ending in .conf, in name order) are read where they appear.
import { isSpaceCode } from '../../core/chars';
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';

export interface PgSetting {
  name: string;
  nameSpan: Span;
  value: string;
  valueSpan: Span;
  span: Span;
}

export function parsePgConf(source: SourceText, problems: ParseProblem[]): PgSetting[] {
  const settings: PgSetting[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const lineText = source.lineText(line);
    const offset = source.lineStarts[line]!;
    const match = settingLine(lineText);
    if (!match) {
      const trimmed = lineText.trim();
      if (trimmed && !trimmed.startsWith('#'))
        problems.push({ span: { file: source.path, start: offset, end: offset + lineText.length }, message: text('pg.not-a-setting-line') });
      continue;
    }
    const nameStart = offset + match[1]!.length;
    const valueStart = nameStart + match[2]!.length + match[3]!.length;
    const rest = match[4]!;
    let value: string;
    let span: Span;
    if (rest.startsWith("'")) {
      let i = 1;
      value = '';
      while (i < rest.length) {
        if (rest[i] === "'" && rest[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (rest[i] === "'") break;
        else if (rest[i] === '\\' && i + 1 < rest.length) {
          value += rest[i + 1];
          i += 2;
        } else value += rest[i++];
      }
      span = { file: source.path, start: valueStart + 1, end: valueStart + Math.min(i, rest.length) };
    } else {
      value = /^[^\s#]*/.exec(rest)![0];
      span = { file: source.path, start: valueStart, end: valueStart + value.length };
    }
    settings.push({
      name: match[2]!.toLowerCase(),
      nameSpan: { file: source.path, start: nameStart, end: nameStart + match[2]!.length },
      value,
      valueSpan: span,
      span: { file: source.path, start: nameStart, end: offset + lineText.length },
    });
  }
  return settings;
}

/** `name = value` or `name value`, scanned once: [whole, leading blanks, name, separator, rest], as the pattern it replaces gave. */
function settingLine(line: string): [string, string, string, string, string] | undefined {
  const blank = (c: string | undefined) => c !== undefined && isSpaceCode(c.charCodeAt(0));
  let i = 0;
  while (blank(line[i])) i++;
  const nameStart = i;
  if (!/[A-Za-z_]/.test(line[i] ?? '')) return undefined;
  while (i < line.length && /[\w.-]/.test(line[i]!)) i++;
  const nameEnd = i;
  while (blank(line[i])) i++;
  if (line[i] === '=') {
    i++;
    while (blank(line[i])) i++;
  } else if (i === nameEnd) return undefined;
  return [line, line.slice(0, nameStart), line.slice(nameStart, nameEnd), line.slice(nameEnd, i), line.slice(i)];
}
