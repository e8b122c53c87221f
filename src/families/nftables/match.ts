// One nft match expression as the shared packet model sees it: what it requires of a new inbound TCP/UDP packet
// (source and destination sets, protocols, ports, arrival interface) or a condition the model decides for that
// packet (conntrack state NEW, tcp flags of a SYN, fib lookups of a routed client, limits), or 'unknown'.
import { type TextRef, text } from '../../core/check';
import type { Span } from '../../core/types';
import { AddressSet } from '../../net';
import { type Condition, type InterfaceMatch, type IpFamily, type Packet, type Tri, PortSet, universe } from '../shared/firewall';
import type { NftTable } from './model';
import { type MatchExpression, type Value, type ValueElement, elementOf } from './rule';
import { addressValue, partText, portValue } from './values';
import { type Node, isGroup, spanOf } from './syntax';

/** nft's `eth*` interface wildcard in the model's spelling (`eth+`). */
export function wildcard(name: string): string {
  return name.endsWith('*') ? `${name.slice(0, -1)}+` : name;
}

/** A match under construction; `never` once some part cannot hold for a packet of this family. */
export interface Draft {
  never: boolean;
  source?: AddressSet;
  sourceSpans: Span[];
  destination?: AddressSet;
  destinationSpan?: Span;
  protocols?: Set<string>;
  notProtocols: Set<string>;
  dports?: PortSet;
  sports?: PortSet;
  sportsSpan?: Span;
  inInterface?: InterfaceMatch;
  conditions: Condition[];
}

export const emptyDraft = (): Draft => ({ never: false, sourceSpans: [], notProtocols: new Set(), conditions: [] });

export function copy(draft: Draft): Draft {
  return {
    ...draft,
    sourceSpans: [...draft.sourceSpans],
    notProtocols: new Set(draft.notProtocols),
    conditions: [...draft.conditions],
    ...(draft.protocols ? { protocols: new Set(draft.protocols) } : {}),
  };
}

export function unknownCondition(span: Span, reason: TextRef): Condition {
  return { span, reason, decide: () => 'unknown' };
}

export function unknownDraft(span: Span, reason: TextRef): Draft {
  return { ...emptyDraft(), conditions: [unknownCondition(span, reason)] };
}

export interface Context {
  family: IpFamily;
  hasNat: boolean;
  table: NftTable;
}

/** The drafts a match expression leaves: one, or one per element for concatenations, or none when it never holds. */
export function apply(draft: Draft, match: MatchExpression, context: Context): Draft[] {
  const value = match.value;
  if (value.missingSet || value.set?.dynamic) {
    const next = copy(draft);
    for (const selector of match.selector) requireProtocol(next, selector, context);
    next.conditions.push(unknownCondition(value.span, text('nftables.unknown-set', { set: value.missingSet ?? value.set!.name })));
    return [next];
  }
  if (match.selector.length === 1) {
    const next = copy(draft);
    single(
      next,
      match.selector[0]!,
      match,
      value.elements.map((element) => element.parts[0] ?? []),
      context,
    );
    return [next];
  }
  if (match.op !== 'eq' || match.masked) {
    const next = copy(draft);
    next.conditions.push(
      unknownCondition(match.span, text('nftables.unknown-expression', { expression: match.selector.map((part) => part.join(' ')).join(' . ') })),
    );
    return [next];
  }
  // A concatenation matches when some element matches in every part: one draft per element.
  const out: Draft[] = [];
  for (const element of value.elements) {
    if (element.parts.length !== match.selector.length) continue;
    const next = copy(draft);
    match.selector.forEach((selector, index) => single(next, selector, { ...match, value: elementValue(element, index) }, [element.parts[index]!], context));
    out.push(next);
  }
  return out;
}

function elementValue(element: ValueElement, index: number): Value {
  const part = element.parts[index]!;
  return { elements: [elementOf(part, spanOf(part))], span: spanOf(part) };
}

