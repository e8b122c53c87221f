// The packet-path engine: follows chain order, jumps, gotos, returns and policies for a set of source
// addresses at once, splitting the set where rules split it. A match the model cannot decide (an interface,
// an unknown ipset, an unmodelled module) is followed both ways; where the two ways disagree the answer is
// 'unknown', never a confident exposure.
import { text } from '../../../core/check';
import { AddressCoverage, AddressSet } from '../../../net';
import { MAX_PORT, type PortRange } from './ports';
import {
  type Chain,
  type Decision,
  type FirewallRule,
  type Outcome,
  type Packet,
  type Protocol,
  type Ruleset,
  type Tri,
  type Uncertainty,
  CLIENT_PORTS,
  hostUnicast,
  normaliseProtocol,
  reaches,
  universe,
} from './model';

/** Chains calling chains deeper than this are not followed (iptables refuses loops; nft limits jumps too). */
const MAX_DEPTH = 64;
/**
 * Chain walks (a jump, a return into the caller's rest, …) one evaluation may start: a chain that jumps twice
 * to a chain that jumps twice… is walked 2^depth times. Past the limit the rest is "cannot tell" (with a
 * reason naming the limit).
 */
export const MAX_EVALUATION_STEPS = 2_000;
/** Nested walks (a jump, a return into the caller's rest, …) on the call stack; beyond it: "cannot tell". */
const MAX_NESTED_WALKS = 1_000;

export interface EvaluateOptions {
  /** Called for every rule a part of the queried set reaches, with the part the rule's match takes (may be undecided). */
  visit?: (rule: FirewallRule, chain: Chain, matched: AddressSet, tri: Tri) => void;
  /** Called when a part of the queried set starts a chain (base or called). */
  enter?: (chain: Chain, set: AddressSet) => void;
}

/**
 * For a new inbound connection `packet` from any address of `sources` (default: the family's whole space):
 * which rule or policy decides and with what verdict. The outcomes partition `sources`.
 */
export function evaluate(ruleset: Ruleset, packet: Packet, sources?: AddressSet, options: EvaluateOptions = {}): Outcome[] {
  // Checks ask the same whole-space questions many times: answer each once per ruleset. A walk that reports
  // what it visits (visit, enter) is made again, since its callers need the reports, but what it answers is
  // kept all the same: the reports only observe the walk (restriction-shadowed walks every port segment before
  // the checks that ask the same of the service matrix).
  const wholeSpace = !sources;
  const observed = Boolean(options.visit || options.enter);
  // Ports of one segment (portSegments) get the same answer: rules see the port only through their dports.
  const port = wholeSpace ? segmentStart(ruleset, packet.protocol, packet.port) : packet.port;
  const key = `${packet.protocol}|${port}|${packet.inInterface ?? ''}|${packet.destination ?? ''}|${packet.hook ?? ''}`;
  let byKey = wholeSpace ? cache.get(ruleset) : undefined;
  if (wholeSpace && !observed) {
    const known = byKey?.get(key);
    if (known) return known;
  }
  startEvaluation();
  const outcomes = evaluateUncached(ruleset, packet, sources ?? universe(ruleset.family), options);
  if (wholeSpace) {
    if (!byKey) cache.set(ruleset, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, outcomes);
  }
  return outcomes;
}

const cache = new WeakMap<Ruleset, Map<string, Outcome[]>>();

