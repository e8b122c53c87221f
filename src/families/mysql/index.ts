import { defineFamily } from '../../core/family';
import { mysqlFormats } from './formats';
import type * as Checks from './checks';
import mysqlRules from '../../../rules/mysql.json';
import mysqlTexts from '../../../rules/mysql.texts.json';

/** The mysql family: its formats, its checks and its part of the catalogue. */
export const mysqlFamily = defineFamily({
  id: 'mysql',
  formats: [...mysqlFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).mysqlChecks,
  catalogue: [{ file: 'rules/mysql.json', rules: mysqlRules, texts: mysqlTexts }],
});