const PAYLOAD_PROTOCOL: Record<string, string> = {
  tcp: 'tcp',
  udp: 'udp',
  udplite: 'udplite',
  sctp: 'sctp',
  dccp: 'dccp',
  icmp: 'icmp',
  icmpv6: 'ipv6-icmp',
  igmp: 'igmp',
  ah: 'ah',
  esp: 'esp',
  comp: 'comp',
  gre: 'gre',
};

/** The protocol (and IP version) a selector implies: `tcp dport` needs TCP, `ip saddr` IPv4, `icmpv6 type` both. */
function requireProtocol(draft: Draft, selector: readonly string[], context: Context): void {
  const [head] = selector;
  if (head === 'ip' || head === 'icmp' || head === 'igmp') requireVersion(draft, 4, context);
  if (head === 'ip6' || head === 'icmpv6') requireVersion(draft, 6, context);
  const protocol = PAYLOAD_PROTOCOL[head ?? ''];
  if (protocol) intersectProtocols(draft, new Set([protocol]));
}

function requireVersion(draft: Draft, version: IpFamily, context: Context): void {
  if (context.family !== version) draft.never = true;
}

function intersectProtocols(draft: Draft, names: Set<string>): void {
  draft.protocols = draft.protocols ? new Set([...draft.protocols].filter((name) => names.has(name))) : names;
  if (draft.protocols.size === 0) draft.never = true;
}

const namedSetAddresses = new WeakMap<readonly ValueElement[], Map<4 | 6, { union: AddressSet; bad?: string }>>();

/**
 * The addresses a value's elements hold, or the first element that is no address. A named set's are read once
 * for every rule that names it (its elements are the same values in each).
 */
function addressesOf(value: Value, texts: readonly string[], version: 4 | 6): { union: AddressSet; bad?: string } {
  const cache = value.set ? namedSetAddresses.get(value.elements) : undefined;
  const known = cache?.get(version);
  if (known) return known;
  const sets = texts.map((item) => addressValue(item, version));
  const bad = sets.findIndex((set) => !set);
  const result = bad >= 0 ? { union: AddressSet.empty, bad: texts[bad]! } : { union: AddressSet.unionAll(sets as AddressSet[]) };
  if (value.set) {
    if (cache) cache.set(version, result);
    else namedSetAddresses.set(value.elements, new Map([[version, result]]));
  }
  return result;
}

