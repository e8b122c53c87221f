// Enough of m4 to read a sendmail.mc as cf.m4 does (m4(1), cf/README): `dnl` discards the rest of the line,
// `#` starts a comment that m4 copies and never expands, `` `…' `` quotes (nested) stop expansion, and a
// macro name followed at once by `(` is a call whose arguments are split at top-level commas, with leading
// white space dropped and one level of quotes removed. Lines after LOCAL_CONFIG are sendmail.cf text
// (`CR…`/`FR…` lines add to class R, the relay-domains class).
import { isSpaceCode } from '../../core/chars';
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';

export interface McArgument {
  /** The argument with one level of quotes removed. */
  value: string;
  /** Where it is written, quotes included. */
  span: Span;
  /** Where its value is written when the argument is one quoted string (the inside of the quotes). */
  valueSpan?: Span;
}

export interface McCall {
  name: string;
  nameSpan: Span;
  /** From the name to the closing parenthesis (or the name alone, for a call without arguments). */
  span: Span;
  args: McArgument[];
}

export interface CfLine {
  text: string;
  span: Span;
}

export interface McFile {
  source: SourceText;
  calls: McCall[];
  /** sendmail.cf lines written after LOCAL_CONFIG. */
  localConfig: CfLine[];
}

/** Macros that start a new part of the generated sendmail.cf (cf/README "LOCAL_*"). */
const SECTIONS = new Set([
  'LOCAL_CONFIG',
  'LOCAL_RULESETS',
  'LOCAL_RULE_0',
  'LOCAL_RULE_1',
  'LOCAL_RULE_2',
  'LOCAL_RULE_3',
  'LOCAL_NET_CONFIG',
  'LOCAL_SRV_FEATURES',
  'MAILER_DEFINITIONS',
  'LOCAL_TRY_TLS',
  'LOCAL_TLS_RCPT',
  'LOCAL_TLS_CLIENT',
  'LOCAL_TLS_SERVER',
  'LOCAL_STARTTLS',
  'LOCAL_UUCP',
]);
const MAX_CALLS = 20_000;

const HASH = 35;
const BACKQUOTE = 96;
/** [A-Za-z_] */
const isWordStart = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
/** [A-Za-z0-9_] */
const isWordChar = (code: number) => isWordStart(code) || (code >= 48 && code <= 57);

export function parseMc(source: SourceText): McFile {
  const text = source.text;
  const file = source.path;
  const calls: McCall[] = [];
  const localConfig: CfLine[] = [];
  let inLocalConfig = false;
  let i = 0;
  const skipQuote = (from: number): number => {
    let depth = 0;
    for (let j = from; j < text.length; j++) {
      if (text[j] === '`') depth++;
      else if (text[j] === "'") {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  };
  while (i < text.length && calls.length < MAX_CALLS) {
    const code = text.charCodeAt(i);
    if (code === HASH) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (code === BACKQUOTE) {
      i = skipQuote(i);
      continue;
    }
    if (isWordStart(code) && (i === 0 || !isWordChar(text.charCodeAt(i - 1)))) {
      // The macro name (at most 200 characters are looked at).
      let wordEnd = i + 1;
      while (wordEnd < text.length && wordEnd < i + 200 && isWordChar(text.charCodeAt(wordEnd))) wordEnd++;
      const word = text.slice(i, wordEnd);
      const nameSpan = { file, start: i, end: i + word.length };
      if (word === 'dnl') {
        const end = text.indexOf('\n', i);
        i = end < 0 ? text.length : end + 1;
        continue;
      }
      if (inLocalConfig && (i === 0 || text[i - 1] === '\n') && /^[CF]R/.test(word) && !SECTIONS.has(word)) {
        const end = text.indexOf('\n', i);
        const lineEnd = end < 0 ? text.length : end;
        localConfig.push({ text: text.slice(i, lineEnd), span: { file, start: i, end: lineEnd } });
        i = lineEnd;
        continue;
      }
      let j = i + word.length;
      if (text[j] !== '(') {
        if (SECTIONS.has(word)) {
          inLocalConfig = word === 'LOCAL_CONFIG';
          calls.push({ name: word, nameSpan, span: nameSpan, args: [] });
        }
        i = j;
        continue;
      }
      // A call: arguments to the matching parenthesis.
      const args: McArgument[] = [];
      let depth = 0;
      let argStart = j + 1;
      j++;
      const pushArg = (end: number) => {
        let start = argStart;
        while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
        const raw = text.slice(start, end);
        const quoted = raw.length >= 2 && raw.charCodeAt(0) === BACKQUOTE && raw.endsWith("'") && skipQuote(start) === end;
        // The quote that opens the argument and the one that ends it are dropped; quotes inside stay.
        const first = raw.charCodeAt(0) === BACKQUOTE || raw.charCodeAt(0) === 39 ? 1 : 0;
        const last = raw.length > first && (raw.endsWith("'") || raw.endsWith('`')) ? raw.length - 1 : raw.length;
        args.push({
          value: first === 0 && last === raw.length ? raw : raw.slice(first, last),
          span: { file, start, end },
          ...(quoted ? { valueSpan: { file, start: start + 1, end: end - 1 } } : {}),
        });
      };
      while (j < text.length) {
        const c = text[j]!;
        if (c === '`') {
          j = skipQuote(j);
          continue;
        }
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        } else if (c === ',' && depth === 0) {
          pushArg(j);
          argStart = j + 1;
        }
        j++;
      }
      pushArg(j);
      if (args.length === 1 && args[0]!.value === '' && args[0]!.span.start === args[0]!.span.end) args.length = 0;
      calls.push({ name: word, nameSpan, span: { file, start: i, end: Math.min(j + 1, text.length) }, args });
      if (SECTIONS.has(word)) inLocalConfig = word === 'LOCAL_CONFIG';
      i = Math.min(j + 1, text.length);
      continue;
    }
    i++;
  }
  return { source, calls, localConfig };
}
