import { modelKey, text } from '../../core/check';
// elasticsearch.yml / opensearch.yml: YAML in which `network.host: x` and `network: {host: x}` are the
// same setting. Values may be lists; `${VAR}` is substituted from the environment at start-up.
import type { Span } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { judgeYaml } from '../../core/sniff';
import type { SourceText } from '../../core/source';
import type * as YamlTree from '../shared/yaml-tree';
import type { Node, Pair, Scalar } from '../shared/yaml-tree';

export interface EsValue {
  text: string;
  span: Span;
}

export interface EsSetting {
  key: string;
  keySpan: Span;
  values: EsValue[];
}

export interface EsConfig {
  source: SourceText;
  flavour: 'elasticsearch' | 'opensearch';
  settings: Map<string, EsSetting>;
}

export function parseEsYaml(source: SourceText, problems: ParseProblem[]): EsConfig {
  // The YAML reader is loaded with the first file it reads, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isMap, isScalar, isSeq, mapPairs, parseYaml, resolved, scalarText, spanOf, spendExpansion } = require('../shared/yaml-tree') as typeof YamlTree;
  const settings = new Map<string, EsSetting>();
  const yaml = parseYaml(source, problems);
  const document = yaml.documents[0];
  // Depth first and iterative, in document order (a later setting replaces an earlier one of the same name); a
  // mapping reached again through an alias inside itself is not re-entered, and every mapping reached through
  // an alias counts against the document's expansion budget.
  type Frame = { map: Node; pairs: Pair<Scalar, unknown>[]; index: number; prefix: string };
  const open = new Set<Node>();
  const stack: Frame[] = [];
  const enter = (node: Node | undefined, prefix: string) => {
    if (!document || !isMap(node) || open.has(node)) return;
    open.add(node);
    stack.push({ map: node, pairs: mapPairs(node, document), index: 0, prefix });
  };
  if (document) enter(resolved(document.contents, document), '');
  while (document && stack.length) {
    const frame = stack[stack.length - 1]!;
    const pair = frame.pairs[frame.index++];
    if (!pair) {
      open.delete(frame.map);
      stack.pop();
      continue;
    }
    const key = frame.prefix + String(pair.key.value);
    const value = resolved(pair.value, document);
    if (isMap(value)) {
      if (pair.value === value || spendExpansion(document, value.items.length, pair.value as Node)) enter(value, `${key}.`);
      continue;
    }
    const items = isSeq(value) ? value.items.map((item) => resolved(item, document)) : [value];
    const values = items.flatMap((item) => {
      const text = isScalar(item) ? scalarText(item, source) : undefined;
      const span = spanOf(item as { range?: [number, number, number] }, source);
      return text !== undefined && span ? [{ text, span }] : [];
    });
    settings.set(key, { key, keySpan: spanOf(pair.key, source)!, values });
  }
  const flavour = /opensearch/i.test(source.path) || [...settings.keys()].some((key) => key.startsWith('plugins.security.')) ? 'opensearch' : 'elasticsearch';
  return { source, flavour, settings };
}

/** The elasticsearch model: what this family's loader produces and its checks read. */
export const elasticsearchModel = modelKey<EsConfig>('elasticsearch');

export const elasticsearchYml: FormatHandler<EsConfig> = {
  id: 'elasticsearch-yml',
  model: elasticsearchModel,
  label: text('elasticsearch.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => /(^|[-_.])(elasticsearch|opensearch)\.ya?ml$/i.test(baseName),
  judgeContent: judgeYaml,
  async load(source) {
    const problems: ParseProblem[] = [];
    return { model: parseEsYaml(source, problems), problems, sources: [source] };
  },
};

export const elasticsearchFormats: FormatHandler<unknown>[] = [elasticsearchYml];
