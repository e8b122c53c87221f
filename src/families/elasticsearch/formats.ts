import { modelKey, text } from '../../core/check';
// elasticsearch.yml / opensearch.yml: YAML in which `network.host: x` and `network: {host: x}` are the
// same setting. Values may be lists; `${VAR}` is substituted from the environment at start-up.
import type { Span } from '../../core/types';
import type { FormatHandler, ParseProblem } from '../../core/format';
import { judgeYaml } from '../../core/sniff';
import type { SourceText } from '../../core/source';
import { isMap, isScalar, isSeq, mapPairs, parseYaml, resolved, scalarText, spanOf } from '../shared/yaml-tree';

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
  const settings = new Map<string, EsSetting>();
  const yaml = parseYaml(source, problems);
  const document = yaml.documents[0];
  const visit = (node: unknown, prefix: string) => {
    for (const pair of document ? mapPairs(node, document) : []) {
      const key = prefix + String(pair.key.value);
      const value = resolved(pair.value, document!);
      const keySpan = spanOf(pair.key, source)!;
      if (isMap(value)) visit(value, `${key}.`);
      else {
        const items = isSeq(value) ? value.items.map((item) => resolved(item, document!)) : [value];
        const values = items.flatMap((item) => {
          const text = isScalar(item) ? scalarText(item, source) : undefined;
          const span = spanOf(item as { range?: [number, number, number] }, source);
          return text !== undefined && span ? [{ text, span }] : [];
        });
        settings.set(key, { key, keySpan, values });
      }
    }
  };
  if (document) visit(document.contents, '');
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
