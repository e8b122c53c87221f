import { defineFamily } from '../../core/family';
import { sendmailFormats } from './formats';
import type * as Checks from './checks';
import sendmailRules from '../../../rules/sendmail.json';
import sendmailTexts from '../../../rules/sendmail.texts.json';

/** The Sendmail family: sendmail.mc (and submit.mc), the access map's source and relay-domains. */
export const sendmailFamily = defineFamily({
  id: 'sendmail',
  formats: [...sendmailFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).sendmailChecks,
  catalogue: [{ file: 'rules/sendmail.json', rules: sendmailRules, texts: sendmailTexts }],
});
