import { defineFamily } from '../../core/family';
import { k8sFormats } from './formats';
import type * as Checks from './checks';
import ksRules from '../../../rules/k8s.json';
import ksTexts from '../../../rules/k8s.texts.json';

/** The k8s family: its formats, its checks and its part of the catalogue. */
export const k8sFamily = defineFamily({
  id: 'k8s',
  formats: [...k8sFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).k8sChecks,
  catalogue: [{ file: 'rules/k8s.json', rules: ksRules, texts: ksTexts }],
});
