// iptables/ipv6-left-open: rules.v6 (or ip6tables) lets the IPv6 internet reach ports that rules.v4 keeps
// closed: the host is as exposed as if the IPv4 rules did not exist, for every client with IPv6.
import { defineCheck } from '../../../core/check';
import { text } from '../../../core/check';
import { type Decision, decisionSpan, ipv6OpenWhereV4Restricted } from '../../shared/firewall';
import { type IptablesModel, iptablesModel } from '../formats';
import { chainKey } from '../rule';
import { count, portList, serviceList } from '../../shared/firewall';

export const ipv6LeftOpen = defineCheck<IptablesModel>({
  rule: 'iptables/ipv6-left-open',
  model: iptablesModel,
  run(model, report, context) {
    const twin = model.twin;
    if (!twin) return;
    const [v4, v6] = model.family === 4 ? [model, twin] : [twin, model];
    for (const opening of ipv6OpenWhereV4Restricted(v4.ruleset, v6.ruleset, context.trusted)) {
      const services = opening.services.map((service) => ({ service, protocol: service.protocols[0]! }));
      const data = {
        ports: portList(opening.ports),
        services: services.length ? serviceList(services) : '-',
        publicCount: count(opening.publicCount),
        v4file: basename(v4.source.path),
        v6file: basename(v6.source.path),
      };
      const v6span = decisionSpan(opening.decision);
      if (!v6span) continue;
      if (model.family === 6) {
        // An ACCEPT policy is also input-default-accept's finding, which carries the DROP suggestion.
        report(v6span, data, { related: opening.v4Decisions.flatMap((decision) => related(decision)) });
      } else {
        // In rules.v4: on the filter INPUT declaration, pointing at the IPv6 rule that opens the ports.
        const input = v4.ruleset.chains.get(chainKey('filter', 'INPUT'));
        const span = input?.policy?.span ?? input?.span;
        if (!span) continue;
        report(span, data, { related: [{ span: v6span, message: text('iptables.ipv6-opens-here') }] });
      }
    }
  },
});

function related(decision: Decision) {
  const span = decisionSpan(decision);
  return span ? [{ span, message: text('iptables.ipv4-closes-here') }] : [];
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