function single(draft: Draft, selector: readonly string[], match: MatchExpression, parts: Node[][], context: Context): void {
  requireProtocol(draft, selector, context);
  if (draft.never) return;
  const key = selector.join(' ');
  const negated = match.op === 'ne';
  const unknown = (reason: TextRef = text('nftables.unknown-expression', { expression: key })): void => {
    draft.conditions.push(unknownCondition(match.span, reason));
  };
  const decide = (value: Tri): void => {
    draft.conditions.push({ span: match.span, decide: () => value, reason: text('nftables.unknown-expression', { expression: key }) });
  };
  const texts = parts.map(partText);
  if (match.masked) return masked(draft, key, match, texts, unknown, decide);
  if (match.op !== 'eq' && match.op !== 'ne') {
    if (/ (dport|sport)$/.test(key) && texts.length === 1) {
      const port = portValue(texts[0]!);
      const bound = port?.ranges[0]?.from;
      if (bound !== undefined) {
        const range = comparison(match.op, bound);
        if (key.endsWith('dport')) draft.dports = draft.dports ? draft.dports.intersect(range) : range;
        else {
          draft.sports = draft.sports ? draft.sports.intersect(range) : range;
          draft.sportsSpan = match.span;
        }
        return;
      }
    }
    return unknown();
  }
  switch (key) {
    case 'ip saddr':
    case 'ip6 saddr':
    case 'ip daddr':
    case 'ip6 daddr': {
      const version = key.startsWith('ip6') ? 6 : 4;
      const read = addressesOf(match.value, texts, version);
      if (read.bad !== undefined) return unknown(text('nftables.unknown-address', { value: read.bad }));
      const union = read.union;
      const taken = negated ? universe(context.family).subtract(union) : union;
      if (key.endsWith('saddr')) {
        draft.source = draft.source ? draft.source.intersect(taken) : taken;
        if (!negated) draft.sourceSpans.push(...parts.map(spanOf));
      } else {
        draft.destination = draft.destination ? draft.destination.intersect(taken) : taken;
        draft.destinationSpan = match.span;
      }
      return;
    }
    case 'ip protocol':
    case 'ip6 nexthdr':
    case 'meta l4proto': {
      const names = new Set(texts.map(protocolName));
      if (negated) for (const name of names) draft.notProtocols.add(name);
      else intersectProtocols(draft, names);
      return;
    }
    case 'meta nfproto':
    case 'meta protocol':
    case 'ip version':
    case 'ip6 version': {
      const versions = texts.map((item) => (/^(ipv4|ip|4)$/.test(item) ? 4 : /^(ipv6|ip6|6)$/.test(item) ? 6 : 0));
      if (versions.includes(0)) return unknown();
      if (versions.includes(context.family) === negated) draft.never = true;
      return;
    }
    case 'meta iif':
    case 'meta iifname': {
      const iface: InterfaceMatch = { names: texts.map(wildcard), negated, span: match.span };
      if (!draft.inInterface) draft.inInterface = iface;
      else
        draft.conditions.push({
          span: match.span,
          reason: text('nftables.unknown-interface', { name: texts.join(', ') }),
          decide: (packet) => interfaceTri(iface, packet),
        });
      return;
    }
    case 'meta oif':
    case 'meta oifname':
    case 'meta oiftype':
    case 'meta oifgroup':
    case 'meta oifkind':
      // Before routing and on the input hook a packet has no output device: the kernel stops the rule (both == and !=).
      draft.never = true;
      return;
    case 'ct state': {
      const states = new Set(texts.flatMap((item) => item.split('|')));
      // The first packet of a connection is NEW; established, related, invalid and untracked do not hold.
      decide(states.has('new') !== negated ? 'yes' : 'no');
      return;
    }
    case 'ct direction':
      decide(texts.includes('original') !== negated ? 'yes' : 'no');
      return;
    case 'ct status':
      // Only a connection someone translated carries dnat/snat status; these files translate none.
      if (context.hasNat) return unknown();
      decide(negated ? 'yes' : 'no');
      return;
    case 'meta pkttype':
      decide(texts.includes('host') !== negated ? 'yes' : 'no');
      return;
    case 'tcp flags':
      return decide(tcpFlags(texts, negated));
  }
  if (selector[0] === 'fib') return decide(fib(selector, texts, negated) ?? 'unknown');
  if (/ (dport|sport)$/.test(key)) {
    const sets = texts.map(portValue);
    if (sets.some((set) => !set)) return unknown(text('nftables.unknown-port', { value: texts.find((_, i) => !sets[i]) ?? '' }));
    const union = sets.reduce<PortSet>((all, set) => all.union(set!), PortSet.empty);
    const taken = negated ? union.complement() : union;
    if (key.endsWith('dport')) draft.dports = draft.dports ? draft.dports.intersect(taken) : taken;
    else {
      draft.sports = draft.sports ? draft.sports.intersect(taken) : taken;
      draft.sportsSpan = match.span;
    }
    return;
  }
  // ICMP types, marks, lengths, socket owners, ...: not part of the model.
  if (PAYLOAD_PROTOCOL[selector[0] ?? ''] && !['tcp', 'udp'].includes(PAYLOAD_PROTOCOL[selector[0]!]!)) return;
  unknown();
}

function comparison(op: MatchExpression['op'], bound: number): PortSet {
  switch (op) {
    case 'lt':
      return bound === 0 ? PortSet.empty : PortSet.of({ from: 0, to: bound - 1 });
    case 'le':
      return PortSet.of({ from: 0, to: bound });
    case 'gt':
      return bound >= 65535 ? PortSet.empty : PortSet.of({ from: bound + 1, to: 65535 });
    default:
      return PortSet.of({ from: bound, to: 65535 });
  }
}

function protocolName(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'icmpv6' || lower === 'ipv6-icmp' ? 'ipv6-icmp' : lower;
}

