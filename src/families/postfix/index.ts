import { defineFamily } from '../../core/family';
import { postfixFormats } from './formats';
import type * as Checks from './checks';
import postfixRules from '../../../rules/postfix.json';
import postfixTexts from '../../../rules/postfix.texts.json';

/** The postfix family: its formats, its checks and its part of the catalogue. */
export const postfixFamily = defineFamily({
  id: 'postfix',
  formats: [...postfixFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).postfixChecks,
  catalogue: [{ file: 'rules/postfix.json', rules: postfixRules, texts: postfixTexts }],
});
