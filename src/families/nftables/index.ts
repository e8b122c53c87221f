import { defineFamily } from '../../core/family';
import { nftablesFormats } from './formats';
import type * as Checks from './checks';
import nftablesRules from '../../../rules/nftables.json';
import nftablesTexts from '../../../rules/nftables.texts.json';

/** The nftables family: nftables.conf and the files it includes, their checks and their part of the catalogue. */
export const nftablesFamily = defineFamily({
  id: 'nftables',
  formats: [...nftablesFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).nftablesChecks,
  catalogue: [{ file: 'rules/nftables.json', rules: nftablesRules, texts: nftablesTexts }],
});
