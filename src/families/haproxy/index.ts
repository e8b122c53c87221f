import { defineFamily } from '../../core/family';
import { haproxyFormats } from './formats';
import { haproxyChecks } from './checks';
import haproxyRules from '../../../rules/haproxy.json';
import haproxyTexts from '../../../rules/haproxy.texts.json';

/** The haproxy family: its formats, its checks and its part of the catalogue. */
export const haproxyFamily = defineFamily({
  id: 'haproxy',
  formats: [...haproxyFormats],
  checks: haproxyChecks,
  catalogue: [{ file: 'rules/haproxy.json', rules: haproxyRules, texts: haproxyTexts }],
});
