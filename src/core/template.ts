// Template files: Jinja (Ansible, Salt), Go templates (Helm, consul-template) and ERB (Puppet, Chef).
// A template is not the file its daemon reads, but most of it is: with each template tag set aside, keeping every
// offset, what is left can be read by the format's own parser. Expressions become a same-length placeholder
// (`listen {{ port }};` -> `listen xxxxxxxxxx;`); statements, comments and tags alone on their line become spaces.
import type { Finding, Fix, Range } from './types';
import { NextOccurrence } from './occurrence';
import type { SourceText } from './source';

/** Name endings that mark a template; the name without them says which file it renders. */
const TEMPLATE_SUFFIX = /\.(j2|jinja2?|tmpl|tpl|gotmpl|erb|template)$/i;

export type TemplateTagKind = 'expression' | 'statement' | 'comment';

export interface TemplateTag {
  start: number;
  end: number;
  kind: TemplateTagKind;
  /** The only thing on its line(s): it stands for whole lines, not for a value inside one. */
  alone: boolean;
}

export interface TemplateScan {
  tags: TemplateTag[];
}

/** The placeholder character of expressions: a plain word character every format reads as a bare value. */
export const PLACEHOLDER = 'x';
/** Tags longer than this (an unclosed `{%` running on) are not tags. */
const MAX_TAG_LENGTH = 2000;
/** Go template actions that produce no value (control flow, definitions, comments). */
const GO_STATEMENT = /^-?\s*((if|else|end|range|with|define|block|break|continue)\b|\/\*)/;
/**
 * Whether `text` holds what every tag readTag accepts starts with: `{{`, `{%`, `{#`, or `<%` and an ERB mark.
 * A text without one has no tag (found with indexOf, far faster than the scan).
 */
export function hasTagOpener(text: string): boolean {
  if (text.includes('{{') || text.includes('{%') || text.includes('{#')) return true;
  for (let at = text.indexOf('<%'); at >= 0; at = text.indexOf('<%', at + 2)) if (ERB_MARKS.includes(text[at + 2] ?? '')) return true;
  return false;
}
const ERB_MARKS = ['=', '-', '#', ' ', '\t', '\n', '\r'];
/** Where every tag starts (readTag). */
const OPENERS = ['{{', '{%', '{#', '<%'];
/** Helm's own objects and functions: a template wherever they appear, even inside quotes. */
const HELM_ACTION = /^-?\s*(include|template|toYaml|tpl|required)\s|\.(Values|Release|Chart|Capabilities|Files)\b/;

/** The name a template renders to (`site.conf.j2` -> `site.conf`), or the name itself. */
export function renderedName(baseName: string): { name: string; template: boolean } {
  const match = TEMPLATE_SUFFIX.exec(baseName);
  if (!match || match.index === 0) return { name: baseName, template: false };
  return { name: baseName.slice(0, match.index), template: true };
}

export interface ScanOptions {
  /** The name says template (`.j2`, `.erb`, ...): every tag counts, quoted or not. */
  byName: boolean;
  /**
   * The file is YAML: there `{{ }}` inside quotes or in the middle of a plain value is data (a Prometheus
   * alert's `{{ $labels.instance }}`), so only tags that start a value or a line count, and Helm's own.
   */
  yaml: boolean;
}

/**
 * The template tags of `text`, or undefined when it has none. One pass, character by character, keeping the
 * quote state of the current line; searches for closing marks are cached so that the pass stays linear.
 */
