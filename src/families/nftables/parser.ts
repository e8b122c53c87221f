// Reads nft commands the way `nft -f` runs them, in order: `flush ruleset`, tables and what they hold,
// `add`/`insert`/`delete`/`flush` commands, `define`/`redefine`/`undefine` (scoped to the block they are
// written in, expanded where used) and `include` (spliced in where written). The result is the ruleset the
// file leaves behind when loaded into an empty kernel ruleset.
import { text } from '../../core/check';
import type { ParseProblem } from '../../core/format';
import { limitProblem } from '../../core/limits';
import type { Span } from '../../core/types';
import type { AddressSet } from '../../net';
import type { Token } from './lexer';
import { type IncludeRecord, NFT_FAMILIES, type NftChain, type NftFamily, type NftSet, type NftSetElement, type NftTable } from './model';
import { type Group, type Node, elements, isGroup, isPunct, isWord, spanOf, statements } from './syntax';
import { addressValue } from './values';

/** The included files an `include` statement reads (resolved by the loader before interpretation). */
export interface ResolvedInclude {
  pattern: string;
  files: { path: string; nodes: Node[] }[];
  /** Set when nft refuses the include (a plain file that does not exist, too deep). */
  problem?: ParseProblem;
}

export type IncludeLookup = (statementSpan: Span) => ResolvedInclude | undefined;

/** Chain priorities by name for the ip, ip6 and inet families (nft(8) "CHAINS", priority table). */
const NAMED_PRIORITIES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
/** nft 1.0 refuses these named priorities on other hooks (checked with `nft -c`): dstnat before routing, srcnat after. */
const PRIORITY_HOOKS: Record<string, readonly string[]> = { dstnat: ['prerouting'], srcnat: ['postrouting'] };
/** The kernel refuses nat chains at or before conntrack's priority (-200), and on the forward hook. */
const CONNTRACK_PRIORITY = -200;

const MAX_DEPTH = 32;
/**
 * Tokens one statement may receive from `$variables`, and the whole file: `define a2 = { $a1, $a1 }` doubles
 * its value, so a few dozen defines would need more memory than exists. Past a limit a `$variable` stays
 * unexpanded (its value unknown) and a problem names the limit.
 */
export const MAX_EXPANDED_TOKENS = 100_000;
export const MAX_EXPANDED_TOKENS_PER_FILE = 500_000;
const tokenCounts = new WeakMap<object, number>();

/** Tokens in `nodes`, groups included (counted once per node object). */
function tokenCount(nodes: readonly Node[]): number {
  let total = 0;
  for (const node of nodes) {
    if (!isGroup(node)) total++;
    else {
      let count = tokenCounts.get(node);
      if (count === undefined) tokenCounts.set(node, (count = 1 + tokenCount(node.items)));
      total += count;
    }
  }
  return total;
}

interface Scope {
  variables: Map<string, Node[]>;
  parent?: Scope;
}

export interface InterpretResult {
  tables: NftTable[];
  flushes: Span[];
  includes: IncludeRecord[];
  problems: ParseProblem[];
}

/** Included files spliced into one ruleset, counting a file once for every time it is included. */
export const MAX_INCLUSIONS = 2000;

export function interpret(nodes: readonly Node[], includes: IncludeLookup): InterpretResult {
  return new Interpreter(includes).run(nodes);
}

class Interpreter {
  private tables: NftTable[] = [];
  private readonly flushes: Span[] = [];
  private readonly includeRecords: IncludeRecord[] = [];
  private readonly problems: ParseProblem[] = [];
  private readonly setIntervals = new Map<NftSet, KnownIntervals>();
  private chainCount = 0;
  private secmarkNoted = false;
  /** Tokens `$variables` have put into statements so far (MAX_EXPANDED_TOKENS_PER_FILE). */
  private expandedTokens = 0;
  /** Files spliced in so far (MAX_INCLUSIONS), and the outermost `include` being spliced (where the limit is told). */
  private inclusions = 0;
  private outerInclude: Span | undefined;

  constructor(private readonly includes: IncludeLookup) {}

