import { defineFamily } from '../../core/family';
import { ufwFormats } from './formats';
import type * as Checks from './checks';
import ufwRules from '../../../rules/ufw.json';
import ufwTexts from '../../../rules/ufw.texts.json';

/** The ufw family: ufw's rule files and /etc/default/ufw, loaded as ufw-init loads them (parser: the iptables family's). */
export const ufwFamily = defineFamily({
  id: 'ufw',
  formats: [...ufwFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).ufwChecks,
  catalogue: [{ file: 'rules/ufw.json', rules: ufwRules, texts: ufwTexts }],
});
