import { defineFamily } from '../../core/family';
import { dovecotFormats } from './formats';
import type * as Checks from './checks';
import dovecotRules from '../../../rules/dovecot.json';
import dovecotTexts from '../../../rules/dovecot.texts.json';

/** The dovecot family: dovecot.conf and conf.d, their checks and their part of the catalogue. */
export const dovecotFamily = defineFamily({
  id: 'dovecot',
  formats: [...dovecotFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).dovecotChecks,
  catalogue: [{ file: 'rules/dovecot.json', rules: dovecotRules, texts: dovecotTexts }],
});
