// The nft scanner, as far as a ruleset file needs it: words (identifiers, numbers, addresses, prefixes and
// ranges stay one word), quoted strings, $variables, @set references, operators and punctuation, and line
// ends, which separate statements. `#` starts a comment that runs to the end of the line (outside strings);
// a backslash at the end of a line joins it to the next (nft(8), "LEXICAL CONVENTIONS").
import type { Span } from '../../core/types';

export type TokenKind = 'word' | 'string' | 'variable' | 'setref' | 'punct' | 'newline';

export interface Token {
  kind: TokenKind;
  /** The word, the operator, the string without its quotes, the variable or set name without `$`/`@`. */
  text: string;
  span: Span;
  /**
   * Set on tokens copied from a `define`: where the outermost variable that brought it was used (one span: a
   * chain of every use cost a copy per level of nesting for each token, quadratic in nested defines).
   */
  via?: Span;
}

/** Characters of a word (`[A-Za-z0-9_\-./:*%[\]]`), by code unit: a table, since every character is tested. */
const WORD_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./:*%[]') WORD_CHARS[c.charCodeAt(0)] = 1;
const isWordCode = (code: number) => code < 128 && WORD_CHARS[code] === 1;
const TWO_CHAR = new Set(['!=', '==', '<=', '>=', '<<', '>>']);
const ONE_CHAR = new Set(['{', '}', '(', ')', ';', ',', '=', '!', '<', '>', '&', '|', '^', '~']);

export interface LexResult {
  tokens: Token[];
  /** Offsets of strings that are not closed on their line. */
  unterminated: Span[];
}

export function lex(file: string, text: string): LexResult {
  const tokens: Token[] = [];
  const unterminated: Span[] = [];
  const span = (start: number, end: number): Span => ({ file, start, end });
  let i = 0;
  while (i < text.length) {
    // Words first (most of a ruleset): no other branch takes a word character.
    if (isWordCode(text.charCodeAt(i))) {
      let j = i + 1;
      while (j < text.length && isWordCode(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), span: span(i, j) });
      i = j;
      continue;
    }
    const c = text[i]!;
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', span: span(i, i + 1) });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') i++;
    else if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) i += text[i + 1] === '\n' ? 2 : 3;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const lineEnd = text.indexOf('\n', i + 1);
      if (close < 0 || (lineEnd >= 0 && lineEnd < close)) {
        const end = lineEnd < 0 ? text.length : lineEnd;
        unterminated.push(span(i, end));
        tokens.push({ kind: 'string', text: text.slice(i + 1, end), span: span(i, end) });
        i = end;
      } else {
        tokens.push({ kind: 'string', text: text.slice(i + 1, close), span: span(i, close + 1) });
        i = close + 1;
      }
    } else if ((c === '$' || c === '@') && /[A-Za-z0-9_]/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_.\-/]/.test(text[j]!)) j++;
      // A trailing '.' or '-' belongs to the next token (`$a . $b` is written with spaces, `@s-1` is a name).
      while (j > i + 2 && (text[j - 1] === '.' || text[j - 1] === '/')) j--;
      tokens.push({ kind: c === '$' ? 'variable' : 'setref', text: text.slice(i + 1, j), span: span(i, j) });
      i = j;
    } else if (TWO_CHAR.has(text.slice(i, i + 2))) {
      tokens.push({ kind: 'punct', text: text.slice(i, i + 2), span: span(i, i + 2) });
      i += 2;
    } else if (ONE_CHAR.has(c)) {
      tokens.push({ kind: 'punct', text: c, span: span(i, i + 1) });
      i++;
    } else {
      // Anything else is kept as a one-character word: the parser reports it where it does not fit.
      tokens.push({ kind: 'word', text: c, span: span(i, i + 1) });
      i++;
    }
  }
  return { tokens, unterminated };
}
