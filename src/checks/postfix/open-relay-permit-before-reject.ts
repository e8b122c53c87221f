import { defineCheck } from '../../core/check';
import type { PostfixConfig } from '../../formats/postfix/config';
import { analyseRelay, relayLists } from '../../formats/postfix/restrictions';
import { relatedFor, serviceLabel } from './locate';

export const openRelayPermitBeforeReject = defineCheck<PostfixConfig>({
  rule: 'postfix/open-relay-permit-before-reject',
  model: 'postfix',
  run(config, report) {
    for (const service of config.evaluatedServices) {
      const analysis = analyseRelay(config, service);
      if (analysis.state !== 'open') continue;
      // The list that holds the relay gate is where the early `permit` defeats it.
      const lists = relayLists(analysis);
      const deciding = lists.find((list) => list.verdict.outcome === 'permit' && list.items.some((item) => /unauth_destination|^reject$|^defer/.test(item.name)));
      if (!deciding || deciding.verdict.outcome !== 'permit') continue;
      const permit = deciding.verdict.permit;
      const value = config.parameter(deciding.name, service);
      const span = permit.token.span() ?? permit.viaClass?.span() ?? config.originSpan(value);
      if (!span) continue;
      const separator = /,/.test(value.expanded.text) ? ', ' : ' ';
      report(
        span,
        { list: deciding.name, service: serviceLabel(service) },
        {
          suggestions: permit.token.span() && !permit.viaClass ? [{ title: 'insert', edits: [{ span: { ...span, end: span.start }, newText: `reject_unauth_destination${separator}` }] }] : [],
          related: relatedFor(span, value, service),
        },
      );
    }
  },
});