function evaluateUncached(ruleset: Ruleset, packet: Packet, sources: AddressSet, options: EvaluateOptions): Outcome[] {
  const set = sources.intersect(universe(ruleset.family));
  if (set.isEmpty()) return [];
  let pending: Outcome[] = [{ sources: set, verdict: 'accept', unknowns: [] }];
  for (const name of ruleset.input) {
    const chain = ruleset.chains.get(name);
    if (!chain) continue;
    const next: Outcome[] = [];
    for (const outcome of pending) {
      if (outcome.verdict === 'drop' || outcome.verdict === 'reject') {
        next.push(outcome);
        continue;
      }
      const stage = new Walker(ruleset, packet, options).base(chain, outcome.sources);
      for (const result of stage) {
        // A later base chain that only lets the packet pass by its accept policy (nft: another table on the same
        // hook) did not open the port: the rule of an earlier chain that accepted it did.
        if (outcome.verdict === 'accept' && result.verdict === 'accept' && result.decidedBy?.kind === 'policy' && outcome.decidedBy?.kind === 'rule')
          next.push({ ...outcome, sources: result.sources, unknowns: [...outcome.unknowns, ...result.unknowns] });
        else if (outcome.verdict === 'accept' || result.verdict === 'drop' || result.verdict === 'reject') next.push(result);
        else next.push({ ...result, verdict: 'unknown', unknowns: [...outcome.unknowns, ...result.unknowns] });
      }
    }
    pending = normalise(next);
  }
  return pending;
}

/**
 * The same question for a port Docker publishes: the packet is forwarded to the container after Docker's
 * DNAT, `DOCKER-USER` sees it first (with the container's port), and whatever that chain does not drop
 * Docker's own rules accept. Without a DOCKER-USER chain in the files every source reaches the container.
 */
export function evaluateDockerPublished(ruleset: Ruleset, packet: Packet, sources: AddressSet = universe(ruleset.family)): Outcome[] {
  startEvaluation();
  const set = sources.intersect(universe(ruleset.family));
  const chain = ruleset.dockerUser ? ruleset.chains.get(ruleset.dockerUser) : undefined;
  if (!chain) return set.isEmpty() ? [] : [{ sources: set, verdict: 'accept', unknowns: [] }];
  const accepting: Chain = { ...chain, policy: { verdict: 'accept' } };
  // Docker's own rule after DOCKER-USER accepts what returns; the policy stands for it (decidedBy left out).
  return new Walker(ruleset, { ...packet, destination: undefined, hook: 'forward' }, {})
    .base(accepting, set)
    .map((outcome) => (outcome.decidedBy?.kind === 'policy' ? { sources: outcome.sources, verdict: outcome.verdict, unknowns: outcome.unknowns } : outcome));
}

type Continuation = (set: AddressSet) => Outcome[];

/** Outcomes without uncertainty share one (never modified) empty list. */
const NO_UNKNOWNS: readonly Uncertainty[] = Object.freeze([]) as readonly Uncertainty[];

class Walker {
  private steps = 0;
  private nested = 0;

  constructor(
    private readonly ruleset: Ruleset,
    private readonly packet: Packet,
    private readonly options: EvaluateOptions,
  ) {}

  base(chain: Chain, set: AddressSet): Outcome[] {
    const policy: Continuation = (part) =>
      part.isEmpty() ? [] : [{ sources: part, verdict: chain.policy?.verdict ?? 'accept', decidedBy: { kind: 'policy', chain }, unknowns: NO_UNKNOWNS }];
    return normalise(this.run(chain, 0, set, policy, 0));
  }

  private run(chain: Chain, index: number, entering: AddressSet, onReturn: Continuation, depth: number): Outcome[] {
    if (entering.isEmpty()) return [];
    if (++this.steps > MAX_EVALUATION_STEPS || this.nested >= MAX_NESTED_WALKS) {
      const rule = chain.rules[index] ?? chain.rules[chain.rules.length - 1];
      const reason = text('firewall.too-many-steps', { limit: MAX_EVALUATION_STEPS });
      return [
        {
          sources: entering,
          verdict: 'unknown',
          ...(rule ? { decidedBy: { kind: 'rule' as const, rule, chain } } : {}),
          unknowns: rule ? [{ span: rule.span, reason }] : [],
        },
      ];
    }
    this.nested++;
    try {
      return this.walk(chain, index, entering, onReturn, depth);
    } finally {
      this.nested--;
    }
  }

