// The nftables ruleset as the shared packet-path model sees it: one Ruleset per IP version. A packet for this
// host passes every base chain on the prerouting and input hooks of the tables of its family (ip or ip6) and
// of inet tables, and netdev ingress chains before them, in priority order; an accept ends one base chain and
// the next still runs, a drop is final (nft(8) "BASE CHAIN", the kernel's hook list). Rules become model
// rules: concatenations and verdict maps become one rule per element (their keys are disjoint).
import { text } from '../../core/check';
import type { Action, Chain, FirewallRule, IpFamily, Ruleset, RuleMatch } from '../shared/firewall';
import type { NftChain, NftRule, NftRuleset, NftTable } from './model';
import { type MatchExpression, type RuleMeaning, readRule } from './rule';
import { type Context, type Draft, apply, emptyDraft, unknownCondition, unknownDraft, wildcard } from './match';
import { type Node, isWord } from './syntax';
import { nodeText } from './parser';

/** A model rule that remembers the nft rule it stands for. */
export interface NftModelRule extends FirewallRule {
  source: NftRule;
  /** The rule's reading (shared by the model rules one nft rule becomes). */
  meaning: RuleMeaning;
}

export interface NftModel {
  family: IpFamily;
  ruleset: Ruleset;
  /** The model chain of each nft chain of the tables this family sees. */
  chains: Map<NftChain, Chain>;
  /** Base chains of type filter on the input hook (where a default policy decides what reaches services). */
  filterInput: Set<Chain>;
}

const HOOK_ORDER: Record<string, number> = { ingress: 0, prerouting: 1, input: 2 };
/** How many model rules one nft rule may become (concatenations times map elements). */
const MAX_ALTERNATIVES = 4096;

/** Every rule's reading, by rule. */
export function readRules(ruleset: NftRuleset): Map<NftRule, RuleMeaning> {
  const meanings = new Map<NftRule, RuleMeaning>();
  for (const table of ruleset.tables)
    for (const chain of table.chains.values()) for (const rule of chain.rules) meanings.set(rule, readRule(rule.nodes, table));
  return meanings;
}

export function buildModels(ruleset: NftRuleset, meanings: Map<NftRule, RuleMeaning>): { v4: NftModel; v6: NftModel } {
  const hasNat = [...meanings.values()].some((meaning) => meaning.nat?.kind === 'dnat' || meaning.nat?.kind === 'redirect');
  return { v4: buildModel(ruleset, 4, meanings, hasNat), v6: buildModel(ruleset, 6, meanings, hasNat) };
}

export function chainKey(chain: NftChain): string {
  return `${chain.table.family} ${chain.table.name} ${chain.name}`;
}

function sees(table: NftTable, family: IpFamily): boolean {
  if (table.dormant) return false;
  return table.family === 'inet' || table.family === 'netdev' || table.family === (family === 4 ? 'ip' : 'ip6');
}

function buildModel(ruleset: NftRuleset, family: IpFamily, meanings: Map<NftRule, RuleMeaning>, hasNat: boolean): NftModel {
  const chains = new Map<string, Chain>();
  const byChain = new Map<NftChain, Chain>();
  const filterInput = new Set<Chain>();
  const bases: { chain: NftChain; model: Chain }[] = [];
  for (const table of ruleset.tables) {
    if (!sees(table, family)) continue;
    for (const chain of table.chains.values()) {
      const base = chain.base;
      const hooked = base && base.hook in HOOK_ORDER && (table.family === 'netdev') === (base.hook === 'ingress');
      const rules: FirewallRule[] = [];
      if (hooked && table.family === 'netdev') {
        // A netdev chain only sees packets of its devices: the others pass it untouched.
        rules.push({
          span: base.span,
          match: { inInterface: { names: base.devices.map(wildcard), negated: true, span: base.span } },
          action: { kind: 'accept' },
        });
      }
      for (const rule of chain.rules) rules.push(...translate(rule, meanings.get(rule)!, family, hasNat));
      const model: Chain = {
        name: chainKey(chain),
        rules,
        span: chain.span,
        ...(hooked ? { policy: { verdict: base.policy, ...(base.policySpan ? { span: base.policySpan } : {}) } } : {}),
      };
      chains.set(model.name, model);
      byChain.set(chain, model);
      if (hooked) {
        bases.push({ chain, model });
        if (base.hook === 'input' && base.type === 'filter') filterInput.add(model);
      }
    }
  }
  bases.sort(
    (a, b) =>
      HOOK_ORDER[a.chain.base!.hook]! - HOOK_ORDER[b.chain.base!.hook]! ||
      (a.chain.base!.priority ?? 0) - (b.chain.base!.priority ?? 0) ||
      a.chain.order - b.chain.order,
  );
  return { family, ruleset: { family, chains, input: bases.map((base) => base.model.name) }, chains: byChain, filterInput };
}

