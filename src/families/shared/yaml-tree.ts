// YAML read through the `yaml` package's node tree, so every value keeps its offsets.
// Shared by the YAML families (compose, Kubernetes, mongod.conf, elasticsearch.yml).
//
// Linear by construction: the document is parsed once per lint; duplicate keys are found with one set per
// mapping (the package's own check compares every key with every earlier one); aliases are resolved from one
// walk of the document (the package's `Alias.resolve` walks the whole document for each alias); a mapping's
// merged pairs (`<<`) are computed once; and whatever merges and aliases add is counted against one
// expansion budget per document, reported as a parse problem when spent (merge-key and alias bombs).
//
// Per keystroke: a file is parsed in pieces (each document of a stream; groups of top-level entries of a
// one-document file) and the pieces of the last lint of each recent path are kept, so the next lint parses only
// the pieces whose text changed and moves the others' ranges to where they now are. Each piece is parsed with
// what follows it as the whole file would see it, and anything that ties pieces together (directives, `...`,
// errors, an alias between groups) makes the file be parsed whole: the result is the whole-file parse
// (test/unit/yaml-reuse.test.ts compares them). Models read the documents synchronously, before the next lint
// can move a kept piece's ranges; merges and the expansion budget are computed afresh each lint.
import { type Document, type Node, type Pair, type Scalar, type YAMLMap, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { text } from '../../core/check';
import { LIMITS } from '../../core/limits';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';

/** Nodes that merges (`<<`) and walks through aliases may add, per document, beyond the nodes written. */
export const YAML_EXPANSION_BUDGET = 250_000;
/** Collections nested deeper than this are not read (the parser itself recurses per level). */
export const YAML_MAX_NESTING = 1_000;

export interface YamlFile {
  source: SourceText;
  documents: Document.Parsed[];
}

interface DocumentState {
  source: SourceText;
  problems: ParseProblem[];
  /** Each alias's target: the last node with its anchor before it (YAML 1.2). */
  aliases: WeakMap<Node, Node | undefined>;
  merged: WeakMap<Node, Pair<Scalar, unknown>[]>;
  /** The pairs of a mapping by key (merges applied), built once per mapping and lint. */
  byKey: WeakMap<Node, Map<string, Pair<Scalar, unknown>>>;
  /** What merges and alias walks may still add. */
  budget: number;
  reported: boolean;
}

const states = new WeakMap<Document, DocumentState>();

/**
 * Where block collections first nest deeper than `limit` (the offset of that line), or -1. The package composes
 * block collections recursively and, when the stack runs out, reports "resource exhaustion" at a depth that
 * depends on the state of the process (JIT tiers, the caller's stack): the same file would give other problems
 * from one lint to the next. Counted from above, so that a file is refused or read, always the same way: each
 * indentation deeper than all enclosing ones is a level, and so is each `- ` or `key: ` on a line (`- - a: b:`).
 * Lines are read by their indentation only, except a line whose text could hold the missing levels. A tab
 * separates like a space after an indicator (`a:\tb:\tc`).
 */
function blockNestingPast(textValue: string, limit: number): number {
  const indents: number[] = [];
  for (let start = 0; start < textValue.length;) {
    let end = textValue.indexOf('\n', start);
    if (end < 0) end = textValue.length;
    let indent = start;
    while (indent < end && textValue.charCodeAt(indent) === 32) indent++;
    const first = textValue.charCodeAt(indent);
    // Blank and comment lines are no level.
    if (indent < end && first !== 35 && first !== 13) {
      const column = indent - start;
      while (indents.length && indents[indents.length - 1]! >= column) indents.pop();
      indents.push(column);
      let depth = indents.length;
      // A level on the line takes two characters at least (`- `, `a:`).
      if (depth + (end - indent) / 2 > limit) depth += levelsOnLine(textValue, indent, end);
      if (depth > limit) return start;
    }
    start = end + 1;
  }
  return -1;
}

const isBlankAt = (textValue: string, at: number, end: number) => {
  const c = textValue.charCodeAt(at);
  return at >= end || c === 32 || c === 9 || c === 13;
};

/**
 * The collections that start on one line before its content: `- `, `? ` and `key: ` in a row, each at the start
 * of the node the one before opens (`- - a: b: c`). Anything else there (a scalar, `|`, a flow collection, a
 * comment) ends the row.
 */
function levelsOnLine(textValue: string, from: number, end: number): number {
  let levels = 0;
  let at = from;
  let hash = textValue.indexOf(' #', from);
  for (;;) {
    while (at < end && (textValue.charCodeAt(at) === 32 || textValue.charCodeAt(at) === 9)) at++;
    if (at >= end) return levels;
    const c = textValue.charCodeAt(at);
    if ((c === 45 || c === 63) && isBlankAt(textValue, at + 1, end)) {
      levels++;
      at++;
      continue;
    }
    // A key: a quoted scalar, or a plain one that does not start with an indicator, then `:` and a blank.
    let key = at;
    if (c === 34 || c === 39) {
      const close = textValue.indexOf(String.fromCharCode(c), at + 1);
      if (close < 0 || close >= end) return levels;
      key = close + 1;
    } else if ('|>[]{},#&*!%@`'.includes(textValue[at]!)) return levels;
    let colon = textValue.indexOf(':', key);
    while (colon >= 0 && colon < end && !isBlankAt(textValue, colon + 1, end)) colon = textValue.indexOf(':', colon + 1);
    if (colon < 0 || colon >= end) return levels;
    // A comment before the colon ends the line (the next ` #` is looked for again only once passed).
    if (hash >= 0 && hash < key) hash = textValue.indexOf(' #', key);
    if (hash >= 0 && hash < colon) return levels;
    levels++;
    at = colon + 1;
  }
}

/**
 * The package's parse of a stream. Its syntax errors are Error objects, each capturing a stack trace that nothing
 * reads: a line of 567,000 stray `]` made as many errors and took 14 s, half of it in the traces (fuzz
 * elasticsearch #17077 at seed 11). The traces are turned off for the parse (synchronous: no other code runs
 * meanwhile) and the limit put back.
 */
function parseStream(textValue: string): ReturnType<typeof parseAllDocuments> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // uniqueKeys: false, because the package compares each key with every earlier key of its map (quadratic);
    // duplicates are found with one set per map (indexDocument), with the package's own message.
    return parseAllDocuments(textValue, { prettyErrors: false, strict: false, uniqueKeys: false });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Opening brackets in a row or nested flow collections deeper than YAML_MAX_NESTING: the parser would recurse past the stack. */
function deepestFlowNesting(textValue: string): number {
  let depth = 0;
  let deepest = 0;
  let quote = '';
  for (let i = 0; i < textValue.length; i++) {
    const c = textValue[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n') quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return deepest;
}

/**
 * Files whose parsed documents are kept for the next lint of the same path (the editor re-lints on every
 * keystroke), and their text in all. A manifest's lint parses the other manifests of its folder too: with room
 * for only 4 paths, a folder of 5 pushed the edited file out on every keystroke.
 */
const CACHED_FILES = 16;
const CACHED_TEXT_TOTAL = 4_000_000;
/**
 * Larger files are parsed whole and not kept. As large as the total: what is kept is bounded by the total anyway
 * (about 27 bytes of heap a character), and a limit of 1,000,000 made every keystroke in a 50,000-line manifest,
 * mongod.conf or elasticsearch.yml (1.1-1.4 MB) a cold parse: 0.7-1.4 s instead of 47-267 ms (issue 16).
 */
const CACHED_TEXT_LIMIT = CACHED_TEXT_TOTAL;

/** Part of a file parsed on its own: one document (the first one with what precedes it) and what parsing it reported. */
interface Chunk {
  text: string;
  /** Where the chunk starts in the file its nodes' ranges are currently set for. */
  base: number;
  documents: Document.Parsed[];
  /** Syntax errors and duplicate keys, relative to the chunk's start. */
  problems: { start: number; end: number; message: ParseProblem['message'] }[];
  /** Each document's alias targets (they do not depend on where the chunk is). */
  aliases: WeakMap<Node, Node | undefined>[];
  /** Every range array of the documents, listed on the chunk's first move. */
  ranges?: number[][];
}

/** The chunks of the last lint of each recent path, by chunk text (identical documents of one file each have their own). */
const chunkCache = new Map<string, Map<string, Chunk[]>>();
/** The text each kept path's chunks hold. */
const chunkCacheSizes = new Map<string, number>();
let chunkCacheText = 0;

/** Forgets every kept parse (tests compare a cold parse with a reused one). */
export function clearYamlCache(): void {
  chunkCache.clear();
  chunkCacheSizes.clear();
  chunkCacheText = 0;
}

/**
 * Where each document begins: a `---` marker at the start of a line (YAML forbids it inside any scalar or flow
 * collection, so it always starts a document); what precedes the first marker belongs to the first chunk.
 * Undefined when the stream has directives (`%`) or document end markers (`...`), which tie documents together:
 * such a file is parsed whole.
 */
function chunkStarts(textValue: string): number[] | undefined {
  const starts = [0];
  let markers = 0;
  for (let at = 0; at < textValue.length;) {
    const c = textValue.charCodeAt(at);
    if (c === 37 /* % */) return undefined;
    if (c === 46 /* . */ && textValue.startsWith('...', at)) return undefined;
    if (c === 45 /* - */ && textValue.startsWith('---', at)) {
      const after = textValue.charCodeAt(at + 3);
      if (Number.isNaN(after) || after === 32 || after === 9 || after === 10 || after === 13) {
        if (markers++ > 0) starts.push(at);
      }
    }
    const next = textValue.indexOf('\n', at);
    if (next < 0) break;
    at = next + 1;
  }
  return starts;
}

/**
 * Every range array of a document (the document's, each node's), in one list: a kept piece's ranges are moved
 * on every lint after an edit above it, and a loop over this list costs far less than a walk of the tree.
 */
function rangesOf(document: Document.Parsed): number[][] {
  const out: number[][] = [];
  if (document.range) out.push(document.range);
  const stack: unknown[] = [document.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!isScalar(node) && !isCollection(node) && !isAlias(node)) continue;
    if (node.range) out.push(node.range);
    if (isCollection(node)) for (const item of node.items) stack.push(item);
  }
  return out;
}

/** Adds a parsed piece to the ones this lint keeps, under the key the next lint will look it up by. */
function remember(kept: Map<string, Chunk[]>, key: string, chunk: Chunk): void {
  const list = kept.get(key);
  if (list) list.push(chunk);
  else kept.set(key, [chunk]);
}

/** What this lint of `path` parsed, for the next lint of it (the most recently linted paths are kept). */
function forget(path: string): void {
  chunkCache.delete(path);
  chunkCacheText -= chunkCacheSizes.get(path) ?? 0;
  chunkCacheSizes.delete(path);
}

function keepForNextLint(path: string, kept: Map<string, Chunk[]>): void {
  forget(path);
  let size = 0;
  for (const chunks of kept.values()) for (const chunk of chunks) size += chunk.text.length;
  chunkCache.set(path, kept);
  chunkCacheSizes.set(path, size);
  chunkCacheText += size;
  while (chunkCache.size > 1 && (chunkCache.size > CACHED_FILES || chunkCacheText > CACHED_TEXT_TOTAL)) forget(chunkCache.keys().next().value!);
}

/**
 * Parses one chunk. A chunk followed by another is parsed with the next `---` marker after it, as the whole
 * stream would see it (a document's ranges end differently at a marker than at the end of the text); the empty
 * document that marker starts is dropped. Undefined when that document is not empty (the file is then parsed whole).
 */
function parseChunk(chunkText: string, followed: boolean, path: string): Chunk | undefined {
  const parsed = parseStream(followed ? `${chunkText}---` : chunkText);
  const all = (Array.isArray(parsed) ? parsed : []) as Document.Parsed[];
  if (followed) {
    const marker = all.pop();
    // The marker's document is empty: the package gives it an empty plain null scalar where the text ends.
    const empty = marker?.contents;
    const nothing =
      empty === null ||
      (isScalar(empty) &&
        empty.value === null &&
        empty.type === 'PLAIN' &&
        empty.range?.[0] === chunkText.length + 3 &&
        empty.range[1] === empty.range[0] &&
        !empty.anchor &&
        !empty.tag);
    if (!marker || marker.range[0] !== chunkText.length || !nothing || marker.errors.length || marker.warnings.length) return undefined;
  }
  const chunk: Chunk = { text: chunkText, base: 0, documents: all, problems: [], aliases: [] };
  for (const document of chunk.documents) {
    for (const error of document.errors) {
      const [start, end] = error.pos;
      chunk.problems.push({ start, end: Math.max(end, start + 1), message: text('yaml.syntax-error', { detail: error.message.split('\n')[0] ?? '' }) });
    }
    const found: ParseProblem[] = [];
    chunk.aliases.push(indexDocument(document, { path }, found).aliases);
    for (const problem of found) chunk.problems.push({ start: problem.span.start, end: problem.span.end, message: problem.message });
  }
  return chunk;
}

/** Whether the text has more opening brackets than the nesting limit (else it cannot nest deeper, and is not scanned). */
function manyOpeners(textValue: string): boolean {
  let count = 0;
  for (const opener of ['[', '{'])
    for (let at = textValue.indexOf(opener); at >= 0; at = textValue.indexOf(opener, at + 1)) if (++count > YAML_MAX_NESTING) return true;
  return false;
}

export function parseYaml(source: SourceText, problems: ParseProblem[]): YamlFile {
  if (manyOpeners(source.text) && deepestFlowNesting(source.text) > YAML_MAX_NESTING) {
    problems.push({
      span: { file: source.path, start: 0, end: source.lineEnd(0) },
      message: text('yaml.nesting-too-deep', { limit: YAML_MAX_NESTING }),
    });
    return { source, documents: [] };
  }
  // A lone \r breaks a YAML line (b-break) but not the package's: it gets \n there, offset for offset (F).
  const yamlText = source.text.includes('\r') ? source.text.replace(/\r(?!\n)/g, '\n') : source.text;
  const tooDeep = blockNestingPast(yamlText, LIMITS['nesting-depth']);
  if (tooDeep >= 0) {
    problems.push({
      span: { file: source.path, start: tooDeep, end: source.lineEnd(source.positionAt(tooDeep).line) },
      message: text('yaml.nesting-too-deep', { limit: LIMITS['nesting-depth'] }),
    });
    return { source, documents: [] };
  }
  const starts = yamlText.length <= CACHED_TEXT_LIMIT ? chunkStarts(yamlText) : undefined;
  if (!starts) return parseWhole(source, yamlText, problems);
  if (starts.length === 1 && !/^---/m.test(yamlText)) {
    // One top-level entry holding most of the file (Compose's `services:` beside `volumes:`): its own entries are
    // the pieces, else an edit in it would parse all of it again.
    const groups = entryStarts(yamlText);
    const entries = oneEntryDominates(groups, yamlText.length)
      ? (parseByNestedEntries(source, yamlText, problems) ?? parseByEntries(source, yamlText, problems, groups))
      : (parseByEntries(source, yamlText, problems, groups) ?? parseByNestedEntries(source, yamlText, problems));
    if (entries) return entries;
  }
  // Each document parsed on its own and kept: the next lint of this path re-parses only the documents that
  // changed, and moves the others' ranges to where they now are.
  const previous = chunkCache.get(source.path);
  const kept = new Map<string, Chunk[]>();
  const chunks: Chunk[] = [];
  try {
    for (let i = 0; i < starts.length; i++) {
      const base = starts[i]!;
      const chunkText = yamlText.slice(base, starts[i + 1] ?? yamlText.length);
      const reusable = previous?.get(chunkText);
      let chunk = reusable?.shift();
      if (!chunk) {
        chunk = parseChunk(chunkText, i + 1 < starts.length, source.path);
        if (!chunk) {
          forget(source.path);
          return parseWhole(source, yamlText, problems);
        }
      }
      shiftChunk(chunk, base);
      chunks.push(chunk);
      remember(kept, chunkText, chunk);
    }
  } catch (error) {
    // Block nesting deep enough to exhaust the parser's stack.
    if (!(error instanceof RangeError)) throw error;
    forget(source.path);
    problems.push({
      span: { file: source.path, start: 0, end: source.lineEnd(0) },
      message: text('yaml.nesting-too-deep', { limit: YAML_MAX_NESTING }),
    });
    return { source, documents: [] };
  }
  keepForNextLint(source.path, kept);
  const documents: Document.Parsed[] = [];
  for (const chunk of chunks) {
    for (const problem of chunk.problems)
      problems.push({ span: { file: source.path, start: problem.start + chunk.base, end: problem.end + chunk.base }, message: problem.message });
    chunk.documents.forEach((document, index) => {
      states.set(document, freshState(source, problems, chunk.aliases[index]!));
      documents.push(document);
    });
  }
  return { source, documents };
}

/** Top-level entries parsed together (characters): an edit re-parses its group only. */
const ENTRY_GROUP = 2048;

/**
 * Where groups of top-level entries begin in a one-document file: lines that start a plain key at column 0
 * (a letter, digit or `_`), one group at least ENTRY_GROUP characters long.
 */
function entryStarts(textValue: string): number[] {
  const starts = [0];
  let seenKey = false;
  for (let at = 0; at < textValue.length;) {
    const c = textValue.charCodeAt(at);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      if (seenKey && at - starts[starts.length - 1]! >= ENTRY_GROUP) starts.push(at);
      seenKey = true;
    }
    const next = textValue.indexOf('\n', at);
    if (next < 0) break;
    at = next + 1;
  }
  return starts;
}

/** Whether one group of top-level entries is several groups long: a single entry then holds much of the file. */
function oneEntryDominates(starts: readonly number[], length: number): boolean {
  for (let i = 0; i < starts.length; i++) if ((starts[i + 1] ?? length) - starts[i]! > 4 * ENTRY_GROUP) return true;
  return false;
}

/**
 * One group of top-level entries, parsed as the whole file would parse it: a group followed by another is
 * parsed with a key line after it (`k:`), whose pair is dropped. Undefined unless the group is error-free block
 * mapping entries starting where the group starts (then the file is parsed another way).
 */
function parseEntryGroup(groupText: string, first: boolean, followed: boolean): Chunk | undefined {
  const parsed = parseStream(followed ? `${groupText}k:` : groupText);
  const all = (Array.isArray(parsed) ? parsed : []) as Document.Parsed[];
  if (all.length !== 1) return undefined;
  const document = all[0]!;
  const map = document.contents;
  if (document.errors.length || !isMap(map) || map.flow || !map.range || (!first && (map.range[0] !== 0 || map.anchor || map.tag))) return undefined;
  if (followed) {
    const sentinel = map.items.pop();
    if (
      !sentinel ||
      !isScalar(sentinel.key) ||
      sentinel.key.value !== 'k' ||
      sentinel.key.range?.[0] !== groupText.length ||
      !isScalar(sentinel.value) ||
      sentinel.value.value !== null
    )
      return undefined;
    const last = map.items[map.items.length - 1];
    if (!last) return undefined;
    // The map and the document end where the last entry ends, as in the whole file.
    const end = (isNodeWithRange(last.value) ? last.value.range : undefined) ?? (isNodeWithRange(last.key) ? last.key.range : undefined);
    if (!end) return undefined;
    map.range = [map.range[0], end[1], end[2]];
    document.range = [document.range[0], end[1], end[2]];
  }
  return { text: groupText, base: 0, documents: [document], problems: [], aliases: [] };
}

function isNodeWithRange(node: unknown): node is { range: [number, number, number] } {
  return (isScalar(node) || isCollection(node) || isAlias(node)) && Array.isArray(node.range);
}

/** A one-document file whose top level is a block mapping, parsed (and kept) in groups of entries; undefined: not such a file. */
function parseByEntries(source: SourceText, yamlText: string, problems: ParseProblem[], starts: readonly number[]): YamlFile | undefined {
  if (starts.length < 2) return undefined;
  const previous = chunkCache.get(source.path);
  const kept = new Map<string, Chunk[]>();
  const groups: Chunk[] = [];
  try {
    for (let i = 0; i < starts.length; i++) {
      const base = starts[i]!;
      const groupText = yamlText.slice(base, starts[i + 1] ?? yamlText.length);
      const key = `entries:${i === 0 ? 'first' : 'next'}:${groupText}`;
      let group = previous?.get(key)?.shift();
      if (!group) {
        group = parseEntryGroup(groupText, i === 0, i + 1 < starts.length);
        if (!group) return undefined;
        // Indexed once, where it was parsed (offsets relative to the group): its aliases (each resolves inside
        // its group, else the group would not parse) and duplicate keys below the root mapping.
        const found: ParseProblem[] = [];
        indexDocument(group.documents[0]!, source, found, { aliases: groupAliases, rootKeys: false });
        for (const problem of found) group.problems.push({ start: problem.span.start, end: problem.span.end, message: problem.message });
      }
      shiftChunk(group, base);
      groups.push(group);
      remember(kept, key, group);
    }
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  keepForNextLint(source.path, kept);
  // One document over the groups: copies of the first group's document and map (with the package's own
  // non-enumerable node type), holding every group's pairs.
  const firstDocument = groups[0]!.documents[0]!;
  const lastDocument = groups[groups.length - 1]!.documents[0]!;
  const firstMap = firstDocument.contents as YAMLMap.Parsed;
  const lastMap = lastDocument.contents as YAMLMap.Parsed;
  const map = Object.create(Object.getPrototypeOf(firstMap) as object, Object.getOwnPropertyDescriptors(firstMap)) as YAMLMap.Parsed;
  // Pushed in loops: flatMap over thousands of entries is several times slower.
  map.items = [];
  for (const group of groups) for (const item of (group.documents[0]!.contents as YAMLMap.Parsed).items) map.items.push(item);
  map.range = [firstMap.range[0], lastMap.range[1], lastMap.range[2]];
  const document = Object.create(Object.getPrototypeOf(firstDocument) as object, Object.getOwnPropertyDescriptors(firstDocument)) as Document.Parsed;
  document.contents = map;
  document.range = [firstDocument.range[0], lastDocument.range[1], lastDocument.range[2]];
  document.errors = [];
  document.warnings = [];
  if (map.anchor) {
    // An alias may name the root mapping itself: the whole document's mapping, not the first group's.
    const state = indexDocument(document, source, problems);
    states.set(document, freshState(source, problems, state.aliases));
    return { source, documents: [document] };
  }
  // What indexing the whole document would report, in its order: the root mapping's duplicate keys, then
  // each group's own (document order).
  const keys = new Set<unknown>();
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    if (keys.has(pair.key.value) && pair.key.range) {
      const start = pair.key.range[0];
      problems.push({ span: { file: source.path, start, end: start + 1 }, message: text('yaml.syntax-error', { detail: 'Map keys must be unique' }) });
    }
    keys.add(pair.key.value);
  }
  for (const group of groups)
    for (const problem of group.problems)
      problems.push({ span: { file: source.path, start: problem.start + group.base, end: problem.end + group.base }, message: problem.message });
  states.set(document, freshState(source, problems, groupAliases));
  return { source, documents: [document] };
}

/** Alias targets in the groups of top-level entries (each alias node is one group's, and its target is fixed). */
const groupAliases = new WeakMap<Node, Node | undefined>();

/** A copy of a node of the package (its own enumerable and non-enumerable properties, the node type among them). */
function copyNode<T extends object>(node: T): T {
  return Object.create(Object.getPrototypeOf(node) as object, Object.getOwnPropertyDescriptors(node)) as T;
}

/**
 * Where groups of second-level entries begin when most of a one-document file is the block mapping under one
 * top-level key (Compose's `services:`): lines indented as that mapping's first key, up to the next line at
 * column 0. Undefined when the file has no such mapping to split.
 */
function nestedEntryStarts(textValue: string): { header: number; starts: number[]; indent: number } | undefined {
  // The top-level key whose block holds the most text.
  let best: { header: number; end: number } | undefined;
  let open: number | undefined;
  const close = (end: number) => {
    if (open !== undefined && (!best || end - open > best.end - best.header)) best = { header: open, end };
  };
  for (let at = 0; at < textValue.length;) {
    const c = textValue.charCodeAt(at);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 35) {
      close(at);
      open = at;
    }
    const next = textValue.indexOf('\n', at);
    if (next < 0) break;
    at = next + 1;
  }
  close(textValue.length);
  if (!best) return undefined;
  const firstLine = textValue.indexOf('\n', best.header);
  if (firstLine < 0) return undefined;
  let indent = 0;
  const starts: number[] = [];
  for (let at = firstLine + 1; at < best.end;) {
    let spaces = 0;
    while (textValue.charCodeAt(at + spaces) === 32) spaces++;
    const c = textValue.charCodeAt(at + spaces);
    const key = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (key && spaces > 0 && (indent === 0 || spaces === indent)) {
      if (indent === 0) {
        indent = spaces;
        starts.push(at);
      } else if (at - starts[starts.length - 1]! >= ENTRY_GROUP) starts.push(at);
    }
    const next = textValue.indexOf('\n', at);
    if (next < 0) break;
    at = next + 1;
  }
  if (starts.length < 2) return undefined;
  return { header: starts[0]!, starts: [0, ...starts.slice(1)], indent };
}

