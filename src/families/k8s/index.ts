import { defineFamily } from '../../core/family';
import { k8sFormats } from './formats';
import { k8sChecks } from './checks';
import ksRules from '../../../rules/k8s.json';
import ksTexts from '../../../rules/k8s.texts.json';

/** The k8s family: its formats, its checks and its part of the catalogue. */
export const k8sFamily = defineFamily({
  id: 'k8s',
  formats: [...k8sFormats],
  checks: k8sChecks,
  catalogue: [{ file: 'rules/k8s.json', rules: ksRules, texts: ksTexts }],
});