function translate(rule: NftRule, meaning: RuleMeaning, family: IpFamily, hasNat: boolean): NftModelRule[] {
  let drafts: Draft[] = [emptyDraft()];
  const context: Context = { family, hasNat, table: rule.chain.table };
  for (const match of meaning.matches) {
    drafts = drafts.flatMap((draft) => apply(draft, match, context));
    if (drafts.length > MAX_ALTERNATIVES) drafts = [unknownDraft(rule.span, text('nftables.too-many-elements'))];
  }
  for (const limit of meaning.limits)
    for (const draft of drafts)
      // A rate limit lets a client through at its rate (`limit rate 10/minute accept` still exposes the
      // port); `limit rate over …` matches only floods, never one new connection.
      draft.conditions.push({ span: limit.span, decide: () => (limit.over ? 'no' : 'yes') });
  for (const part of meaning.unknown)
    for (const draft of drafts) draft.conditions.push(unknownCondition(part.span, text('nftables.unknown-expression', { expression: part.text })));

  const out: NftModelRule[] = [];
  const emit = (draft: Draft, action: Action) => {
    if (draft.never) return;
    const match = finish(draft);
    if (!match) return;
    out.push({ span: rule.span, match, action, ...(draft.sourceSpans.length ? { sourceSpans: draft.sourceSpans } : {}), source: rule, meaning });
  };
  if (meaning.vmap) {
    const vmap = meaning.vmap;
    const mapMatch: MatchExpression = {
      kind: 'match',
      selector: vmap.selector,
      selectorSpan: vmap.selectorSpan,
      op: 'eq',
      value: vmap.value,
      masked: false,
      span: vmap.span,
    };
    if (vmap.value.missingSet || vmap.value.set?.dynamic) {
      for (const draft of drafts)
        emit(draft, { kind: 'unknown', reason: text('nftables.unknown-map', { map: vmap.value.missingSet ?? vmap.value.set!.name }) });
      return out;
    }
    for (const element of vmap.value.elements) {
      const action = verdictAction(element.mapsTo ?? [], rule);
      const one: MatchExpression = { ...mapMatch, value: { elements: [{ ...element }], span: element.span } };
      for (const draft of drafts) for (const variant of apply(draft, one, context)) emit(variant, action);
    }
    return out;
  }
  const action = ruleAction(meaning, rule);
  for (const draft of drafts) emit(draft, action);
  return out;
}

function ruleAction(meaning: RuleMeaning, rule: NftRule): Action {
  const verdict = meaning.verdict;
  if (verdict) {
    switch (verdict.kind) {
      case 'accept':
      case 'drop':
      case 'reject':
      case 'continue':
      case 'return':
        return { kind: verdict.kind };
      case 'jump':
      case 'goto':
        return { kind: verdict.kind, chain: `${rule.chain.table.family} ${rule.chain.table.name} ${verdict.target}` };
      case 'queue':
        return { kind: 'unknown', reason: text('nftables.queue') };
    }
  }
  if (meaning.nat && (meaning.nat.kind === 'dnat' || meaning.nat.kind === 'redirect' || meaning.nat.kind === 'tproxy'))
    return { kind: 'unknown', reason: text('nftables.nat-redirect') };
  return { kind: 'continue' };
}

function verdictAction(nodes: readonly Node[], rule: NftRule): Action {
  const [first, second] = nodes;
  if (isWord(first, 'accept', 'drop', 'continue', 'return')) return { kind: first.text as 'accept' };
  if (isWord(first, 'jump', 'goto') && second && (isWord(second) || second.kind === 'string'))
    return { kind: first.text as 'jump', chain: `${rule.chain.table.family} ${rule.chain.table.name} ${second.text}` };
  return { kind: 'unknown', reason: text('nftables.unknown-expression', { expression: nodes.map(nodeText).join(' ') }) };
}

function finish(draft: Draft): RuleMatch | undefined {
  const match: RuleMatch = {};
  if (draft.source) match.source = draft.source;
  if (draft.destination) {
    match.destination = draft.destination;
    if (draft.destinationSpan) match.destinationSpan = draft.destinationSpan;
  }
  if (draft.protocols) {
    const names = [...draft.protocols].filter((name) => !draft.notProtocols.has(name));
    if (names.length === 0) return undefined;
    match.protocols = { names, negated: false };
  } else if (draft.notProtocols.size) match.protocols = { names: [...draft.notProtocols], negated: true };
  if (draft.dports) {
    if (draft.dports.isEmpty()) return undefined;
    match.dports = draft.dports;
  }
  if (draft.sports) {
    if (draft.sports.isEmpty()) return undefined;
    match.sports = draft.sports;
    if (draft.sportsSpan) match.sportsSpan = draft.sportsSpan;
  }
  if (draft.inInterface) match.inInterface = draft.inInterface;
  if (draft.conditions.length) match.conditions = draft.conditions;
  return match;
}