/**
 * One group of second-level entries parsed after the file's header (what precedes the first entry, anchors
 * included), and with a sentinel entry when a group follows. `base` is then where the header would start.
 */
function parseNestedGroup(header: string, groupText: string, first: boolean, followed: boolean, indent: number): Chunk | undefined {
  const prefix = first ? '' : header;
  const full = `${prefix}${groupText}${followed ? `${' '.repeat(indent)}k:` : ''}`;
  const parsed = parseStream(full);
  const all = (Array.isArray(parsed) ? parsed : []) as Document.Parsed[];
  if (all.length !== 1 || all[0]!.errors.length) return undefined;
  return { text: groupText, base: 0, documents: [all[0]!], problems: [], aliases: [] };
}

/** The pair of the root mapping that holds the grouped entries, its mapping, and checks that a group is as expected. */
function container(document: Document.Parsed, index: number, entriesStart: number): { pair: Pair<Scalar, YAMLMap.Parsed>; map: YAMLMap.Parsed } | undefined {
  const root = document.contents;
  if (!isMap(root) || root.flow || !root.range) return undefined;
  const pair = root.items[index];
  if (!pair || !isScalar(pair.key) || !isMap(pair.value) || pair.value.flow || !pair.value.range || pair.value.range[0] !== entriesStart) return undefined;
  return { pair: pair as Pair<Scalar, YAMLMap.Parsed>, map: pair.value as YAMLMap.Parsed };
}

