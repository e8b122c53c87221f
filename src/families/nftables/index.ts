import { defineFamily } from '../../core/family';
import { nftablesFormats } from './formats';
import { nftablesChecks } from './checks';
import nftablesRules from '../../../rules/nftables.json';
import nftablesTexts from '../../../rules/nftables.texts.json';

/** The nftables family: nftables.conf and the files it includes, their checks and their part of the catalogue. */
export const nftablesFamily = defineFamily({
  id: 'nftables',
  formats: [...nftablesFormats],
  checks: nftablesChecks,
  catalogue: [{ file: 'rules/nftables.json', rules: nftablesRules, texts: nftablesTexts }],
});
