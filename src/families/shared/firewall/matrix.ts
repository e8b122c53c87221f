// The service matrix: for every destination port (in segments that behave alike), which sources reach this
// host, as address sets; and the analyses built on it (dead restrictions).
import { AddressSet, publicPart } from '../../../net';
import { text } from '../../../core/check';
import type { ParseProblem } from '../../../core/format';
import { limitProblem } from '../../../core/limits';
import type { SourceText } from '../../../core/source';
import { type Chain, type FirewallRule, type IpFamily, type Outcome, type Protocol, type Ruleset, PROTOCOLS } from './model';
import { evaluate, evaluateDockerPublished, matchRule, normalisedNames, portSegments, segmentIndex } from './evaluate';
import type { PortRange } from './ports';

export interface PortReach {
  family: IpFamily;
  protocol: Protocol;
  /** The ports this entry is for: every port in the range behaves the same way. */
  ports: PortRange;
  /** The partition of the family's address space (see `evaluate`). */
  outcomes: Outcome[];
  /** Sources the model is sure reach the port. */
  accepted: AddressSet;
  /** Sources the model cannot decide for. */
  unknown: AddressSet;
  /** The public part of `accepted`, beyond the trusted networks. */
  publicAccepted: AddressSet;
  /** `publicAccepted.size()`. */
  publicCount: bigint;
}

export interface MatrixOptions {
  /** Networks the organisation owns (CheckContext.trusted): never counted as public. */
  trusted?: AddressSet;
  protocols?: readonly Protocol[];
  /** Arrival interface, when known (the referee). */
  inInterface?: string;
}

export { portSegments } from './evaluate';

/**
 * Rules times port segments: what a whole-matrix analysis costs. Beyond WORKLOAD_LIMIT (a generated ruleset of
 * many thousand rules, as kube-proxy writes) the matrix analyses answer nothing rather than stall the editor.
 */
export function workload(ruleset: Ruleset): number {
  return weigh(ruleset).work;
}

export const WORKLOAD_LIMIT = 2_000_000;

/**
 * Rule visits a whole-matrix analysis makes: for every port segment, the rules its packets can match by
 * protocol and port (each evaluation walks only those). Counted in O(n log n) from the rules' port ranges.
 */
export function visits(ruleset: Ruleset): number {
  return weigh(ruleset).visited;
}

/**
 * workload and visits of a ruleset, counted once (the load's limit problem and every whole-matrix analysis
 * ask; rulesets do not change once built).
 */
function weigh(ruleset: Ruleset): { work: number; visited: number } {
  let known = weights.get(ruleset);
  if (!known) weights.set(ruleset, (known = { work: countWorkload(ruleset), visited: countVisits(ruleset) }));
  return known;
}

const weights = new WeakMap<Ruleset, { work: number; visited: number }>();

function countWorkload(ruleset: Ruleset): number {
  let rules = 0;
  for (const chain of ruleset.chains.values()) rules += chain.rules.length;
  return rules * (portSegments(ruleset, 'tcp').length + portSegments(ruleset, 'udp').length);
}

function countVisits(ruleset: Ruleset): number {
  let total = 0;
  for (const protocol of PROTOCOLS) {
    const segments = portSegments(ruleset, protocol);
    const starts = segments.map((segment) => segment.from);
    const segmentOf = (port: number) => segmentIndex(starts, port);
    for (const chain of ruleset.chains.values())
      for (const rule of chain.rules) {
        const protocols = rule.match.protocols;
        if (protocols) {
          const names = normalisedNames(protocols);
          if ((names.includes('all') || names.includes(protocol)) === protocols.negated) continue;
        }
        const dports = rule.match.dports;
        if (!dports) total += starts.length;
        else for (const range of dports.ranges) total += segmentOf(range.to) - segmentOf(range.from) + 1;
      }
  }
  return total;
}

/**
 * Beyond this many rule visits (a ruleset where thousands of port-less rules meet thousands of port segments)
 * the matrix analyses answer nothing rather than keep the editor busy for seconds; like WORKLOAD_LIMIT, only
 * generated rulesets reach it.
 */
export const VISIT_LIMIT = 150_000;

/** Whether the whole-matrix analyses are skipped for these rulesets (WORKLOAD_LIMIT, VISIT_LIMIT). */
export function tooHeavy(...rulesets: Ruleset[]): boolean {
  let work = 0;
  let visited = 0;
  for (const ruleset of rulesets) {
    work += workload(ruleset);
    visited += visits(ruleset);
  }
  return work > WORKLOAD_LIMIT || visited > VISIT_LIMIT;
}

/**
 * The parse problem that says the whole-matrix analyses were skipped for this file's rulesets (at its first
 * line, as information: the rules were read and every rule-by-rule check still ran), or undefined.
 */
export function matrixLimitProblem(source: SourceText, ...rulesets: Ruleset[]): ParseProblem | undefined {
  if (!tooHeavy(...rulesets)) return undefined;
  const span = { file: source.path, start: 0, end: source.lineEnd(0) };
  const work = rulesets.reduce((sum, ruleset) => sum + workload(ruleset), 0);
  return work > WORKLOAD_LIMIT
    ? limitProblem(span, text('firewall.limit.matrix-work'), WORKLOAD_LIMIT, 'info')
    : limitProblem(span, text('firewall.limit.matrix-visits'), VISIT_LIMIT, 'info');
}

/** Reachability of one port. */
export function portReach(ruleset: Ruleset, protocol: Protocol, port: number, options: MatrixOptions = {}): PortReach {
  return summarise(ruleset, protocol, { from: port, to: port }, evaluate(ruleset, packetFor(ruleset, protocol, port, options)), options);
}