  run(nodes: readonly Node[]): InterpretResult {
    this.block(nodes, { variables: new Map() }, 0, (statement, scope) => this.command(statement, scope));
    return { tables: this.tables, flushes: this.flushes, includes: this.includeRecords, problems: this.problems };
  }

  private problem(span: Span, message: ReturnType<typeof text>, severity?: ParseProblem['severity']): void {
    this.problems.push({ span, message, ...(severity ? { severity } : {}) });
  }

  /** Runs a block's statements in order; `define`, `undefine` and `include` are handled the same in every block. */
  private block(nodes: readonly Node[], scope: Scope, depth: number, each: (statement: Node[], scope: Scope) => void): void {
    if (depth > MAX_DEPTH) {
      if (nodes[0]) this.problem(nodes[0].span, text('nftables.too-deep'));
      return;
    }
    for (const statement of statements(nodes)) {
      const head = statement[0]!;
      if (isWord(head, 'define', 'redefine')) this.define(statement, scope);
      else if (isWord(head, 'undefine')) {
        const name = statement[1];
        if (name && name.kind === 'word') this.lookupScope(scope, name.text)?.variables.delete(name.text);
      } else if (isWord(head, 'include')) this.include(statement, scope, depth, each);
      else each(statement, scope);
    }
  }

  private lookupScope(scope: Scope, name: string): Scope | undefined {
    for (let at: Scope | undefined = scope; at; at = at.parent) if (at.variables.has(name)) return at;
    return undefined;
  }

  private define(statement: Node[], scope: Scope): void {
    const name = statement[1];
    const equals = statement[2];
    if (!name || name.kind !== 'word' || !isPunct(equals, '=') || statement.length < 4) {
      this.problem(spanOf(statement), text('nftables.bad-define'));
      return;
    }
    scope.variables.set(name.text, this.expand(statement.slice(3), scope, 0));
  }

  private include(statement: Node[], scope: Scope, depth: number, each: (statement: Node[], scope: Scope) => void): void {
    const target = statement[1];
    if (!target || target.kind !== 'string') {
      this.problem(spanOf(statement), text('nftables.bad-include'));
      return;
    }
    const resolved = this.includes(target.span);
    if (!resolved) return;
    this.includeRecords.push({ span: target.span, pattern: resolved.pattern, files: resolved.files.map((file) => file.path) });
    if (resolved.problem) this.problems.push(resolved.problem);
    const outer = this.outerInclude === undefined;
    if (outer) this.outerInclude = target.span;
    for (const file of resolved.files) {
      // nft splices a file every time it is included: files that each include the next level's files would be
      // spliced fan^depth times. Past the limit nothing more is spliced, and the outermost include says so.
      if (++this.inclusions > MAX_INCLUSIONS) {
        if (this.inclusions === MAX_INCLUSIONS + 1) this.problems.push(limitProblem(this.outerInclude!, text('nftables.limit.inclusions'), MAX_INCLUSIONS));
        break;
      }
      this.block(file.nodes, scope, depth + 1, each);
    }
    if (outer) this.outerInclude = undefined;
  }

  /** Replaces `$name` by the define's value, in groups too; tokens keep the define's spans and record the use. */
  expand(nodes: readonly Node[], scope: Scope, depth: number, budget = { left: MAX_EXPANDED_TOKENS, reported: false }): Node[] {
    const out: Node[] = [];
    for (const node of nodes) {
      if (isGroup(node)) out.push({ ...node, items: this.expand(node.items, scope, depth, budget) });
      else if (node.kind === 'variable') {
        const value = this.lookupScope(scope, node.text)?.variables.get(node.text);
        if (!value) {
          this.problem(node.span, text('nftables.undefined-variable', { name: node.text }));
          out.push({ kind: 'word', text: `$${node.text}`, span: node.span });
        } else if (depth > MAX_DEPTH) out.push(node);
        else {
          const size = tokenCount(value);
          if (size > budget.left || this.expandedTokens + size > MAX_EXPANDED_TOKENS_PER_FILE) {
            if (!budget.reported) {
              const perFile = this.expandedTokens + size > MAX_EXPANDED_TOKENS_PER_FILE;
              this.problem(
                node.span,
                text('nftables.expansion-limit', { name: node.text, limit: perFile ? MAX_EXPANDED_TOKENS_PER_FILE : MAX_EXPANDED_TOKENS }),
              );
              budget.reported = true;
            }
            out.push(node);
          } else {
            budget.left -= size;
            this.expandedTokens += size;
            out.push(...value.map((item) => withUse(item, node.span)));
          }
        }
      } else out.push(node);
    }
    return out;
  }

