import { defineCheck } from '../../../core/check';
import { sendmailModel } from '../formats';
import { type SendmailConfig, loopbackOnly } from '../model';

/** Mechanisms that send the password itself. */
const CLEAR = /\b(PLAIN|LOGIN)\b/i;

/** Whether Sendmail offers PLAIN or LOGIN to a client that has not started TLS. */
export function offersClearTextBeforeTls(config: SendmailConfig): boolean {
  const mechanisms = config.define('confAUTH_MECHANISMS')?.args[1]?.value ?? '';
  if (!CLEAR.test(mechanisms)) return false;
  return !/(^|[\s,])p([\s,]|$)/.test(config.define('confAUTH_OPTIONS')?.args[1]?.value ?? '');
}

/**
 * cf/README confAUTH_OPTIONS: with `p`, Sendmail does not offer mechanisms open to passive eavesdropping
 * (PLAIN, LOGIN) until TLS is active. AuthMechanisms defaults to EXTERNAL GSSAPI KERBEROS_V4 DIGEST-MD5
 * CRAM-MD5: PLAIN and LOGIN are offered only when confAUTH_MECHANISMS lists them.
 */
export const authPlaintextWithoutTls = defineCheck<SendmailConfig>({
  rule: 'sendmail/auth-plaintext-without-tls',
  model: sendmailModel,
  run(config, report) {
    if (!offersClearTextBeforeTls(config) || loopbackOnly(config)) return;
    const mechanisms = config.define('confAUTH_MECHANISMS')!;
    const value = mechanisms.args[1]!;
    const options = config.define('confAUTH_OPTIONS');
    const flags = options?.args[1]?.value ?? '';
    const mechanism = CLEAR.exec(value.value)![1]!.toUpperCase();
    const edit = options?.args[1]
      ? options.args[1].valueSpan
        ? { span: options.args[1].valueSpan, newText: flags.trim() ? `${flags.trim()} p` : 'p' }
        : undefined
      : { span: { ...mechanisms.span, start: mechanisms.span.end, end: mechanisms.span.end }, newText: "dnl\ndefine(`confAUTH_OPTIONS', `A p')" };
    report(mechanisms.span, { mechanism }, { suggestions: edit ? [{ title: 'add-p', edits: [edit] }] : [] });
  },
});
