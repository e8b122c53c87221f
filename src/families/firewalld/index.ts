import { defineFamily } from '../../core/family';
import { firewalldFormats } from './formats';
import type * as Checks from './checks';
import firewalldRules from '../../../rules/firewalld.json';
import firewalldTexts from '../../../rules/firewalld.texts.json';

/** The firewalld family: zone XML files and firewalld.conf, their checks and their part of the catalogue. */
export const firewalldFamily = defineFamily({
  id: 'firewalld',
  formats: [...firewalldFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).firewalldChecks,
  catalogue: [{ file: 'rules/firewalld.json', rules: firewalldRules, texts: firewalldTexts }],
});
