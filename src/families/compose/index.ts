import { defineFamily } from '../../core/family';
import { composeFormats } from './formats';
import type * as Checks from './checks';
import composeRules from '../../../rules/compose.json';
import composeTexts from '../../../rules/compose.texts.json';

/** The compose family: its formats, its checks and its part of the catalogue. */
export const composeFamily = defineFamily({
  id: 'compose',
  formats: [...composeFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).composeChecks,
  catalogue: [{ file: 'rules/compose.json', rules: composeRules, texts: composeTexts }],
});
