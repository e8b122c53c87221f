// The packet-path model every firewall family (iptables/ufw, nftables, firewalld) hands its parsed rules to.
// A family translates its chains into `Ruleset`; the shared engine (evaluate.ts) answers, for a new inbound
// connection from an address set, which rule decides and with what verdict, for which part of the set.
// See /work/notes/firewall-interface.md for the contract.
import type { Span } from '../../../core/types';
import type { TextRef } from '../../../core/check';
import { AddressSet, parseRange } from '../../../net';
import { memoValue as rememberedValue } from '../memo';
import { PortSet } from './ports';

export type IpFamily = 4 | 6;
/** The protocols the model answers for (probes are TCP SYNs and UDP datagrams). */
export type Protocol = 'tcp' | 'udp';
export const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp'];

/** accept: the connection reaches the listener; drop/reject: it does not; unknown: the model cannot tell. */
export type Verdict = 'accept' | 'drop' | 'reject' | 'unknown';
/** The answer of one match condition for the packet: holds, does not hold, cannot tell. */
export type Tri = 'yes' | 'no' | 'unknown';

/**
 * The packet the model reasons about: the first packet of a new inbound connection (TCP SYN without ACK, or
 * the first UDP datagram), conntrack state NEW, unfragmented, from an unprivileged source port (1024-65535),
 * to a unicast address of this host that is not loopback. Its source address is the set the query asks about.
 */
export interface Packet {
  family: IpFamily;
  protocol: Protocol;
  /** Destination port. */
  port: number;
  /**
   * The interface the packet arrives on, when the caller knows it (the referee names its veth). Otherwise an
   * interface match is unknown, except `lo`, which a packet from another host never arrives on.
   */
  inInterface?: string;
  /** The destination address, when the caller knows it (the referee); otherwise "some unicast address of this host". */
  destination?: bigint;
  /** 'input' (default): to this host; 'forward': a Docker-published port, forwarded to a container. */
  hook?: 'input' | 'forward';
}

/** Why the model could not decide: shown to users, located where the undecidable match is written. */
export interface Uncertainty {
  span: Span;
  reason: TextRef;
}

/** A family-specific match (conntrack state, tcp flags, rate limits, ipset membership, ...). */
export interface Condition {
  /**
   * Whether the condition holds for `packet` (see `Packet` for what the packet is). Must not depend on
   * `packet.port` or the source address: ports go in `RuleMatch.dports`, addresses in `RuleMatch.source`.
   */
  decide(packet: Packet): Tri;
  /** Where it is written; and why it cannot be decided (required when `decide` may answer 'unknown'). */
  span: Span;
  reason?: TextRef;
}

export interface InterfaceMatch {
  /** Interface names as written; a trailing `+` matches every name with that prefix (`eth+`, `+`). */
  names: readonly string[];
  negated: boolean;
  span: Span;
}

/** What a rule matches. An absent field matches everything. Every present field must hold. */
export interface RuleMatch {
  /** Source addresses the rule matches, negation already applied (within the ruleset's family). */
  source?: AddressSet;
  /** Destination addresses the rule matches, negation already applied. */
  destination?: AddressSet;
  destinationSpan?: Span;
  /** Protocol names in lower case (`tcp`, `udp`, `icmp`, or a number as text, see normaliseProtocol). */
  protocols?: { names: readonly string[]; negated: boolean };
  /** Destination ports, negation already applied. A rule with ports but no protocol is the family's job to refuse. */
  dports?: PortSet;
  /** Source ports, negation already applied. */
  sports?: PortSet;
  sportsSpan?: Span;
  inInterface?: InterfaceMatch;
  conditions?: readonly Condition[];
}

export type Action =
  | { kind: 'accept' | 'drop' | 'reject' }
  /** Back to the calling chain; in a base chain, the policy decides. */
  | { kind: 'return' }
  /** A non-terminating target (LOG, counter, MARK): the next rule is evaluated. */
  | { kind: 'continue' }
  /** jump: a RETURN (or the end of the chain) continues after this rule; goto: it continues after the rule that jumped to the chain holding this rule. */
  | { kind: 'jump' | 'goto'; chain: string }
  /** A verdict the model does not follow (QUEUE, DNAT to another host, a map with an unknown key, ...). */
  | { kind: 'unknown'; reason: TextRef };

export interface FirewallRule {
  /** Where findings about this rule are reported (the whole rule). */
  span: Span;
  match: RuleMatch;
  action: Action;
  /** Where the source addresses are written (allow-list findings point here); several for lists and sets. */
  sourceSpans?: readonly Span[];
}

export interface Policy {
  verdict: 'accept' | 'drop' | 'reject';
  /** Where it is written; undefined for an implicit default (nft's `policy accept` left out, iptables' built-in ACCEPT). */
  span?: Span;
}

export interface Chain {
  name: string;
  rules: readonly FirewallRule[];
  /** Base chains: what happens to a packet that falls off the end or RETURNs. User chains: undefined (falling off returns). */
  policy?: Policy;
  /** Where the chain is declared. */
  span?: Span;
}

