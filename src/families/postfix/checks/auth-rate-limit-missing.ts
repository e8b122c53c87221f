// postfix/auth-rate-limit-missing: a network smtpd that offers AUTH with smtpd_client_auth_rate_limit = 0
// (the default: no limit). anvil(8) then lets one client send AUTH attempts as fast as smtpd answers.
// Information, not a warning: the limit is per client address, so it slows a single guessing host but not a
// password-list attack spread over many addresses (case 16), and a Dovecot SASL backend already delays
// failures per address; what it adds is defence in depth, while the default 0 is on every Postfix.
import type { Span } from '../../../core/types';
import { postfixModel } from '../formats';
import { type FixSpec, defineCheck, text } from '../../../core/check';
import type { PostfixConfig } from '../config';
import type { MasterService } from '../master-cf';
import { reachableBeyondLoopback } from '../exposure';
import { addOverrideEdit, relatedFor, setMainParameterEdit } from './locate';

/** A suggested limit: AUTH requests per client per anvil_rate_time_unit (60 s); clients in mynetworks are exempt. */
const SUGGESTED_LIMIT = '30';

export const authRateLimitMissing = defineCheck<PostfixConfig>({
  rule: 'postfix/auth-rate-limit-missing',
  model: postfixModel,
  run(config, report) {
    // One finding per place that decides, naming every service it applies to.
    const byPlace = new Map<string, { span: Span; services: Array<MasterService | undefined>; fix?: FixSpec; limit: string }>();
    for (const service of config.evaluatedServices) {
      if (!config.isYes('smtpd_sasl_auth_enable', service) || !reachableBeyondLoopback(config, service)) continue;
      const limit = config.parameter('smtpd_client_auth_rate_limit', service);
      if (!/^0*$/.test(limit.expanded.text.trim())) continue;
      const enabled = config.parameter('smtpd_sasl_auth_enable', service);
      // A written 0 is where the limit was switched off; otherwise where AUTH was switched on.
      const decisive = config.originSpan(limit) ? limit : enabled;
      const span = config.originSpan(decisive);
      if (!span) continue;
      const key = `${span.file}:${span.start}`;
      const place = byPlace.get(key) ?? { span, services: [], limit: limit.expanded.text.trim() || '0' };
      place.services.push(service);
      if (!place.fix) {
        const edit =
          decisive.origin.kind === 'override'
            ? addOverrideEdit(decisive.origin.service, ['smtpd_client_auth_rate_limit', SUGGESTED_LIMIT])
            : setMainParameterEdit(config, 'smtpd_client_auth_rate_limit', SUGGESTED_LIMIT, span);
        if (edit) place.fix = { title: 'limit', data: { limit: SUGGESTED_LIMIT }, edits: [edit] };
      }
      byPlace.set(key, place);
    }
    for (const { span, services, fix, limit } of byPlace.values()) {
      const named = services.filter((service): service is MasterService => service !== undefined).map((service) => `${service.name}/${service.type}`);
      const value = config.parameter('smtpd_sasl_auth_enable', services[0]);
      report(
        span,
        { services: named.length ? text('postfix.in-services', { names: named.join(', ') }) : '', limit },
        { suggestions: fix ? [fix] : [], related: services[0] ? relatedFor(span, value, services[0]) : [] },
      );
    }
  },
});
