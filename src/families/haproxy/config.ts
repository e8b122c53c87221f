// haproxy.cfg as HAProxy cuts it (configuration manual 2.2, parse_line()): one statement a line, words
// split on blanks, `#` outside quotes ends the line, backslash escapes, "weak" and 'strong' quoting.
// A line whose first word is a section keyword opens a section; every other line belongs to the section
// above it. `.if`/`.elif`/`.else`/`.endif` blocks (2.4+) are read as written: every branch is kept, and a
// branch that can never be taken (`.if 0`) is dropped.
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';

export interface HaproxyWord {
  /** The word after quotes and escapes are resolved (environment variables are left as written). */
  text: string;
  /** The word as written, quotes included. */
  span: Span;
  /** True when any part of it was quoted. */
  quoted: boolean;
}

export interface HaproxyLine {
  /** The first word (HAProxy keywords are case-sensitive). */
  keyword: string;
  /** Every word of the statement, the keyword first. */
  words: HaproxyWord[];
  /** From the first word to the end of the last one. */
  span: Span;
  /** 0-based line number in its file. */
  line: number;
}

export type SectionKind =
  | 'global'
  | 'defaults'
  | 'frontend'
  | 'backend'
  | 'listen'
  | 'userlist'
  | 'peers'
  | 'resolvers'
  | 'mailers'
  | 'program'
  | 'http-errors'
  | 'ring'
  | 'cache'
  | 'fcgi-app'
  | 'log-forward'
  | 'crt-store'
  | 'traces'
  | 'acme';

/** Section keywords, and the HAProxy release that introduced the newer ones (Debian 12 ships 2.6). */
export const SECTION_KEYWORDS: ReadonlyMap<SectionKind, string | undefined> = new Map<SectionKind, string | undefined>([
  ['global', undefined],
  ['defaults', undefined],
  ['frontend', undefined],
  ['backend', undefined],
  ['listen', undefined],
  ['userlist', undefined],
  ['peers', undefined],
  ['resolvers', undefined],
  ['mailers', undefined],
  ['program', undefined],
  ['http-errors', undefined],
  ['ring', undefined],
  ['cache', undefined],
  ['fcgi-app', undefined],
  ['log-forward', undefined],
  ['crt-store', '3.0'],
  ['traces', '3.1'],
  ['acme', '3.2'],
]);

export interface HaproxySection {
  kind: SectionKind;
  /** The section line (`frontend www`). */
  header: HaproxyLine;
  /** The section's name, when one is written. */
  name?: HaproxyWord;
  /** Statements inside the section, in order. */
  lines: HaproxyLine[];
}

export interface HaproxyFile {
  source: SourceText;
  sections: HaproxySection[];
}

const BLANK = /[ \t]/;
/** Not a blank, '#', a quote or a backslash: a character a word takes as it is. */
const isPlain = (code: number) => code !== 32 && code !== 9 && code !== 35 && code !== 34 && code !== 39 && code !== 92;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** Cuts one line into words; undefined when a quote is left open (HAProxy refuses the line). */
export function splitWords(lineText: string, offset: number, file: string): HaproxyWord[] | undefined {
  const words: HaproxyWord[] = [];
  let i = 0;
  while (i < lineText.length) {
    while (i < lineText.length && (lineText.charCodeAt(i) === 32 || lineText.charCodeAt(i) === 9)) i++;
    if (i >= lineText.length || lineText[i] === '#') break;
    const start = i;
    // Plain characters (no quote, escape, blank or '#') are taken as one slice; the loop below reads the rest.
    while (i < lineText.length && isPlain(lineText.charCodeAt(i))) i++;
    let value = lineText.slice(start, i);
    let quoted = false;
    let quote: '"' | "'" | undefined;
    while (i < lineText.length) {
      const c = lineText[i]!;
      if (quote === "'") {
        if (c === "'") quote = undefined;
        else value += c;
        i++;
        continue;
      }
      if (c === '\\' && i + 1 < lineText.length) {
        const next = lineText[i + 1]!;
        if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(lineText.slice(i + 2, i + 4))) {
          value += String.fromCharCode(parseInt(lineText.slice(i + 2, i + 4), 16));
          i += 4;
        } else {
          value += ESCAPES[next] ?? next;
          i += 2;
        }
        continue;
      }
      if (quote === '"') {
        if (c === '"') quote = undefined;
        else value += c;
        i++;
        continue;
      }
      if (BLANK.test(c) || c === '#') break;
      if (c === '"' || c === "'") {
        quote = c;
        quoted = true;
        i++;
        continue;
      }
      value += c;
      i++;
    }
    if (quote) return undefined;
    words.push({ text: value, span: { file, start: offset + start, end: offset + i }, quoted });
  }
  return words;
}

