// redis.conf: one directive a line, arguments split as redis-server's sdssplitargs() does
// ("double quotes" with \-escapes, 'single quotes'); `#` starts a comment only at the start of a line.
// `include` is processed in place; for single-valued directives the last line wins.
import { isSpaceCode, skipSpace } from '../../core/chars';
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';

export interface RedisArg {
  text: string;
  span: Span;
}

export interface RedisDirective {
  /** Lower-case name without a leading `--` (command-line form). */
  name: string;
  nameSpan: Span;
  args: RedisArg[];
  /** The whole line. */
  span: Span;
}

export function splitArgs(line: string, offset: number, file: string): RedisArg[] | undefined {
  const args: RedisArg[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && isSpaceCode(line.charCodeAt(i))) i++;
    if (i >= line.length) break;
    const start = i;
    let text = '';
    if (line[i] === '"' || line[i] === "'") {
      const quote = line[i]!;
      i++;
      let closed = false;
      while (i < line.length) {
        const c = line[i]!;
        if (c === '\\' && i + 1 < line.length) {
          const next = line[i + 1]!;
          if (quote === "'") text += next === "'" ? "'" : `\\${next}`;
          else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            text += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 2;
          } else text += ({ n: '\n', r: '\r', t: '\t', b: '\b', a: '\u0007' } as Record<string, string>)[next] ?? next;
          i += 2;
          continue;
        }
        if (c === quote) {
          closed = true;
          i++;
          break;
        }
        text += c;
        i++;
      }
      // sdssplitargs: a closing quote must be followed by a space or the end of the line.
      if (!closed || (i < line.length && !isSpaceCode(line.charCodeAt(i)))) return undefined;
    } else {
      while (i < line.length && !isSpaceCode(line.charCodeAt(i))) i++;
      text = line.slice(start, i);
    }
    args.push({ text, span: { file, start: offset + start, end: offset + i } });
  }
  return args;
}

export function parseRedisFile(source: SourceText, problems: ParseProblem[]): RedisDirective[] {
  const directives: RedisDirective[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const lineText = source.lineText(line);
    const lead = skipSpace(lineText);
    if (lead === lineText.length || lineText.charCodeAt(lead) === 35) continue;
    const offset = source.lineStarts[line]!;
    const args = splitArgs(lineText, offset, source.path);
    const lineSpan = { file: source.path, start: offset + lineText.length - lineText.trimStart().length, end: offset + lineText.trimEnd().length };
    if (!args) {
      problems.push({ span: lineSpan, message: text('redis.unbalanced-quotes') });
      continue;
    }
    const [name, ...rest] = args;
    if (!name) continue;
    directives.push({ name: name.text.toLowerCase(), nameSpan: name.span, args: rest, span: lineSpan });
  }
  return directives;
}

/** `redis-server [config] --name value ...`: options given on the command line, applied after the file. */
export function directivesFromArguments(args: RedisArg[]): RedisDirective[] {
  const out: RedisDirective[] = [];
  let current: RedisDirective | undefined;
  for (const arg of args) {
    if (arg.text.startsWith('--') && arg.text.length > 2) {
      current = { name: arg.text.slice(2).toLowerCase(), nameSpan: arg.span, args: [], span: { ...arg.span } };
      out.push(current);
    } else if (current) {
      current.args.push(arg);
      current.span = { ...current.span, end: arg.span.end };
    }
  }
  return out;
}

export class RedisConfig {
  constructor(
    readonly directives: RedisDirective[],
    readonly sources: SourceText[],
  ) {}

  last(name: string): RedisDirective | undefined {
    for (let i = this.directives.length - 1; i >= 0; i--) if (this.directives[i]!.name === name) return this.directives[i];
    return undefined;
  }

  all(name: string): RedisDirective[] {
    return this.directives.filter((directive) => directive.name === name);
  }

  withDirectives(extra: RedisDirective[]): RedisConfig {
    return new RedisConfig([...this.directives, ...extra], this.sources);
  }
}
