// YAML read through the `yaml` package's node tree, so every value keeps its offsets.
// Shared by the YAML families (compose, Kubernetes, mongod.conf, elasticsearch.yml).
import { type Document, type Node, type Pair, type Scalar, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';

export interface YamlFile {
  source: SourceText;
  documents: Document.Parsed[];
}

export function parseYaml(source: SourceText, problems: ParseProblem[]): YamlFile {
  const parsed = parseAllDocuments(source.text, { prettyErrors: false, strict: false });
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const document of documents)
    for (const error of document.errors) {
      const [start, end] = error.pos;
      problems.push({
        span: { file: source.path, start, end: Math.max(end, start + 1) },
        message: text('yaml.syntax-error', { detail: error.message.split('\n')[0] ?? '' }),
      });
    }
  return { source, documents };
}

/** An alias stands for its anchored node; anything else is itself. */
export function resolved(node: unknown, document: Document): Node | undefined {
  if (isAlias(node)) {
    const target = node.resolve(document);
    return (target ?? undefined) as Node | undefined;
  }
  return (node ?? undefined) as Node | undefined;
}

/**
 * The pairs of a mapping with merge keys (`<<: *anchor`, `<<: [*a, *b]`) applied: keys written in the
 * mapping win over merged ones, and earlier merge sources win over later ones (YAML merge-key spec).
 */
export function mapPairs(node: unknown, document: Document, depth = 0): Pair<Scalar, unknown>[] {
  const map = resolved(node, document);
  if (!isMap(map) || depth > 10) return [];
  const own: Pair<Scalar, unknown>[] = [];
  const merged: Pair<Scalar, unknown>[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    if (pair.key.value === '<<' && pair.key.type === 'PLAIN') {
      const value = resolved(pair.value, document);
      const sources = isSeq(value) ? value.items : [pair.value];
      for (const source of sources) merged.push(...mapPairs(source, document, depth + 1));
      continue;
    }
    own.push(pair as Pair<Scalar, unknown>);
  }
  const keys = new Set(own.map((pair) => String(pair.key.value)));
  for (const pair of merged) {
    const key = String(pair.key.value);
    if (keys.has(key)) continue;
    keys.add(key);
    own.push(pair);
  }
  return own;
}

export function entry(node: unknown, key: string, document: Document): Pair<Scalar, unknown> | undefined {
  return mapPairs(node, document).find((pair) => String(pair.key.value) === key);
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
