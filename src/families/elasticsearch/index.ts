import { defineFamily } from '../../core/family';
import { elasticsearchFormats } from './formats';
import { elasticsearchChecks } from './checks';
import elasticsearchRules from '../../../rules/elasticsearch.json';
import elasticsearchTexts from '../../../rules/elasticsearch.texts.json';

/** The elasticsearch family: its formats, its checks and its part of the catalogue. */
export const elasticsearchFamily = defineFamily({
  id: 'elasticsearch',
  formats: [...elasticsearchFormats],
  checks: elasticsearchChecks,
  catalogue: [{ file: 'rules/elasticsearch.json', rules: elasticsearchRules, texts: elasticsearchTexts }],
});
