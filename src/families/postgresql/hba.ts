// pg_hba.conf: one record a line (a trailing backslash continues it, PostgreSQL 16), fields separated by
// blanks, "double quotes" keep blanks and keywords literal, commas join list members, `#` starts a
// comment outside quotes. Records are tried top to bottom; the first that matches a connection decides.
// include/include_if_exists/include_dir lines and @file list members are returned as written; the loader
// (index.ts loadHba) expands them.
import { type TextRef, text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { AddressSet, type ParsedRange, parseRange } from '../../net';

export interface HbaToken {
  text: string;
  quoted: boolean;
  span: Span;
}

export type HbaAddress =
  | { kind: 'all'; token: HbaToken }
  | { kind: 'samehost' | 'samenet'; token: HbaToken }
  | { kind: 'hostname'; token: HbaToken }
  | { kind: 'range'; token: HbaToken; parsed: ParsedRange; set: AddressSet; maskToken?: HbaToken };

export interface HbaRecord {
  type: HbaToken;
  database: HbaToken;
  user: HbaToken;
  address?: HbaAddress;
  method: HbaToken;
  options: HbaToken[];
  span: Span;
  /** The database and user columns split at commas, `@file` members replaced by the names in the file. */
  databases: HbaToken[];
  users: HbaToken[];
}

/** `include`, `include_if_exists` or `include_dir` (PostgreSQL 16+), expanded by the loader. */
export interface HbaInclude {
  kind: 'include' | 'include_if_exists' | 'include_dir';
  target: HbaToken;
  span: Span;
}

export type HbaLine = { record: HbaRecord } | { include: HbaInclude };

const INCLUDE_KINDS = new Set(['include', 'include_if_exists', 'include_dir']);

export const HOST_TYPES = new Set(['host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc']);

const isBlank = (code: number) => code === 32 || code === 9;

export function tokenize(text: string, offset: number, file: string): HbaToken[] {
  const tokens: HbaToken[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    if (i >= text.length || text[i] === '#') break;
    const start = i;
    let value = '';
    let quoted = false;
    // Unquoted stretches are copied whole, quoted ones without their quotes.
    let run = i;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (isBlank(code) || (code === 35 && !quoted)) break;
      if (code === 34) {
        value += text.slice(run, i);
        quoted = true;
        const close = text.indexOf('"', i + 1);
        const end = close < 0 ? text.length : close;
        value += text.slice(i + 1, end);
        i = end + 1;
        run = i;
        continue;
      }
      i++;
    }
    if (run < i) value += text.slice(run, Math.min(i, text.length));
    tokens.push({ text: value, quoted, span: { file, start: offset + start, end: offset + Math.min(i, text.length) } });
  }
  return tokens;
}

/** 255.255.255.0 -> 24; undefined when the mask is not contiguous. */
function maskLength(mask: string): number | undefined {
  const parsed = parseRange(mask);
  if (!parsed || !parsed.bare) return undefined;
  const bits = parsed.version === 4 ? 32 : 128;
  const value = parsed.version === 4 ? parsed.written - 0xffff00000000n : parsed.written;
  const binary = value.toString(2).padStart(bits, '0');
  return /^1*0*$/.test(binary) ? (binary.indexOf('0') < 0 ? bits : binary.indexOf('0')) : undefined;
}

/** `a,b,@file` -> its members, each with its own span (a quoted token stays one member). */
export function listMembers(token: HbaToken): HbaToken[] {
  if (token.quoted) return [token];
  if (!token.text.includes(',')) return token.text ? [{ text: token.text, quoted: false, span: { ...token.span } }] : [];
  const members: HbaToken[] = [];
  let start = 0;
  for (const part of token.text.split(',')) {
    if (part)
      members.push({ text: part, quoted: false, span: { ...token.span, start: token.span.start + start, end: token.span.start + start + part.length } });
    start += part.length + 1;
  }
  return members;
}

/** The records of one file, without includes (what a PostgreSQL before 16 reads). */
export function parseHba(source: SourceText, problems: ParseProblem[]): HbaRecord[] {
  return parseHbaLines(source, problems).flatMap((line) => ('record' in line ? [line.record] : []));
}

export function parseHbaLines(source: SourceText, problems: ParseProblem[]): HbaLine[] {
  const records: HbaLine[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const tokens = tokenize(source.lineText(line), source.lineStarts[line]!, source.path);
    while (tokens.length && tokens[tokens.length - 1]!.text.endsWith('\\') && line + 1 < source.lineCount) {
      const last = tokens.pop()!;
      if (last.text !== '\\') tokens.push({ ...last, text: last.text.slice(0, -1), span: { ...last.span, end: last.span.end - 1 } });
      line++;
      // Appended in place: copying the record's tokens for each continued line was quadratic in their number.
      for (const token of tokenize(source.lineText(line), source.lineStarts[line]!, source.path)) tokens.push(token);
    }
    if (tokens.length === 0) continue;
    // initdb's template (pg_hba.conf.sample) still holds @placeholders@ that initdb fills in.
    if (tokens.some((token) => token.text.includes('@') && /@[\w-]+@/.test(token.text))) continue;
    const span = { file: source.path, start: tokens[0]!.span.start, end: tokens[tokens.length - 1]!.span.end };
    const type = tokens[0]!;
    const kind = type.text.toLowerCase();
    const problem = (message: TextRef) => problems.push({ span, message });
    if (INCLUDE_KINDS.has(kind) && !type.quoted) {
      if (tokens.length === 2) records.push({ include: { kind: kind as HbaInclude['kind'], target: tokens[1]!, span } });
      else problem(text('pg.include-one-file', { kind }));
      continue;
    }
    if (kind !== 'local' && !HOST_TYPES.has(kind)) {
      problem(text('pg.unknown-connection-type', { type: type.text }));
      continue;
    }
    const [database, user] = [tokens[1], tokens[2]];
    let index = 3;
    let address: HbaAddress | undefined;
    if (kind !== 'local') {
      const token = tokens[index++];
      if (!token) {
        problem(text('pg.missing-address'));
        continue;
      }
      const word = token.quoted ? '' : token.text.toLowerCase();
      if (word === 'all') address = { kind: 'all', token };
      else if (word === 'samehost' || word === 'samenet') address = { kind: word, token };
      else {
        const parsed = parseRange(token.text);
        if (parsed && parsed.bare && !token.text.includes('/') && tokens[index] && parseRange(tokens[index]!.text)?.bare && tokens.length > index + 1) {
          const maskToken = tokens[index++]!;
          const length = maskLength(maskToken.text);
          const withMask = length === undefined ? undefined : parseRange(`${token.text}/${length}`);
          if (withMask) address = { kind: 'range', token, parsed: withMask, set: AddressSet.of(withMask.range), maskToken };
        } else if (parsed) address = { kind: 'range', token, parsed, set: AddressSet.of(parsed.range) };
        else address = { kind: 'hostname', token };
      }
    }
    const method = tokens[index++];
    if (!database || !user || !method) {
      problem(text('pg.incomplete-record'));
      continue;
    }
    const record: HbaRecord = {
      type,
      database,
      user,
      ...(address ? { address } : {}),
      method,
      options: tokens.slice(index),
      span,
      databases: listMembers(database),
      users: listMembers(user),
    };
    records.push({ record });
  }
  return records;
}