export interface Ruleset {
  family: IpFamily;
  chains: ReadonlyMap<string, Chain>;
  /**
   * The base chains a packet to this host passes, in order (iptables: raw, mangle and nat PREROUTING, mangle
   * INPUT, filter INPUT; nftables: prerouting then input hook chains by priority). The packet reaches the
   * listener only if every one of them accepts it. Empty: nothing in these files filters the packet.
   */
  input: readonly string[];
  /**
   * The chain Docker consults for published ports before its own ACCEPT (`DOCKER-USER`), when the files define
   * it. A forwarded packet that this chain neither drops nor rejects reaches the container.
   */
  dockerUser?: string;
}

/** Who decided: a rule (and the chain holding it), or a base chain's policy. */
export type Decision = { kind: 'rule'; rule: FirewallRule; chain: Chain } | { kind: 'policy'; chain: Chain };

export interface Outcome {
  /** The part of the queried sources this outcome is for. Outcomes of one query partition the queried set. */
  sources: AddressSet;
  verdict: Verdict;
  /**
   * What decided (when undecidable matches were on the way: the decision when they are false). Undefined when
   * no chain filters the packet at all (`Ruleset.input` empty).
   */
  decidedBy?: Decision;
  /** What the model could not decide on the way (only for 'unknown'). */
  unknowns: readonly Uncertainty[];
  /**
   * Other decisions that reach the same verdict when an undecidable match goes the other way (a port accepted
   * by a rule on `-i eth0` and by the policy on every other interface: decidedBy is the policy, the rule is here).
   */
  alternatives?: readonly Decision[];
  /**
   * When the deciding rule matches everything (a shared `-j ACCEPT` at the end of a helper chain), the jump
   * whose match sent the packet there (ufw's `-p tcp --dport 22 -j ufw-user-limit-accept`).
   */
  via?: Decision;
}

export function reaches(verdict: Verdict): boolean | undefined {
  return verdict === 'accept' ? true : verdict === 'unknown' ? undefined : false;
}

/** The family's whole address space: IPv4 (as the IPv4-mapped block of net/) or IPv6 without that block. */
export function universe(family: IpFamily): AddressSet {
  return family === 4 ? V4 : V6;
}

const V4 = AddressSet.parse(['0.0.0.0/0']);
const V6 = AddressSet.parse(['::/0']).subtract(V4);

/** Addresses a packet from another host can be for: unicast, not loopback (the kernel drops those as martians). */
export function hostUnicast(family: IpFamily): AddressSet {
  return family === 4 ? V4_UNICAST : V6_UNICAST;
}

const V4_UNICAST = V4.subtract(AddressSet.parse(['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4']));
const V6_UNICAST = V6.subtract(AddressSet.parse(['::/128', '::1/128', 'ff00::/8']));

/** An address or CIDR text as a set within the family, or undefined when it is not one of that family. */
export function familySet(text: string, family: IpFamily): AddressSet | undefined {
  // A pure function of the text (sets are immutable): remembered between lints, as every keystroke asks again.
  return memoValue(family === 4 ? familySets4 : familySets6, text, () => {
    const parsed = parseRange(text);
    return parsed && parsed.version === family ? AddressSet.of(parsed.range) : undefined;
  });
}

const familySets4 = new Map<string, AddressSet | undefined>();
const familySets6 = new Map<string, AddressSet | undefined>();

/**
 * Tables that remember values read from rule text (addresses, port lists) between lints, registered by the
 * firewall families: pure functions of the text, so a re-lint gets what a cold lint would (a test compares).
 */
const valueMemos = new Set<Map<string, unknown>>([familySets4, familySets6]);

/**
 * Values one table keeps at most; past it the table starts again. A 50,000-line rule file's worth: a table
 * smaller than the values one file reads is emptied during every lint of it, so no re-lint finds anything
 * (a 50,000-rule iptables-save file took 25 times a 5,000-rule one's keystroke with 20,000, 13 times with this).
 * Full, the tables of one firewall file hold about 0.4 KB a value (38 MB for 60,000 distinct rules).
 */
export const VALUE_MEMO_LIMIT = 60_000;

/** The value of `key` in `memo` (a firewall value table), computed (and remembered) when absent. */
export function memoValue<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  return rememberedValue(memo, key, compute, VALUE_MEMO_LIMIT);
}

/** A table of values remembered between lints (see forgetFirewallValues). */
export function valueMemo<T>(): Map<string, T> {
  const memo = new Map<string, T>();
  valueMemos.add(memo as Map<string, unknown>);
  return memo;
}

/** Forgets every remembered value (tests compare a re-lint with a cold lint). */
export function forgetFirewallValues(): void {
  for (const memo of valueMemos) memo.clear();
}

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'ipv6-icmp', '132': 'sctp', '33': 'dccp', '0': 'all' };
const PROTOCOL_ALIASES: Record<string, string> = { icmpv6: 'ipv6-icmp', icmp6: 'ipv6-icmp', any: 'all' };

/** `6` -> `tcp`, `TCP` -> `tcp`, `icmpv6` -> `ipv6-icmp`, `all`/`0` -> `all`; other names lower-cased. */
export function normaliseProtocol(name: string): string {
  const lower = name.toLowerCase();
  return PROTOCOL_NUMBERS[lower] ?? PROTOCOL_ALIASES[lower] ?? lower;
}

/** Source ports of the clients the model speaks for. */
export const CLIENT_PORTS = PortSet.of({ from: 1024, to: 65535 });
