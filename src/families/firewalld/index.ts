import { defineFamily } from '../../core/family';
import { firewalldFormats } from './formats';
import { firewalldChecks } from './checks';
import firewalldRules from '../../../rules/firewalld.json';
import firewalldTexts from '../../../rules/firewalld.texts.json';

/** The firewalld family: zone XML files and firewalld.conf, their checks and their part of the catalogue. */
export const firewalldFamily = defineFamily({
  id: 'firewalld',
  formats: [...firewalldFormats],
  checks: firewalldChecks,
  catalogue: [{ file: 'rules/firewalld.json', rules: firewalldRules, texts: firewalldTexts }],
});
