// nginx's configuration syntax, read the way ngx_conf_file.c's ngx_conf_read_token reads it, with offsets.
import { type TextRef, text } from '../../../core/check';
import type { ParseProblem } from '../../../core/format';
import type { Span } from '../../../core/types';
import type { SourceText } from '../../../core/source';

export interface NginxArgument {
  /** The value nginx sees: quotes removed, `\"` and `\\` unescaped (other escapes stay, as nginx keeps them). */
  value: string;
  span: Span;
  quoted: boolean;
}

export interface NginxDirective {
  name: string;
  nameSpan: Span;
  args: NginxArgument[];
  /** From the name to the `;` or the closing `}`. */
  span: Span;
  /** Present for block directives (`server { ... }`); the children in file order. */
  block?: NginxDirective[];
  /** Offset just after `{` and offset of the matching `}`. */
  blockOpen?: number;
  blockClose?: number;
  /** The `include` directive this one was read through, if any. */
  includedBy?: NginxDirective;
}

interface Token {
  text: string;
  start: number;
  end: number;
  quoted: boolean;
  kind: 'word' | ';' | '{' | '}';
}

const problem = (file: string, start: number, end: number, message: TextRef): ParseProblem => ({
  span: { file, start, end },
  message,
});

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function tokenize(source: SourceText, problems: ParseProblem[]): Token[] {
  const input = source.text;
  const file = source.path;
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    if (c === ';' || c === '{' || c === '}') {
      tokens.push({ text: c, start: i, end: i + 1, quoted: false, kind: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i++;
      let chunk = i;
      let closed = false;
      while (i < input.length) {
        const d = input[i]!;
        if (d === '\\' && i + 1 < input.length) {
          const next = input[i + 1]!;
          // ngx_conf_read_token unescapes only \" \' \\ \t \r \n inside quotes.
          value += input.slice(chunk, i);
          value += next === c || next === '\\' ? next : next === 't' ? '\t' : next === 'r' ? '\r' : next === 'n' ? '\n' : d + next;
          i += 2;
          chunk = i;
          continue;
        }
        if (d === c) {
          closed = true;
          value += input.slice(chunk, i);
          i++;
          break;
        }
        i++;
      }
      if (!closed) {
        problems.push(problem(file, start, input.length, text('web.nginx.unclosed-quote')));
        return tokens;
      }
      const after = input[i];
      if (after !== undefined && !isSpace(after) && after !== ';' && after !== '{' && after !== ')')
        problems.push(problem(file, i, i + 1, text('web.nginx.after-quote', { character: after })));
      tokens.push({ text: value, start, end: i, quoted: true, kind: 'word' });
      continue;
    }
    const start = i;
    let variable = false;
    while (i < input.length) {
      const d = input[i]!;
      if (d === '{' && variable) {
        i++;
        continue;
      }
      variable = d === '$';
      if (isSpace(d) || d === ';' || d === '{') break;
      if (d === '\\' && i + 1 < input.length) {
        i += 2;
        continue;
      }
      i++;
    }
    // Unquoted words keep their backslashes (nginx leaves them to the directive): the text as written.
    tokens.push({ text: input.slice(start, i), start, end: i, quoted: false, kind: 'word' });
  }
  return tokens;
}

/**
 * Blocks nested deeper than this are read (their braces still pair up) but left out of the tree, with one
 * problem naming the limit: no configuration comes near it, and every walk over the tree stays bounded.
 */
export const MAX_BLOCK_DEPTH = 100;

/** Parses one file into its directive tree; never throws, reports what nginx would refuse. */
export function parseNginx(source: SourceText, problems: ParseProblem[]): NginxDirective[] {
  const file = source.path;
  const tokens = tokenize(source, problems);
  const root: NginxDirective[] = [];
  const stack: Array<{ list: NginxDirective[]; owner?: NginxDirective }> = [{ list: root }];
  let words: Token[] = [];
  let tooDeep = false;
  const span = (start: number, end: number): Span => ({ file, start, end });
  for (const token of tokens) {
    const top = stack[stack.length - 1]!;
    if (token.kind === 'word') {
      words.push(token);
      continue;
    }
    if (token.kind === '}') {
      if (words.length) {
        const last = words[words.length - 1]!;
        problems.push(problem(file, words[0]!.start, last.end, text('web.nginx.missing-semicolon-before-brace', { name: words[0]!.text })));
        words = [];
      }
      if (!top.owner) {
        problems.push(problem(file, token.start, token.end, text('web.nginx.unmatched-brace')));
        continue;
      }
      top.owner.blockClose = token.start;
      top.owner.span = span(top.owner.span.start, token.end);
      stack.pop();
      continue;
    }
    if (words.length === 0) {
      problems.push(problem(file, token.start, token.end, text('web.nginx.unexpected-token', { token: token.kind })));
      continue;
    }
    const [name, ...args] = words;
    const directive: NginxDirective = {
      name: name!.text,
      nameSpan: span(name!.start, name!.end),
      args: args.map((arg) => ({ value: arg.text, span: span(arg.start, arg.end), quoted: arg.quoted })),
      span: span(name!.start, token.end),
    };
    words = [];
    if (stack.length <= MAX_BLOCK_DEPTH) top.list.push(directive);
    else if (!tooDeep) {
      tooDeep = true;
      problems.push(problem(file, directive.nameSpan.start, directive.nameSpan.end, text('web.nginx.nesting-too-deep', { limit: MAX_BLOCK_DEPTH })));
    }
    if (token.kind === '{') {
      directive.block = [];
      directive.blockOpen = token.end;
      stack.push({ list: directive.block, owner: directive });
    }
  }
  if (words.length) {
    const last = words[words.length - 1]!;
    problems.push(problem(file, words[0]!.start, last.end, text('web.nginx.missing-semicolon-at-end', { name: words[0]!.text })));
  }
  // Blocks below the depth limit were told once already.
  for (const open of stack.slice(1, MAX_BLOCK_DEPTH + 1)) {
    const owner = open.owner!;
    problems.push(problem(file, owner.nameSpan.start, owner.nameSpan.end, text('web.nginx.unclosed-block', { name: owner.name })));
    owner.blockClose = source.text.length;
  }
  return root;
}
