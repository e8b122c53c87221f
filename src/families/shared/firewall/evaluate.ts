// The packet-path engine: follows chain order, jumps, gotos, returns and policies for a set of source
// addresses at once, splitting the set where rules split it. A match the model cannot decide (an interface,
// an unknown ipset, an unmodelled module) is followed both ways; where the two ways disagree the answer is
// 'unknown', never a confident exposure.
import { text } from '../../../core/check';
import type { AddressSet } from '../../../net';
import {
  type Chain,
  type Decision,
  type FirewallRule,
  type Outcome,
  type Packet,
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
  // Checks ask the same whole-space questions many times: answer each once per ruleset.
  const cacheable = !sources && !options.visit && !options.enter;
  const key = `${packet.protocol}|${packet.port}|${packet.inInterface ?? ''}|${packet.destination ?? ''}|${packet.hook ?? ''}`;
  if (cacheable) {
    const known = cache.get(ruleset)?.get(key);
    if (known) return known;
  }
  const outcomes = evaluateUncached(ruleset, packet, sources ?? universe(ruleset.family), options);
  if (cacheable) {
    let byKey = cache.get(ruleset);
    if (!byKey) cache.set(ruleset, (byKey = new Map()));
    byKey.set(key, outcomes);
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
      part.isEmpty() ? [] : [{ sources: part, verdict: chain.policy?.verdict ?? 'accept', decidedBy: { kind: 'policy', chain }, unknowns: [] }];
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
    // the end: one recursion and one normalisation per rule made long chains quadratic and deep).
    let set = entering;
    const decided: Outcome[] = [];
    for (let i = index; i < chain.rules.length; i++) {
      if (set.isEmpty()) return normalise(decided);
      const rule = chain.rules[i]!;
      const { tri, unknowns } = this.matchOtherThanSource(rule);
      if (tri === 'no') continue;
      const matched = rule.match.source ? set.intersect(rule.match.source) : set;
      if (matched.isEmpty()) continue;
      this.options.visit?.(rule, chain, matched, tri);
      const unmatched = set.subtract(matched);
      const action = rule.action.kind;
      if (
        tri === 'yes' &&
        (action === 'accept' || action === 'drop' || action === 'reject' || action === 'unknown' || action === 'goto' || action === 'return')
      ) {
        // Terminal for the matched part: the rest of the chain only sees the unmatched part.
        decided.push(...this.act(rule, chain, i, matched, onReturn, depth, () => []));
        set = unmatched;
        continue;
      }
      // The rest of the chain, evaluated once for the whole set and cut to size where needed.
      let restCache: Outcome[] | undefined;
      const whole = set;
      const rest = () => (restCache ??= this.run(chain, i + 1, whole, onReturn, depth));
      const taken = this.act(rule, chain, i, matched, onReturn, depth, rest);
      if (tri === 'yes') return normalise([...decided, ...taken, ...restrict(rest(), unmatched)]);
      const merged = combine(taken, restrict(rest(), matched), unknowns);
      return normalise([...decided, ...merged, ...restrict(rest(), unmatched)]);
    }
    if (decided.length === 0) return set.isEmpty() ? [] : onReturn(set);
    return normalise(set.isEmpty() ? decided : [...decided, ...onReturn(set)]);
  }

  private act(rule: FirewallRule, chain: Chain, index: number, matched: AddressSet, onReturn: Continuation, depth: number, rest: () => Outcome[]): Outcome[] {
    const decidedBy: Decision = { kind: 'rule', rule, chain };
    const action = rule.action;
    switch (action.kind) {
      case 'accept':
      case 'drop':
      case 'reject':
        return [{ sources: matched, verdict: action.kind, decidedBy, unknowns: [] }];
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

/** Every match of the rule but the source address, for this packet: holds, does not, or cannot tell (and why). */
const NO: { tri: Tri; unknowns: Uncertainty[] } = Object.freeze({ tri: 'no', unknowns: [] }) as { tri: Tri; unknowns: Uncertainty[] };
const protocolNames = new WeakMap<object, readonly string[]>();

/** Protocol and port first: most rules of a large ruleset fail there, and cheaply. */
function quickNo(match: FirewallRule['match'], packet: Packet): boolean {
  if (match.dports && !match.dports.has(packet.port)) return true;
  const protocols = match.protocols;
  if (!protocols) return false;
  let names = protocolNames.get(protocols);
  if (!names) protocolNames.set(protocols, (names = protocols.names.map(normaliseProtocol)));
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
    const sources = outcome.sources.intersect(set);
    if (!sources.isEmpty()) out.push({ ...outcome, sources });
  }
  return out;
}

/**
 * Where an undecidable rule may or may not take the packet: `taken` if it does, `skipped` if it does not.
 * Where both reach the same verdict, that verdict stands; elsewhere the answer is unknown.
 */
function combine(taken: readonly Outcome[], skipped: readonly Outcome[], why: readonly Uncertainty[]): Outcome[] {
  const out: Outcome[] = [];
  for (const a of taken)
    for (const b of skipped) {
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

function alternativesOf(a: Outcome, b: Outcome): Decision[] {
  const out: Decision[] = [...(b.alternatives ?? [])];
  for (const decision of [a.decidedBy, ...(a.alternatives ?? [])]) if (decision && decision !== b.decidedBy && !out.includes(decision)) out.push(decision);
  return out;
}

function dedupe(unknowns: Uncertainty[]): Uncertainty[] {
  const seen = new Set<string>();
  return unknowns.filter((item) => {
    const key = `${item.span.file}:${item.span.start}:${item.span.end}:${item.reason.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Joins outcomes that say the same thing, so partitions stay small. */
function normalise(outcomes: readonly Outcome[]): Outcome[] {
  const groups = new Map<string, Outcome>();
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
    const key = `${outcome.verdict}|${outcome.decidedBy?.kind ?? ''}|${id(decided)}|${via}|${alternatives}|${outcome.unknowns.map((u) => `${u.span.file}:${u.span.start}:${u.reason.text}`).join(';')}`;
    const known = groups.get(key);
    if (known) groups.set(key, { ...known, sources: known.sources.union(outcome.sources) });
    else groups.set(key, outcome);
  }
  return [...groups.values()];
}