/** Reachability of a port Docker publishes (through DOCKER-USER), for the container's port. */
export function dockerPortReach(ruleset: Ruleset, protocol: Protocol, containerPort: number, options: MatrixOptions = {}): PortReach {
  const outcomes = evaluateDockerPublished(ruleset, packetFor(ruleset, protocol, containerPort, options));
  return summarise(ruleset, protocol, { from: containerPort, to: containerPort }, outcomes, options);
}

/** The service matrix: every port segment of every protocol, with the sources that reach it. */
export function serviceMatrix(ruleset: Ruleset, options: MatrixOptions = {}): PortReach[] {
  // The plain question (trusted networks only) is asked by several checks: answered once per ruleset.
  const plain = !options.protocols && !options.inInterface;
  const trusted = options.trusted ?? AddressSet.empty;
  if (plain) {
    const known = matrixMemo.get(ruleset)?.get(trusted);
    if (known) return known;
  }
  const out = computeServiceMatrix(ruleset, options);
  if (plain) {
    let byTrusted = matrixMemo.get(ruleset);
    if (!byTrusted) matrixMemo.set(ruleset, (byTrusted = new Map()));
    byTrusted.set(trusted, out);
  }
  return out;
}

const matrixMemo = new WeakMap<Ruleset, Map<AddressSet, PortReach[]>>();

function computeServiceMatrix(ruleset: Ruleset, options: MatrixOptions): PortReach[] {
  const out: PortReach[] = [];
  if (tooHeavy(ruleset)) return out;
  for (const protocol of options.protocols ?? PROTOCOLS)
    for (const segment of portSegments(ruleset, protocol))
      out.push(summarise(ruleset, protocol, segment, evaluate(ruleset, packetFor(ruleset, protocol, segment.from, options)), options));
  return out;
}

function packetFor(ruleset: Ruleset, protocol: Protocol, port: number, options: MatrixOptions) {
  return { family: ruleset.family, protocol, port, ...(options.inInterface ? { inInterface: options.inInterface } : {}) };
}

function summarise(ruleset: Ruleset, protocol: Protocol, ports: PortRange, outcomes: Outcome[], options: MatrixOptions): PortReach {
  const union = (verdict: Outcome['verdict']) => AddressSet.unionAll(outcomes.filter((o) => o.verdict === verdict).map((o) => o.sources));
  const accepted = union('accept');
  const publicAccepted = publicPart(accepted).subtract(options.trusted ?? AddressSet.empty);
  return { family: ruleset.family, protocol, ports, outcomes, accepted, unknown: union('unknown'), publicAccepted, publicCount: publicAccepted.size() };
}

export interface DeadRule {
  rule: FirewallRule;
  chain: Chain;
  /** The earlier ACCEPT rules that take every packet this rule was written for. */
  shadowedBy: FirewallRule[];
}

/**
 * DROP/REJECT rules no new TCP or UDP connection can reach with a matching packet, because earlier ACCEPT
 * rules take all of them. Rules whose match the model cannot decide, or that only match other protocols,
 * are never called dead.
 */
export function deadRestrictions(ruleset: Ruleset): DeadRule[] {
  if (tooHeavy(ruleset)) return [];
  const live = new Set<FirewallRule>();
  // For each chain, per probe (protocol and port segment), the sources that start it.
  const entered = new Map<Chain, Map<string, AddressSet>>();
  const probes: Array<{ protocol: Protocol; port: number; key: string }> = [];
  for (const protocol of PROTOCOLS)
    for (const segment of portSegments(ruleset, protocol)) {
      const key = `${protocol}:${segment.from}`;
      probes.push({ protocol, port: segment.from, key });
      evaluate(ruleset, { family: ruleset.family, protocol, port: segment.from }, undefined, {
        visit: (rule) => live.add(rule),
        enter: (chain, set) => {
          const byProbe = entered.get(chain) ?? new Map<string, AddressSet>();
          byProbe.set(key, (byProbe.get(key) ?? AddressSet.empty).union(set));
          entered.set(chain, byProbe);
        },
      });
    }
  const out: DeadRule[] = [];
  for (const chain of ruleset.chains.values())
    for (const rule of chain.rules) {
      const kind = rule.action.kind;
      if ((kind !== 'drop' && kind !== 'reject') || live.has(rule)) continue;
      // The packets this rule was written for that reach its chain at all: which rules decide them.
      const shadowedBy = new Set<FirewallRule>();
      let allAccepted = true;
      let any = false;
      for (const probe of probes) {
        const reaching = entered.get(chain)?.get(probe.key);
        if (!reaching) continue;
        const packet = { family: ruleset.family, protocol: probe.protocol, port: probe.port };
        const own = matchRule(ruleset, rule, packet);
        if (own.tri === 'no') continue;
        if (own.tri === 'unknown') {
          allAccepted = false;
          break;
        }
        const sources = rule.match.source ? reaching.intersect(rule.match.source) : reaching;
        if (sources.isEmpty()) continue;
        any = true;
        for (const outcome of evaluate(ruleset, packet, sources)) {
          // The accepting rule itself when it sits in the dead rule's chain; otherwise the jump that led there.
          const inChain = outcome.decidedBy?.kind === 'rule' && outcome.decidedBy.chain === chain;
          const decision = inChain ? outcome.decidedBy : (outcome.via ?? outcome.decidedBy);
          if (outcome.verdict !== 'accept' || decision?.kind !== 'rule') {
            allAccepted = false;
            continue;
          }
          shadowedBy.add(decision.rule);
        }
      }
      if (!any || !allAccepted || !shadowedBy.size) continue;
      out.push({ rule, chain, shadowedBy: [...shadowedBy] });
    }
  return out;
}
