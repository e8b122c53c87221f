// nftables/ipv6-left-open: ports the IPv4 rules keep from the internet but IPv6 lets in.
// Either an IPv6 rule or policy accepts them (reported there), or no table filters IPv6 at all because the
// restricting table is of family `ip` (reported on that table, with `inet` as the suggestion).
import { defineCheck, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import { decisionSpan, ipv6OpenWhereV4Restricted, portReach, portSegments, PROTOCOLS, type Protocol, PortSet } from '../../shared/firewall';
import { nftablesModel } from '../formats';
import type { NftTable } from '../model';
import { formatCount, inLinted, portsText } from './support';

export const ipv6LeftOpen = defineCheck({
  rule: 'nftables/ipv6-left-open',
  model: nftablesModel,
  run(config, report, context) {
    const v4 = config.model(4).ruleset;
    const v6 = config.model(6).ruleset;
    if (v4.input.length === 0) return;
    if (v6.input.length === 0) {
      // Nothing filters IPv6: every port IPv4 restricts is open over IPv6.
      const restricted = new Map<Protocol, PortSet>();
      for (const protocol of PROTOCOLS)
        for (const segment of portSegments(v4, protocol)) {
          const reach = portReach(v4, protocol, segment.from, { trusted: context.trusted });
          if (reach.unknown.isEmpty() && reach.publicAccepted.isEmpty())
            restricted.set(protocol, (restricted.get(protocol) ?? PortSet.empty).union(PortSet.of(segment)));
        }
      if (restricted.size === 0) return;
      const tables = config.ruleset.tables.filter((table) => table.family === 'ip' && filtersInput(table));
      for (const table of tables) {
        if (!inLinted(config, table.span)) continue;
        const family = familyWord(config.ruleset.sources.find((file) => file.path === table.span.file)?.text, table.span);
        const edit = family ? { span: family, newText: 'inet' } : { span: { ...table.span, end: table.span.start }, newText: 'inet ' };
        report(
          family ?? table.span,
          {
            what: text('nftables.only-ipv4-table', { table: `${table.family} ${table.name}` }),
            ports: portsText(restricted),
            count: text('nftables.every-ipv6'),
          },
          { suggestions: [{ title: 'inet', edits: [edit] }] },
        );
      }
      return;
    }
    for (const opening of ipv6OpenWhereV4Restricted(v4, v6, context.trusted)) {
      // A rule with its own IPv6 source list was written for IPv6 on purpose; how wide that list is, is
      // allowlist-public-or-mistyped-range's finding.
      if (opening.decision.kind === 'rule' && opening.decision.rule.match.source) continue;
      const span = decisionSpan(opening.decision);
      if (!inLinted(config, span)) continue;
      report(
        span,
        {
          what:
            opening.decision.kind === 'rule'
              ? text('nftables.v6-rule', { chain: opening.decision.chain.name })
              : text('nftables.v6-policy', { chain: opening.decision.chain.name }),
          ports: portsText(opening.ports),
          count: text('nftables.public-ipv6', { count: formatCount(opening.publicCount) }),
        },
        { related: opening.v4Decisions.flatMap((decision) => related(decisionSpan(decision))) },
      );
    }
  },
});

function related(span: Span | undefined) {
  return span ? [{ span, message: text('nftables.ipv4-restricted-here') }] : [];
}

function filtersInput(table: NftTable): boolean {
  return [...table.chains.values()].some((chain) => chain.base?.hook === 'input' && chain.base.type === 'filter');
}

/** The `ip` word before the table name (`table ip filter`), when the family is written. */
function familyWord(fileText: string | undefined, nameSpan: Span): Span | undefined {
  if (!fileText) return undefined;
  const before = fileText.slice(Math.max(0, nameSpan.start - 40), nameSpan.start);
  const match = /\bip(\s+)$/.exec(before);
  if (!match) return undefined;
  const start = nameSpan.start - match[0].length;
  return { file: nameSpan.file, start, end: start + 2 };
}
