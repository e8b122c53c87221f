// Regular expressions written by the user (nginx `location ~`, Apache `<DirectoryMatch>`, `<LocationMatch>`,
// `<FilesMatch>`): both daemons use PCRE. They are run here on RE2 (the re2js port), whose matching time is
// linear in the text whatever the pattern, never on JavaScript's backtracking engine. What only PCRE can do
// (backreferences, lookaround, atomic groups and possessive quantifiers, \K, recursion, conditionals, verbs)
// is not guessed at: the pattern is "not evaluated" and the model treats it as matching nothing, with a note.
import type * as Re2js from 're2js';
import { type TextRef, text } from '../../core/check';

/** re2js, loaded when a pattern is first compiled: its tables are start-up cost for every run that has none (issue 16). */
let re2js: typeof Re2js | undefined;
function loadRe2js(): typeof Re2js.RE2JS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (re2js ??= require('re2js') as typeof Re2js).RE2JS;
}

/** A compiled user pattern: unanchored search, as PCRE's pcre_exec without anchoring options. */
export interface UserRegex {
  readonly source: string;
  readonly caseless: boolean;
  test(subject: string): boolean;
  /**
   * Literal text every match must start the subject with (`^/admin/` -> `/admin/`), or end it with (`\.php$`),
   * case-folded when `caseless`; empty when the pattern does not say. A necessary condition, for quick refusals.
   */
  readonly prefix: string;
  readonly suffix: string;
}

export type CompiledUserRegex = { regex: UserRegex; notEvaluated?: undefined } | { regex?: undefined; notEvaluated: TextRef };

/** Longer patterns are not evaluated: RE2's compilation grows faster than their length and runs on every edit. */
export const MAX_EVALUATED_PATTERN = 4096;

/** PCRE-only constructs, found by reading the pattern the way PCRE reads it (escapes, classes, groups). */
type Feature = 'backreference' | 'lookaround' | 'atomic' | 'possessive' | 'keep' | 'recursion' | 'conditional' | 'verb' | 'callout' | 'syntax';

const FEATURE_TEXT: Record<Feature, () => TextRef> = {
  backreference: () => text('web.regex.feature.backreference'),
  lookaround: () => text('web.regex.feature.lookaround'),
  atomic: () => text('web.regex.feature.atomic'),
  possessive: () => text('web.regex.feature.possessive'),
  keep: () => text('web.regex.feature.keep'),
  recursion: () => text('web.regex.feature.recursion'),
  conditional: () => text('web.regex.feature.conditional'),
  verb: () => text('web.regex.feature.verb'),
  callout: () => text('web.regex.feature.callout'),
  syntax: () => text('web.regex.feature.syntax'),
};

/** PCRE's \s (since 8.34) also holds the vertical tab; RE2's does not. */
const SPACE_MEMBERS = '\\t\\n\\x0B\\f\\r ';
const HORIZONTAL_MEMBERS = '\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}';
const VERTICAL_MEMBERS = '\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}';

interface Translation {
  source?: string;
  feature?: Feature;
  caseless: boolean;
  prefix: string;
  suffix: string;
}

/** One unit of the pattern for the literal prefix and suffix: a literal character, or anything else. */
type Atom = { literal: string | undefined; quantified: boolean };

function isQuantifierStart(pattern: string, index: number): boolean {
  const c = pattern[index];
  if (c === '*' || c === '+' || c === '?') return true;
  return c === '{' && /^\{\d*(,\d*)?\}/.test(pattern.slice(index, index + 24)) && pattern[index + 1] !== '}';
}

/** The length of a `{n}`, `{n,}`, `{n,m}` quantifier at `index` (PCRE: `{,m}` is literal text), else 0. */
function braceQuantifierLength(pattern: string, index: number): number {
  const match = /^\{\d+(,\d*)?\}/.exec(pattern.slice(index, index + 24));
  return match ? match[0].length : 0;
}

/**
 * Reads a PCRE pattern and writes its RE2 equivalent, or names the PCRE-only feature it uses. Linear: one pass,
 * no regular expression over the whole pattern.
 */
