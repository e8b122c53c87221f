import { defineFamily } from '../../core/family';
import { squidFormats } from './formats';
import type * as Checks from './checks';
import squidRules from '../../../rules/squid.json';
import squidTexts from '../../../rules/squid.texts.json';

/** The squid family: squid.conf and conf.d, their checks and their part of the catalogue. */
export const squidFamily = defineFamily({
  id: 'squid',
  formats: [...squidFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).squidChecks,
  catalogue: [{ file: 'rules/squid.json', rules: squidRules, texts: squidTexts }],
});
