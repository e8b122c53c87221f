import { postfixModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { analyseRelay, permitBeforeIgnoredGate, relayLists, type RestrictionItem } from '../restrictions';
import { relatedFor, serviceLabel } from './locate';

const GATE = /unauth_destination|^reject$|^defer/;

export const openRelayPermitBeforeReject = defineCheck<PostfixConfig>({
  rule: 'postfix/open-relay-permit-before-reject',
  model: postfixModel,
  run(config, report) {
    for (const service of config.evaluatedServices) {
      const analysis = analyseRelay(config, service);
      const lists = relayLists(analysis);
      let found: { list: (typeof lists)[number]; permit: RestrictionItem; open: boolean } | undefined;
      if (analysis.state === 'open') {
        // The list that holds the relay gate is where the early `permit` (often through a restriction class) defeats it.
        const list = lists.find((candidate) => candidate.verdict.outcome === 'permit' && candidate.items.some((item) => GATE.test(item.name)));
        if (list?.verdict.outcome === 'permit') found = { list, permit: list.verdict.permit, open: true };
      } else if (analysis.state === 'refused') {
        // A permit written before the gate: smtpd's start-up check ignores the gate (smtpd_check.c has_required).
        const ignored = permitBeforeIgnoredGate(analysis);
        if (ignored) found = { ...ignored, open: false };
      }
      if (!found) continue;
      const { list, permit, open } = found;
      const value = config.parameter(list.name, service);
      const span = permit.token.span() ?? permit.viaClass?.span() ?? config.originSpan(value);
      if (!span) continue;
      const separator = /,/.test(value.expanded.text) ? ', ' : ' ';
      report(
        span,
        {
          list: list.name,
          service: serviceLabel(service),
          consequence: open ? text('postfix.open-relay') : text('postfix.relay-check-ignored'),
          detail: open ? text('postfix.open-relay-detail') : text('postfix.relay-check-ignored-detail'),
        },
        {
          suggestions:
            permit.token.span() && !permit.viaClass
              ? [{ title: 'insert', edits: [{ span: { ...span, end: span.start }, newText: `reject_unauth_destination${separator}` }] }]
              : [],
          related: relatedFor(span, value, service),
        },
      );
    }
  },
});
