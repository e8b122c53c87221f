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

export function parseEnvFileEntries(source: SourceText, env: ReadonlyMap<string, string>): EnvFileEntry[] {
  const out: EnvFileEntry[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const text = source.lineText(line);
    const offset = source.lineStarts[line]!;
    const match = /^(\s*(?:export\s+)?)([A-Za-z_][\w.-]*)(\s*=\s*)?(.*)$/.exec(text);
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
      raw = rest.replace(/(^|\s+)#.*$/, '').trimEnd();
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
