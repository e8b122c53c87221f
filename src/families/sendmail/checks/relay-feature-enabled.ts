import { type TextRef, defineCheck, text } from '../../../core/check';
import type { Severity } from '../../../core/types';
import { sendmailModel } from '../formats';
import type { SendmailConfig } from '../model';

/**
 * FEATUREs that let clients relay on something other than their address or a login (cf/README "Anti-Spam
 * Configuration Control"): everyone; anyone who writes a local sender (forged at will); senders in the access
 * map; `%`-hack routing; any domain whose MX points here; any host of the local domain by its DNS name.
 */
const FEATURES: ReadonlyArray<[name: string, severity: Severity, effect: TextRef]> = [
  ['promiscuous_relay', 'error', text('sendmail.feature-promiscuous_relay')],
  ['relay_local_from', 'error', text('sendmail.feature-relay_local_from')],
  ['relay_mail_from', 'warning', text('sendmail.feature-relay_mail_from')],
  ['loose_relay_check', 'warning', text('sendmail.feature-loose_relay_check')],
  ['relay_based_on_MX', 'warning', text('sendmail.feature-relay_based_on_MX')],
  ['relay_entire_domain', 'info', text('sendmail.feature-relay_entire_domain')],
];

export const relayFeatureEnabled = defineCheck<SendmailConfig>({
  rule: 'sendmail/relay-feature-enabled',
  model: sendmailModel,
  run(config, report) {
    for (const [name, severity, effect] of FEATURES)
      for (const call of config.features(name))
        report(
          call.span,
          { feature: name, effect },
          {
            severity,
            suggestions: [
              { title: 'comment-out', data: { feature: name }, edits: [{ span: { ...call.nameSpan, end: call.nameSpan.start }, newText: 'dnl ' }] },
            ],
          },
        );
  },
});