function interfaceTri(iface: InterfaceMatch, packet: Packet): Tri {
  const one = (name: string): Tri => {
    if (packet.inInterface !== undefined)
      return (name.endsWith('+') ? packet.inInterface.startsWith(name.slice(0, -1)) : packet.inInterface === name) ? 'yes' : 'no';
    return name === 'lo' ? 'no' : 'unknown';
  };
  const values = iface.names.map(one);
  const any: Tri = values.includes('yes') ? 'yes' : values.includes('unknown') ? 'unknown' : 'no';
  return !iface.negated ? any : any === 'yes' ? 'no' : any === 'no' ? 'yes' : 'unknown';
}

/** TCP flags of the model's packet: a SYN alone. */
function tcpFlags(values: string[], negated: boolean): Tri {
  const combos = values.map((value) => new Set(value.split(/[|,]/)));
  // `tcp flags syn` and `tcp flags { syn, ack }` both hold for a lone SYN when some element is exactly syn;
  // they fail when no element names syn.
  if (combos.some((combo) => combo.size === 1 && combo.has('syn'))) return negated ? 'no' : 'yes';
  if (combos.every((combo) => !combo.has('syn'))) return negated ? 'yes' : 'no';
  return 'unknown';
}

const FLAG_BITS: Record<string, number> = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20, ecn: 0x40, cwr: 0x80 };

function flagBits(nodes: readonly Node[]): number | undefined {
  let bits = 0;
  for (const node of nodes) {
    if (isGroup(node)) {
      const inner = flagBits(node.items);
      if (inner === undefined) return undefined;
      bits |= inner;
    } else if (node.kind === 'word') {
      for (const name of node.text.split(/[|,]/).filter(Boolean)) {
        if (name in FLAG_BITS) bits |= FLAG_BITS[name]!;
        else if (/^0x[0-9a-f]+$|^\d+$/i.test(name)) bits |= Number(name);
        else return undefined;
      }
    } else if (node.kind !== 'punct' || !['|', ','].includes(node.text)) return undefined;
  }
  return bits;
}

/** `tcp flags & (fin|syn|rst|ack) != syn` and `ip frag-off & 0x1fff != 0`, for the model's packet; else unknown. */
function masked(draft: Draft, key: string, match: MatchExpression, texts: string[], unknown: () => void, decide: (value: Tri) => void): void {
  const mask = match.mask ?? [];
  if (mask.length !== 2 || mask[0]!.kind !== 'punct' || mask[0]!.text !== '&') return unknown();
  const operand = [mask[1]!];
  if (key === 'tcp flags') {
    const bits = flagBits(operand);
    const wanted = texts.map((item) => flagBits([{ kind: 'word', text: item, span: match.span }]));
    if (bits === undefined || wanted.some((value) => value === undefined)) return unknown();
    const holds = wanted.includes(FLAG_BITS.syn! & bits);
    return decide(holds !== (match.op === 'ne') ? 'yes' : 'no');
  }
  if (key === 'ip frag-off') {
    // Not a fragment: offset and more-fragments are zero; the don't-fragment bit (0x4000) is the sender's choice.
    const bits = Number(partText(operand));
    const wanted = texts.map(Number);
    if (!Number.isFinite(bits) || bits & 0x4000 || wanted.some((value) => !Number.isFinite(value))) return unknown();
    return decide(wanted.includes(0) !== (match.op === 'ne') ? 'yes' : 'no');
  }
  void draft;
  unknown();
}

/** `fib daddr type local` (a packet for this host: yes), `fib saddr . iif oif missing` (reverse path: present). */
function fib(selector: readonly string[], values: string[], negated: boolean): Tri | undefined {
  const result = selector[selector.length - 1];
  const flags = selector.slice(1, -1);
  if (result === 'type' && flags.includes('daddr')) return values.includes('local') !== negated ? 'yes' : 'no';
  // A client reaches this host over a route this host also uses to answer it (the default route).
  if ((result === 'oif' || result === 'oifname') && flags.includes('saddr') && values.every((value) => value === 'missing' || value === '0'))
    return negated ? 'yes' : 'no';
  return undefined;
}
