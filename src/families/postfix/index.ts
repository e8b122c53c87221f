import { defineFamily } from '../../core/family';
import { postfixFormats } from './formats';
import { postfixChecks } from './checks';
import postfixRules from '../../../rules/postfix.json';
import postfixTexts from '../../../rules/postfix.texts.json';

/** The postfix family: its formats, its checks and its part of the catalogue. */
export const postfixFamily = defineFamily({
  id: 'postfix',
  formats: [...postfixFormats],
  checks: postfixChecks,
  catalogue: [{ file: 'rules/postfix.json', rules: postfixRules, texts: postfixTexts }],
});
