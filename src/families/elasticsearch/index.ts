import { defineFamily } from '../../core/family';
import { elasticsearchFormats } from './formats';
import type * as Checks from './checks';
import elasticsearchRules from '../../../rules/elasticsearch.json';
import elasticsearchTexts from '../../../rules/elasticsearch.texts.json';

/** The elasticsearch family: its formats, its checks and its part of the catalogue. */
export const elasticsearchFamily = defineFamily({
  id: 'elasticsearch',
  formats: [...elasticsearchFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).elasticsearchChecks,
  catalogue: [{ file: 'rules/elasticsearch.json', rules: elasticsearchRules, texts: elasticsearchTexts }],
});
