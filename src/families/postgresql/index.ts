import { defineFamily } from '../../core/family';
import { postgresqlFormats } from './formats';
import type * as Checks from './checks';
import pgRules from '../../../rules/pg.json';
import pgTexts from '../../../rules/pg.texts.json';

/** The postgresql family: its formats, its checks and its part of the catalogue. */
export const postgresqlFamily = defineFamily({
  id: 'postgresql',
  formats: [...postgresqlFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).pgChecks,
  catalogue: [{ file: 'rules/pg.json', rules: pgRules, texts: pgTexts }],
});