/** A one-document file that is mostly one big block mapping under a top-level key, parsed in groups of its entries. */
function parseByNestedEntries(source: SourceText, yamlText: string, problems: ParseProblem[]): YamlFile | undefined {
  const found = nestedEntryStarts(yamlText);
  if (!found) return undefined;
  const { header: headerEnd, starts, indent } = found;
  // Later groups are parsed after the file's header when it defines anchors (their aliases need them), else after
  // a one-line stand-in, so that an edit in the header does not make every group be parsed again.
  const realHeader = yamlText.slice(0, headerEnd);
  const header = realHeader.includes('&') ? realHeader : 'k:\n';
  const laterIndex = (index: number) => (header === realHeader ? index : 0);
  const previous = chunkCache.get(source.path);
  const kept = new Map<string, Chunk[]>();
  const groups: { chunk: Chunk; pair: Pair<Scalar, YAMLMap.Parsed>; map: YAMLMap.Parsed }[] = [];
  let index = -1;
  try {
    for (let i = 0; i < starts.length; i++) {
      const base = starts[i]!;
      const groupText = yamlText.slice(base, starts[i + 1] ?? yamlText.length);
      const followed = i + 1 < starts.length;
      const key = `nested:${indent}:${i === 0 ? '' : header.length}:${followed}:${i === 0 ? '' : header}\u0000${groupText}`;
      let chunk = previous?.get(key)?.shift();
      if (!chunk) {
        chunk = parseNestedGroup(header, groupText, i === 0, followed, indent);
        if (!chunk) return undefined;
        if (followed) {
          // Drop the sentinel entry; the group's mapping then ends where its last entry ends, as in the whole file.
          const document = chunk.documents[0]!;
          const root = document.contents;
          const at = isMap(root) ? root.items.length - 1 : -1;
          const held = at >= 0 ? container(document, at, (i === 0 ? headerEnd : header.length) + indent) : undefined;
          const sentinel = held?.map.items.pop();
          const sentinelAt = (i === 0 ? 0 : header.length) + groupText.length + indent;
          if (
            !held ||
            !sentinel ||
            !isScalar(sentinel.key) ||
            sentinel.key.value !== 'k' ||
            sentinel.key.range?.[0] !== sentinelAt ||
            !isScalar(sentinel.value) ||
            sentinel.value.value !== null
          )
            return undefined;
          const last = held.map.items[held.map.items.length - 1];
          const end = last && ((isNodeWithRange(last.value) ? last.value.range : undefined) ?? (isNodeWithRange(last.key) ? last.key.range : undefined));
          if (!end) return undefined;
          held.map.range = [held.map.range[0], end[1], end[2]];
          if (isMap(root) && root.range) root.range = [root.range[0], end[1], end[2]];
          document.range = [document.range[0], end[1], end[2]];
        }
      }
      // Ranges are relative to the parsed text: a later group's text starts after the header.
      shiftChunk(chunk, i === 0 ? 0 : base - header.length);
      const document = chunk.documents[0]!;
      if (i === 0) {
        const root = document.contents;
        index = isMap(root) ? root.items.length - 1 : -1;
      }
      const held = index >= 0 ? container(document, i === 0 ? index : laterIndex(index), (i === 0 ? headerEnd : base) + indent) : undefined;
      if (!held) return undefined;
      groups.push({ chunk, ...held });
      remember(kept, key, chunk);
    }
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  const first = groups[0]!;
  const last = groups[groups.length - 1]!;
  if (header === realHeader && String(first.pair.key.value) !== String(last.pair.key.value)) return undefined;
  keepForNextLint(source.path, kept);
  const firstDocument = first.chunk.documents[0]!;
  const lastDocument = last.chunk.documents[0]!;
  const firstRoot = firstDocument.contents as YAMLMap.Parsed;
  const lastRoot = lastDocument.contents as YAMLMap.Parsed;
  const map = copyNode(first.map);
  map.items = [];
  for (const group of groups) for (const item of group.map.items) map.items.push(item);
  map.range = [first.map.range[0], last.map.range[1], last.map.range[2]];
  const pair = copyNode(first.pair);
  pair.value = map;
  const root = copyNode(firstRoot);
  root.items = [
    ...firstRoot.items.slice(0, index),
    pair as (typeof root.items)[number],
    ...lastRoot.items.slice((groups.length > 1 ? laterIndex(index) : index) + 1),
  ];
  root.range = [firstRoot.range[0], lastRoot.range[1], lastRoot.range[2]];
  const document = copyNode(firstDocument);
  document.contents = root;
  document.range = [firstDocument.range[0], lastDocument.range[1], lastDocument.range[2]];
  document.errors = [];
  document.warnings = [];
  const state = indexDocument(document, source, problems);
  states.set(document, freshState(source, problems, state.aliases));
  return { source, documents: [document] };
}

/** Moves every range of the chunk's documents to where the chunk now starts, in place (each node owns its range). */
function shiftChunk(chunk: Chunk, base: number): void {
  const delta = base - chunk.base;
  if (delta === 0) return;
  // Listed on the first move: the ranges are final by then (parsing sets them; a group's ends are set just after).
  chunk.ranges ??= chunk.documents.flatMap(rangesOf);
  for (const range of chunk.ranges) {
    range[0]! += delta;
    range[1]! += delta;
    range[2]! += delta;
  }
  chunk.base = base;
}

function freshState(source: SourceText, problems: ParseProblem[], aliases: WeakMap<Node, Node | undefined>): DocumentState {
  return { source, problems, aliases, merged: new WeakMap(), byKey: new WeakMap(), budget: YAML_EXPANSION_BUDGET, reported: false };
}

/** The whole stream in one parse (directives, document end markers, or a file too large to keep). */
function parseWhole(source: SourceText, yamlText: string, problems: ParseProblem[]): YamlFile {
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseStream(yamlText);
  } catch (error) {
    // Block nesting deep enough to exhaust the parser's stack.
    if (!(error instanceof RangeError)) throw error;
    problems.push({
      span: { file: source.path, start: 0, end: source.lineEnd(0) },
      message: text('yaml.nesting-too-deep', { limit: YAML_MAX_NESTING }),
    });
    return { source, documents: [] };
  }
  const documents = (Array.isArray(parsed) ? parsed : []) as Document.Parsed[];
  for (const document of documents) {
    for (const error of document.errors) {
      const [start, end] = error.pos;
      problems.push({
        span: { file: source.path, start, end: Math.max(end, start + 1) },
        message: text('yaml.syntax-error', { detail: error.message.split('\n')[0] ?? '' }),
      });
    }
    const state = indexDocument(document, source, problems);
    states.set(document, freshState(source, problems, state.aliases));
  }
  return { source, documents };
}

