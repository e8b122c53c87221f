// YAML read through the `yaml` package's node tree, so every value keeps its offsets.
// Shared by the YAML families (compose, Kubernetes, mongod.conf, elasticsearch.yml).
//
// Linear by construction: the document is parsed once per lint; duplicate keys are found with one set per
// mapping (the package's own check compares every key with every earlier one); aliases are resolved from one
// walk of the document (the package's `Alias.resolve` walks the whole document for each alias); a mapping's
// merged pairs (`<<`) are computed once; and whatever merges and aliases add is counted against one
// expansion budget per document, reported as a parse problem when spent (merge-key and alias bombs).
import { type Document, type Node, type Pair, type Scalar, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { text } from '../../core/check';
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
  /** What merges and alias walks may still add. */
  budget: number;
  reported: boolean;
}

const states = new WeakMap<Document, DocumentState>();

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

export function parseYaml(source: SourceText, problems: ParseProblem[]): YamlFile {
  if (deepestFlowNesting(source.text) > YAML_MAX_NESTING) {
    problems.push({
      span: { file: source.path, start: 0, end: source.lineEnd(0) },
      message: text('yaml.nesting-too-deep', { limit: YAML_MAX_NESTING }),
    });
    return { source, documents: [] };
  }
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    // uniqueKeys: false, because the package compares each key with every earlier key of its map (quadratic);
    // duplicates are found below with one set per map, with the package's own message.
    // A lone \r breaks a YAML line (b-break) but not the package's: it gets \n there, offset for offset (F).
    const yamlText = source.text.includes('\r') ? source.text.replace(/\r(?!\n)/g, '\n') : source.text;
    parsed = parseAllDocuments(yamlText, { prettyErrors: false, strict: false, uniqueKeys: false });
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
    states.set(document, indexDocument(document, source, problems));
  }
  return { source, documents };
}

/** One walk of the written tree (no alias followed), in document order: alias targets and duplicate keys. */
function indexDocument(document: Document, source: SourceText, problems: ParseProblem[]): DocumentState {
  const state: DocumentState = { source, problems, aliases: new WeakMap(), merged: new WeakMap(), budget: YAML_EXPANSION_BUDGET, reported: false };
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
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
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

/** The pairs of a mapping by key (merges applied), built once per mapping. */
const byKeyCache = new WeakMap<Node, Map<string, Pair<Scalar, unknown>>>();

export function entry(node: unknown, key: string, document: Document): Pair<Scalar, unknown> | undefined {
  const map = resolved(node, document);
  if (!isMap(map)) return undefined;
  let byKey = byKeyCache.get(map);
  if (!byKey) {
    byKey = new Map();
    for (const pair of mapPairs(map, document)) {
      const name = String(pair.key.value);
      if (!byKey.has(name)) byKey.set(name, pair);
    }
    byKeyCache.set(map, byKey);
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