function translate(pattern: string, caselessFlag: boolean): Translation {
  let out = '';
  let caseless = caselessFlag;
  let index = 0;
  const atoms: Atom[] = [];
  /** The atom of a `^` or `\\A` that anchors the whole pattern at its start, or -1. */
  let anchorAtom = -1;
  let anchoredEnd = false;
  let topLevelAlternation = false;
  let literalInfo = true;
  let depth = 0;
  const fail = (feature: Feature): Translation => ({ feature, caseless, prefix: '', suffix: '' });
  // A leading (?i) makes the whole pattern caseless (nginx users write it for `~`).
  const leadingFlags = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(0, 16));
  if (leadingFlags && /^[imsU]+$/.test(leadingFlags[1]!)) {
    if (leadingFlags[1]!.includes('i')) caseless = true;
    if (/[msU]/.test(leadingFlags[1]!)) literalInfo = false;
  }
  const pushAtom = (literal: string | undefined) => atoms.push({ literal, quantified: false });
  while (index < pattern.length) {
    const c = pattern[index]!;
    if (c === '\\') {
      const next = pattern[index + 1];
      if (next === undefined) return fail('syntax');
      if (next >= '1' && next <= '9') return fail('backreference');
      if (next === 'g' || next === 'k') return fail('backreference');
      if (next === 'K') return fail('keep');
      if (next === 'G' || next === 'R' || next === 'X' || next === 'C' || next === 'N') return fail('syntax');
      if (next === 'Q') {
        // \Q...\E: literal text (RE2 reads it too).
        const end = pattern.indexOf('\\E', index + 2);
        const body = end < 0 ? pattern.slice(index + 2) : pattern.slice(index + 2, end);
        out += `\\Q${body}\\E`;
        for (const char of body) pushAtom(char);
        index = end < 0 ? pattern.length : end + 2;
        continue;
      }
      if (next === 'Z') {
        // End of text or before a final newline: the same as RE2's `$` for texts without one (all we ask about).
        out += '$';
        if (index + 2 === pattern.length) anchoredEnd = true;
        pushAtom(undefined);
        index += 2;
        continue;
      }
      const escape = readEscape(pattern, index);
      if (escape === undefined) return fail('syntax');
      out += escape.out;
      pushAtom(escape.literal);
      if (next === 'A' && index === 0) anchorAtom = atoms.length - 1;
      if (next === 'z' && index + escape.length === pattern.length) anchoredEnd = true;
      index += escape.length;
      continue;
    }
    if (c === '[') {
      // A class: copied through (POSIX [:name:] classes included), with PCRE's \s, \h and \v spelt out.
      let end = index + 1;
      let body = '[';
      if (pattern[end] === '^') body += pattern[end++];
      if (pattern[end] === ']') body += pattern[end++];
      let closed = false;
      while (end < pattern.length) {
        const d = pattern[end]!;
        if (d === '\\') {
          const e = pattern[end + 1];
          if (e === undefined) return fail('syntax');
          if (e === 's') body += SPACE_MEMBERS;
          else if (e === 'h') body += HORIZONTAL_MEMBERS;
          else if (e === 'v') body += VERTICAL_MEMBERS;
          else if (e === 'e') body += '\\x1B';
          else body += `\\${e}`;
          end += 2;
          continue;
        }
        if (d === '[' && pattern[end + 1] === ':') {
          const close = pattern.indexOf(':]', end + 2);
          if (close > 0 && close - end < 16) {
            body += pattern.slice(end, close + 2);
            end = close + 2;
            continue;
          }
        }
        body += d;
        end++;
        if (d === ']') {
          closed = true;
          break;
        }
      }
      if (!closed) return fail('syntax');
      out += body;
      pushAtom(undefined);
      index = end;
      continue;
    }
    if (c === '(') {
      if (pattern[index + 1] === '*') return fail('verb');
      if (pattern[index + 1] === '?') {
        const kind = pattern[index + 2];
        const after = pattern[index + 3];
        if (kind === '=' || kind === '!') {
          // A lookahead of literal texts that ends the pattern (`/\\.(?!well-known/)`, the usual dotfile rule)
          // says what may or may not follow: a regular language, written out for RE2. Others are PCRE's alone.
          const terminal = terminalLookahead(pattern, index, kind === '!');
          if (terminal === undefined) return fail('lookaround');
          out += terminal;
          pushAtom(undefined);
          literalInfo = false;
          index = pattern.length;
          continue;
        }
        if (kind === '<' && (after === '=' || after === '!')) return fail('lookaround');
        if (kind === '>') return fail('atomic');
        if (kind === '|') return fail('syntax');
        if (kind === '(') return fail('conditional');
        if (kind === 'C') return fail('callout');
        if (kind === 'R' || kind === '&' || (kind !== undefined && /[0-9+-]/.test(kind) && /[0-9]/.test(kind === '+' || kind === '-' ? (after ?? '') : kind)))
          return fail('recursion');
        if (kind === 'P' && (after === '>' || after === '=')) return fail(after === '>' ? 'recursion' : 'backreference');
        if (kind === '#') {
          // A comment: dropped.
          const close = pattern.indexOf(')', index);
          if (close < 0) return fail('syntax');
          index = close + 1;
          continue;
        }
        if (kind === "'") {
          // (?'name'...) is RE2's (?P<name>...).
          const close = pattern.indexOf("'", index + 3);
          if (close < 0) return fail('syntax');
          out += `(?P<${pattern.slice(index + 3, close)}>`;
          pushAtom(undefined);
          depth++;
          index = close + 1;
          continue;
        }
        if (kind !== ':' && kind !== '<' && kind !== 'P') {
          // Option settings: RE2 knows i, m, s and U; x (extended), J, X and n are PCRE's alone.
          let end = index + 2;
          while (end < pattern.length && /[a-zA-Z-]/.test(pattern[end]!)) end++;
          const letters = pattern.slice(index + 2, end);
          if (/[^imsU-]/.test(letters)) return fail('syntax');
          if (index > 0 || !leadingFlags) literalInfo = false;
        }
      }
      depth++;
      out += c;
      pushAtom(undefined);
      index++;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      out += c;
      pushAtom(undefined);
      index++;
      continue;
    }
    if (c === '|') {
      if (depth === 0) topLevelAlternation = true;
      out += c;
      pushAtom(undefined);
      index++;
      continue;
    }
    if (isQuantifierStart(pattern, index)) {
      let length = c === '{' ? braceQuantifierLength(pattern, index) : 1;
      if (length === 0) {
        // `{` that starts no quantifier is a literal brace in PCRE.
        out += '\\{';
        pushAtom('{');
        index++;
        continue;
      }
      if (pattern[index + length] === '+') return fail('possessive');
      // RE2 refuses repeat counts above 1000; PCRE takes them.
      if (
        c === '{' &&
        pattern
          .slice(index + 1, index + length - 1)
          .split(',')
          .some((count) => count !== '' && Number(count) > 1000)
      )
        return fail('syntax');
      if (pattern[index + length] === '?') length++;
      out += pattern.slice(index, index + length);
      const last = atoms[atoms.length - 1];
      if (last) last.quantified = true;
      index += length;
      continue;
    }
    if (c === '^') {
      if (index === (leadingFlags ? leadingFlags[0].length : 0)) anchorAtom = atoms.length;
      out += c;
      pushAtom(undefined);
      index++;
      continue;
    }
    if (c === '$') {
      if (index === pattern.length - 1) anchoredEnd = true;
      out += c;
      pushAtom(undefined);
      index++;
      continue;
    }
    if (c === '{') {
      out += '\\{';
      pushAtom('{');
      index++;
      continue;
    }
    out += c;
    pushAtom(c === '.' ? undefined : c);
    index++;
  }
  let prefix = '';
  let suffix = '';
  if (literalInfo && !topLevelAlternation) {
    const fold = (value: string) => (caseless ? foldCase(value) : value);
    if (anchorAtom >= 0) {
      for (let i = anchorAtom + 1; i < atoms.length; i++) {
        const atom = atoms[i]!;
        if (atom.literal === undefined || atom.quantified) break;
        prefix += atom.literal;
      }
      prefix = fold(prefix);
    }
    if (anchoredEnd) {
      for (let i = atoms.length - 2; i >= 0; i--) {
        const atom = atoms[i]!;
        if (atom.literal === undefined || atom.quantified) break;
        suffix = atom.literal + suffix;
      }
      suffix = fold(suffix);
    }
  }
  return { source: out, caseless, prefix, suffix };
}