/** One walk of the written tree (no alias followed), in document order: alias targets and duplicate keys. */
function indexDocument(
  document: Document,
  source: { path: string },
  problems: ParseProblem[],
  into?: { aliases: WeakMap<Node, Node | undefined>; rootKeys: false },
): { aliases: WeakMap<Node, Node | undefined> } {
  // `into`: aliases go to a map shared with other pieces, and the root mapping's keys are left to the caller
  // (a piece's root mapping is part of the file's).
  const state = { aliases: into?.aliases ?? new WeakMap<Node, Node | undefined>() };
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [document.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) {
      state.aliases.set(node, anchors.get(node.source));
      continue;
    }
    if (!isScalar(node) && !isCollection(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isCollection(node)) continue;
    const children: unknown[] = [];
    if (isMap(node)) {
      const keys = new Set<unknown>();
      const checked = !into || node !== document.contents;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (checked && isScalar(pair.key)) {
          if (keys.has(pair.key.value) && pair.key.range) {
            const start = pair.key.range[0];
            problems.push({
              span: { file: source.path, start, end: start + 1 },
              message: text('yaml.syntax-error', { detail: 'Map keys must be unique' }),
            });
          }
          keys.add(pair.key.value);
        }
        children.push(pair.key, pair.value);
      }
    } else for (const item of node.items) children.push(isPair(item) ? item.key : item, ...(isPair(item) ? [item.value] : []));
    // Children in document order: the stack takes them last first.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return state;
}