  // ---- top-level commands -------------------------------------------------------------------------------

  private command(statement: Node[], scope: Scope): void {
    let words = statement;
    const verb = words[0]!;
    if (isWord(verb, 'flush') && isWord(words[1], 'ruleset')) {
      const family = isWord(words[2]) && (NFT_FAMILIES as string[]).includes(words[2].text) ? (words[2].text as NftFamily) : undefined;
      this.tables = family ? this.tables.filter((table) => table.family !== family) : [];
      this.flushes.push(spanOf(statement));
      return;
    }
    let action = 'add';
    if (isWord(verb, 'add', 'create', 'insert', 'delete', 'destroy', 'flush', 'replace', 'reset', 'list', 'rename')) {
      action = verb.text;
      words = words.slice(1);
    }
    const object = words[0];
    if (!object || !isWord(object)) {
      this.problem(spanOf(statement), text('nftables.unknown-command'));
      return;
    }
    const rest = words.slice(1);
    switch (object.text) {
      case 'table':
        return this.tableCommand(action, rest, scope, statement);
      case 'chain':
        return this.chainCommand(action, rest, scope, statement);
      case 'rule':
        return this.ruleCommand(action, rest, scope, statement);
      case 'set':
      case 'map':
        return this.setCommand(action, object.text === 'map', rest, scope, statement);
      case 'element':
        return this.elementCommand(action, rest, scope, statement);
      case 'ruleset':
      case 'counter':
      case 'counters':
      case 'quota':
      case 'quotas':
      case 'ct':
      case 'limit':
      case 'limits':
      case 'flowtable':
      case 'secmark':
      case 'synproxy':
      case 'tables':
      case 'chains':
      case 'sets':
      case 'maps':
      case 'meters':
      case 'flowtables':
        return;
      default:
        this.problem(spanOf(statement), text('nftables.unknown-command'));
    }
  }

  /** `[family] name`: returns the family, the name token and the index after them. */
  private tableSpec(nodes: readonly Node[], scope: Scope): { family: NftFamily; name: Token; next: number } | undefined {
    const expanded = this.expand(nodes.slice(0, 2), scope, 0);
    const first = expanded[0];
    if (!first || first.kind === 'group' || first.kind === 'newline') return undefined;
    if (isWord(first) && (NFT_FAMILIES as string[]).includes(first.text) && expanded[1] && !isGroup(expanded[1]) && expanded[1].kind !== 'punct')
      return { family: first.text as NftFamily, name: expanded[1] as Token, next: 2 };
    if (first.kind === 'punct') return undefined;
    return { family: 'ip', name: first, next: 1 };
  }

  private findTable(family: NftFamily, name: string): NftTable | undefined {
    return this.tables.find((table) => table.family === family && table.name === name);
  }

  private tableCommand(action: string, rest: Node[], scope: Scope, statement: Node[]): void {
    const spec = this.tableSpec(rest, scope);
    if (!spec) {
      this.problem(spanOf(statement), text('nftables.bad-table'));
      return;
    }
    let table = this.findTable(spec.family, spec.name.text);
    if (action === 'delete' || action === 'destroy') {
      if (!table && action === 'delete')
        this.problem(spec.name.span, text('nftables.delete-missing-table', { table: `${spec.family} ${spec.name.text}` }), 'warning');
      this.tables = this.tables.filter((known) => known !== table);
      return;
    }
    if (action === 'flush') {
      for (const chain of table?.chains.values() ?? []) chain.rules = [];
      return;
    }
    if (action === 'list' || action === 'reset' || action === 'rename') return;
    if (!table) {
      table = { family: spec.family, name: spec.name.text, span: spec.name.span, chains: new Map(), sets: new Map(), dormant: false };
      this.tables.push(table);
    }
    const body = rest[spec.next];
    if (isGroup(body)) this.tableBody(table, body, { variables: new Map(), parent: scope });
  }

