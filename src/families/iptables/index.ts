import { defineFamily } from '../../core/family';
import { iptablesFormats } from './formats';
import { iptablesChecks } from './checks';
import iptablesRules from '../../../rules/iptables.json';
import iptablesTexts from '../../../rules/iptables.texts.json';

/**
 * The iptables family: iptables-save / iptables-restore files read into the shared packet-path model
 * (src/families/shared/firewall), whose `firewall.*` texts live in this family's texts file.
 */
export const iptablesFamily = defineFamily({
  id: 'iptables',
  formats: [...iptablesFormats],
  checks: iptablesChecks,
  catalogue: [{ file: 'rules/iptables.json', rules: iptablesRules, texts: iptablesTexts }],
});
