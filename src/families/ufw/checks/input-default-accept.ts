// ufw/input-default-accept: /etc/default/ufw sets DEFAULT_INPUT_POLICY="ACCEPT", so every port no ufw rule
// denies is open to the internet (IPA cases 1 and 9); Debian ships "DROP".
import { defineCheck } from '../../../core/check';
import { publicPart } from '../../../net';
import { type FirewallService, type Protocol, PortSet, count, isVeryWide, portList, serviceList, serviceMatrix, servicesOn } from '../../shared/firewall';
import { type UfwModel, ufwModel } from '../formats';
import { setting } from '../defaults';
import { isSynthetic } from './support';

export const inputDefaultAccept = defineCheck<UfwModel>({
  rule: 'ufw/input-default-accept',
  model: ufwModel,
  run(model, report, context) {
    if (model.kind !== 'defaults') return;
    const policy = setting(model.defaults, 'DEFAULT_INPUT_POLICY');
    if (!policy || policy.value.toUpperCase() !== 'ACCEPT') return;
    const ports = new Map<Protocol, PortSet>();
    const services: FirewallService[] = [];
    let largest = 0n;
    for (const ruleset of [model.v4, model.v6]) {
      if (!ruleset.applied) continue;
      for (const reach of serviceMatrix(ruleset.ruleset, { trusted: context.trusted }))
        for (const outcome of reach.outcomes) {
          const decision = outcome.decidedBy;
          if (outcome.verdict !== 'accept' || decision?.kind !== 'rule' || !isSynthetic(decision.rule)) continue;
          const open = publicPart(outcome.sources).subtract(context.trusted);
          if (!isVeryWide(open, ruleset.family)) continue;
          ports.set(reach.protocol, (ports.get(reach.protocol) ?? PortSet.empty).union(PortSet.of(reach.ports)));
          for (const service of servicesOn(reach.protocol, reach.ports)) if (!services.includes(service)) services.push(service);
          if (open.size() > largest) largest = open.size();
        }
    }
    if (!ports.size) return;
    report(
      policy.valueSpan,
      {
        ports: portList(ports),
        services: services.length ? serviceList(services.map((service) => ({ service, protocol: service.protocols[0]! }))) : '-',
        publicCount: count(largest),
      },
      { suggestions: [{ title: 'dropPolicy', edits: [{ span: policy.innerSpan, newText: 'DROP' }] }] },
    );
  },
});