  private tableBody(table: NftTable, body: Group, scope: Scope): void {
    // nft needs a line end or `;` after a chain's or set's closing brace, also before the table's own.
    const last = body.items[body.items.length - 1];
    if (isGroup(last) && body.close) this.problem(body.close.span, text('nftables.separator-before-brace'));
    this.block(body.items, scope, 1, (statement, inner) => {
      const head = statement[0]!;
      if (isWord(head, 'chain')) {
        const name = statement[1];
        if (!name || name.kind === 'group' || name.kind === 'punct') return this.problem(spanOf(statement), text('nftables.bad-chain'));
        const chain = this.declareChain(table, name as Token);
        const block = statement[2];
        if (isGroup(block)) this.chainBody(chain, block, { variables: new Map(), parent: inner });
      } else if (isWord(head, 'set', 'map')) {
        const name = statement[1];
        if (!name || name.kind === 'group' || name.kind === 'punct') return this.problem(spanOf(statement), text('nftables.bad-set'));
        const set = this.declareSet(table, name as Token, head.text === 'map');
        const block = statement[2];
        if (isGroup(block)) this.setBody(set, block, { variables: new Map(), parent: inner });
      } else if (isWord(head, 'flags')) {
        if (this.expand(statement.slice(1), inner, 0).some((node) => isWord(node, 'dormant'))) table.dormant = true;
      } else if (isWord(head, 'secmark')) {
        // A secmark object names an SELinux context; the kernel refuses it without SELinux and that policy.
        if (!this.secmarkNoted) this.problem(spanOf(statement), text('nftables.secmark-needs-selinux'), 'info');
        this.secmarkNoted = true;
      } else if (!isWord(head, 'comment', 'counter', 'quota', 'ct', 'limit', 'flowtable', 'synproxy', 'meter', 'tunnel'))
        this.problem(spanOf(statement), text('nftables.unknown-table-statement', { word: head.kind === 'group' ? '{' : head.text }));
    });
  }

  private declareChain(table: NftTable, name: Token): NftChain {
    let chain = table.chains.get(name.text);
    if (!chain) {
      chain = { table, name: name.text, span: name.span, rules: [], order: this.chainCount++ };
      table.chains.set(name.text, chain);
    }
    return chain;
  }

  private declareSet(table: NftTable, name: Token, isMap: boolean): NftSet {
    let set = table.sets.get(name.text);
    if (!set) {
      set = { table, name: name.text, span: name.span, isMap, keyTypes: [], flags: [], elements: [], autoMerge: false, dynamic: false };
      table.sets.set(name.text, set);
    }
    return set;
  }

  private chainBody(chain: NftChain, body: Group, scope: Scope): void {
    this.block(body.items, scope, 2, (statement, inner) => {
      const head = statement[0]!;
      if (isWord(head, 'type')) this.baseChain(chain, this.expand(statement, inner, 0));
      else if (isWord(head, 'policy')) this.policy(chain, this.expand(statement, inner, 0));
      else if (isWord(head, 'comment', 'devices', 'device', 'flags')) {
        if (isWord(head, 'devices', 'device') && chain.base) chain.base.devices = deviceNames(statement.slice(1));
      } else chain.rules.push({ chain, nodes: this.expand(statement, inner, 0), span: spanOf(statement) });
    });
  }

