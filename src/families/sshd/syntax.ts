// sshd_config lines split exactly as OpenSSH 9.2's servconf.c splits them, with source offsets kept:
// load_server_config() drops leading blanks, process_server_config_line_depth() drops trailing white space,
// takes the keyword with strdelim() (ends at white space, a double quote or one '=') and splits the rest with
// argv_split() ("double" and 'single' quotes, backslash escapes, a '#' at the start of a token ends the line).
// Lines are separated by '\n' only; there are no continuation lines.
import type { SourceText } from '../../core/source';

/** A word of a line: its value after quote and escape removal, and where it is written (quotes included). */
export interface SshdToken {
  value: string;
  start: number;
  end: number;
}

export interface SshdLine {
  file: string;
  /** 0-based line number. */
  line: number;
  /** Offsets of the line without leading and trailing white space. */
  start: number;
  end: number;
  keyword: SshdToken;
  /** The keyword in lower case, as sshd compares it. */
  name: string;
  /** The line's text without leading and trailing white space (starts at `start`). */
  content: string;
  /** Offset where the text after the keyword (strdelim's remainder) starts; undefined when nothing follows. */
  restStart?: number;
  /** argv_split() of the remainder; undefined when its quotes are not closed. */
  args?: SshdToken[];
}

/** A full-line comment, kept so fixes can turn a commented template (`#PasswordAuthentication yes`) into a setting. */
export interface SshdComment {
  file: string;
  line: number;
  start: number;
  end: number;
  /** The text after the '#'. */
  body: string;
}

export interface SshdFileSyntax {
  source: SourceText;
  lines: SshdLine[];
  comments: SshdComment[];
}

const BLANK = ' \t\r';
const WHITESPACE = ' \t\r\n';

/** One strdelim() step over `text` from `from`; returns the token and where the remainder starts (undefined: none). */
export function strdelim(text: string, from: number, offset: number, splitEquals = true): { token?: SshdToken; next?: number } {
  let i = from;
  while (i < text.length && !(WHITESPACE.includes(text[i]!) || text[i] === '"' || (splitEquals && text[i] === '='))) i++;
  if (i >= text.length) return { token: { value: text.slice(from), start: offset + from, end: offset + text.length } };
  if (text[i] === '"') {
    const close = text.indexOf('"', i + 1);
    if (close < 0) return {};
    const value = text.slice(from, i) + text.slice(i + 1, close);
    return { token: { value, start: offset + from, end: offset + close + 1 }, next: skipWhitespace(text, close + 1) };
  }
  const token = { value: text.slice(from, i), start: offset + from, end: offset + i };
  const equals = splitEquals && text[i] === '=';
  let next = skipWhitespace(text, i + 1);
  if (splitEquals && !equals && text[next] === '=') next = skipWhitespace(text, next + 1);
  return { token, next };
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && WHITESPACE.includes(text[i]!)) i++;
  return i;
}

/** argv_split(…, terminate_on_comment = 1); undefined when a quote is left open (sshd: "invalid quotes"). */
export function argvSplit(text: string, from: number, offset: number): SshdToken[] | undefined {
  const out: SshdToken[] = [];
  let i = from;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    if (text[i] === '#') break;
    const start = i;
    let value = '';
    let quote = '';
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) i++;
        value += text[i] ?? '';
      } else if (quote === '' && (c === ' ' || c === '\t')) break;
      else if (quote === '' && (c === '"' || c === "'")) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else value += c;
    }
    if (i >= text.length && quote !== '') return undefined;
    out.push({ value, start: offset + start, end: offset + Math.min(i, text.length) });
  }
  return out;
}

/** Splits a file into directive lines and full-line comments. */
export function parseSshdSyntax(source: SourceText): SshdFileSyntax {
  const lines: SshdLine[] = [];
  const comments: SshdComment[] = [];
  const text = source.text;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const raw = text.slice(lineStart, lineEnd);
    let begin = 0;
    while (begin < raw.length && BLANK.includes(raw[begin]!)) begin++;
    let end = raw.length;
    // As sshd strips trailing white space: down to, never including, the first character.
    while (end > begin + 1 && (WHITESPACE.includes(raw[end - 1]!) || raw[end - 1] === '\f')) end--;
    const content = raw.slice(begin, end);
    const offset = lineStart + begin;
    const at = source.positionAt(lineStart).line;
    if (content.startsWith('#')) comments.push({ file: source.path, line: at, start: offset, end: offset + content.length, body: content.slice(1) });
    else if (content !== '') {
      const parsed = parseLine(source.path, at, content, offset);
      if (parsed) lines.push(parsed);
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return { source, lines, comments };
}

function parseLine(file: string, line: number, content: string, offset: number): SshdLine | undefined {
  let { token, next } = strdelim(content, 0, offset);
  if (token && token.value === '' && next !== undefined) ({ token, next } = strdelim(content, next, offset));
  if (!token || token.value === '' || token.value.startsWith('#')) return undefined;
  const out: SshdLine = { file, line, start: offset, end: offset + content.length, keyword: token, name: token.value.toLowerCase(), content };
  if (next !== undefined && next < content.length) {
    out.restStart = offset + next;
    const args = argvSplit(content, next, offset);
    if (args) out.args = args;
  }
  return out;
}
