import { defineFamily } from '../../core/family';
import { ufwFormats } from './formats';
import { ufwChecks } from './checks';
import ufwRules from '../../../rules/ufw.json';
import ufwTexts from '../../../rules/ufw.texts.json';

/** The ufw family: ufw's rule files and /etc/default/ufw, loaded as ufw-init loads them (parser: the iptables family's). */
export const ufwFamily = defineFamily({
  id: 'ufw',
  formats: [...ufwFormats],
  checks: ufwChecks,
  catalogue: [{ file: 'rules/ufw.json', rules: ufwRules, texts: ufwTexts }],
});