  private baseChain(chain: NftChain, statement: Node[]): void {
    const type = statement[1];
    const hookAt = statement.findIndex((node) => isWord(node, 'hook'));
    const hook = statement[hookAt + 1];
    const priorityAt = statement.findIndex((node) => isWord(node, 'priority'));
    if (!isWord(type) || hookAt < 0 || !isWord(hook)) {
      this.problem(spanOf(statement), text('nftables.bad-base-chain'));
      return;
    }
    let priority: number | undefined = 0;
    if (priorityAt < 0) {
      // nft 1.0 requires a priority for base chains (older releases defaulted to 0).
      this.problem(spanOf(statement), text('nftables.missing-priority'));
    } else priority = this.priority(statement.slice(priorityAt + 1), hook.text);
    if (type.text === 'nat' && (hook.text === 'forward' || (priority !== undefined && priority <= CONNTRACK_PRIORITY)))
      this.problem(spanOf(statement), text('nftables.nat-chain-not-allowed', { hook: hook.text }));
    const deviceAt = statement.findIndex((node) => isWord(node, 'device', 'devices'));
    chain.base = {
      type: type.text,
      hook: hook.text,
      priority,
      policy: chain.base?.policy ?? 'accept',
      ...(chain.base?.policySpan ? { policySpan: chain.base.policySpan } : {}),
      span: spanOf(statement),
      devices: deviceAt >= 0 ? deviceNames(statement.slice(deviceAt + 1, priorityAt > deviceAt ? priorityAt : undefined)) : (chain.base?.devices ?? []),
    };
  }

  /** `priority 0`, `priority -150`, `priority filter`, `priority filter + 10`, `priority mangle - 5`. */
  private priority(nodes: Node[], hook: string): number | undefined {
    const first = nodes[0];
    if (!isWord(first)) return undefined;
    let value: number | undefined;
    if (/^-?\d+$/.test(first.text)) value = Number(first.text);
    else if (first.text in NAMED_PRIORITIES) {
      value = NAMED_PRIORITIES[first.text]!;
      const hooks = PRIORITY_HOOKS[first.text];
      if (hooks && !hooks.includes(hook)) this.problem(first.span, text('nftables.priority-not-for-hook', { priority: first.text, hook }));
    } else return undefined;
    const sign = nodes[1];
    const amount = nodes[2];
    if (isWord(sign, '+', '-') && isWord(amount) && /^\d+$/.test(amount.text)) value += (sign.text === '+' ? 1 : -1) * Number(amount.text);
    else if (isWord(sign) && /^[+-]\d+$/.test(sign.text)) value += Number(sign.text);
    return value;
  }

  private policy(chain: NftChain, statement: Node[]): void {
    const value = statement[1];
    if (!isWord(value, 'accept', 'drop')) {
      this.problem(spanOf(statement), text('nftables.bad-policy'));
      return;
    }
    if (!chain.base) {
      this.problem(spanOf(statement), text('nftables.policy-without-hook'));
      return;
    }
    chain.base.policy = value.text as 'accept' | 'drop';
    chain.base.policySpan = spanOf(statement);
  }

  private setBody(set: NftSet, body: Group, scope: Scope): void {
    this.block(body.items, scope, 2, (statement, inner) => {
      const expanded = this.expand(statement, inner, 0);
      const head = expanded[0]!;
      if (isWord(head, 'type', 'typeof')) {
        const colon = expanded.findIndex((node) => isPunct(node, ':') || isWord(node, ':'));
        const keyNodes = expanded.slice(1, colon < 0 ? undefined : colon);
        set.keyTypes = splitConcat(keyNodes).map((part) => part.map(nodeText).join(' '));
      } else if (isWord(head, 'flags')) {
        set.flags = expanded.slice(1).flatMap((node) => (isWord(node) ? [node.text] : []));
        if (set.flags.includes('dynamic') || set.flags.includes('timeout')) set.dynamic = true;
      } else if (isWord(head, 'timeout')) set.dynamic = true;
      else if (isWord(head, 'auto-merge')) set.autoMerge = true;
      else if (isWord(head, 'elements')) {
        const group = expanded.find(isGroup);
        if (group) {
          const added = setElements(group);
          this.checkElements(set, added);
          set.elements.push(...added);
        }
      }
    });
  }

