import { defineFamily } from '../../core/family';
import { sshdFormats } from './formats';
import type * as Checks from './checks';
import sshdRules from '../../../rules/sshd.json';
import sshdTexts from '../../../rules/sshd.texts.json';

/** The sshd family: sshd_config and its drop-ins, the model of what each client gets, its checks and catalogue. */
export const sshdFamily = defineFamily({
  id: 'sshd',
  formats: [...sshdFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).sshdChecks,
  catalogue: [{ file: 'rules/sshd.json', rules: sshdRules, texts: sshdTexts }],
});
