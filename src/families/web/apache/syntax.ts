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

function splitArguments(text: string, offset: number, file: string): ApacheArgument[] {
  const args: ApacheArgument[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r'))) {
      i++;
      continue;
    }
    const start = i;
    let value = '';
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && (text[i + 1] === c || text[i + 1] === '\\')) i++;
        value += text[i];
        i++;
      }
      i++;
      args.push({ value, span: { file, start: offset + start, end: offset + Math.min(i, text.length) }, quoted: true });
      continue;
    }
    while (i < text.length && !/\s/.test(text[i]!)) {
      if (text[i] === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) break;
      value += text[i];
      i++;
    }
    args.push({ value, span: { file, start: offset + start, end: offset + i }, quoted: false });
  }
  return args;
}

/** Parses one file into directives and sections; unbalanced sections become problems, never exceptions. */
export function parseApache(source: SourceText, problems: ParseProblem[]): ApacheDirective[] {
  const input = source.text;
  const file = source.path;
  const root: ApacheDirective[] = [];
  const stack: Array<{ list: ApacheDirective[]; owner?: ApacheDirective }> = [{ list: root }];
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
    const raw = input.slice(lineStart, end);
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (!body || body.startsWith('#')) continue;
    const start = lineStart + indent;
    const span = { file, start, end: lineStart + raw.trimEnd().length };
    const top = stack[stack.length - 1]!;
    if (body.startsWith('</')) {
      const name = body.slice(2).replace(/>.*$/, '').trim();
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
      const nameMatch = /^<([^\s>]+)/.exec(body)!;
      const name = nameMatch[1]!;
      const argsText = body.slice(nameMatch[0].length, close);
      const directive: ApacheDirective = {
        name,
        lower: name.toLowerCase(),
        nameSpan: { file, start: start + 1, end: start + 1 + name.length },
        args: splitArguments(argsText, start + nameMatch[0].length, file),
        span,
        children: [],
      };
      top.list.push(directive);
      stack.push({ list: directive.children!, owner: directive });
      continue;
    }
    const nameMatch = /^\S+/.exec(body)!;
    const name = nameMatch[0];
    top.list.push({
      name,
      lower: name.toLowerCase(),
      nameSpan: { file, start, end: start + name.length },
      args: splitArguments(body.slice(name.length), start + name.length, file),
      span,
    });
  }
  for (const open of stack.slice(1))
    problems.push({
      span: open.owner!.span,
      message: text('web.apache.unclosed-section', { name: open.owner!.name }),
    });
  return root;
}
