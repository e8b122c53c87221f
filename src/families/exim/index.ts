import { defineFamily } from '../../core/family';
import { eximFormats } from './formats';
import type * as Checks from './checks';
import eximRules from '../../../rules/exim.json';
import eximTexts from '../../../rules/exim.texts.json';

/** The Exim family: Debian's update-exim4.conf.conf, the split conf.d and monolithic configurations. */
export const eximFamily = defineFamily({
  id: 'exim',
  formats: [...eximFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).eximChecks,
  catalogue: [{ file: 'rules/exim.json', rules: eximRules, texts: eximTexts }],
});