  private walk(chain: Chain, index: number, entering: AddressSet, onReturn: Continuation, depth: number): Outcome[] {
    if (index === 0) this.options.enter?.(chain, entering);
    // Terminal rules take their part and the loop goes on with the rest (iteratively, and normalised once at
    // the end: one recursion and one normalisation per rule made long chains quadratic and deep). What earlier
    // rules took is kept in a balanced tree (AddressCoverage), so each rule costs O(log n) plus the part it
    // takes, not a copy of everything left (a list of many source rules was quadratic).
    const taken = new AddressCoverage();
    let takenAny = false;
    let left = entering.size();
    const remaining = () => (takenAny ? entering.subtract(taken.toSet()) : entering);
    const decided: Outcome[] = [];
    // Only the rules whose protocol and port can match this packet (an index per port segment): a walk costs
    // what its packet can match, not the whole chain (the service matrix walks every segment).
    const candidates = candidateRules(this.ruleset, chain, this.packet);
    for (let c = firstAtOrAfter(candidates, index); c < candidates.length; c++) {
      const i = candidates[c]!;
      if (left === 0n) return normalise(decided);
      const rule = chain.rules[i]!;
      const { tri, unknowns } = this.matchOtherThanSource(rule);
      if (tri === 'no') continue;
      const action = rule.action.kind;
      if (
        tri === 'yes' &&
        (action === 'accept' || action === 'drop' || action === 'reject' || action === 'unknown' || action === 'goto' || action === 'return')
      ) {
        // Terminal for the matched part: the rest of the chain only sees the unmatched part.
        const matched = taken.takeSet(rule.match.source ? overlap(entering, rule.match.source) : entering);
        if (matched.isEmpty()) continue;
        takenAny = true;
        left -= matched.size();
        this.options.visit?.(rule, chain, matched, tri);
        decided.push(...this.act(rule, chain, i, matched, onReturn, depth, () => []));
        continue;
      }
      // A rule that does not end the walk for what it matches: skipped cheaply when it matches nothing left.
      if (rule.match.source && uncoveredPart(taken, overlap(entering, rule.match.source)).isEmpty()) continue;
      const set = remaining();
      const matched = rule.match.source ? overlap(set, rule.match.source) : set;
      if (matched.isEmpty()) continue;
      this.options.visit?.(rule, chain, matched, tri);
      const unmatched = set.subtract(matched);
      // The rest of the chain, evaluated once for the whole set and cut to size where needed.
      let restCache: Outcome[] | undefined;
      const whole = set;
      const rest = () => (restCache ??= this.run(chain, i + 1, whole, onReturn, depth));
      const takenHere = this.act(rule, chain, i, matched, onReturn, depth, rest);
      if (tri === 'yes') return normalise([...decided, ...takenHere, ...restrict(rest(), unmatched)]);
      const merged = combine(takenHere, restrict(rest(), matched), unknowns);
      return normalise([...decided, ...merged, ...restrict(rest(), unmatched)]);
    }
    if (left === 0n) return normalise(decided);
    const set = remaining();
    if (decided.length === 0) return onReturn(set);
    return normalise([...decided, ...onReturn(set)]);
  }