export function scanTemplate(text: string, options: ScanOptions): TemplateScan | undefined {
  // Every tag starts with one of these (readTag): a text holding none has no tag, found without the walk (the
  // walk costs a lint 2 ms per 5,000 lines; indexOf scans the text far faster).
  if (!hasTagOpener(text)) return undefined;
  const tags: TemplateTag[] = [];
  const next = new NextOccurrence(text);
  let comments = 0;
  let lineStart = 0;
  let double = false;
  let single = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (i === lineStart) {
      // Quotes are per line and every tag starts at an opener: lines before the next opener's line hold no tag
      // and leave no state, so the walk goes straight to that line (most lines of a file that has a tag).
      const opener = nextOpener(next, i);
      if (opener < 0) break;
      const start = Math.max(next.lastBefore('\n', i, opener), next.lastBefore('\r', i, opener)) + 1;
      if (start > i) i = lineStart = start;
    }
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = i + 1;
      double = single = false;
      i++;
      continue;
    }
    if (c === 34 /* " */ && !single) double = !double;
    else if (c === 39 /* ' */ && !double) single = !single;
    else if (c === 123 /* { */ || c === 60 /* < */) {
      const found = readTag(text, i, next);
      if (found) {
        const quoted = double || single;
        // `{{ }}` (Jinja or Go) inside quotes may be data; `{% %}`, `{# #}` and ERB statements never are.
        const counts =
          options.byName ||
          (!found.curly && found.kind !== 'expression') ||
          (found.go && HELM_ACTION.test(found.inner)) ||
          (!quoted && (!options.yaml || startsValue(text, lineStart, i)));
        if (counts) {
          tags.push({ start: i, end: found.end, kind: found.kind, alone: false });
          if (found.kind === 'comment') comments++;
          // A tag may span lines (a long `{% if %}`): go on after it, on its last line.
          for (let k = i; k < found.end; k++) {
            const d = text.charCodeAt(k);
            if (d === 10 || d === 13) lineStart = k + 1;
          }
          if (lineStart > i) double = single = false;
          i = found.end;
          continue;
        }
      }
    }
    i++;
  }
  // `{# #}` alone is a comment marker in other syntaxes; it counts only beside other tags (or by name).
  if (tags.length === 0 || (tags.length === comments && !options.byName)) return undefined;
  markAlone(text, tags);
  return { tags };
}

