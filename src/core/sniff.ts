// Content tests shared by the formats' detection: what a file's first kilobytes look like, line by line.
// Every expression here is linear (no nested quantifiers over overlapping classes): detection runs on every
// file of a tree, most of which are not configuration at all.
import { NextOccurrence } from './occurrence';

/** The start of the next line after a line break found by `NextOccurrence.lineEnd`. */
function afterLineBreak(text: string, at: number): number {
  return text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
}

/** How far into a file detection looks. */
export const CONTENT_SNIFF_BYTES = 8192;
/** Lines looked at by the line-shape tests (a config's first lines tell its syntax). */
const MAX_LINES = 300;

/** One meaningful line: not blank, not a whole-line comment. */
export interface ContentLine {
  /** Trimmed on both sides. */
  readonly text: string;
  /** Whether the line started with a space or a tab (a continuation, a nested YAML key, ...). */
  readonly indented: boolean;
}

/** The last answers of `contentLines`, by comment characters (detection asks each format in turn about one head). */
const linesMemo = new Map<string, { head: string; lines: readonly ContentLine[] }>();

/**
 * The meaningful lines of `head`: blank lines and lines whose first non-blank character is one of
 * `commentStarts` are left out; at most the first few hundred. The list is shared by the callers that ask
 * about the same head (each format's content test), so it is read-only.
 */
export function contentLines(head: string, commentStarts = '#'): readonly ContentLine[] {
  const known = linesMemo.get(commentStarts);
  if (known && known.head === head) return known.lines;
  const out: ContentLine[] = [];
  // One search per line break kind for the whole head (a head without \r is not searched again per line).
  const next = new NextOccurrence(head);
  let start = 0;
  while (start < head.length && out.length < MAX_LINES) {
    const end = next.lineEnd(start);
    const raw = head.slice(start, end);
    start = afterLineBreak(head, end);
    const text = raw.trim();
    if (!text || commentStarts.includes(text[0]!)) continue;
    out.push({ text, indented: raw[0] === ' ' || raw[0] === '\t' });
  }
  const lines = Object.freeze(out);
  linesMemo.set(commentStarts, { head, lines });
  return lines;
}

/** A format's verdict on content: it confirms the format, says nothing either way, or is something else. */
export type ContentVerdict = 'fits' | 'unclear' | 'contradicts';

/** The recognisable shapes of a configuration line, across the syntaxes this product and others use. */
export type LineShape = 'tag' | 'ini-section' | 'semicolon' | 'brace' | 'assign' | 'yaml';

