import { defineFamily } from '../../core/family';
import { dovecotFormats } from './formats';
import { dovecotChecks } from './checks';
import dovecotRules from '../../../rules/dovecot.json';
import dovecotTexts from '../../../rules/dovecot.texts.json';

/** The dovecot family: dovecot.conf and conf.d, their checks and their part of the catalogue. */
export const dovecotFamily = defineFamily({
  id: 'dovecot',
  formats: [...dovecotFormats],
  checks: dovecotChecks,
  catalogue: [{ file: 'rules/dovecot.json', rules: dovecotRules, texts: dovecotTexts }],
});
