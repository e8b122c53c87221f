// The iptables-restore file syntax (what iptables-save writes): `*table` ... `COMMIT` sections holding chain
// declarations `:CHAIN POLICY [packets:bytes]` and command lines (`-A INPUT -p tcp --dport 22 -j ACCEPT`).
// Only whole lines starting with `#` are comments; arguments are split on blanks, double quotes group
// (a backslash escapes a quote inside them), as iptables-restore itself does.
import { skipSpace, trimmedEnd } from '../../core/chars';
import { text } from '../../core/check';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import type { Span } from '../../core/types';

export interface Token {
  /** The argument as iptables sees it (quotes removed). */
  text: string;
  span: Span;
  quoted: boolean;
}

export interface ChainDeclaration {
  name: string;
  /** `ACCEPT`, `DROP` for built-in chains, `-` for user chains (as written). */
  policy: string;
  span: Span;
  nameSpan: Span;
  policySpan: Span;
}

export interface CommandLine {
  /** The arguments, counters (`[0:0]`) left out. */
  tokens: Token[];
  /** The line without its line break. */
  span: Span;
  /** 1-based line number, for messages. */
  line: number;
}

export interface TableSection {
  name: string;
  /** The `*table` line. */
  span: Span;
  chains: ChainDeclaration[];
  commands: CommandLine[];
  /** The COMMIT line; undefined when the section is never committed (iptables-restore then refuses the file). */
  commit?: Span;
}

export interface RestoreFile {
  source: SourceText;
  tables: TableSection[];
  /** Full-line comments with their spans (ufw's `### tuple ###` lines live here). */
  comments: Array<{ text: string; span: Span; line: number }>;
}

export const TABLES = ['filter', 'nat', 'mangle', 'raw', 'security'] as const;

/** Splits one line into arguments the way iptables-restore does. */
export function tokenize(source: SourceText, lineStart: number, lineEnd: number): Token[] | { error: number } {
  const out: Token[] = [];
  const line = source.text;
  let i = lineStart;
  while (i < lineEnd) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const start = i;
    // An argument without quotes is its text as written (the common case: no character-by-character copy).
    while (i < lineEnd) {
      const d = line.charCodeAt(i);
      if (d === 32 || d === 9 || d === 34) break;
      i++;
    }
    if (i >= lineEnd || line.charCodeAt(i) !== 34) {
      out.push({ text: line.slice(start, i), span: { file: source.path, start, end: i }, quoted: false });
      continue;
    }
    let value = line.slice(start, i);
    let quoted = false;
    let inQuote = false;
    while (i < lineEnd) {
      const d = line[i]!;
      if (inQuote) {
        if (d === '\\' && line[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        if (d === '"') {
          inQuote = false;
          i++;
          continue;
        }
        value += d;
        i++;
        continue;
      }
      if (d === ' ' || d === '\t') break;
      if (d === '"') {
        inQuote = true;
        quoted = true;
        i++;
        continue;
      }
      value += d;
      i++;
    }
    if (inQuote) return { error: start };
    out.push({ text: value, span: { file: source.path, start, end: i }, quoted });
  }
  return out;
}

/** Reads the sections of an iptables-restore file, reporting what iptables-restore would refuse at this level. */
export function parseRestoreFile(source: SourceText, problems: ParseProblem[]): RestoreFile {
  const tables: TableSection[] = [];
  const comments: RestoreFile['comments'] = [];
  let current: TableSection | undefined;
  const problem = (start: number, end: number, message: ReturnType<typeof text>) => problems.push({ span: { file: source.path, start, end }, message });
  for (let line = 0; line < source.lineCount; line++) {
    const lineStart = source.lineStarts[line]!;
    const lineEnd = source.lineEnd(line);
    const first = skipSpace(source.text, lineStart, lineEnd);
    if (first >= lineEnd) continue;
    const end = trimmedEnd(source.text, lineEnd, first);
    const trimmed = source.text.slice(first, end);
    const span: Span = { file: source.path, start: first, end };
    if (trimmed.startsWith('#')) {
      comments.push({ text: trimmed, span, line: line + 1 });
      continue;
    }
    if (trimmed.startsWith('*')) {
      if (current) problem(current.span.start, current.span.end, text('iptables.table-not-committed', { table: current.name }));
      const name = trimmed.slice(1).trim();
      current = { name, span, chains: [], commands: [] };
      tables.push(current);
      if (!(TABLES as readonly string[]).includes(name)) problem(span.start, span.end, text('iptables.unknown-table', { table: name }));
      continue;
    }
    if (!current) {
      problem(span.start, span.end, text('iptables.outside-table'));
      continue;
    }
    if (trimmed === 'COMMIT') {
      current.commit = span;
      current = undefined;
      continue;
    }
    if (trimmed.startsWith(':')) {
      const match = /^:(\S+)\s+(\S+)(?:\s+\[\d+:\d+\])?\s*$/.exec(trimmed);
      if (!match) {
        problem(span.start, span.end, text('iptables.bad-chain-line'));
        continue;
      }
      const nameStart = first + 1;
      const policyStart = first + trimmed.indexOf(match[2]!, 1 + match[1]!.length);
      current.chains.push({
        name: match[1]!,
        policy: match[2]!,
        span,
        nameSpan: { file: source.path, start: nameStart, end: nameStart + match[1]!.length },
        policySpan: { file: source.path, start: policyStart, end: policyStart + match[2]!.length },
      });
      continue;
    }
    const tokens = tokenize(source, first, span.end);
    if ('error' in tokens) {
      problem(tokens.error, span.end, text('iptables.unterminated-quote'));
      continue;
    }
    // `[packets:bytes]` before the command (iptables-save -c).
    if (tokens[0] && /^\[\d+:\d+\]$/.test(tokens[0].text)) tokens.shift();
    current.commands.push({ tokens, span, line: line + 1 });
  }
  if (current) {
    const end = source.text.length;
    problems.push({
      span: { file: source.path, start: current.span.start, end: current.span.end },
      message: text('iptables.table-not-committed', { table: current.name }),
    });
    void end;
  }
  return { source, tables, comments };
}
