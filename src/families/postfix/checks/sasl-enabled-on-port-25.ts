import { postfixModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { addOverrideEdit, relatedFor } from './locate';
import { reachableBeyondLoopback } from '../exposure';

export const saslEnabledOnPort25 = defineCheck<PostfixConfig>({
  rule: 'postfix/sasl-enabled-on-port-25',
  model: postfixModel,
  run(config, report) {
    const service = config.master ? config.port25Service : undefined;
    if (config.master && !service) return;
    if (!config.isYes('smtpd_sasl_auth_enable', service) || !reachableBeyondLoopback(config, service)) return;
    const value = config.parameter('smtpd_sasl_auth_enable', service);
    const span = config.originSpan(value);
    if (!span) return;
    const suggestions = [];
    if (value.origin.kind === 'override') {
      const valueSpan = value.origin.override.value.span();
      if (valueSpan) suggestions.push({ title: 'disable', edits: [{ span: valueSpan, newText: 'no' }] });
    } else if (service) suggestions.push({ title: 'disable', edits: [addOverrideEdit(service, ['smtpd_sasl_auth_enable', 'no'])] });
    const label = service ? `${service.name}/${service.type}` : text('postfix.port-25-assumed');
    // With no master.cf in sight the port-25 service may well turn AUTH off (-o smtpd_sasl_auth_enable=no):
    // information that says so; a warning only when master.cf confirms AUTH there.
    report(span, { service: label }, { ...(service ? {} : { severity: 'info' as const }), suggestions, related: relatedFor(span, value, service) });
  },
});
