import { defineCheck, text } from '../../../core/check';
import { eximModel } from '../formats';
import type { EximConfig } from '../model';
import { walkAcl } from '../acl';
import { everyDomainItems } from '../lists';

export const rcptAclOpenRelay = defineCheck<EximConfig>({
  rule: 'exim/rcpt-acl-open-relay',
  model: eximModel,
  run(config, report) {
    const acl = config.rcptAcl;
    if (!acl) return;
    const walk = walkAcl(config, acl, undefined);
    const accept = walk.decidedBy;
    if (walk.outcome !== 'accept' || !accept) return;
    // A `hosts` list that admits everyone is reported item by item by exim/relay-hosts-public-range.
    if (accept.conditions.some((condition) => condition.name === 'hosts' && !condition.negated)) return;
    const related = [{ span: accept.verbSpan, message: text('exim.related-stranger-accepted') }];
    const everyDomain = walk.domainPassed.flatMap((passed) => everyDomainItems(config, passed.domains.value));
    let reported = false;
    for (const item of everyDomain) {
      const span = item.raw.span();
      if (!span) continue;
      reported = true;
      report(span, { detail: text('exim.every-domain-is-relay-domain') }, { related: span.file === accept.verbSpan.file ? related : [] });
    }
    if (!reported) report(accept.verbSpan, { detail: text('exim.accept-before-relay-check') }, {});
  },
});