  private act(rule: FirewallRule, chain: Chain, index: number, matched: AddressSet, onReturn: Continuation, depth: number, rest: () => Outcome[]): Outcome[] {
    const decidedBy: Decision = { kind: 'rule', rule, chain };
    const action = rule.action;
    switch (action.kind) {
      case 'accept':
      case 'drop':
      case 'reject':
        return [{ sources: matched, verdict: action.kind, decidedBy, unknowns: NO_UNKNOWNS }];
      case 'unknown':
        return [{ sources: matched, verdict: 'unknown', decidedBy, unknowns: [{ span: rule.span, reason: action.reason }] }];
      case 'continue':
        return restrict(rest(), matched);
      case 'return':
        return onReturn(matched);
      case 'jump':
      case 'goto': {
        const target = this.ruleset.chains.get(action.chain);
        if (!target || target.policy) {
          const reason = target ? text('firewall.jump-to-base-chain', { chain: action.chain }) : text('firewall.undefined-chain', { chain: action.chain });
          return [{ sources: matched, verdict: 'unknown', decidedBy, unknowns: [{ span: rule.span, reason }] }];
        }
        if (depth >= MAX_DEPTH)
          return [
            { sources: matched, verdict: 'unknown', decidedBy, unknowns: [{ span: rule.span, reason: text('firewall.too-deep', { depth: MAX_DEPTH }) }] },
          ];
        const back: Continuation = action.kind === 'jump' ? (part) => restrict(rest(), part) : onReturn;
        void index;
        const inner = this.run(target, 0, matched, back, depth + 1);
        if (matchesEverything(rule)) return inner;
        // A verdict of a catch-all rule in the called chain (ufw's `ufw-user-limit-accept -j ACCEPT`) was
        // selected by this jump: remember it, so findings can point at the rule that names the port.
        return inner.map((outcome) =>
          outcome.via || outcome.decidedBy?.kind !== 'rule' || outcome.decidedBy.chain !== target || !matchesEverything(outcome.decidedBy.rule)
            ? outcome
            : { ...outcome, via: decidedBy },
        );
      }
    }
  }

  private matchOtherThanSource(rule: FirewallRule): { tri: Tri; unknowns: Uncertainty[] } {
    return matchRule(this.ruleset, rule, this.packet);
  }
}

/**
 * Port boundaries where some rule's port match starts or stops: ports between two boundaries behave alike.
 * Computed once per ruleset and protocol (the whole-matrix limits, the matrix and the evaluation cache all ask);
 * the list is shared, never modify it.
 */
export function portSegments(ruleset: Ruleset, protocol: Protocol): readonly PortRange[] {
  let byProtocol = portSegmentCache.get(ruleset);
  if (!byProtocol) portSegmentCache.set(ruleset, (byProtocol = new Map()));
  let segments = byProtocol.get(protocol);
  if (!segments) byProtocol.set(protocol, (segments = computePortSegments(ruleset, protocol)));
  return segments;
}

const portSegmentCache = new WeakMap<Ruleset, Map<Protocol, readonly PortRange[]>>();

function computePortSegments(ruleset: Ruleset, protocol: Protocol): PortRange[] {
  const starts = new Set<number>([0]);
  for (const chain of ruleset.chains.values())
    for (const rule of chain.rules) {
      const protocols = rule.match.protocols;
      if (protocols && !protocols.negated && !normalisedNames(protocols).some((name) => name === protocol || name === 'all')) continue;
      for (const range of rule.match.dports?.ranges ?? []) {
        starts.add(range.from);
        if (range.to < MAX_PORT) starts.add(range.to + 1);
      }
    }
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((from, index) => ({ from, to: index + 1 < sorted.length ? sorted[index + 1]! - 1 : MAX_PORT }));
}

/** A protocol match's names, normalised (cached per match: rules are read many times per lint). */
export function normalisedNames(protocols: NonNullable<FirewallRule['match']['protocols']>): readonly string[] {
  let names = protocolNames.get(protocols);
  if (!names) protocolNames.set(protocols, (names = protocols.names.map(normaliseProtocol)));
  return names;
}

/**
 * Indices (ascending) of the chain's rules that quickNo does not rule out for the packet's protocol and port.
 * Ports are looked up by segment (portSegments: every rule's dports behave alike across one segment), and each
 * segment's list is built once per ruleset, chain and protocol, from an index of the chain built once: the
 * rules without a port match, the rules by port for narrow port matches, and the rules with wide ones (a list
 * built by testing every rule made each probed port cost the whole chain).
 */
