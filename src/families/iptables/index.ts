import { defineFamily } from '../../core/family';
import { iptablesFormats } from './formats';
import type * as Checks from './checks';
import iptablesRules from '../../../rules/iptables.json';
import iptablesTexts from '../../../rules/iptables.texts.json';

/**
 * The iptables family: iptables-save / iptables-restore files read into the shared packet-path model
 * (src/families/shared/firewall), whose `firewall.*` texts live in this family's texts file.
 */
export const iptablesFamily = defineFamily({
  id: 'iptables',
  formats: [...iptablesFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).iptablesChecks,
  catalogue: [{ file: 'rules/iptables.json', rules: iptablesRules, texts: iptablesTexts }],
});
