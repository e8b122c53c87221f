// Family-independent analyses over a Ruleset: what a family's checks turn into findings with their own rule
// ids, messages and fix syntax. Every claim is made on confident outcomes only ('unknown' never exposes).
import type { Span } from '../../../core/types';
import { AddressSet, VERY_WIDE_PUBLIC, publicPart } from '../../../net';
import { type Chain, type Decision, type FirewallRule, type IpFamily, type Outcome, type Protocol, type Ruleset, PROTOCOLS } from './model';
import { type PortReach, portReach, portSegments, serviceMatrix, tooHeavy } from './matrix';
import { type FirewallService, FIREWALL_SERVICES, servicesOn } from './services';
import { type PortRange, PortSet } from './ports';
import { type ServiceFacts, servicesBehind } from './nearby';

/** The one "very wide" judgement of src/net, for a set of public addresses of one family. */
export function isVeryWide(publicSet: AddressSet, family: IpFamily): boolean {
  return publicSet.size() >= (family === 4 ? VERY_WIDE_PUBLIC.v4 : VERY_WIDE_PUBLIC.v6);
}

export interface ServiceExposure {
  service: FirewallService;
  protocol: Protocol;
  /** Public addresses (beyond the trusted networks) this decision lets reach the port. */
  publicSet: AddressSet;
  publicCount: bigint;
}

