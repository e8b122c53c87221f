import { defineFamily } from '../../core/family';
import { sendmailFormats } from './formats';
import { sendmailChecks } from './checks';
import sendmailRules from '../../../rules/sendmail.json';
import sendmailTexts from '../../../rules/sendmail.texts.json';

/** The Sendmail family: sendmail.mc (and submit.mc), the access map's source and relay-domains. */
export const sendmailFamily = defineFamily({
  id: 'sendmail',
  formats: [...sendmailFormats],
  checks: sendmailChecks,
  catalogue: [{ file: 'rules/sendmail.json', rules: sendmailRules, texts: sendmailTexts }],
});
