// nftables/input-default-accept: an input filter chain that holds rules (someone set out to
// restrict) but keeps `policy accept` and ends without a catch-all drop, so every port the rules do not
// decide is open to the internet. A chain with no rules at all (Debian's shipped nftables.conf) filters
// nothing on purpose and is not reported.
import { defineCheck, text } from '../../../core/check';
import { type Chain, type FirewallService, type PortSet, type Protocol, decisionKey, ipv6OpenWhereV4Restricted, policyOpenings } from '../../shared/firewall';
import { nftablesModel } from '../formats';
import type { NftChain } from '../model';
import { familyText, formatCount, nftChainOf, portsText, shortList } from './support';

interface Opening {
  chain: NftChain;
  ports: Map<Protocol, PortSet>;
  services: FirewallService[];
  publicCount: bigint;
  family: 4 | 6;
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

export const inputDefaultAccept = defineCheck({
  rule: 'nftables/input-default-accept',
  model: nftablesModel,
  run(config, report, context) {
    const byChain = new Map<NftChain, Opening>();
    // An IPv6 policy that lets in what IPv4 keeps out is ipv6-left-open's finding.
    const v6Gaps = new Set(
      ipv6OpenWhereV4Restricted(config.model(4).ruleset, config.model(6).ruleset, context.trusted).map((gap) => decisionKey(gap.decision)),
    );
    for (const family of [4, 6] as const) {
      const model = config.model(family);
      for (const opening of policyOpenings(model.ruleset, model.filterInput as ReadonlySet<Chain>, context.trusted)) {
        if (family === 6 && v6Gaps.has(opening.chain)) continue;
        const chain = nftChainOf(model, opening.chain);
        // Only a chain with rules that decide (accept, drop, reject, jump) set out to filter; counters and
        // marks alone do not.
        const decides = opening.chain.rules.some((rule) => ['accept', 'drop', 'reject', 'jump', 'goto'].includes(rule.action.kind));
        if (!chain?.base || !decides || chain.base.policy !== 'accept') continue;
        const known = byChain.get(chain);
        if (!known || (known.family === 6 && family === 4))
          byChain.set(chain, { chain, ports: opening.ports, services: opening.services, publicCount: opening.publicCount, family });
      }
    }
    for (const opening of byChain.values()) {
      const base = opening.chain.base!;
      const span = base.policySpan ?? base.span;
      if (span.file !== config.linted) continue;
      const bySeverity = [...opening.services].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.port - b.port);
      const services = shortList(bySeverity.map((service) => `${service.label} ${service.port}`));
      const edit = base.policySpan
        ? { span: base.policySpan, newText: 'policy drop' }
        : { span: { ...base.span, start: base.span.end, end: base.span.end }, newText: '; policy drop' };
      report(
        span,
        {
          chain: opening.chain.name,
          ports: portsText(opening.ports),
          count: formatCount(opening.publicCount),
          family: familyText(opening.family),
          services: services ? text('nftables.including-services', { services }) : '',
        },
        { suggestions: [{ title: 'policyDrop', edits: [edit] }] },
      );
    }
  },
});
