import { postfixModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { PostfixConfig } from '../config';
import type { MasterService } from '../master-cf';
import { addOverrideEdit, relatedFor, serviceLabel, setMainParameterEdit } from './locate';

/** postconf(5): AUTH is only offered over TLS with one of these. */
export function tlsRequiredForAuth(config: PostfixConfig, service: MasterService | undefined): boolean {
  return (
    config.isYes('smtpd_tls_auth_only', service) ||
    config.isYes('smtpd_enforce_tls', service) ||
    config.isYes('smtpd_tls_wrappermode', service) ||
    config.parameter('smtpd_tls_security_level', service).expanded.text.trim() === 'encrypt'
  );
}

export const saslAuthWithoutTls = defineCheck<PostfixConfig>({
  rule: 'postfix/sasl-auth-without-tls',
  model: postfixModel,
  run(config, report) {
    for (const service of config.evaluatedServices) {
      if (!config.isYes('smtpd_sasl_auth_enable', service) || tlsRequiredForAuth(config, service)) continue;
      const value = config.parameter('smtpd_sasl_auth_enable', service);
      const span = config.originSpan(value);
      if (!span) continue;
      const edit =
        value.origin.kind === 'override'
          ? addOverrideEdit(value.origin.service, ['smtpd_tls_auth_only', 'yes'])
          : setMainParameterEdit(config, 'smtpd_tls_auth_only', 'yes', span);
      report(
        span,
        { service: serviceLabel(service) },
        { suggestions: edit ? [{ title: 'auth-only', edits: [edit] }] : [], related: relatedFor(span, value, service) },
      );
    }
  },
});