function candidateRules(ruleset: Ruleset, chain: Chain, packet: Packet): readonly number[] {
  let byRules = candidateCache.get(ruleset);
  if (!byRules) candidateCache.set(ruleset, (byRules = new WeakMap()));
  let index = byRules.get(chain.rules);
  if (!index) byRules.set(chain.rules, (index = new Map()));
  let perProtocol = index.get(packet.protocol);
  if (!perProtocol) index.set(packet.protocol, (perProtocol = indexChain(chain.rules, packet.protocol)));
  const starts = segmentStarts(ruleset, packet.protocol);
  // The segment holding the port: the last start at or below it.
  const segment = Math.max(0, segmentIndex(starts, packet.port));
  let list = perProtocol.lists.get(segment);
  if (!list) {
    const port = starts[segment] ?? packet.port;
    const rules = chain.rules;
    const wide = perProtocol.wide.filter((i) => rules[i]!.match.dports!.has(port));
    list = mergeAscending(mergeAscending(perProtocol.always, perProtocol.byPort.get(port) ?? []), wide);
    perProtocol.lists.set(segment, list);
  }
  return list;
}

interface ChainIndex {
  /** Rules of the protocol without a port match. */
  always: number[];
  /** Rules of the protocol whose port match holds few ports, by port. */
  byPort: Map<number, number[]>;
  /** Rules of the protocol with a wide port match (tested per segment). */
  wide: number[];
  lists: Map<number, readonly number[]>;
}

/** Port matches of at most this many ports are indexed port by port. */
const NARROW_PORTS = 64;

function indexChain(rules: readonly FirewallRule[], protocol: Protocol): ChainIndex {
  const out: ChainIndex = { always: [], byPort: new Map(), wide: [], lists: new Map() };
  for (let i = 0; i < rules.length; i++) {
    const match = rules[i]!.match;
    const protocols = match.protocols;
    if (protocols) {
      const names = normalisedNames(protocols);
      if ((names.includes('all') || names.includes(protocol)) === protocols.negated) continue;
    }
    const dports = match.dports;
    if (!dports) out.always.push(i);
    else if (dports.size() > NARROW_PORTS) out.wide.push(i);
    else
      for (const range of dports.ranges)
        for (let port = range.from; port <= range.to; port++) {
          const list = out.byPort.get(port);
          if (list) list.push(i);
          else out.byPort.set(port, [i]);
        }
  }
  return out;
}