/**
 * One escape outside a class, at `index` (a backslash): its RE2 spelling, the literal character it stands for
 * (undefined for classes, anchors and codes) and its length; undefined when it cannot be read.
 */
function readEscape(pattern: string, index: number): { out: string; literal: string | undefined; length: number } | undefined {
  const next = pattern[index + 1]!;
  const braced = (from: number) => {
    const close = pattern.indexOf('}', from);
    return close < 0 || close - from > 12 ? undefined : pattern.slice(from + 1, close);
  };
  switch (next) {
    case 's':
      return { out: `[${SPACE_MEMBERS}]`, literal: undefined, length: 2 };
    case 'S':
      return { out: `[^${SPACE_MEMBERS}]`, literal: undefined, length: 2 };
    case 'h':
      return { out: `[${HORIZONTAL_MEMBERS}]`, literal: undefined, length: 2 };
    case 'H':
      return { out: `[^${HORIZONTAL_MEMBERS}]`, literal: undefined, length: 2 };
    case 'v':
      return { out: `[${VERTICAL_MEMBERS}]`, literal: undefined, length: 2 };
    case 'V':
      return { out: `[^${VERTICAL_MEMBERS}]`, literal: undefined, length: 2 };
    case 'e':
      return { out: '\\x1B', literal: '\x1b', length: 2 };
    case 't':
      return { out: '\\t', literal: '\t', length: 2 };
    case 'n':
      return { out: '\\n', literal: '\n', length: 2 };
    case 'c': {
      const control = pattern[index + 2];
      if (control === undefined) return undefined;
      const code = control.toUpperCase().charCodeAt(0) ^ 0x40;
      return { out: `\\x{${code.toString(16)}}`, literal: String.fromCharCode(code), length: 3 };
    }
    case 'x': {
      if (pattern[index + 2] === '{') {
        const body = braced(index + 2);
        if (body === undefined || !/^[0-9A-Fa-f]+$/.test(body)) return undefined;
        return { out: `\\x{${body}}`, literal: String.fromCodePoint(Math.min(parseInt(body, 16), 0x10ffff)), length: body.length + 4 };
      }
      let digits = '';
      while (digits.length < 2 && /[0-9A-Fa-f]/.test(pattern[index + 2 + digits.length] ?? '')) digits += pattern[index + 2 + digits.length];
      return { out: `\\x{${digits || '0'}}`, literal: String.fromCharCode(parseInt(digits || '0', 16)), length: 2 + digits.length };
    }
    case 'o': {
      const body = pattern[index + 2] === '{' ? braced(index + 2) : undefined;
      if (body === undefined || !/^[0-7]+$/.test(body)) return undefined;
      const code = Math.min(parseInt(body, 8), 0x10ffff);
      return { out: `\\x{${code.toString(16)}}`, literal: String.fromCodePoint(code), length: body.length + 4 };
    }
    case '0': {
      let digits = '';
      while (digits.length < 2 && /[0-7]/.test(pattern[index + 2 + digits.length] ?? '')) digits += pattern[index + 2 + digits.length];
      const code = parseInt(`0${digits}`, 8);
      return { out: `\\x{${code.toString(16)}}`, literal: String.fromCharCode(code), length: 2 + digits.length };
    }
    case 'p':
    case 'P': {
      if (pattern[index + 2] === '{') {
        const body = braced(index + 2);
        if (body === undefined) return undefined;
        return { out: `\\${next}{${body}}`, literal: undefined, length: body.length + 4 };
      }
      if (pattern[index + 2] === undefined) return undefined;
      return { out: `\\${next}${pattern[index + 2]}`, literal: undefined, length: 3 };
    }
    default:
      // Escaped punctuation is that character; the letters RE2 knows are classes (\d \w), anchors (\b \A \z) or
      // codes (\f \r \a); any other letter is refused here (RE2 would refuse it when first asked).
      if (/[A-Za-z]/.test(next) && !'afrbBAzdDwW'.includes(next)) return undefined;
      return {
        out: `\\${next}`,
        literal: /[A-Za-z0-9]/.test(next) ? (next === 'f' ? '\f' : next === 'r' ? '\r' : next === 'a' ? '\x07' : undefined) : next,
        length: 2,
      };
  }
}