function stateOf(document: Document): DocumentState | undefined {
  return states.get(document);
}

/**
 * Spends `amount` of the document's expansion budget (nodes that merges or alias walks add); false once it
 * is spent, after one parse problem naming the limit.
 */
export function spendExpansion(document: Document, amount: number, at?: { range?: readonly number[] | null }): boolean {
  const state = stateOf(document);
  if (!state) return true;
  if (state.budget >= amount) {
    state.budget -= amount;
    return true;
  }
  state.budget = 0;
  if (!state.reported) {
    state.reported = true;
    const start = at?.range?.[0] ?? 0;
    const end = at?.range?.[1] ?? start + 1;
    state.problems.push({
      span: { file: state.source.path, start, end: Math.max(end, start + 1) },
      message: text('yaml.expansion-budget', { limit: YAML_EXPANSION_BUDGET.toLocaleString('en-US') }),
    });
  }
  return false;
}

/** What is left of the document's expansion budget, and whether running out of it was reported (model reuse replays what a build spent). */
export function expansionState(document: Document): { left: number; reported: boolean } | undefined {
  const state = stateOf(document);
  return state ? { left: state.budget, reported: state.reported } : undefined;
}

/** Whether a node or anything under it is an alias (its value then depends on nodes elsewhere). */
export function containsAlias(node: unknown): boolean {
  const stack: unknown[] = [node];
  while (stack.length) {
    const item = stack.pop();
    if (isAlias(item)) return true;
    if (isPair(item)) stack.push(item.key, item.value);
    else if (isCollection(item)) for (const child of item.items) stack.push(child);
  }
  return false;
}