/** The first `{{`, `{%`, `{#` or `<%` at or after `from`, or -1. */
function nextOpener(next: NextOccurrence, from: number): number {
  let first = -1;
  for (const mark of OPENERS) {
    const at = next.of(mark, from);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

interface FoundTag {
  end: number;
  kind: TemplateTagKind;
  inner: string;
  go: boolean;
  /** A `{{ }}` tag. */
  curly: boolean;
}

const STATEMENT_START = /[-+]?[ \t]*[a-z_]/iy;

function readTag(text: string, at: number, next: NextOccurrence): FoundTag | undefined {
  const second = text[at + 1];
  if (text[at] === '{' && second === '{') {
    // On one line, no braces inside: `${if and{{def:x}{y}}}` (Exim) and JSON are not templates.
    const close = next.of('}}', at + 2);
    if (close < 0 || close - at > MAX_TAG_LENGTH || close > next.lineEnd(at)) return undefined;
    const inner = text.slice(at + 2, close);
    if (/[{}]/.test(inner) || !inner.trim()) return undefined;
    const go = /^-?\s*[.$]/.test(inner) || /^-\s/.test(inner) || GO_STATEMENT.test(inner) || HELM_ACTION.test(inner);
    return { end: close + 2, kind: GO_STATEMENT.test(inner) ? 'statement' : 'expression', inner, go, curly: true };
  }
  if (text[at] === '{' && (second === '%' || second === '#')) {
    const close = next.of(second === '%' ? '%}' : '#}', at + 2);
    if (close < 0 || close - at > MAX_TAG_LENGTH) return undefined;
    STATEMENT_START.lastIndex = at + 2;
    if (second === '%' && !STATEMENT_START.test(text)) return undefined;
    return { end: close + 2, kind: second === '%' ? 'statement' : 'comment', inner: '', go: false, curly: false };
  }
  if (text[at] === '<' && second === '%') {
    // ERB: `<%= value %>`, `<% code %>`, `<%# comment %>`, `<%- ... -%>`; not `<%%` nor `<%u` (a log format).
    const mark = text[at + 2];
    if (mark !== '=' && mark !== '-' && mark !== '#' && mark !== ' ' && mark !== '\t' && mark !== '\n' && mark !== '\r') return undefined;
    const close = next.of('%>', at + 2);
    if (close < 0 || close - at > MAX_TAG_LENGTH) return undefined;
    return { end: close + 2, kind: mark === '=' ? 'expression' : mark === '#' ? 'comment' : 'statement', inner: '', go: false, curly: false };
  }
  return undefined;
}

/** YAML: the tag starts a value (`key: {{ x }}`), a list item (`- {{ x }}`) or a line. */
function startsValue(text: string, lineStart: number, at: number): boolean {
  let j = at - 1;
  while (j >= lineStart && (text[j] === ' ' || text[j] === '\t')) j--;
  if (j < lineStart) return true;
  if (text[j] === ':') return j + 1 < at;
  if (text[j] === '-') {
    let k = j - 1;
    while (k >= lineStart && (text[k] === ' ' || text[k] === '\t')) k--;
    return k < lineStart && j + 1 < at;
  }
  return false;
}

/**
 * Marks tags that are the only non-blank text on their line(s), alone or beside other tags. One forward pass:
 * `dirty` says whether the current line had text outside tags before the tag at hand.
 */
function markAlone(text: string, tags: TemplateTag[]): void {
  let pos = 0;
  let dirty = false;
  let first = 0;
  while (first < tags.length) {
    for (; pos < tags[first]!.start; pos++) {
      const c = text[pos];
      if (c === '\n' || c === '\r') dirty = false;
      else if (c !== ' ' && c !== '\t') dirty = true;
    }
    // The run of tags separated only by spaces and tabs.
    let last = first;
    while (last + 1 < tags.length && onlyBlanks(text, tags[last]!.end, tags[last + 1]!.start)) last++;
    let after = tags[last]!.end;
    while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
    const alone = !dirty && (after >= text.length || text[after] === '\n' || text[after] === '\r');
    for (let k = first; k <= last; k++) tags[k]!.alone = alone;
    pos = tags[last]!.end;
    // A multi-line tag ends on another line: what follows it on that line is on a line that already had text.
    dirty = true;
    first = last + 1;
  }
}

function onlyBlanks(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (text[k] !== ' ' && text[k] !== '\t') return false;
  return true;
}

/**
 * The text with every tag set aside, offset for offset: an expression inside a line becomes placeholder
 * characters; statements, comments and tags alone on their line become spaces. Line breaks stay.
 */
export function neutralise(text: string, scan: TemplateScan, upTo = text.length): string {
  let out = '';
  let at = 0;
  for (const tag of scan.tags) {
    if (tag.start >= upTo) break;
    out += text.slice(at, tag.start);
    const fill = tag.kind === 'expression' && !tag.alone ? PLACEHOLDER : ' ';
    const end = Math.min(tag.end, upTo);
    for (let k = tag.start; k < end; k++) {
      const c = text[k]!;
      out += c === '\n' || c === '\r' ? c : fill;
    }
    at = end;
  }
  return out + text.slice(at, upTo);
}

/** Whether [start, end) touches a tag (an empty range touches a tag it sits inside or against). */
export function touchesTag(scan: TemplateScan, start: number, end: number): boolean {
  return scan.tags.some((tag) => (start < tag.end && end > tag.start) || (start === end && start >= tag.start && start <= tag.end));
}

/** The first tag as written, shortened, to name the template in a notice. */
export function tagText(text: string, scan: TemplateScan): string {
  const first = scan.tags[0]!;
  const written = text.slice(first.start, first.end).replace(/\s+/g, ' ');
  return written.length > 40 ? `${written.slice(0, 37)}...` : written;
}

/**
 * The findings of a template's neutral text that stand on their own: a finding on or about a template tag
 * (its span or a related place touches one) judged a placeholder, not what the template renders, so it goes.
 * A fix that edits a tag, or writes placeholder text back, is dropped from the finding that keeps its place.
 */
export function outsideTags(findings: Finding[], source: SourceText, scan: TemplateScan): Finding[] {
  const placeholders = new Set(
    scan.tags.filter((tag) => tag.kind === 'expression' && !tag.alone && tag.end - tag.start >= 4).map((tag) => PLACEHOLDER.repeat(tag.end - tag.start)),
  );
  const sameFile = (file: string) => file === source.path;
  const touches = (file: string, range: Range) => sameFile(file) && touchesTag(scan, source.offsetAt(range.start), source.offsetAt(range.end));
  const safe = (fix: Fix) =>
    fix.edits.every((edit) => !(sameFile(edit.file) && touchesTag(scan, edit.start, edit.end)) && ![...placeholders].some((p) => edit.newText.includes(p)));
  const out: Finding[] = [];
  for (const finding of findings) {
    if (touchesTag(scan, finding.start, finding.end) || finding.related.some((item) => touches(item.file, item.range))) continue;
    const kept: Finding = { ...finding, suggestions: finding.suggestions.filter(safe) };
    if (finding.fix && !safe(finding.fix)) delete kept.fix;
    out.push(kept);
  }
  return out;
}
