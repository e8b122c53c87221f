// Apache httpd configuration syntax (server/util_cfgtree.c, util.c ap_getword_conf) with offsets:
// one directive a line, `\` at the end of a line continues it, `#` starts a comment only at the start of a line,
// `<Section args>` ... `</Section>` nest.
import { text } from '../../../core/check';
import type { ParseProblem } from '../../../core/format';
import type { Span } from '../../../core/types';
import type { SourceText } from '../../../core/source';

export interface ApacheArgument {
  value: string;
  span: Span;
  quoted: boolean;
}

export interface ApacheDirective {
  /** As written; compare with `is()` (directive names are case-insensitive). */
  name: string;
  lower: string;
  nameSpan: Span;
  args: ApacheArgument[];
  /** The whole logical line (a section: its opening line). */
  span: Span;
  children?: ApacheDirective[];
  /** The `</Section>` line of a section. */
  closeSpan?: Span;
  includedBy?: ApacheDirective;
}

/** httpd's apr_isspace (the C locale's isspace): space, \t, \n, \v, \f, \r. U+00A0 and U+2028 are not spaces to httpd. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Index of the first character at or after `from` that is not an httpd space. */
function skipSpaces(text: string, from: number, end = text.length): number {
  let i = from;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just after the last character before `end` that is not an httpd space. */
function trimEndIndex(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** A `\` that continues the line: followed by a line break. */
function isContinuation(text: string, i: number): boolean {
  if (text[i] !== '\\') return false;
  const next = text[i + 1];
  return next === '\n' || next === '\r';
}

/** ap_getword_conf: words separated by httpd spaces, "..." and '...' quoted with \" and \\ escapes. Every step advances. */
function splitArguments(text: string, offset: number, file: string): ApacheArgument[] {
  const args: ApacheArgument[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text.charCodeAt(i)) || isContinuation(text, i)) {
      i++;
      continue;
    }
    const c = text[i]!;
    const start = i;
    let value = '';
    if (c === '"' || c === "'") {
      i++;
      let chunk = i;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && (text[i + 1] === c || text[i + 1] === '\\')) {
          value += text.slice(chunk, i);
          i++;
          chunk = i;
        }
        i++;
      }
      value += text.slice(chunk, Math.min(i, text.length));
      i++;
      args.push({ value, span: { file, start: offset + start, end: offset + Math.min(i, text.length) }, quoted: true });
      continue;
    }
    while (i < text.length && !isSpace(text.charCodeAt(i)) && !isContinuation(text, i)) i++;
    value = text.slice(start, i);
    args.push({ value, span: { file, start: offset + start, end: offset + i }, quoted: false });
  }
  return args;
}

/**
 * Sections nested deeper than this are not read (their lines are still matched up, so the rest of the file is):
 * no real configuration comes near it, and every walk over the tree stays bounded.
 */
export const MAX_SECTION_DEPTH = 100;

/** Parses one file into directives and sections; unbalanced sections become problems, never exceptions. */
export function parseApache(source: SourceText, problems: ParseProblem[]): ApacheDirective[] {
  const input = source.text;
  const file = source.path;
  const root: ApacheDirective[] = [];
  // Sections below MAX_SECTION_DEPTH are kept on the stack (to match their closing lines) but not in the tree.
  const stack: Array<{ list: ApacheDirective[]; owner?: ApacheDirective }> = [{ list: root }];
  let tooDeep = false;
  let line = 0;
  while (line < source.lineCount) {
    const lineStart = source.lineStarts[line]!;
    let end = source.lineEnd(line);
    let last = line;
    while (input[end - 1] === '\\' && last + 1 < source.lineCount) {
      last++;
      end = source.lineEnd(last);
    }
    line = last + 1;
    const start = skipSpaces(input, lineStart, end);
    const bodyEnd = trimEndIndex(input, start, end);
    if (start >= bodyEnd || input[start] === '#') continue;
    const body = input.slice(start, bodyEnd);
    const span = { file, start, end: bodyEnd };
    const top = stack[stack.length - 1]!;
    if (body.startsWith('</')) {
      const close = body.indexOf('>');
      const nameStart = skipSpaces(body, 2);
      const name = body.slice(nameStart, trimEndIndex(body, nameStart, close < 0 ? body.length : close));
      if (!top.owner || top.owner.lower !== name.toLowerCase()) {
        problems.push({ span, message: text('web.apache.unmatched-close', { name }) });
        continue;
      }
      top.owner.closeSpan = span;
      stack.pop();
      continue;
    }
    if (body.startsWith('<')) {
      const close = body.lastIndexOf('>');
      if (close < 0) {
        problems.push({ span, message: text('web.apache.section-without-bracket') });
        continue;
      }
      let nameEnd = 1;
      while (nameEnd < body.length && !isSpace(body.charCodeAt(nameEnd)) && body[nameEnd] !== '>') nameEnd++;
      const name = body.slice(1, nameEnd);
      if (!name) {
        // `<>` or `< Directory>`: httpd refuses the line; nothing opens.
        problems.push({ span, message: text('web.apache.section-without-name') });
        continue;
      }
      const argsText = body.slice(nameEnd, Math.max(close, nameEnd));
      const directive: ApacheDirective = {
        name,
        lower: name.toLowerCase(),
        nameSpan: { file, start: start + 1, end: start + 1 + name.length },
        args: splitArguments(argsText, start + nameEnd, file),
        span,
        children: [],
      };
      if (stack.length > MAX_SECTION_DEPTH) {
        if (!tooDeep) problems.push({ span, message: text('web.apache.nesting-too-deep', { limit: MAX_SECTION_DEPTH }) });
        tooDeep = true;
      } else top.list.push(directive);
      stack.push({ list: directive.children!, owner: directive });
      continue;
    }
    let nameEnd = 0;
    while (nameEnd < body.length && !isSpace(body.charCodeAt(nameEnd)) && !isContinuation(body, nameEnd)) nameEnd++;
    const name = body.slice(0, nameEnd);
    top.list.push({
      name,
      lower: name.toLowerCase(),
      nameSpan: { file, start, end: start + name.length },
      args: splitArguments(body.slice(nameEnd), start + nameEnd, file),
      span,
    });
  }
  // Sections below the depth limit were told once already.
  for (const open of stack.slice(1, MAX_SECTION_DEPTH + 1))
    problems.push({
      span: open.owner!.span,
      message: text('web.apache.unclosed-section', { name: open.owner!.name }),
    });
  return root;
}