/** `.if` conditions HAProxy can decide from the text alone: a literal 0/1 or an empty word. */
function literalCondition(words: HaproxyWord[]): boolean | undefined {
  if (words.length !== 2) return undefined;
  const value = words[1]!.text;
  if (value === '0' || value === '') return false;
  if (/^[1-9]\d*$/.test(value)) return true;
  return undefined;
}

export function parseHaproxy(source: SourceText, problems: ParseProblem[]): HaproxyFile {
  const sections: HaproxySection[] = [];
  let current: HaproxySection | undefined;
  // Each open .if block: whether the branch being read is taken ('no' drops its lines), whether an earlier
  // branch surely was, and whether one might have been.
  const blocks: Array<{ reading: 'yes' | 'no' | 'maybe'; taken: boolean; maybe: boolean }> = [];
  const active = () => blocks.every((block) => block.reading !== 'no');
  const enter = (block: { reading: 'yes' | 'no' | 'maybe'; taken: boolean; maybe: boolean }, decided: boolean | undefined) => {
    block.reading = block.taken || decided === false ? 'no' : decided === true && !block.maybe ? 'yes' : 'maybe';
    if (block.reading === 'yes') block.taken = true;
    if (block.reading === 'maybe') block.maybe = true;
  };
  for (let line = 0; line < source.lineCount; line++) {
    const lineText = source.lineText(line);
    const offset = source.lineStarts[line]!;
    const words = splitWords(lineText, offset, source.path);
    const lineSpan = { file: source.path, start: offset + (lineText.length - lineText.trimStart().length), end: offset + lineText.trimEnd().length };
    if (!words) {
      problems.push({ span: lineSpan, message: text('haproxy.unclosed-quote') });
      continue;
    }
    if (!words.length) continue;
    const keyword = words[0]!.text;
    const statement: HaproxyLine = { keyword, words, span: { file: source.path, start: words[0]!.span.start, end: words[words.length - 1]!.span.end }, line };
    if (keyword === '.if' || keyword === '.elif' || keyword === '.else' || keyword === '.endif') {
      const decided = keyword === '.else' ? true : literalCondition(words);
      if (keyword === '.if') {
        const block = { reading: 'maybe' as const, taken: false, maybe: false };
        blocks.push(block);
        enter(block, decided);
        continue;
      }
      const block = blocks[blocks.length - 1];
      if (!block) problems.push({ span: statement.span, message: text('haproxy.conditional-without-if', { keyword }) });
      else if (keyword === '.endif') blocks.pop();
      else enter(block, decided);
      continue;
    }
    if (keyword.startsWith('.')) continue; // .diag, .notice, .warning, .alert: messages at start-up
    if (!active()) continue;
    if (SECTION_KEYWORDS.has(keyword as SectionKind)) {
      const kind = keyword as SectionKind;
      const name = words[1] && words[1].text !== 'from' ? words[1] : undefined;
      current = { kind, header: statement, ...(name ? { name } : {}), lines: [] };
      sections.push(current);
      const since = SECTION_KEYWORDS.get(kind);
      if (since) problems.push({ span: words[0]!.span, severity: 'info', message: text('haproxy.section-needs-version', { kind, version: since }) });
      if (!name && (kind === 'frontend' || kind === 'backend' || kind === 'listen' || kind === 'userlist' || kind === 'peers' || kind === 'resolvers'))
        problems.push({ span: statement.span, message: text('haproxy.section-without-name', { kind }) });
      continue;
    }
    if (!current) {
      problems.push({ span: statement.span, message: text('haproxy.outside-section', { keyword }) });
      continue;
    }
    current.lines.push(statement);
  }
  if (blocks.length)
    problems.push({ span: { file: source.path, start: source.text.length, end: source.text.length }, message: text('haproxy.unclosed-conditional') });
  return { source, sections };
}