/** The union of two ascending lists of distinct numbers, ascending. */
function mergeAscending(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      out.push(x);
      i++;
    } else if (y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

const candidateCache = new WeakMap<Ruleset, WeakMap<readonly FirewallRule[], Map<string, ChainIndex>>>();

/** The first port of every segment of the ruleset for the protocol (cached per ruleset). */
function segmentStarts(ruleset: Ruleset, protocol: Protocol): readonly number[] {
  let byProtocol = segmentCache.get(ruleset);
  if (!byProtocol) segmentCache.set(ruleset, (byProtocol = new Map()));
  let starts = byProtocol.get(protocol);
  if (!starts) byProtocol.set(protocol, (starts = portSegments(ruleset, protocol).map((segment) => segment.from)));
  return starts;
}

const segmentCache = new WeakMap<Ruleset, Map<Protocol, number[]>>();

/** The index of the last of the sorted `starts` at or below `port` (-1 when all are above it). */
export function segmentIndex(starts: readonly number[], port: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= port) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The first port of the segment holding `port`. */
function segmentStart(ruleset: Ruleset, protocol: Protocol, port: number): number {
  const starts = segmentStarts(ruleset, protocol);
  return starts[Math.max(0, segmentIndex(starts, port))] ?? port;
}

/** The first position of `sorted` holding a value at or above `value`. */
function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every match of the rule but the source address, for this packet: holds, does not, or cannot tell (and why). */
const NO: { tri: Tri; unknowns: Uncertainty[] } = Object.freeze({ tri: 'no', unknowns: [] }) as { tri: Tri; unknowns: Uncertainty[] };
const protocolNames = new WeakMap<object, readonly string[]>();

/** Protocol and port first: most rules of a large ruleset fail there, and cheaply. */
function quickNo(match: FirewallRule['match'], packet: Packet): boolean {
  if (match.dports && !match.dports.has(packet.port)) return true;
  const protocols = match.protocols;
  if (!protocols) return false;
  const names = normalisedNames(protocols);
  return (names.includes('all') || names.includes(packet.protocol)) === protocols.negated;
}

export function matchRule(ruleset: Ruleset, rule: FirewallRule, packet: Packet): { tri: Tri; unknowns: Uncertainty[] } {
  const { match } = rule;
  if (quickNo(match, packet)) return NO;
  const unknowns: Uncertainty[] = [];
  const state: { tri: Tri } = { tri: 'yes' };
  const and = (value: Tri, uncertainty?: () => Uncertainty) => {
    if (value === 'no') state.tri = 'no';
    else if (value === 'unknown' && state.tri !== 'no') {
      state.tri = 'unknown';
      if (uncertainty) unknowns.push(uncertainty());
    }
  };
  // Protocol and destination port hold (quickNo).
  if (match.sports) {
    const value: Tri = match.sports.covers(CLIENT_PORTS) ? 'yes' : match.sports.overlaps(CLIENT_PORTS) ? 'unknown' : 'no';
    and(value, () => ({ span: match.sportsSpan ?? rule.span, reason: text('firewall.unknown-source-port') }));
  }
  if (match.destination) {
    const destination = match.destination;
    let value: Tri;
    if (packet.destination !== undefined) value = destination.contains(packet.destination) ? 'yes' : 'no';
    else {
      const host = hostUnicast(ruleset.family);
      value = host.subtract(destination).isEmpty() ? 'yes' : host.intersect(destination).isEmpty() ? 'no' : 'unknown';
    }
    and(value, () => ({ span: match.destinationSpan ?? rule.span, reason: text('firewall.unknown-destination') }));
  }
  if (match.inInterface) {
    const inInterface = match.inInterface;
    and(interfaceMatches(inInterface.names, inInterface.negated, packet.inInterface), () => ({
      span: inInterface.span,
      reason: text('firewall.unknown-interface', { name: inInterface.names.join(', ') }),
    }));
  }
  for (const condition of match.conditions ?? []) {
    if ((state.tri as Tri) === 'no') break;
    and(condition.decide(packet), () => ({ span: condition.span, reason: condition.reason ?? text('firewall.unknown-match') }));
  }
  return { tri: state.tri, unknowns: state.tri === 'unknown' ? unknowns : [] };
}

/** A rule without any match: it decides for whatever reaches it. */
export function matchesEverything(rule: FirewallRule): boolean {
  const m = rule.match;
  return !m.source && !m.destination && !m.protocols && !m.dports && !m.sports && !m.inInterface && !m.conditions?.length;
}

function interfaceMatches(names: readonly string[], negated: boolean, actual: string | undefined): Tri {
  const one = (name: string): Tri => {
    if (name === '+') return 'yes';
    if (actual !== undefined) return (name.endsWith('+') ? actual.startsWith(name.slice(0, -1)) : actual === name) ? 'yes' : 'no';
    // A packet from another host never arrives on loopback.
    if (name === 'lo') return 'no';
    return 'unknown';
  };
  let any: Tri = 'no';
  for (const name of names) {
    const value = one(name);
    if (value === 'yes') any = 'yes';
    else if (value === 'unknown' && any === 'no') any = 'unknown';
  }
  if (!negated) return any;
  return any === 'yes' ? 'no' : any === 'no' ? 'yes' : 'unknown';
}

function restrict(outcomes: readonly Outcome[], set: AddressSet): Outcome[] {
  const out: Outcome[] = [];
  for (const outcome of outcomes) {
    const sources = overlap(set, outcome.sources);
    if (!sources.isEmpty()) out.push({ ...outcome, sources });
  }
  return out;
}

/**
 * `big ∩ small`, in O(m log n) when `small` has few intervals (one range per interval, by binary search)
 * rather than a merge over all of `big`: a chain's remaining set may hold thousands of intervals.
 */
function overlap(big: AddressSet, small: AddressSet): AddressSet {
  const m = small.intervals.length;
  if (m === 0 || big.isEmpty()) return AddressSet.empty;
  if (m * 32 >= big.intervals.length) return big.intersect(small);
  if (m === 1) return big.intersectRange(small.intervals[0]!);
  return AddressSet.unionAll(small.intervals.map((range) => big.intersectRange(range)));
}

/** The part of `set` the coverage does not cover (no change). */
function uncoveredPart(coverage: AddressCoverage, set: AddressSet): AddressSet {
  if (set.intervals.length === 1) return coverage.uncovered(set.intervals[0]!);
  return AddressSet.unionAll(set.intervals.map((range) => coverage.uncovered(range)));
}

/**
 * Where an undecidable rule may or may not take the packet: `taken` if it does, `skipped` if it does not.
 * Where both reach the same verdict, that verdict stands; elsewhere the answer is unknown.
 */
function combine(taken: readonly Outcome[], skipped: readonly Outcome[], why: readonly Uncertainty[]): Outcome[] {
  const out: Outcome[] = [];
  for (const [a, b] of overlappingPairs(taken, skipped)) {
    const sources = a.sources.intersect(b.sources);
    if (sources.isEmpty()) continue;
    const same = reaches(a.verdict) !== undefined && reaches(a.verdict) === reaches(b.verdict);
    // Both ways agree: the decision is the one taken when the match is false; the other one is kept as an alternative.
    if (same) out.push({ ...b, sources, alternatives: alternativesOf(a, b) });
    else
      out.push({ sources, verdict: 'unknown', ...(b.decidedBy ? { decidedBy: b.decidedBy } : {}), unknowns: dedupe([...why, ...a.unknowns, ...b.unknowns]) });
  }
  return out;
}

/**
 * The pairs (a of `taken`, b of `skipped`) whose sources may overlap, in the order of the nested loop over
 * both. Outcomes of one evaluation partition their set, so an index of `skipped`'s intervals finds each a's
 * partners by binary search: every pair tried made long chains of undecidable rules quadratic per rule.
 */
function overlappingPairs(taken: readonly Outcome[], skipped: readonly Outcome[]): Array<[Outcome, Outcome]> {
  const pairs: Array<[Outcome, Outcome]> = [];
  const index: Array<{ start: bigint; end: bigint; owner: number }> = [];
  skipped.forEach((outcome, owner) => {
    for (const range of outcome.sources.intervals) index.push({ start: range.start, end: range.end, owner });
  });
  index.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  let disjoint = true;
  for (let i = 1; i < index.length && disjoint; i++) if (index[i]!.start <= index[i - 1]!.end) disjoint = false;
  if (!disjoint || taken.length * skipped.length <= 16) {
    for (const a of taken) for (const b of skipped) pairs.push([a, b]);
    return pairs;
  }
  for (const a of taken) {
    const owners = new Set<number>();
    for (const range of a.sources.intervals) {
      // The first indexed interval ending at or after range.start (ends rise with starts: disjoint).
      let lo = 0;
      let hi = index.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (index[mid]!.end < range.start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < index.length && index[i]!.start <= range.end; i++) owners.add(index[i]!.owner);
    }
    for (const owner of [...owners].sort((x, y) => x - y)) pairs.push([a, skipped[owner]!]);
  }
  return pairs;
}

function alternativesOf(a: Outcome, b: Outcome): Decision[] {
  const out: Decision[] = [...(b.alternatives ?? [])];
  for (const decision of [a.decidedBy, ...(a.alternatives ?? [])]) if (decision && decision !== b.decidedBy && !out.includes(decision)) out.push(decision);
  return out;
}

/**
 * The distinct uncertainties, at most MAX_UNKNOWNS of them: each undecidable rule on the way adds its own, and a
 * chain of thousands of them (a mangled file) made every outcome carry, and every step copy, thousands.
 */
function dedupe(unknowns: readonly Uncertainty[]): Uncertainty[] {
  const seen = new Set<string>();
  const out: Uncertainty[] = [];
  for (const item of unknowns) {
    if (out.length >= MAX_UNKNOWNS) break;
    const key = uncertaintyKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** Uncertainties one outcome lists at most (the first ones met on the packet's way). */
export const MAX_UNKNOWNS = 64;

const uncertaintyKeys = new WeakMap<Uncertainty, string>();

function uncertaintyKey(item: Uncertainty): string {
  let key = uncertaintyKeys.get(item);
  if (key === undefined) uncertaintyKeys.set(item, (key = `${item.span.file}:${item.span.start}:${item.span.end}:${item.reason.text}`));
  return key;
}

/** Joins outcomes that say the same thing, so partitions stay small. */
function normalise(outcomes: readonly Outcome[]): Outcome[] {
  // One outcome is its own group (nearly half the calls): no key to build.
  if (outcomes.length === 1) return outcomes[0]!.sources.isEmpty() ? [] : [outcomes[0]!];
  const groups = new Map<string, { first: Outcome; sources: AddressSet[] }>();
  const ids = new Map<object, number>();
  const id = (value: object | undefined) => {
    if (!value) return 0;
    let known = ids.get(value);
    if (known === undefined) ids.set(value, (known = ids.size + 1));
    return known;
  };
  for (const outcome of outcomes) {
    if (outcome.sources.isEmpty()) continue;
    const decided = outcome.decidedBy ? (outcome.decidedBy.kind === 'rule' ? outcome.decidedBy.rule : outcome.decidedBy.chain) : undefined;
    const alternatives = (outcome.alternatives ?? []).map((d) => id(d.kind === 'rule' ? d.rule : d.chain)).join(',');
    const via = outcome.via?.kind === 'rule' ? id(outcome.via.rule) : 0;
    const key = `${outcome.verdict}|${outcome.decidedBy?.kind ?? ''}|${id(decided)}|${via}|${alternatives}|${unknownsKey(outcome.unknowns)}`;
    const known = groups.get(key);
    if (known) known.sources.push(outcome.sources);
    else groups.set(key, { first: outcome, sources: [outcome.sources] });
  }
  // Each group's parts joined in one sort (a union per part made a group of many parts quadratic).
  return [...groups.values()].map(({ first, sources }) => (sources.length === 1 ? first : { ...first, sources: AddressSet.unionAll(sources) }));
}

/**
 * Lists of uncertainties compared by content through small interned numbers: a key holding every span and
 * reason text of a long list was rebuilt and hashed at every step. Interned numbers are dropped, and the
 * generation moves on, between evaluations once there are many.
 */
let generation = 0;
const internedUncertainties = new Map<string, number>();
const internedLists = new Map<string, number>();
const uncertaintyIds = new WeakMap<Uncertainty, { generation: number; id: number }>();
const listIds = new WeakMap<readonly Uncertainty[], { generation: number; id: number }>();

function startEvaluation(): void {
  if (internedUncertainties.size + internedLists.size < 100_000) return;
  internedUncertainties.clear();
  internedLists.clear();
  generation++;
}

function intern(table: Map<string, number>, key: string): number {
  let id = table.get(key);
  if (id === undefined) table.set(key, (id = table.size + 1));
  return id;
}

function uncertaintyId(item: Uncertainty): number {
  const known = uncertaintyIds.get(item);
  if (known && known.generation === generation) return known.id;
  const id = intern(internedUncertainties, `${item.span.file}:${item.span.start}:${item.reason.text}`);
  uncertaintyIds.set(item, { generation, id });
  return id;
}

function unknownsKey(unknowns: readonly Uncertainty[]): string {
  if (unknowns.length === 0) return '';
  const known = listIds.get(unknowns);
  if (known && known.generation === generation) return String(known.id);
  const id = intern(internedLists, unknowns.map(uncertaintyId).join(','));
  listIds.set(unknowns, { generation, id });
  return String(id);
}
