// Helpers the nftables checks share: counts for messages, the rule a model decision stands for, and the
// source restriction a suggestion inserts.
import { type TextRef, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import { parseRange } from '../../../net';
import type { Decision, FirewallService, IpFamily, PortSet, Protocol } from '../../shared/firewall';
import type { NftablesConfig } from '../formats';
import type { NftModel, NftModelRule } from '../packet';
import type { NftChain, NftFamily, NftRule } from '../model';

/** `4,294,967,296` for counts a person can read; `about 2^125` for IPv6-sized ones. */
export function formatCount(count: bigint): string {
  if (count < 1_000_000_000_000n) return count.toLocaleString('en-US');
  return `2^${count.toString(2).length - 1}`;
}

export function familyText(family: IpFamily): TextRef {
  return family === 4 ? text('nftables.ipv4') : text('nftables.ipv6');
}

/** `RDP 3389/tcp, VNC 5900/tcp` */
export function servicesText(services: readonly { service: FirewallService; protocol: Protocol }[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { service, protocol } of services) {
    const label = `${service.label} ${service.port}/${protocol}`;
    if (seen.has(label)) continue;
    seen.add(label);
    out.push(label);
  }
  return out.join(', ');
}

export function portsText(ports: Map<Protocol, PortSet>): string {
  return [...ports].map(([protocol, set]) => `${set.toString()}/${protocol}`).join(', ');
}

/** The nft rule a decision names, or undefined for a policy. */
export function nftRuleOf(decision: Decision): NftRule | undefined {
  return decision.kind === 'rule' ? (decision.rule as NftModelRule).source : undefined;
}

/** The nft chain a model chain of `model` stands for. */
export function nftChainOf(model: NftModel, chain: Decision['chain']): NftChain | undefined {
  for (const [nft, modelChain] of model.chains) if (modelChain === chain) return nft;
  return undefined;
}

/** The span of a rule inside the linted file, or undefined when the rule is written in another file. */
export function inLinted(config: NftablesConfig, span: Span | undefined): span is Span {
  return span !== undefined && span.file === config.linted;
}

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const PRIVATE_V6 = ['fc00::/7'];

/**
 * The source match a suggestion inserts: the project's trusted networks of the table's IP version, else the
 * private blocks. `ip saddr` in an inet table also keeps IPv6 out (the match needs an IPv4 packet).
 */
export function sourceRestriction(family: NftFamily, trusted: readonly string[]): string {
  const v6 = family === 'ip6';
  const mine = trusted.filter((entry) => parseRange(entry)?.version === (v6 ? 6 : 4));
  const ranges = mine.length ? mine : v6 ? PRIVATE_V6 : PRIVATE_V4;
  return `${v6 ? 'ip6' : 'ip'} saddr { ${ranges.join(', ')} } `;
}

/** The first few items of a list, then how many more (`RDP 3389, Redis 6379, … (+12)`). */
export function shortList(items: readonly string[], max = 4): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, … (+${items.length - max})`;
}