/** The shape of one trimmed line, if it has one of the recognisable ones. */
export function lineShape(text: string): LineShape | undefined {
  if (/^<\/?[A-Za-z][^<>]*>$/.test(text)) return 'tag';
  if (/^\[[^\]]+\]$/.test(text)) return 'ini-section';
  if (text.endsWith(';')) return 'semicolon';
  if (text.endsWith('{') || text.startsWith('}')) return 'brace';
  if (/^[\w.-]+[ \t]*=/.test(text)) return 'assign';
  if (/^[\w"'.-]+:([ \t]|$)/.test(text) || /^- /.test(text)) return 'yaml';
  return undefined;
}

/** How many of `lines` have one of the `foreign` shapes (shapes of other syntaxes than the format's). */
export function countShapes(lines: readonly ContentLine[], foreign: readonly LineShape[]): number {
  let count = 0;
  for (const line of lines) {
    const shape = lineShape(line.text);
    if (shape && foreign.includes(shape)) count++;
  }
  return count;
}

/**
 * The verdict from a line count: `good` of `total` meaningful lines have the format's shape, `anchors` of them
 * are lines only this format writes, `foreign` have the shape of another syntax. Fits when most lines have the
 * format's shape and one is an anchor. Contradicts only on evidence of something else: almost no line of the
 * format's shape and most of another syntax's (a half-typed or broken file of the format is not contradicted).
 * Without `foreign`, every line not of the format's shape counts as foreign.
 */
export function verdictFromLines(good: number, anchors: number, total: number, fitShare = 0.75, foreign = total - good): ContentVerdict {
  if (total === 0) return 'unclear';
  if (anchors > 0 && good >= fitShare * total) return 'fits';
  if (good < 0.3 * total && foreign >= 0.5 * total) return 'contradicts';
  return 'unclear';
}

/** The last head `looksLikeMarkup` was asked about, and its answer (each format's content test asks it). */
let markupHead: string | undefined;
let markupAnswer = false;

/** XML, HTML and other markup: no format read by `key value` lines looks like this. */
export function looksLikeMarkup(head: string): boolean {
  if (head !== markupHead) {
    markupAnswer = markupAt(head);
    markupHead = head;
  }
  return markupAnswer;
}

function markupAt(head: string): boolean {
  // Where trimStart() would begin (\s is the same set of white space), without copying the head.
  const first = head.search(/\S|$/);
  const start = head.slice(first, first + 200);
  if (/^<\?xml[\s?]/i.test(start) || /^<!DOCTYPE\s/i.test(start) || /^<html[\s>]/i.test(start) || /^<!--/.test(start)) return true;
  let elements = 0;
  for (const line of contentLines(head, '')) {
    // <name>text</name> on one line, or a self-closing <name attr="..."/>: XML, never an Apache section
    // (`<Directory />` ends in "/>" too, but has no attribute).
    const t = line.text;
    if (t.charCodeAt(0) !== 60 /* < */) continue; // both shapes start with one
    const element = /^<([\w.:-]+)(\s[^<>]*)?>[^<]*<\/\1>$/.test(t);
    const selfClosing = t.endsWith('/>') && /^<[\w.:-]+([ \t/]|$)/.test(t) && (/^<[\w.:-]+[ \t]*\/>$/.test(t) || /=[ \t]*["']/.test(t));
    if ((element || selfClosing) && ++elements >= 2) return true;
  }
  return false;
}

/** A first line naming a general-purpose interpreter: a script, whatever folder it sits in. */
const SCRIPT_SHEBANG =
  /^#![ \t]*\S*\/(env[ \t]+(-\S+[ \t]+)*)?(sh|bash|dash|ksh|zsh|csh|tcsh|fish|ash|python[\d.]*|perl[\d.]*|ruby[\d.]*|node|nodejs|deno|php[\d.]*|tclsh[\d.]*|wish[\d.]*|lua[\d.]*|awk|gawk|expect|Rscript|osascript|pwsh)([ \t]|$)/m;

/**
 * Lines at the left margin that only program source writes (Python, JavaScript/TypeScript, Perl, Tcl, shell,
 * C, Ruby, a Dockerfile, troff and POD manuals). Each is anchored at the line start and bounded.
 */
const SOURCE_LINE = [
  // Python
  /^(from[ \t]+[\w.]+[ \t]+import[ \t]|import[ \t]+[\w.]+[ \t]*($|,|[ \t]as[ \t])|def[ \t]+\w+[ \t]*\(|async[ \t]+def[ \t]|class[ \t]+\w+[ \t]*[(:]|if[ \t]+__name__[ \t]*==|@\w+(\.\w+)*(\(|$))/,
  // JavaScript and TypeScript
  /^(import[ \t][^;]*[ \t]from[ \t]+['"]|import[ \t]+['"]|export[ \t]+(default|const|let|var|function|class|interface|type|async|enum|declare|\{|\*)|(const|let|var)[ \t]+[\w$]+[ \t]*=|function[ \t]*\*?[ \t]*[\w$]*[ \t]*\(|module\.exports|['"]use strict['"]|declare[ \t]+(module|namespace|function|const))/,
  // Perl, Ruby, Tcl, Lua
  /^(use[ \t]+(strict|warnings|v?5)\b|package[ \t]+[\w:]+[ \t]*;|sub[ \t]+\w+[ \t]*\{|my[ \t]+[$@%]\w+|require[ \t]+['"]|require_relative[ \t]|module[ \t]+[A-Z]\w*[ \t]*$|proc[ \t]+\S+[ \t]+\{|namespace[ \t]+eval[ \t]|package[ \t]+require[ \t]|local[ \t]+function[ \t])/,
  // shell
  /^([\w-]+[ \t]*\(\)[ \t]*\{?[ \t]*$|function[ \t]+[\w-]+|if[ \t]+\[|fi[ \t]*$|esac[ \t]*$|done[ \t]*$|then[ \t]*$|for[ \t]+\w+[ \t]+in[ \t]|while[ \t]+(true|\[|:)|set[ \t]+-[euxo]+\b|complete[ \t]+-F[ \t])/,
  // C and friends, Java, Go
  /^(#include[ \t]*(<|"[^"]*\.h(pp)?")|int[ \t]+main[ \t]*\(|(public|private|protected)[ \t]+(static[ \t]+)?(final[ \t]+)?(abstract[ \t]+)?(class|interface|enum|void)[ \t]|package[ \t]+[\w.]+;|using[ \t]+namespace[ \t]|func[ \t]+(\([^)]*\)[ \t]*)?\w+\()/,
  // Dockerfile instructions (upper case, unlike Apache's CamelCase directives)
  /^(FROM[ \t]+\S+([ \t]+AS[ \t]+\S+)?[ \t]*$|RUN[ \t]|CMD[ \t]+\[|ENTRYPOINT[ \t]|COPY[ \t]|WORKDIR[ \t]|HEALTHCHECK[ \t])/,
];

/** The start of a troff manual page, a POD document or a PHP file. */
const DOCUMENT_START = /^(\.(TH|Dd|Dt)[ \t]|=(head[1-4]|pod|begin)\b|<\?php\b)/m;

/**
 * Program source, scripts and manuals, which are never configuration whatever their name or folder says.
 * Needs a script shebang, a manual's start, or two source-only lines at the left margin.
 */
export function looksLikeSourceCode(head: string): boolean {
  const next = new NextOccurrence(head);
  const firstLine = head.slice(0, next.lineEnd(0));
  if (SCRIPT_SHEBANG.test(firstLine)) return true;
  if (DOCUMENT_START.test(head)) return true;
  let hits = 0;
  let start = 0;
  let lines = 0;
  while (start < head.length && lines < MAX_LINES) {
    const end = next.lineEnd(start);
    const c = head.charCodeAt(start);
    // Only lines at the left margin that start with a letter, '#', '@', '=', '\'' or '"' can match.
    if (c > 32 && c !== 35 /* # */ && c !== 59 /* ; */) {
      const line = head.slice(start, end);
      if (SOURCE_LINE.some((pattern) => pattern.test(line)) && ++hits >= 2) return true;
    } else if (c === 35 && head.startsWith('#include', start)) {
      if (SOURCE_LINE[4]!.test(head.slice(start, end)) && ++hits >= 2) return true;
    }
    start = afterLineBreak(head, end);
    lines++;
  }
  return false;
}

/** File names no configuration format of this product uses: source, documents, data, media, archives. */
const NEVER_CONFIG_EXTENSIONS = new Set(
  (
    'py pyc pyi pyx pxd js mjs cjs jsx ts mts cts tsx java kt kts scala groovy gradle go rs c h cc cpp cxx hpp hh ' +
    'cs fs vb swift m mm rb pl pm t pod php phtml tcl tk lua sh bash zsh fish ksh csh ps1 psm1 bat cmd vim el lisp ' +
    'clj ex exs erl hrl hs ml mli r jl dart sql md markdown rst adoc asciidoc txt tex rtf man htm html xhtml css ' +
    'scss sass less svg json jsonc json5 lock csv tsv pom jar war ear class so dylib dll exe o a lib obj wasm png ' +
    'jpg jpeg gif bmp ico webp tif tiff pdf ps eps mp3 mp4 ogg wav flac avi mov mkv woff woff2 ttf otf eot zip gz ' +
    'tgz bz2 xz zst lz4 7z rar tar deb rpm apk whl egg gem nupkg iso img qcow2 db sqlite sqlite3 pem crt cer der ' +
    'csr key p12 pfx jks keystore mo po pot map snap patch diff ipynb desktop service socket timer mount log'
  ).split(' '),
);
const NEVER_CONFIG_NAME =
  /^(Dockerfile|Containerfile|Makefile|GNUmakefile|CMakeLists\.txt|Vagrantfile|Jenkinsfile|Gemfile|Rakefile|Procfile|Pipfile|Brewfile|README|LICEN[CS]E|COPYING|NOTICE|AUTHORS|CHANGELOG|CHANGES|NEWS|copyright|changelog)([._-].*)?$/i;

/** A name that says "not a configuration file" (Dockerfile, *.py, *.xml is not here: some formats are XML). */
export function neverConfigName(baseName: string): boolean {
  const dot = baseName.lastIndexOf('.');
  const extension = dot >= 0 ? baseName.slice(dot + 1).toLowerCase() : undefined;
  return (extension !== undefined && (NEVER_CONFIG_EXTENSIONS.has(extension) || extension === 'dockerfile')) || NEVER_CONFIG_NAME.test(baseName);
}

/**
 * The shape of YAML: `key: value`, `- item`, `---`, or an indented line (nested keys, block scalars).
 * Returns the meaningful lines and how many have that shape.
 */
export function yamlShape(head: string): { good: number; total: number; firstIsYaml: boolean } {
  const lines = contentLines(head);
  let good = 0;
  for (const line of lines) if (line.indented || isYamlLine(line.text)) good++;
  return { good, total: lines.length, firstIsYaml: lines.length > 0 && isYamlLine(lines[0]!.text) };
}

function isYamlLine(text: string): boolean {
  return (
    /^(---|\.\.\.|%YAML|%TAG)(\s|$)/.test(text) ||
    /^-(\s|$)/.test(text) ||
    /^[\w"'$.{}[\]/-][^:#]*:(\s|$)/.test(text) ||
    /^\?\s/.test(text) ||
    /^[&*!]/.test(text)
  );
}

/** The verdict for a YAML-based format: fits when it reads as YAML, contradicted by markup and other syntaxes. */
export function judgeYaml(head: string): ContentVerdict {
  if (looksLikeMarkup(head)) return 'contradicts';
  const { good, total } = yamlShape(head);
  return verdictFromLines(good, good, total, 0.8, countShapes(contentLines(head), ['tag', 'ini-section', 'semicolon', 'brace', 'assign']));
}

/**
 * The name of the first element of an XML document (after white space, the XML declaration, comments, a
 * DOCTYPE and processing instructions), or undefined. Scans with indexOf, so that a file of many comments
 * costs one pass (a regular expression over repeated comments backtracks exponentially).
 */
export function firstXmlElement(head: string): string | undefined {
  let at = 0;
  for (;;) {
    while (at < head.length && /\s/.test(head[at]!)) at++;
    if (head.startsWith('<!--', at)) {
      const end = head.indexOf('-->', at + 4);
      if (end < 0) return undefined;
      at = end + 3;
    } else if (head.startsWith('<?', at) || head.startsWith('<!', at)) {
      const end = head.indexOf('>', at + 2);
      if (end < 0) return undefined;
      at = end + 1;
    } else break;
  }
  return /^<([A-Za-z_][\w.:-]*)[\s>/]/.exec(head.slice(at, at + 200))?.[1];
}
