import { postfixModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { strangerToLocalRefused } from '../restrictions';
import { addOverrideEdit } from './locate';

const SUBMISSION_PORTS = new Set([587, 465]);

export const submissionNotAuthOnly = defineCheck<PostfixConfig>({
  rule: 'postfix/submission-not-auth-only',
  model: postfixModel,
  run(config, report) {
    for (const service of config.smtpdServices) {
      if (service.port === undefined || !SUBMISSION_PORTS.has(service.port)) continue;
      const wrapper = config.isYes('smtpd_tls_wrappermode', service);
      const missing: Array<[string, string]> = [];
      const tls =
        wrapper || config.isYes('smtpd_enforce_tls', service) || config.parameter('smtpd_tls_security_level', service).expanded.text.trim() === 'encrypt';
      if (!tls) missing.push(service.port === 465 ? ['smtpd_tls_wrappermode', 'yes'] : ['smtpd_tls_security_level', 'encrypt']);
      if (!config.isYes('smtpd_sasl_auth_enable', service)) missing.push(['smtpd_sasl_auth_enable', 'yes']);
      if (!strangerToLocalRefused(config, service)) missing.push(['smtpd_client_restrictions', 'permit_sasl_authenticated,reject']);
      if (missing.length === 0) continue;
      report(
        service.nameSpan,
        { service: `${service.name}/${service.type}`, missing: missing.map(([name, value]) => `${name}=${value}`).join(', ') },
        { suggestions: [{ title: 'require', edits: [addOverrideEdit(service, ...missing)] }] },
      );
    }
  },
});