/** An alias stands for its anchored node; anything else is itself. */
export function resolved(node: unknown, document: Document): Node | undefined {
  if (isAlias(node)) {
    const state = stateOf(document);
    if (state) return state.aliases.get(node);
    const target = node.resolve(document);
    return (target ?? undefined) as Node | undefined;
  }
  return (node ?? undefined) as Node | undefined;
}

/**
 * The pairs of a mapping with merge keys (`<<: *anchor`, `<<: [*a, *b]`) applied: keys written in the
 * mapping win over merged ones, and earlier merge sources win over later ones (YAML merge-key spec).
 * Computed once per mapping; what merges add counts against the document's expansion budget, and a merge
 * that would loop (a mapping merging itself through aliases) adds nothing.
 */
export function mapPairs(node: unknown, document: Document): Pair<Scalar, unknown>[] {
  const map = resolved(node, document);
  if (!isMap(map)) return [];
  const state = stateOf(document);
  const known = state?.merged.get(map);
  if (known) return known;
  const result = computePairs(map, document, new Set());
  state?.merged.set(map, result);
  return result;
}

function computePairs(map: Node, document: Document, inProgress: Set<Node>): Pair<Scalar, unknown>[] {
  if (!isMap(map)) return [];
  const state = stateOf(document);
  const own: Pair<Scalar, unknown>[] = [];
  const sources: Node[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    if (pair.key.value === '<<' && pair.key.type === 'PLAIN') {
      const value = resolved(pair.value, document);
      for (const source of isSeq(value) ? value.items : [pair.value]) {
        const target = resolved(source, document);
        if (isMap(target)) sources.push(target);
      }
      continue;
    }
    own.push(pair as Pair<Scalar, unknown>);
  }
  if (!sources.length) return own;
  inProgress.add(map);
  const keys = new Set(own.map((pair) => String(pair.key.value)));
  for (const source of sources) {
    if (inProgress.has(source)) continue;
    let pairs = state?.merged.get(source);
    if (!pairs) {
      pairs = computePairs(source, document, inProgress);
      state?.merged.set(source, pairs);
    }
    if (!spendExpansion(document, pairs.length, map)) break;
    for (const pair of pairs) {
      const key = String(pair.key.value);
      if (keys.has(key)) continue;
      keys.add(key);
      own.push(pair);
    }
  }
  inProgress.delete(map);
  return own;
}

