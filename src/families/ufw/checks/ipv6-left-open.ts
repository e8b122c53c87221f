// ufw/ipv6-left-open: user6.rules lets the IPv6 internet reach ports that user.rules keeps closed (an
// `allow from 192.0.2.0/24` has no IPv6 twin, while a plain `allow 3389` in user6.rules opens it to all).
import { defineCheck, text } from '../../../core/check';
import { count, decisionSpan, ipv6OpenWhereV4Restricted, portList, serviceList } from '../../shared/firewall';
import { type UfwModel, ufwModel } from '../formats';
import { isSynthetic, ruleName } from './support';

export const ipv6LeftOpen = defineCheck<UfwModel>({
  rule: 'ufw/ipv6-left-open',
  model: ufwModel,
  run(model, report, context) {
    if (model.kind !== 'rules' || model.family !== 6 || !model.v6.applied || !model.v4.files.some((file) => file.role === 'user')) return;
    for (const opening of ipv6OpenWhereV4Restricted(model.v4.ruleset, model.v6.ruleset, context.trusted)) {
      if (opening.decision.kind !== 'rule' || isSynthetic(opening.decision.rule)) continue;
      const span = decisionSpan(opening.decision);
      if (!span) continue;
      const services = opening.services.map((service) => ({ service, protocol: service.protocols[0]! }));
      report(
        span,
        {
          rule: ruleName(model.v6, opening.decision.rule),
          ports: portList(opening.ports),
          services: services.length ? serviceList(services) : '-',
          publicCount: count(opening.publicCount),
        },
        {
          related: opening.v4Decisions.flatMap((decision) => {
            const where = decisionSpan(decision);
            return where ? [{ span: where, message: text('ufw.ipv4-closes-here') }] : [];
          }),
        },
      );
    }
  },
});