/**
 * `(?!a|b)` or `(?=a|b)` at `index`, when its texts are literal and it ends the pattern: RE2 text that matches
 * where the lookahead would succeed (for a yes/no search, consuming what follows changes nothing). Undefined
 * otherwise.
 */
function terminalLookahead(pattern: string, index: number, negative: boolean): string | undefined {
  const literals: string[] = [''];
  let at = index + 3;
  for (; at < pattern.length; at++) {
    const c = pattern[at]!;
    if (c === ')') break;
    if (c === '|') literals.push('');
    else if (c === '\\') {
      const next = pattern[at + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      literals[literals.length - 1] += next;
      at++;
    } else if ('.^$*+?()[]{}'.includes(c)) return undefined;
    else literals[literals.length - 1] += c;
  }
  if (at !== pattern.length - 1) return undefined;
  const code = (char: string) => `\\x{${char.codePointAt(0)!.toString(16)}}`;
  if (!negative) return `(?:${literals.map((literal) => [...literal].map(code).join('')).join('|')})`;
  // Not followed by any of the texts: a trie of them, and at each node the end of the text, a character that
  // starts no text, or a character that continues one (unless a text ends there: then that path fails).
  interface Node {
    end: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const literal of literals) {
    let node = root;
    for (const char of literal) {
      let child = node.next.get(char);
      if (!child) node.next.set(char, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  const NOTHING = '[^\\x{0}-\\x{10FFFF}]';
  // Iterative post-order over the trie (texts are short, but no recursion on user input).
  const written = new Map<Node, string | undefined>();
  const order: Node[] = [];
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.next.values()) stack.push(child);
  }
  for (let position = order.length - 1; position >= 0; position--) {
    const node = order[position]!;
    if (node.end) {
      written.set(node, undefined);
      continue;
    }
    const branches = ['$'];
    const starts = [...node.next.keys()];
    branches.push(starts.length ? `[^${starts.map(code).join('')}]` : '(?s:.)');
    for (const [char, child] of node.next) {
      const rest = written.get(child);
      if (rest !== undefined) branches.push(`${code(char)}${rest}`);
    }
    written.set(node, `(?:${branches.join('|')})`);
  }
  return written.get(root) ?? NOTHING;
}

/**
 * Case folding for the quick refusals: ASCII letters to lower case, and the two characters RE2 folds onto
 * ASCII letters (KELVIN SIGN, LATIN SMALL LETTER LONG S). One character for one, so lengths stay.
 */
export function foldCase(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 65 && code <= 90) out += String.fromCharCode(code + 32);
    else if (code === 0x212a) out += 'k';
    else if (code === 0x17f) out += 's';
    else out += value[i];
  }
  return out;
}