export interface DecisionExposure {
  decision: Decision;
  family: IpFamily;
  exposures: ServiceExposure[];
  /** 'error' | 'warning' | 'info': the most serious of the services. */
  severity: FirewallService['severity'];
  /** The largest public count among the services (for the message). */
  publicCount: bigint;
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * Remote-administration and datastore ports a very wide part of the internet reaches, grouped by the rule or
 * policy that lets them in. Only confident accepts count.
 */
export function publicServiceExposures(ruleset: Ruleset, trusted: AddressSet = AddressSet.empty): DecisionExposure[] {
  // Several checks of a family ask (the exposure finding, the docker view, sshd's reach): answered once.
  return remembered(exposureMemo, ruleset, trusted, () => computeServiceExposures(ruleset, trusted));
}

/** One answer per ruleset and trusted networks (rulesets do not change once built). Never modify the answer. */
function remembered<K extends object, T>(memo: WeakMap<K, Map<AddressSet, T>>, key: K, trusted: AddressSet, compute: () => T): T {
  let byTrusted = memo.get(key);
  if (!byTrusted) memo.set(key, (byTrusted = new Map()));
  let known = byTrusted.get(trusted);
  if (known === undefined) byTrusted.set(trusted, (known = compute()));
  return known;
}

const exposureMemo = new WeakMap<Ruleset, Map<AddressSet, DecisionExposure[]>>();
const v6Memo = new WeakMap<Ruleset, WeakMap<Ruleset, Map<AddressSet, V6Opening[]>>>();

function computeServiceExposures(ruleset: Ruleset, trusted: AddressSet): DecisionExposure[] {
  const byDecision = new Map<object, DecisionExposure>();
  for (const service of FIREWALL_SERVICES)
    for (const protocol of service.protocols) {
      const reach = portReach(ruleset, protocol, service.port, { trusted });
      for (const outcome of reach.outcomes) {
        if (outcome.verdict !== 'accept' || !outcome.decidedBy) continue;
        const publicSet = publicPart(outcome.sources).subtract(trusted);
        if (!isVeryWide(publicSet, ruleset.family)) continue;
        const decision = explicitAlternative(outcome) ?? outcome.via ?? outcome.decidedBy;
        const key = decisionKey(decision);
        let entry = byDecision.get(key);
        if (!entry) byDecision.set(key, (entry = { decision, family: ruleset.family, exposures: [], severity: 'info', publicCount: 0n }));
        entry.exposures.push({ service, protocol, publicSet, publicCount: publicSet.size() });
        if (RANK[service.severity] < RANK[entry.severity]) entry.severity = service.severity;
        if (publicSet.size() > entry.publicCount) entry.publicCount = publicSet.size();
      }
    }
  return [...byDecision.values()];
}

/**
 * When a policy decides only because an undecidable match (an interface) was false, and the other way a rule
 * written for this port accepts too, that rule is what the operator wrote for the port: findings name it.
 */
export function explicitAlternative(outcome: Outcome): Decision | undefined {
  if (outcome.decidedBy?.kind !== 'policy') return undefined;
  return outcome.alternatives?.find((decision) => decision.kind === 'rule' && decision.rule.match.dports !== undefined);
}

export function decisionKey(decision: Decision): object {
  return decision.kind === 'rule' ? decision.rule : decision.chain;
}

export interface PolicyOpening {
  chain: Chain;
  /** Ports (per protocol) where the policy lets very wide public sources in. */
  ports: Map<Protocol, PortSet>;
  services: FirewallService[];
  publicCount: bigint;
}

/**
 * Base chains whose ACCEPT policy decides for a very wide part of the internet on some port: the rules stop
 * before a catch-all DROP/REJECT. `chains` limits the answer to the filtering base chains (the caller's
 * choice: iptables filter INPUT, an nft filter chain on the input hook).
 */
export function policyOpenings(ruleset: Ruleset, chains: ReadonlySet<Chain>, trusted: AddressSet = AddressSet.empty): PolicyOpening[] {
  const byChain = new Map<Chain, PolicyOpening>();
  for (const reach of serviceMatrix(ruleset, { trusted }))
    for (const outcome of reach.outcomes) {
      const decision = outcome.decidedBy;
      if (outcome.verdict !== 'accept' || decision?.kind !== 'policy' || !chains.has(decision.chain) || explicitAlternative(outcome)) continue;
      const publicSet = publicPart(outcome.sources).subtract(trusted);
      if (!isVeryWide(publicSet, ruleset.family)) continue;
      let entry = byChain.get(decision.chain);
      if (!entry) byChain.set(decision.chain, (entry = { chain: decision.chain, ports: new Map(), services: [], publicCount: 0n }));
      entry.ports.set(reach.protocol, (entry.ports.get(reach.protocol) ?? PortSet.empty).union(PortSet.of(reach.ports)));
      for (const service of servicesOn(reach.protocol, reach.ports)) if (!entry.services.includes(service)) entry.services.push(service);
      if (publicSet.size() > entry.publicCount) entry.publicCount = publicSet.size();
    }
  return [...byChain.values()];
}

export interface V6Opening {
  /** What lets IPv6 in (a rule or a policy of the IPv6 ruleset). */
  decision: Decision;
  ports: Map<Protocol, PortSet>;
  services: FirewallService[];
  publicCount: bigint;
  /** For each protocol, an IPv4 decision that keeps the same ports closed to most of the internet (for related locations). */
  v4Decisions: Decision[];
}

/**
 * Ports the IPv4 ruleset keeps from the internet (no very wide public IPv4 part reaches them, confidently)
 * while the IPv6 ruleset lets a very wide part of the IPv6 internet in.
 */
export function ipv6OpenWhereV4Restricted(v4: Ruleset, v6: Ruleset, trusted: AddressSet = AddressSet.empty): V6Opening[] {
  // nftables asks from two checks (ipv6-left-open, and input-default-accept to leave its openings out).
  let byV6 = v6Memo.get(v4);
  if (!byV6) v6Memo.set(v4, (byV6 = new WeakMap()));
  return remembered(byV6, v6, trusted, () => computeV6Openings(v4, v6, trusted));
}

function computeV6Openings(v4: Ruleset, v6: Ruleset, trusted: AddressSet): V6Opening[] {
  const byDecision = new Map<object, V6Opening>();
  if (tooHeavy(v4, v6)) return [];
  for (const protocol of PROTOCOLS) {
    const starts = new Set<number>();
    for (const segment of [...portSegments(v4, protocol), ...portSegments(v6, protocol)]) starts.add(segment.from);
    const sorted = [...starts].sort((a, b) => a - b);
    sorted.forEach((from, index) => {
      const segment: PortRange = { from, to: index + 1 < sorted.length ? sorted[index + 1]! - 1 : 65535 };
      const four = portReach(v4, protocol, from, { trusted });
      if (!restricted(four)) return;
      const six = portReach(v6, protocol, from, { trusted });
      for (const outcome of six.outcomes) {
        if (outcome.verdict !== 'accept' || !outcome.decidedBy) continue;
        const publicSet = publicPart(outcome.sources).subtract(trusted);
        if (!isVeryWide(publicSet, 6)) continue;
        const decision = outcome.via ?? outcome.decidedBy;
        const key = decisionKey(decision);
        let entry = byDecision.get(key);
        if (!entry) byDecision.set(key, (entry = { decision, ports: new Map(), services: [], publicCount: 0n, v4Decisions: [] }));
        entry.ports.set(protocol, (entry.ports.get(protocol) ?? PortSet.empty).union(PortSet.of(segment)));
        for (const service of servicesOn(protocol, segment)) if (!entry.services.includes(service)) entry.services.push(service);
        if (publicSet.size() > entry.publicCount) entry.publicCount = publicSet.size();
        const closing = four.outcomes.find((o) => (o.verdict === 'drop' || o.verdict === 'reject') && o.decidedBy);
        if (closing?.decidedBy && !entry.v4Decisions.some((d) => decisionKey(d) === decisionKey(closing.decidedBy!))) entry.v4Decisions.push(closing.decidedBy);
      }
    });
  }
  return [...byDecision.values()];
}

/** Confidently closed to all but a narrow part of the public internet, and filtered by a rule or policy at all. */
function restricted(reach: PortReach): boolean {
  if (!reach.unknown.isEmpty()) return false;
  if (!reach.outcomes.some((outcome) => outcome.decidedBy)) return false;
  return !isVeryWide(reach.publicAccepted, reach.family);
}

/** The rule or policy span a decision is reported on (undefined for an implicit policy). */
export function decisionSpan(decision: Decision) {
  return decision.kind === 'rule' ? decision.rule.span : (decision.chain.policy?.span ?? decision.chain.span);
}

/** Rules a part of the internet reaches through, for related locations. */
export function acceptingRules(outcomes: readonly Outcome[]): FirewallRule[] {
  const out: FirewallRule[] = [];
  for (const outcome of outcomes)
    if (outcome.verdict === 'accept' && outcome.decidedBy?.kind === 'rule' && !out.includes(outcome.decidedBy.rule)) out.push(outcome.decidedBy.rule);
  return out;
}

/** A port match wider than this is a range opened for some other purpose (RTP 10000:20000), not for the service at hand. */
const WIDE_PORT_RANGE = 16;

/** A service port a wide range rule opens incidentally: named only when that service is configured nearby. */
export function incidentalExposure(rule: FirewallRule, exposure: ServiceExposure, facts: ServiceFacts): boolean {
  const ports = rule.match.dports;
  if (!ports || ports.size() <= WIDE_PORT_RANGE) return false;
  return servicesBehind(facts, exposure.protocol, exposure.service.port).length === 0;
}

export function worstSeverity(exposures: readonly ServiceExposure[]): FirewallService['severity'] {
  return exposures.reduce<FirewallService['severity']>((worst, item) => (RANK[item.service.severity] < RANK[worst] ? item.service.severity : worst), 'info');
}

export function largestCount(exposures: readonly ServiceExposure[]): bigint {
  return exposures.reduce((max, item) => (item.publicCount > max ? item.publicCount : max), 0n);
}

/** One place's exposures over both IP versions, as a finding reports them. */
export interface PlaceExposure {
  /** The decisions that still expose a service once incidental exposures are left out. */
  decisions: DecisionExposure[];
  services: ServiceExposure[];
  severity: FirewallService['severity'];
  /** The decision the counts are quoted from: IPv4 when it is open (the counts a reader can weigh), else the first. */
  main: DecisionExposure;
  publicCount: bigint;
  families: IpFamily[];
}

/**
 * The exposures found for one rule or element (in IPv4 and IPv6), without the service ports a wide port range
 * opens only incidentally; undefined when nothing is left to report.
 */
export function placeExposure(found: readonly DecisionExposure[], facts: ServiceFacts): PlaceExposure | undefined {
  const decisions = found
    .map((exposure) => ({
      ...exposure,
      exposures: exposure.exposures.filter((item) => exposure.decision.kind !== 'rule' || !incidentalExposure(exposure.decision.rule, item, facts)),
    }))
    .filter((exposure) => exposure.exposures.length > 0);
  const main = decisions.find((exposure) => exposure.family === 4) ?? decisions[0];
  if (!main) return undefined;
  const services = decisions.flatMap((exposure) => exposure.exposures);
  return {
    decisions,
    services,
    severity: worstSeverity(services),
    main,
    publicCount: largestCount(main.exposures),
    families: [...new Set(decisions.map((exposure) => exposure.family))],
  };
}

/** Related locations with each place once (the IPv4 and IPv6 answers point at the same service). */
export function distinctRelated<T extends { span: Span }>(related: readonly T[]): T[] {
  const seen = new Set<string>();
  return related.filter((item) => {
    const key = `${item.span.file}:${item.span.start}:${item.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