  /**
   * What nft refuses in a named set's elements: a prefix or range without `flags interval`, and (without
   * `auto-merge`) intervals that overlap ("conflicting intervals specified"). Checked with nft 1.0.6.
   */
  private checkElements(set: NftSet, added: readonly NftSetElement[]): void {
    const version =
      set.keyTypes.length === 1 ? (/ipv4_addr|ip (s|d)addr/.test(set.keyTypes[0]!) ? 4 : /ipv6_addr|ip6 (s|d)addr/.test(set.keyTypes[0]!) ? 6 : 0) : 0;
    if (!version || set.isMap) return;
    const written = added.map(elementText);
    const interval = set.flags.includes('interval');
    if (!interval) {
      added.forEach((element, i) => {
        if (/[/-]/.test(written[i]!)) this.problem(element.span, text('nftables.set-needs-interval', { set: set.name }));
      });
      return;
    }
    if (set.autoMerge) return;
    // What the set held before this batch, kept from batch to batch (a set declared again, or filled by many
    // `elements` statements, is not re-read each time); rebuilt when elements were deleted or the type changed.
    let known = this.setIntervals.get(set);
    if (!known || known.version !== version || known.elements !== set.elements || known.count !== set.elements.length) {
      known = intervalsOf(set.elements, version);
      this.setIntervals.set(set, known);
    }
    known.count += added.length;
    // nft refuses the file at the set's first overlap, reported when it was added.
    if (!known.sorted) return;
    const addresses = written.map((entry) => addressValue(entry, version));
    const amongNew = firstOverlapping(addresses);
    let clashed = false;
    addresses.forEach((addresses, i) => {
      if (!addresses) return;
      const earlier = overlappingKnown(known.sorted!, addresses);
      const other = earlier ?? (amongNew[i] !== undefined && amongNew[i]! < i ? written[amongNew[i]!] : undefined);
      if (other === undefined) return;
      clashed = true;
      this.problem(added[i]!.span, text('nftables.conflicting-intervals', { element: written[i]!, other }));
    });
    if (clashed) known.sorted = undefined;
    else known.sorted = mergeKnown(known.sorted, addresses, written);
  }

  private setCommand(action: string, isMap: boolean, rest: Node[], scope: Scope, statement: Node[]): void {
    const spec = this.tableSpec(rest, scope);
    const name = rest[spec ? spec.next : 0];
    if (!spec || !name || name.kind === 'group' || name.kind === 'punct') return this.problem(spanOf(statement), text('nftables.bad-set'));
    const table = this.findTable(spec.family, spec.name.text);
    if (!table) return this.problem(spec.name.span, text('nftables.missing-table', { table: `${spec.family} ${spec.name.text}` }));
    if (action === 'delete' || action === 'destroy') {
      table.sets.delete((name as Token).text);
      return;
    }
    const set = this.declareSet(table, name as Token, isMap);
    if (action === 'flush') {
      set.elements = [];
      return;
    }
    const block = rest[spec.next + 1];
    if (isGroup(block)) this.setBody(set, block, { variables: new Map(), parent: scope });
  }

  private elementCommand(action: string, rest: Node[], scope: Scope, statement: Node[]): void {
    const spec = this.tableSpec(rest, scope);
    const name = rest[spec ? spec.next : 0];
    if (!spec || !name || name.kind === 'group' || name.kind === 'punct') return this.problem(spanOf(statement), text('nftables.bad-set'));
    const table = this.findTable(spec.family, spec.name.text);
    const set = table?.sets.get((name as Token).text);
    if (!set) return this.problem((name as Token).span, text('nftables.missing-set', { set: (name as Token).text }));
    const group = this.expand(rest.slice(spec.next + 1), scope, 0).find(isGroup);
    if (!group) return;
    const listed = setElements(group);
    if (action === 'delete' || action === 'destroy') {
      const gone = new Set(listed.map((element) => element.nodes.map(nodeText).join(' ')));
      set.elements = set.elements.filter((element) => !gone.has(element.nodes.map(nodeText).join(' ')));
    } else set.elements.push(...listed);
  }