/** The pairs of a mapping by key, for documents parsed elsewhere (no state). */
const byKeyCache = new WeakMap<Node, Map<string, Pair<Scalar, unknown>>>();

export function entry(node: unknown, key: string, document: Document): Pair<Scalar, unknown> | undefined {
  const map = resolved(node, document);
  if (!isMap(map)) return undefined;
  const cache = stateOf(document)?.byKey ?? byKeyCache;
  let byKey = cache.get(map);
  if (!byKey) {
    byKey = new Map();
    for (const pair of mapPairs(map, document)) {
      const name = String(pair.key.value);
      if (!byKey.has(name)) byKey.set(name, pair);
    }
    cache.set(map, byKey);
  }
  return byKey.get(key);
}

export function value(node: unknown, key: string, document: Document): Node | undefined {
  const pair = entry(node, key, document);
  return pair ? resolved(pair.value, document) : undefined;
}

export function seqItems(node: unknown, document: Document): Node[] {
  const seq = resolved(node, document);
  if (!isSeq(seq)) return [];
  return seq.items.map((item) => resolved(item, document)).filter((item): item is Node => item !== undefined);
}

/**
 * A scalar's text as the program reading the file sees it. Plain scalars keep their source text, so
 * `0123` stays a string of four characters and `yes` stays `yes` (Compose and Kubernetes read YAML 1.2).
 */
export function scalarText(node: unknown, source: SourceText): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null) return node.range && node.range[0] === node.range[1] ? '' : node.type === 'PLAIN' ? '' : String(node.value);
  if (node.type === 'PLAIN' && node.range) return source.text.slice(node.range[0], node.range[1]).trim();
  return String(node.value);
}

export function spanOf(node: { range?: [number, number, number] | null } | undefined | null, source: SourceText): Span | undefined {
  if (!node?.range) return undefined;
  return { file: source.path, start: node.range[0], end: node.range[1] };
}

/** The span of a scalar's content without its quotes. */
export function innerSpan(node: Scalar, source: SourceText): Span | undefined {
  const span = spanOf(node, source);
  if (!span) return undefined;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return { ...span, start: span.start + 1, end: Math.max(span.start + 1, span.end - 1) };
  return span;
}

export { isMap, isScalar, isSeq };
export type { Document, Node, Pair, Scalar };