class Re2UserRegex implements UserRegex {
  /** Compiled on first need: most patterns are refused by their literal text for most subjects. */
  private compiled: Re2js.RE2JS | null | undefined;

  constructor(
    readonly source: string,
    readonly caseless: boolean,
    readonly prefix: string,
    readonly suffix: string,
    private readonly translated: string,
  ) {}

  test(subject: string): boolean {
    if (this.prefix || this.suffix) {
      const folded = this.caseless ? foldCase(subject) : subject;
      if (this.prefix && !folded.startsWith(this.prefix)) return false;
      if (this.suffix && !folded.endsWith(this.suffix)) return false;
    }
    if (this.compiled === undefined) {
      try {
        const RE2JS = loadRe2js();
        this.compiled = RE2JS.compile(this.translated, this.caseless ? RE2JS.CASE_INSENSITIVE : 0);
      } catch {
        // What the translation let through and RE2 still refuses (rare: an inverted range, a bad group name)
        // matches nothing, like a pattern that is not evaluated.
        this.compiled = null;
      }
    }
    return this.compiled !== null && this.compiled.test(subject);
  }
}

// Patterns repeat from one keystroke to the next: compiled once, kept for later lints (bounded).
const MAX_CACHED = 20_000;
const cache = new Map<string, CompiledUserRegex>();

/** Compiles a PCRE pattern for RE2, or says why it is not evaluated. Never throws. */
export function compileUserRegex(pattern: string, caseless: boolean): CompiledUserRegex {
  const key = `${caseless ? 'i' : '-'}${pattern}`;
  const known = cache.get(key);
  if (known) return known;
  const result = compileUncached(pattern, caseless);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, result);
  return result;
}

function compileUncached(pattern: string, caseless: boolean): CompiledUserRegex {
  if (pattern.length > MAX_EVALUATED_PATTERN) return { notEvaluated: text('web.regex.too-long', { limit: MAX_EVALUATED_PATTERN }) };
  const translated = translate(pattern, caseless);
  if (translated.feature || translated.source === undefined) return { notEvaluated: FEATURE_TEXT[translated.feature ?? 'syntax']() };
  return { regex: new Re2UserRegex(pattern, translated.caseless, translated.prefix, translated.suffix, translated.source) };
}