  private chainCommand(action: string, rest: Node[], scope: Scope, statement: Node[]): void {
    const spec = this.tableSpec(rest, scope);
    const name = rest[spec ? spec.next : 0];
    if (!spec || !name || name.kind === 'group' || name.kind === 'punct') return this.problem(spanOf(statement), text('nftables.bad-chain'));
    const table = this.findTable(spec.family, spec.name.text);
    if (!table) return this.problem(spec.name.span, text('nftables.missing-table', { table: `${spec.family} ${spec.name.text}` }));
    const chainName = (name as Token).text;
    if (action === 'delete' || action === 'destroy') {
      table.chains.delete(chainName);
      return;
    }
    if (action === 'flush') {
      const chain = table.chains.get(chainName);
      if (chain) chain.rules = [];
      return;
    }
    if (action === 'list' || action === 'reset' || action === 'rename') return;
    const chain = this.declareChain(table, name as Token);
    const block = rest[spec.next + 1];
    if (isGroup(block)) this.chainBody(chain, block, { variables: new Map(), parent: scope });
  }

  private ruleCommand(action: string, rest: Node[], scope: Scope, statement: Node[]): void {
    const spec = this.tableSpec(rest, scope);
    const name = rest[spec ? spec.next : 0];
    if (!spec || !name || name.kind === 'group' || name.kind === 'punct') return this.problem(spanOf(statement), text('nftables.bad-rule'));
    const table = this.findTable(spec.family, spec.name.text);
    if (!table) return this.problem(spec.name.span, text('nftables.missing-table', { table: `${spec.family} ${spec.name.text}` }));
    const chain = table.chains.get((name as Token).text);
    if (!chain) return this.problem((name as Token).span, text('nftables.missing-chain', { chain: (name as Token).text }));
    if (action === 'delete' || action === 'destroy' || action === 'replace' || action === 'reset') {
      // Rules are named by handles the kernel assigns at load time; the file does not tell which rule goes.
      this.problem(spanOf(statement), text('nftables.rule-by-handle'), 'info');
      return;
    }
    let body = rest.slice(spec.next + 1);
    if (isWord(body[0], 'position', 'handle', 'index') && body[1]) {
      this.problem(spanOf(body.slice(0, 2)), text('nftables.rule-by-handle'), 'info');
      body = body.slice(2);
    }
    if (body.length === 0) return this.problem(spanOf(statement), text('nftables.bad-rule'));
    const rule = { chain, nodes: this.expand(body, scope, 0), span: spanOf(body) };
    if (action === 'insert') chain.rules.unshift(rule);
    else chain.rules.push(rule);
  }
}

function withUse(node: Node, use: Span): Node {
  if (isGroup(node)) return { ...node, items: node.items.map((item) => withUse(item, use)) };
  return { ...node, via: use };
}

export function nodeText(node: Node): string {
  if (isGroup(node)) return `${node.open.text} ${node.items.map(nodeText).join(' ')} ${node.close?.text ?? ''}`;
  if (node.kind === 'string') return `"${node.text}"`;
  if (node.kind === 'setref') return `@${node.text}`;
  return node.text;
}

/** Splits `a . b . c` at the concatenation dots. */
export function splitConcat(nodes: readonly Node[]): Node[][] {
  const parts: Node[][] = [[]];
  for (const node of nodes) {
    if (isWord(node, '.')) parts.push([]);
    else parts[parts.length - 1]!.push(node);
  }
  return parts.filter((part) => part.length > 0);
}

export function setElements(group: Group): { nodes: Node[]; span: Span }[] {
  return elements(group.items).map((nodes) => ({ nodes, span: spanOf(nodes) }));
}

function deviceNames(nodes: readonly Node[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    if (isGroup(node)) out.push(...deviceNames(node.items));
    else if (node.kind === 'string' || (node.kind === 'word' && node.text !== '=')) out.push(node.text);
  }
  return out;
}

