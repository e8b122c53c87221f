// A small XML reader for firewalld's zone and service files: elements with their attributes, every name and
// value with its exact span. Comments, processing instructions, CDATA and DOCTYPE are skipped; text content
// is not kept (firewalld's files carry meaning only in elements and attributes, except <short>/<description>).
// Damaged input gives problems, never an exception.
import type { Span } from '../../core/types';

export interface XmlAttribute {
  name: string;
  value: string;
  nameSpan: Span;
  /** The value without its quotes. */
  valueSpan: Span;
}

export interface XmlElement {
  name: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** The start tag (`<port port="22" protocol="tcp"/>`). */
  tagSpan: Span;
  /** From the start tag to the end of the end tag (or of the start tag for `<x/>`). */
  span: Span;
  /** Concatenated character data directly inside the element (entities decoded). */
  text: string;
}

export interface XmlProblem {
  span: Span;
  kind: 'unclosed' | 'mismatched' | 'stray-close' | 'bad-tag' | 'no-root' | 'several-roots' | 'unterminated';
  name?: string;
}

const MAX_DEPTH = 64;

export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((attr) => attr.name === name);
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

export function parseXml(file: string, text: string): { root?: XmlElement; problems: XmlProblem[] } {
  const problems: XmlProblem[] = [];
  const span = (start: number, end: number): Span => ({ file, start, end });
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (stack.length && textEnd > i) stack[stack.length - 1]!.text += decode(text.slice(i, textEnd));
    if (lt < 0) break;
    i = lt;
    // Comments, processing instructions, CDATA, DOCTYPE: skipped to their end.
    if (text.charCodeAt(i + 1) === 33 || text.charCodeAt(i + 1) === 63) {
      const skipped = skipMarkup(text, i);
      if (skipped) {
        if (skipped.unterminated) problems.push({ span: span(i, text.length), kind: 'unterminated' });
        i = skipped.end;
        continue;
      }
    }
    if (text[i + 1] === '/') {
      const end = text.indexOf('>', i);
      const close = end < 0 ? text.length : end + 1;
      const name = text.slice(i + 2, end < 0 ? text.length : end).trim();
      let open = stack.length - 1;
      while (open >= 0 && stack[open]!.name !== name) open--;
      if (open < 0) problems.push({ span: span(i, close), kind: 'stray-close', name });
      else {
        while (stack.length > open + 1) {
          const left = stack.pop()!;
          problems.push({ span: left.tagSpan, kind: 'unclosed', name: left.name });
          left.span = { ...left.span, end: i };
        }
        const element = stack.pop()!;
        element.span = { ...element.span, end: close };
      }
      i = close;
      continue;
    }
    const tag = readTag(text, i, file);
    if (!tag) {
      problems.push({ span: span(i, Math.min(text.length, i + 1)), kind: 'bad-tag' });
      i++;
      continue;
    }
    const element: XmlElement = { name: tag.name, attributes: tag.attributes, children: [], tagSpan: span(i, tag.end), span: span(i, tag.end), text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(element);
    else roots.push(element);
    if (!tag.selfClosing) {
      if (stack.length >= MAX_DEPTH) problems.push({ span: element.tagSpan, kind: 'bad-tag' });
      else stack.push(element);
    }
    i = tag.end;
  }
  for (const left of stack) {
    problems.push({ span: left.tagSpan, kind: 'unclosed', name: left.name });
    left.span = { ...left.span, end: text.length };
  }
  if (roots.length === 0) problems.push({ span: span(0, Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'))), kind: 'no-root' });
  for (const extra of roots.slice(1)) problems.push({ span: extra.tagSpan, kind: 'several-roots', name: extra.name });
  return { ...(roots[0] ? { root: roots[0] } : {}), problems };
}

// Sticky patterns shared by every tag (positioned through lastIndex before each use).
const TAG_NAME = /<([A-Za-z_][\w.:-]*)/y;
const ATTRIBUTE = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*(\/?>)/y;

const MARKUP: ReadonlyArray<[string, string]> = [
  ['<!--', '-->'],
  ['<?', '?>'],
  ['<![CDATA[', ']]>'],
  ['<!', '>'],
];

/** Where the comment, processing instruction, CDATA section or declaration at `at` ends (undefined: none is there). */
function skipMarkup(text: string, at: number): { end: number; unterminated: boolean } | undefined {
  for (const [open, close] of MARKUP) {
    if (!text.startsWith(open, at)) continue;
    const end = text.indexOf(close, at + open.length);
    return end < 0 ? { end: text.length, unterminated: true } : { end: end + close.length, unterminated: false };
  }
  return undefined;
}

/** `<name a="v" b='w'>` or `<name/>` at `start`; undefined when it is not a well-formed tag. */
function readTag(text: string, start: number, file: string): { name: string; attributes: XmlAttribute[]; end: number; selfClosing: boolean } | undefined {
  // The name is read from at most 200 characters after `<` (a longer name is cut there, as it always was).
  TAG_NAME.lastIndex = start;
  const named = TAG_NAME.exec(text);
  if (!named) return undefined;
  const length = Math.min(named[0].length, 200);
  const nameMatch = [named[0].slice(0, length), named[0].slice(1, length)] as const;
  let i = start + length;
  const attributes: XmlAttribute[] = [];
  const pattern = ATTRIBUTE;
  const rest = TAG_END;
  for (;;) {
    rest.lastIndex = i;
    const closing = rest.exec(text);
    if (closing) return { name: nameMatch[1]!, attributes, end: closing.index + closing[0].length, selfClosing: closing[1] === '/>' };
    pattern.lastIndex = i;
    const match = pattern.exec(text);
    if (!match) return undefined;
    const nameStart = match.index + match[0].indexOf(match[1]!);
    const quoted = match[2]!;
    const valueStart = match.index + match[0].length - quoted.length + 1;
    attributes.push({
      name: match[1]!,
      value: decode(match[3] ?? match[4] ?? ''),
      nameSpan: { file, start: nameStart, end: nameStart + match[1]!.length },
      valueSpan: { file, start: valueStart, end: valueStart + quoted.length - 2 },
    });
    i = match.index + match[0].length;
  }
}
