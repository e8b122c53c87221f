// env_file contents with positions: `KEY=VALUE` a line, optional `export `, `#` comment lines, a ` #` comment
// after an unquoted value, "double" (backslash escapes) or 'single' (literal) quotes. A bare `KEY` takes its
// value from the shell running compose: unknown here. Compose interpolates ${VAR} in unquoted and double-
// quoted values, from the project's .env.
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import { interpolate } from './interpolate';

export interface EnvFileEntry {
  name: string;
  /** undefined when the value is not known here (a bare KEY, or an unset variable without default). */
  value?: string;
  /** The value as written, inside the quotes (empty at the `=` for KEY=). */
  span: Span;
  defaulted: string[];
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', $: '$' };

/** An unquoted value without its ` #` comment (a `#` at the start or after a blank) and trailing blanks. */
export function withoutComment(value: string): string {
  for (let i = 0; i < value.length; i++) if (value[i] === '#' && (i === 0 || /\s/.test(value[i - 1]!))) return value.slice(0, i).trimEnd();
  return value.trimEnd();
}

export function parseEnvFileEntries(source: SourceText, env: ReadonlyMap<string, string>): EnvFileEntry[] {
  const out: EnvFileEntry[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const text = source.lineText(line);
    const offset = source.lineStarts[line]!;
    const match = envLine(text);
    if (!match || text.trim().startsWith('#')) continue;
    const name = match[2]!;
    const valueStart = match[1]!.length + name.length + (match[3]?.length ?? 0);
    if (match[3] === undefined) {
      if (match[4]!.trim() === '') out.push({ name, span: { file: source.path, start: offset + match[1]!.length, end: offset + valueStart }, defaulted: [] });
      continue;
    }
    const rest = match[4]!;
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : undefined;
    const closing = quote === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(rest) : quote ? /^'[^']*'/.exec(rest) : null;
    const close = closing ? closing[0].length - 1 : -1;
    let raw: string;
    let start: number;
    if (quote && close > 0) {
      raw = rest.slice(1, close);
      start = valueStart + 1;
    } else {
      raw = withoutComment(rest);
      start = valueStart;
    }
    const span = { file: source.path, start: offset + start, end: offset + start + raw.length };
    if (quote === "'" && close > 0) {
      out.push({ name, value: raw, span, defaulted: [] });
      continue;
    }
    const unescaped = quote === '"' && close > 0 ? raw.replace(/\\(.)/g, (whole, character: string) => ESCAPES[character] ?? whole) : raw;
    const value = interpolate(unescaped, env);
    out.push({ name, ...(value.unknown ? {} : { value: value.text }), span, defaulted: value.defaulted });
  }
  return out;
}

/**
 * `[export ]NAME[ = ]rest`, scanned once: [whole, lead (blanks and `export `), name, `=` with its blanks or
 * undefined, rest], as the pattern `^(\s*(?:export\s+)?)([A-Za-z_][\w.-]*)(\s*=\s*)?(.*)$` it replaces gave.
 */
function envLine(line: string): [string, string, string, string | undefined, string] | undefined {
  const blank = (c: string | undefined) => c !== undefined && /\s/.test(c);
  const nameAt = (from: number) => {
    if (!/[A-Za-z_]/.test(line[from] ?? '')) return -1;
    let end = from + 1;
    while (end < line.length && /[\w.-]/.test(line[end]!)) end++;
    return end;
  };
  let start = 0;
  while (blank(line[start])) start++;
  // `export NAME`: only when a name follows the blanks after `export` (else `export` is the name).
  if (line.startsWith('export', start) && blank(line[start + 6])) {
    let after = start + 6;
    while (blank(line[after])) after++;
    if (nameAt(after) > 0) start = after;
  }
  const nameEnd = nameAt(start);
  if (nameEnd < 0) return undefined;
  let i = nameEnd;
  while (blank(line[i])) i++;
  let equals: string | undefined;
  if (line[i] === '=') {
    i++;
    while (blank(line[i])) i++;
    equals = line.slice(nameEnd, i);
  } else i = nameEnd;
  return [line, line.slice(0, start), line.slice(start, nameEnd), equals, line.slice(i)];
}
