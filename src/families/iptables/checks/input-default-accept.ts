// iptables/input-default-accept: the INPUT chain's policy is ACCEPT and the rules stop before a catch-all
// DROP/REJECT, so every port the rules do not mention is open to the internet (IPA cases 1 and 9).
import { type FixSpec, defineCheck } from '../../../core/check';
import { type Chain, policyOpenings } from '../../shared/firewall';
import { type IptablesModel, iptablesModel } from '../formats';
import { chainKey } from '../rule';
import { ownNetworks } from '../networks';
import type { AddressSet } from '../../../net';
import type { LoadedRuleset } from '../formats';
import { count, familyLabel, portList, serviceList } from '../../shared/firewall';

export const inputDefaultAccept = defineCheck<IptablesModel>({
  rule: 'iptables/input-default-accept',
  model: iptablesModel,
  run(model, report, context) {
    const input = model.ruleset.chains.get(chainKey('filter', 'INPUT'));
    if (!input?.policy?.span) return;
    for (const opening of policyOpenings(model.ruleset, new Set<Chain>([input]), context.trusted)) {
      const empty = input.rules.length === 0;
      const services = opening.services.map((service) => ({ service, protocol: service.protocols[0]! }));
      report(
        input.policy.span,
        {
          ports: portList(opening.ports),
          services: services.length ? serviceList(services) : '-',
          publicCount: count(opening.publicCount),
          family: familyLabel(model.family),
        },
        { severity: empty ? 'info' : 'warning', suggestions: dropPolicySuggestion(model, input, context.trusted, { title: 'dropPolicy' }) },
      );
    }
  },
});

/** `:INPUT DROP`, after adding loopback, established, ICMP and SSH (from our own networks) accepts at the top of INPUT. */
export function dropPolicySuggestion(model: LoadedRuleset, input: Chain, trusted: AddressSet, fix: { title: string }): FixSpec[] {
  const span = input.policy?.span;
  if (!span) return [];
  const state = model.state.chain('filter', 'INPUT');
  const filter = model.file.tables.find((table) => table.name === 'filter' && table.chains.some((chain) => chain.name === 'INPUT'));
  if (!state?.declaration || !filter || state.declaration.span.file !== model.source.path) return [];
  const lastDeclaration = filter.chains[filter.chains.length - 1]!;
  const after = model.source.text.indexOf('\n', lastDeclaration.span.end);
  if (after < 0) return [];
  const lines = ['-A INPUT -i lo -j ACCEPT', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'];
  if (model.family === 6) lines.push('-A INPUT -p ipv6-icmp -j ACCEPT');
  else lines.push('-A INPUT -p icmp -j ACCEPT');
  const networks = ownNetworks(model.family, trusted);
  lines.push(`-A INPUT -s ${networks} -p tcp --dport 22 -j ACCEPT`);
  return [
    {
      ...fix,
      data: { networks },
      edits: [
        { span, newText: 'DROP' },
        { span: { file: span.file, start: after + 1, end: after + 1 }, newText: `${lines.join('\n')}\n` },
      ],
    },
  ];
}
