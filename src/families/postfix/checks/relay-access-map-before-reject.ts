import { postfixModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { analyseRelay, relayLists } from '../restrictions';
import { relatedFor, serviceLabel } from './locate';

export const relayAccessMapBeforeReject = defineCheck<PostfixConfig>({
  rule: 'postfix/relay-access-map-before-reject',
  model: postfixModel,
  run(config, report) {
    for (const service of config.evaluatedServices) {
      const analysis = analyseRelay(config, service);
      if (analysis.state !== 'closed') continue;
      const lists = relayLists(analysis);
      const rejecting = lists.filter((list) => list.verdict.outcome === 'reject');
      // Both lists must pass for mail to be accepted: with two gates, one early OK cannot open the relay.
      if (rejecting.length !== 1) continue;
      const list = rejecting[0]!;
      const other = lists.find((candidate) => candidate !== list)!;
      if (other.verdict.outcome === 'reject') continue;
      const value = config.parameter(list.name, service);
      for (const item of list.verdict.conditional) {
        const span = item.token.span() ?? item.viaClass?.span() ?? config.originSpan(value);
        if (!span) continue;
        report(
          span,
          { restriction: item.name, argument: item.argument?.text ?? '', list: list.name, service: serviceLabel(service) },
          { related: relatedFor(span, value, service) },
        );
      }
    }
  },
});
