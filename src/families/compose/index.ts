import { defineFamily } from '../../core/family';
import { composeFormats } from './formats';
import { composeChecks } from './checks';
import composeRules from '../../../rules/compose.json';
import composeTexts from '../../../rules/compose.texts.json';

/** The compose family: its formats, its checks and its part of the catalogue. */
export const composeFamily = defineFamily({
  id: 'compose',
  formats: [...composeFormats],
  checks: composeChecks,
  catalogue: [{ file: 'rules/compose.json', rules: composeRules, texts: composeTexts }],
});
