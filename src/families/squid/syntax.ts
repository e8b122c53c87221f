// squid.conf lines as Squid 5 reads them (cache_cf.cc parseOneConfigFile):
// - a line is cut at its first CR; leading blanks are skipped; lines starting with '#' and empty lines are
//   ignored, even between the pieces of a continued line;
// - a line whose last character is '\' continues on the next one (its leading blanks skipped);
// - trailing blanks are trimmed, then ${service_name}, ${process_name} and ${process_number} are replaced;
// - `if EXPR` / `else` / `endif` (per file) choose lines; `include` reads more files (glob, in name order);
// - a directive's words are separated by blanks, and a word starting with '#' ends the line.
// Every logical line is kept, active or not, in the order `squid -k parse` prints "Processing: ..." for it.
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { MappedLine } from '../shared/mapped-line';

export interface SquidToken {
  text: string;
  span: Span;
}

export interface SquidLine {
  /** The line as Squid processes it (after joining and macro substitution). */
  text: string;
  span: Span;
  /** The first word (`acl`, `http_access`, `if`, ...) and the words after it, up to a '#' word. */
  name: SquidToken;
  args: SquidToken[];
  kind: 'directive' | 'if' | 'else' | 'endif' | 'include';
  /** False inside the branch of an if/else that Squid skips. */
  active: boolean;
}

/**
 * Macro values as `squid -k parse` and a single `squid -N` process see them (KidIdentifier 0).
 * SMP workers get their own numbers; the model reads the configuration as the parse check does.
 */
export const MACROS: ReadonlyArray<[string, string]> = [
  ['${service_name}', 'squid'],
  ['${process_name}', 'squid'],
  ['${process_number}', '0'],
];

/** Squid's w_space and isspace(): blank, tab, newline, carriage return, vertical tab, form feed. */
const isSpaceCode = (code: number) => code === 32 || (code >= 9 && code <= 13);
const isSpace = (char: string | undefined) => char !== undefined && isSpaceCode(char.charCodeAt(0));
/** w_space as words() splits on: blank, tab, newline, carriage return. */
const isWordSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;

/** Splits a logical line into words (w_space separated); a word starting with '#' ends it. */
function words(line: MappedLine): SquidToken[] {
  const out: SquidToken[] = [];
  const value = line.text;
  let i = 0;
  while (i < value.length) {
    while (i < value.length && isWordSpace(value.charCodeAt(i))) i++;
    if (i >= value.length || value.charCodeAt(i) === 35 /* # */) break;
    const start = i;
    while (i < value.length && !isWordSpace(value.charCodeAt(i))) i++;
    out.push({ text: value.slice(start, i), span: line.span(start, i) });
  }
  return out;
}

/** EvalBoolExpr: `true`, `false` or `N = M` (integers as strtol reads them, base 0); undefined when Squid dies. */
export function evaluateCondition(expression: string): boolean | undefined {
  if (expression === 'true') return true;
  if (expression === 'false') return false;
  const equals = expression.indexOf('=');
  if (equals < 0) return undefined;
  const left = integer(expression.slice(0, equals).trimEnd());
  const right = integer(expression.slice(equals + 1).replace(/^[ \t\n\r\v\f]+/, ''));
  return left === undefined || right === undefined ? undefined : left === right;
}

function integer(value: string): number | undefined {
  const match = /^[ \t\n\r\v\f]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(value);
  if (!match) return undefined;
  const digits = match[2]!;
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : Number(digits);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** The words of an `include` line: blank-separated, "quoted" words may hold blanks (strwordtok). */
export function includeWords(rest: string): string[] {
  const out: string[] = [];
  for (const match of rest.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  return out;
}

const statement = (value: string, word: string): string | undefined => {
  // Lines start at a non-blank (parseSquid skips leading blanks): most cannot be the statement at all.
  if (value.charCodeAt(0) !== word.charCodeAt(0) && !isSpace(value[0])) return undefined;
  const trimmed = value.replace(/^[ \t\n\r\v\f]+/, '');
  if (!trimmed.startsWith(word)) return undefined;
  const rest = trimmed.slice(word.length);
  if (rest === '') return '';
  return isSpace(rest[0]) ? rest.replace(/^[ \t\n\r\v\f]+/, '') : undefined;
};

/** One file's logical lines; `if` branches are decided here (Squid keeps one if-stack per file). */
export function parseSquid(source: SourceText, problems: ParseProblem[]): SquidLine[] {
  const out: SquidLine[] = [];
  const branches: Array<{ value: boolean; span: Span }> = [];
  // Branches whose value is false: a line is active when there is none (no walk over deep if-stacks).
  let falseBranches = 0;
  let pending: MappedLine | undefined;
  for (let number = 0; number < source.lineCount; number++) {
    let line = source.lineText(number);
    const cr = line.indexOf('\r');
    if (cr >= 0) line = line.slice(0, cr);
    let start = 0;
    while (isSpace(line[start])) start++;
    if (start >= line.length || line[start] === '#') continue;
    const logical = pending ?? new MappedLine(source.path);
    const lineStart = source.lineStarts[number]!;
    if (line.endsWith('\\')) {
      logical.append(line.slice(start, -1), lineStart + start);
      pending = logical;
      continue;
    }
    logical.append(line.slice(start), lineStart + start);
    pending = undefined;
    let end = logical.text.length;
    while (end > 0 && isSpace(logical.text[end - 1])) end--;
    logical.truncate(end);
    if (logical.text.includes('${')) for (const [macro, value] of MACROS) logical.replaceAll(macro, value);
    const tokens = words(logical);
    const span = logical.span(0, logical.text.length);
    const active = falseBranches === 0;
    const name = tokens[0] ?? { text: '', span };
    const base = { text: logical.text, span, name, args: tokens.slice(1), active };
    const condition = statement(logical.text, 'if');
    if (condition !== undefined) {
      const value = evaluateCondition(condition);
      if (value === undefined) problems.push({ span, severity: 'error', message: text('squid.if-expression', { expression: condition }) });
      branches.push({ value: value ?? false, span });
      if (!(value ?? false)) falseBranches++;
      out.push({ ...base, kind: 'if' });
    } else if (statement(logical.text, 'endif') !== undefined) {
      const closed = branches.pop();
      if (!closed) problems.push({ span, severity: 'error', message: text('squid.endif-without-if') });
      else if (!closed.value) falseBranches--;
      out.push({ ...base, active: falseBranches === 0, kind: 'endif' });
    } else if (statement(logical.text, 'else') !== undefined) {
      const last = branches[branches.length - 1];
      if (last) {
        falseBranches += last.value ? 1 : -1;
        last.value = !last.value;
      } else problems.push({ span, severity: 'error', message: text('squid.else-without-if') });
      // Active when every branch but the last holds.
      out.push({ ...base, active: falseBranches - (last && !last.value ? 1 : 0) === 0, kind: 'else' });
    } else out.push({ ...base, kind: /^include[ \t\n\r\v\f]/.test(logical.text) && logical.text.length >= 9 ? 'include' : 'directive' });
  }
  const open = branches[branches.length - 1];
  if (open) problems.push({ span: open.span, severity: 'error', message: text('squid.if-without-endif') });
  return out;
}