/** A named set's elements as nft holds them so far: disjoint intervals sorted by start, or none after an overlap. */
interface KnownIntervals {
  version: 4 | 6;
  /** The set's element list and its length when this was last brought up to date. */
  elements: readonly NftSetElement[];
  count: number;
  sorted: { start: bigint; end: bigint; text: string }[] | undefined;
}

const elementText = (element: NftSetElement) => element.nodes.map((node) => (node.kind === 'word' ? node.text : '')).join('');

function intervalsOf(elements: readonly NftSetElement[], version: 4 | 6): KnownIntervals {
  const texts = elements.map(elementText);
  const addresses = texts.map((entry) => addressValue(entry, version));
  const first = firstOverlapping(addresses);
  const overlap = first.some((index, i) => index !== undefined && index < i);
  return { version, elements, count: texts.length, sorted: overlap ? undefined : mergeKnown([], addresses, texts) };
}

/** The known interval with the lowest start that overlaps `addresses`, as written. */
function overlappingKnown(sorted: KnownIntervals['sorted'] & object, addresses: AddressSet): string | undefined {
  for (const range of addresses.intervals) {
    // The known intervals are disjoint and sorted, so their ends rise too: the first ending at or after the
    // range's start is the only candidate.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.end < range.start) lo = mid + 1;
      else hi = mid;
    }
    const candidate = sorted[lo];
    if (candidate && candidate.start <= range.end) return candidate.text;
  }
  return undefined;
}

/** `sorted` with the (disjoint) new intervals merged in, by start. */
function mergeKnown(sorted: KnownIntervals['sorted'] & object, addresses: readonly (AddressSet | undefined)[], texts: readonly string[]) {
  const added = addresses
    .flatMap((set, i) => (set ? set.intervals.map((range) => ({ start: range.start, end: range.end, text: texts[i]! })) : []))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: typeof sorted = [];
  let i = 0;
  let j = 0;
  while (i < sorted.length || j < added.length)
    out.push(j >= added.length || (i < sorted.length && sorted[i]!.start < added[j]!.start) ? sorted[i++]! : added[j++]!);
  return out;
}

/**
 * For each entry, the smallest index of an entry whose addresses meet its own (itself when none comes before),
 * in O(n log n): entries sorted by where they start, and the queries by where they start too (descending), so
 * that a Fenwick tree over start ranks holds exactly the entries ending at or after the query's start and
 * answers the smallest index among those starting at or before its end. (Trying every earlier entry was
 * quadratic in a set's size.)
 */
function firstOverlapping(entries: readonly (AddressSet | undefined)[]): (number | undefined)[] {
  const items: { start: bigint; end: bigint; owner: number }[] = [];
  entries.forEach((set, owner) => {
    for (const range of set?.intervals ?? []) items.push({ start: range.start, end: range.end, owner });
  });
  const byStart = [...items].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const rank = new Map(byStart.map((item, position) => [item, position]));
  const tree = new Array<number>(byStart.length + 1).fill(Infinity);
  const insert = (position: number, value: number) => {
    for (let i = position + 1; i <= byStart.length; i += i & -i) if (value < tree[i]!) tree[i] = value;
  };
  const prefixMin = (count: number) => {
    let best = Infinity;
    for (let i = count; i > 0; i -= i & -i) if (tree[i]! < best) best = tree[i]!;
    return best;
  };
  const byEndDescending = [...items].sort((a, b) => (a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  const queries = [...items].sort((a, b) => (a.start > b.start ? -1 : a.start < b.start ? 1 : 0));
  const out: (number | undefined)[] = entries.map(() => undefined);
  let inserted = 0;
  for (const query of queries) {
    while (inserted < byEndDescending.length && byEndDescending[inserted]!.end >= query.start) {
      const item = byEndDescending[inserted++]!;
      insert(rank.get(item)!, item.owner);
    }
    // Entries starting at or before the query's end: a prefix of the start order.
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byStart[mid]!.start <= query.end) lo = mid + 1;
      else hi = mid;
    }
    const best = prefixMin(lo);
    const known = out[query.owner];
    if (best !== Infinity && (known === undefined || best < known)) out[query.owner] = best;
  }
  return out;
}
