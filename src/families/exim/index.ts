import { defineFamily } from '../../core/family';
import { eximFormats } from './formats';
import { eximChecks } from './checks';
import eximRules from '../../../rules/exim.json';
import eximTexts from '../../../rules/exim.texts.json';

/** The Exim family: Debian's update-exim4.conf.conf, the split conf.d and monolithic configurations. */
export const eximFamily = defineFamily({
  id: 'exim',
  formats: [...eximFormats],
  checks: eximChecks,
  catalogue: [{ file: 'rules/exim.json', rules: eximRules, texts: eximTexts }],
});
