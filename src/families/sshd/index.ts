import { defineFamily } from '../../core/family';
import { sshdFormats } from './formats';
import { sshdChecks } from './checks';
import sshdRules from '../../../rules/sshd.json';
import sshdTexts from '../../../rules/sshd.texts.json';

/** The sshd family: sshd_config and its drop-ins, the model of what each client gets, its checks and catalogue. */
export const sshdFamily = defineFamily({
  id: 'sshd',
  formats: [...sshdFormats],
  checks: sshdChecks,
  catalogue: [{ file: 'rules/sshd.json', rules: sshdRules, texts: sshdTexts }],
});
