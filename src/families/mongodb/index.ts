import { defineFamily } from '../../core/family';
import { mongodbFormats } from './formats';
import type * as Checks from './checks';
import mongodbRules from '../../../rules/mongodb.json';
import mongodbTexts from '../../../rules/mongodb.texts.json';

/** The mongodb family: its formats, its checks and its part of the catalogue. */
export const mongodbFamily = defineFamily({
  id: 'mongodb',
  formats: [...mongodbFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).mongodbChecks,
  catalogue: [{ file: 'rules/mongodb.json', rules: mongodbRules, texts: mongodbTexts }],
});
