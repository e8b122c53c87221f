import { defineFamily } from '../../core/family';
import { haproxyFormats } from './formats';
import type * as Checks from './checks';
import haproxyRules from '../../../rules/haproxy.json';
import haproxyTexts from '../../../rules/haproxy.texts.json';

/** The haproxy family: its formats, its checks and its part of the catalogue. */
export const haproxyFamily = defineFamily({
  id: 'haproxy',
  formats: [...haproxyFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).haproxyChecks,
  catalogue: [{ file: 'rules/haproxy.json', rules: haproxyRules, texts: haproxyTexts }],
});
