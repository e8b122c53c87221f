import { defineFamily } from '../../core/family';
import { squidFormats } from './formats';
import { squidChecks } from './checks';
import squidRules from '../../../rules/squid.json';
import squidTexts from '../../../rules/squid.texts.json';

/** The squid family: squid.conf and conf.d, their checks and their part of the catalogue. */
export const squidFamily = defineFamily({
  id: 'squid',
  formats: [...squidFormats],
  checks: squidChecks,
  catalogue: [{ file: 'rules/squid.json', rules: squidRules, texts: squidTexts }],
});
