// A rule's words read as nft reads them: match expressions (a selector such as `ip saddr`, `tcp dport`,
// `meta l4proto`, `ct state`, `iifname`, or a concatenation of selectors; an optional operator; a value, an
// anonymous set or a @named set), statements that do not decide (counter, log, comment, limit, set updates,
// marks), NAT statements, and the verdict or verdict map. Anything the reader does not know is kept as an
// unknown part with its span, so the packet model can answer "unknown" for it instead of guessing.
import type { Span } from '../../core/types';
import type { Token } from './lexer';
import type { NftSet, NftSetElement, NftTable } from './model';
import { nodeText, setElements, splitConcat } from './parser';
import { type Group, type Node, isGroup, isPunct, isWord, spanOf } from './syntax';

export type Operator = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge';

export interface ValueElement {
  /** The element's nodes; a concatenated element (`10.0.0.1 . 22`) has one part per selector. */
  parts: Node[][];
  span: Span;
  /** For verdict maps: what the element maps to. */
  mapsTo?: Node[];
}

export interface Value {
  elements: ValueElement[];
  /** The named set (`@name`) the value refers to, when it does. */
  set?: NftSet;
  /** `@name` that no set of the table declares. */
  missingSet?: string;
  span: Span;
}

export interface MatchExpression {
  kind: 'match';
  /** One selector per concatenated part, e.g. [['ip', 'saddr'], ['tcp', 'dport']]. */
  selector: string[][];
  selectorSpan: Span;
  op: Operator;
  value: Value;
  /** The selector is masked or shifted (`ip saddr & 255.255.0.0 == …`, `tcp flags & (syn | ack) == syn`). */
  masked: boolean;
  /** The operands of the bit operations, in order (`&` then `(syn | ack)`), when masked. */
  mask?: Node[];
  span: Span;
}

export type VerdictKind = 'accept' | 'drop' | 'reject' | 'queue' | 'continue' | 'return' | 'jump' | 'goto';

export interface VerdictStatement {
  kind: VerdictKind;
  target?: string;
  span: Span;
}

export interface VerdictMap {
  selector: string[][];
  selectorSpan: Span;
  value: Value;
  span: Span;
}

export interface RateLimit {
  kind: 'limit';
  over: boolean;
  span: Span;
}

export interface NatStatement {
  kind: 'dnat' | 'snat' | 'masquerade' | 'redirect' | 'tproxy';
  span: Span;
}

export interface RuleMeaning {
  matches: MatchExpression[];
  limits: RateLimit[];
  nat?: NatStatement;
  verdict?: VerdictStatement;
  vmap?: VerdictMap;
  /** Parts the reader does not evaluate. */
  unknown: { span: Span; text: string }[];
}

/** Protocol headers whose fields are written `<protocol> <field>` (nft(8) "PAYLOAD EXPRESSION"). */
const PAYLOADS = new Set([
  'ip',
  'ip6',
  'tcp',
  'udp',
  'udplite',
  'sctp',
  'dccp',
  'th',
  'icmp',
  'icmpv6',
  'igmp',
  'ah',
  'esp',
  'comp',
  'ether',
  'vlan',
  'arp',
  'gre',
  'geneve',
  'vxlan',
  'hbh',
  'frag',
  'dst',
  'mh',
  'srh',
  'rt',
  'rt0',
  'rt2',
  'rt4',
  'dccp',
  'sctp',
  'ipcomp',
]);
/** Meta keys that may be written without `meta` (nft(8) "META EXPRESSIONS"). */
const BARE_META = new Set([
  'iif',
  'iifname',
  'iiftype',
  'oif',
  'oifname',
  'oiftype',
  'mark',
  'skuid',
  'skgid',
  'rtclassid',
  'ibriport',
  'obriport',
  'ibrname',
  'obrname',
  'pkttype',
  'cpu',
  'iifgroup',
  'oifgroup',
  'cgroup',
  'nftrace',
  'priority',
  'l4proto',
  'nfproto',
]);
const VERDICTS = new Set(['accept', 'drop', 'reject', 'queue', 'continue', 'return', 'jump', 'goto']);
const OPERATORS: Record<string, Operator> = {
  '==': 'eq',
  eq: 'eq',
  '!=': 'ne',
  ne: 'ne',
  '<': 'lt',
  lt: 'lt',
  '>': 'gt',
  gt: 'gt',
  '<=': 'le',
  le: 'le',
  '>=': 'ge',
  ge: 'ge',
};
const BIT_OPERATORS = new Set(['&', '|', '^', '<<', '>>']);
/** Statements that neither match nor decide, with the option words they may take. */
const LOG_OPTIONS = new Set(['prefix', 'level', 'flags', 'group', 'snaplen', 'queue-threshold']);

export function readRule(nodes: readonly Node[], table: NftTable): RuleMeaning {
  return new RuleReader(nodes, table).read();
}

class RuleReader {
  private i = 0;
  private readonly meaning: RuleMeaning = { matches: [], limits: [], unknown: [] };

  constructor(
    private readonly nodes: readonly Node[],
    private readonly table: NftTable,
  ) {}

  private get current(): Node | undefined {
    return this.nodes[this.i];
  }

  private peek(offset = 1): Node | undefined {
    return this.nodes[this.i + offset];
  }

  read(): RuleMeaning {
    while (this.i < this.nodes.length) {
      const before = this.i;
      this.step();
      if (this.i === before) this.giveUp();
    }
    return this.meaning;
  }

  /** The rest of the rule is not understood: keep it as unknown, but keep a verdict written at its end. */
  private giveUp(): void {
    const rest = this.nodes.slice(this.i);
    const last = rest[rest.length - 1];
    let end = rest.length;
    if (isWord(last) && VERDICTS.has(last.text) && last.text !== 'jump' && last.text !== 'goto') {
      this.meaning.verdict = { kind: last.text as VerdictKind, span: last.span };
      end--;
    } else if (rest.length >= 2 && isWord(rest[rest.length - 2], 'jump', 'goto') && isWord(last)) {
      const jump = rest[rest.length - 2] as Token;
      this.meaning.verdict = { kind: jump.text as VerdictKind, target: last.text, span: spanOf([jump, last]) };
      end -= 2;
    }
    if (end > 0) this.meaning.unknown.push({ span: spanOf(rest.slice(0, end)), text: rest.slice(0, end).map(nodeText).join(' ') });
    this.i = this.nodes.length;
  }

  private step(): void {
    const node = this.current!;
    if (!isWord(node)) return;
    const word = node.text;
    if (VERDICTS.has(word)) return this.verdict(node);
    switch (word) {
      case 'counter':
        this.i++;
        if (isWord(this.current, 'name')) this.i += 2;
        else while (isWord(this.current, 'packets', 'bytes')) this.i += 2;
        return;
      case 'log':
        this.i++;
        while (isWord(this.current) && LOG_OPTIONS.has(this.current.text)) {
          this.i += 2;
          while (isPunct(this.current, ',')) this.i += 2;
        }
        return;
      case 'comment':
        this.i += 2;
        return;
      case 'notrack':
        this.i++;
        return;
      case 'limit':
        return this.limit(node);
      case 'quota':
        return this.skipUntilStatement();
      case 'dnat':
      case 'snat':
      case 'masquerade':
      case 'redirect':
      case 'tproxy':
        return this.nat(node);
      case 'add':
      case 'update':
      case 'delete':
        if (this.peek()?.kind === 'setref') {
          // `add @set { ip saddr }`: updates a set from the packet path; it matches every packet.
          this.i += 3;
          return;
        }
        return;
      case 'set':
        return this.skipUntilStatement();
      case 'meter':
        this.i += 3;
        return;
      case 'dup':
      case 'fwd':
      case 'flow':
      case 'synproxy':
      case 'queue':
        return this.skipUntilStatement();
    }
    this.expression();
  }

  private verdict(node: Token): void {
    const kind = node.text as VerdictKind;
    if (kind === 'jump' || kind === 'goto') {
      const target = this.peek();
      if (!isWord(target) && target?.kind !== 'string') return;
      this.meaning.verdict = { kind, target: target.text, span: spanOf([node, target]) };
      this.i += 2;
      return;
    }
    this.meaning.verdict = { kind, span: node.span };
    this.i++;
    if (kind === 'reject' && isWord(this.current, 'with')) {
      this.i++;
      // `with tcp reset`, `with icmp type X`, `with icmpx X`, `with icmpv6 admin-prohibited`.
      while (isWord(this.current) && !VERDICTS.has(this.current.text) && !isWord(this.current, 'comment', 'counter', 'log')) this.i++;
    }
    if (kind === 'queue') this.skipOptions();
  }

  private skipOptions(): void {
    while (isWord(this.current, 'num', 'flags', 'bypass', 'fanout', 'to') || isPunct(this.current, ','))
      this.i += isWord(this.current, 'num', 'to', 'flags') ? 2 : 1;
  }

  /** Skips a statement whose arguments run up to the next verdict, comment, counter or log (or the end). */
  private skipUntilStatement(): void {
    this.i++;
    while (this.i < this.nodes.length) {
      const node = this.current!;
      if (isWord(node) && (VERDICTS.has(node.text) || node.text === 'comment' || node.text === 'counter' || node.text === 'log')) break;
      this.i++;
    }
  }

  private limit(node: Token): void {
    this.i++;
    if (isWord(this.current, 'name')) {
      this.meaning.unknown.push({ span: spanOf([node, this.current!, this.peek() ?? this.current!]), text: 'limit name' });
      this.i += 2;
      return;
    }
    if (isWord(this.current, 'rate')) this.i++;
    let over = false;
    if (isWord(this.current, 'over')) {
      over = true;
      this.i++;
    } else if (isWord(this.current, 'until')) this.i++;
    const start = this.i;
    // `10/second`, `10/minute burst 5 packets`, `1 mbytes/second burst 10 kbytes`.
    while (
      isWord(this.current) &&
      !VERDICTS.has(this.current.text) &&
      !isWord(this.current, 'comment', 'counter', 'log', 'ct', 'meta', 'ip', 'ip6', 'tcp', 'udp')
    )
      this.i++;
    this.meaning.limits.push({ kind: 'limit', over, span: spanOf(this.nodes.slice(start - 1 - (over ? 1 : 0), Math.max(this.i, start))) });
  }

  private nat(node: Token): void {
    const start = this.i;
    this.skipUntilStatement();
    this.meaning.nat = { kind: node.text as NatStatement['kind'], span: spanOf(this.nodes.slice(start, this.i)) };
  }

  /** `<selector> [. <selector>…] [operator] <value>` or `<selector> vmap <map>`. */
  private expression(): void {
    const start = this.i;
    const selector: string[][] = [];
    for (;;) {
      const one = this.selector();
      if (!one) {
        this.i = start;
        return;
      }
      selector.push(one);
      if (isWord(this.current, '.')) this.i++;
      else break;
    }
    const selectorSpan = spanOf(this.nodes.slice(start, this.i));
    let masked = false;
    const mask: Node[] = [];
    while (isPunct(this.current) && BIT_OPERATORS.has(this.current.text) && this.peek()) {
      masked = true;
      mask.push(this.current, this.peek()!);
      this.i += 2;
    }
    if (isWord(this.current, 'vmap')) {
      this.i++;
      const value = this.value();
      if (!value) {
        this.i = start;
        return;
      }
      this.meaning.vmap = { selector, selectorSpan, value, span: spanOf(this.nodes.slice(start, this.i)) };
      return;
    }
    if (isWord(this.current, 'set') || isWord(this.current, 'map')) {
      // `meta mark set 1`, `ct mark set ct mark map {…}`: an assignment, not a match.
      this.skipUntilStatement();
      return;
    }
    let op: Operator = 'eq';
    const opNode = this.current;
    if ((isPunct(opNode) || isWord(opNode)) && opNode.text in OPERATORS && this.peek()) {
      op = OPERATORS[opNode.text]!;
      this.i++;
    } else if (isPunct(opNode, '!')) {
      op = 'ne';
      this.i++;
    }
    const value = this.value();
    if (!value) {
      this.i = start;
      return;
    }
    this.meaning.matches.push({
      kind: 'match',
      selector,
      selectorSpan,
      op,
      value,
      masked,
      ...(masked ? { mask } : {}),
      span: spanOf(this.nodes.slice(start, this.i)),
    });
  }

  /** One selector (`ip saddr`, `meta l4proto`, `ct original ip saddr`, `iifname`, `fib daddr type`), or undefined. */
  private selector(): string[] | undefined {
    const node = this.current;
    if (!isWord(node)) return undefined;
    const word = node.text;
    const next = this.peek();
    if (word === 'meta' && isWord(next)) {
      this.i += 2;
      return ['meta', next.text];
    }
    if (BARE_META.has(word) && word !== 'priority') {
      this.i++;
      return ['meta', word];
    }
    if (word === 'ct' && isWord(next)) {
      const parts = ['ct'];
      this.i++;
      while (isWord(this.current, 'original', 'reply', 'ip', 'ip6')) {
        parts.push((this.current as Token).text);
        this.i++;
      }
      if (!isWord(this.current)) return undefined;
      parts.push(this.current.text);
      this.i++;
      return parts;
    }
    if (word === 'fib') {
      // `fib saddr . iif oif`, `fib daddr type`: flags joined by dots, then the result.
      const parts = ['fib'];
      this.i++;
      while (isWord(this.current) && !isWord(this.current, 'oif', 'oifname', 'type')) {
        if (this.current.text !== '.') parts.push(this.current.text);
        this.i++;
      }
      if (!isWord(this.current)) return undefined;
      parts.push(this.current.text);
      this.i++;
      return parts;
    }
    if (word === 'tcp' && isWord(next, 'option')) {
      const parts = ['tcp', 'option'];
      this.i += 2;
      while (isWord(this.current) && !this.isValueStart()) {
        parts.push(this.current.text);
        this.i++;
      }
      return parts;
    }
    if (
      (PAYLOADS.has(word) || word === 'socket' || word === 'osf' || word === 'rt' || word === 'ipsec' || word === 'exthdr') &&
      isWord(next) &&
      next.text !== '.'
    ) {
      this.i += 2;
      return [word, next.text];
    }
    if (word === 'numgen' || word === 'jhash' || word === 'symhash') return undefined;
    return undefined;
  }

  private isValueStart(): boolean {
    const node = this.current;
    return (
      node === undefined || isGroup(node) || node.kind === 'setref' || node.kind === 'string' || (isWord(node) && /^[\d!]/.test(node.text)) || isPunct(node)
    );
  }

  /** A value: word, string, anonymous set, @set, with `a-b` ranges and `a,b` lists written without braces. */
  private value(): Value | undefined {
    const node = this.current;
    if (!node || node.kind === 'newline') return undefined;
    if (isGroup(node)) {
      this.i++;
      return { elements: groupElements(node), span: node.span };
    }
    if (node.kind === 'setref') {
      this.i++;
      const set = this.table.sets.get(node.text);
      if (!set) return { elements: [], missingSet: node.text, span: node.span };
      return { elements: setValueElements(set), set, span: node.span };
    }
    if (node.kind !== 'word' && node.kind !== 'string') return undefined;
    if (isWord(node) && (VERDICTS.has(node.text) || node.text === 'vmap')) return undefined;
    const items: Node[][] = [[node]];
    this.i++;
    for (;;) {
      if (isWord(this.current, '-') && this.peek() && !isGroup(this.peek())) {
        items[items.length - 1]!.push(this.current!, this.peek()!);
        this.i += 2;
      } else if (isPunct(this.current, ',') && (isWord(this.peek()) || this.peek()?.kind === 'string')) {
        items.push([this.peek()!]);
        this.i += 2;
      } else if (isPunct(this.current, '|') && isWord(this.peek())) {
        items[items.length - 1]!.push(this.current!, this.peek()!);
        this.i += 2;
      } else break;
    }
    const elements = items.map((nodes) => elementOf(nodes, spanOf(nodes)));
    return { elements, span: spanOf(items.flat()) };
  }
}

const converted = new WeakMap<NftSet, { from: readonly NftSetElement[]; count: number; elements: ValueElement[] }>();

/** A named set's elements as values: converted once for every rule that names the set (until it changes). */
function setValueElements(set: NftSet): ValueElement[] {
  const known = converted.get(set);
  if (known && known.from === set.elements && known.count === set.elements.length) return known.elements;
  const elements = set.elements.map((element) => elementOf(element.nodes, element.span));
  converted.set(set, { from: set.elements, count: set.elements.length, elements });
  return elements;
}

function groupElements(group: Group): ValueElement[] {
  return setElements(group).map((element) => elementOf(element.nodes, element.span));
}

/** One element: split at `:` into key and mapped value (maps), and the key at `.` into concatenated parts. */
export function elementOf(nodes: readonly Node[], span: Span): ValueElement {
  let key: Node[] = [...nodes];
  let mapsTo: Node[] | undefined;
  const colon = nodes.findIndex((node) => isPunct(node, ':') || isWord(node, ':'));
  if (colon >= 0) {
    key = nodes.slice(0, colon);
    mapsTo = nodes.slice(colon + 1);
  } else {
    // `22: accept` / `22:accept` are scanned as one word holding the key and the colon.
    const joined = nodes.findIndex((node) => isWord(node) && /^(\d+(-\d+)?|[A-Za-z][\w-]*):[a-z]*$/.test(node.text));
    if (joined >= 0) {
      const word = nodes[joined] as Token;
      const at = word.text.indexOf(':');
      const valueText = word.text.slice(at + 1);
      key = [...nodes.slice(0, joined), { ...word, text: word.text.slice(0, at), span: { ...word.span, end: word.span.start + at } }];
      const rest = nodes.slice(joined + 1);
      mapsTo = valueText ? [{ ...word, text: valueText, span: { ...word.span, start: word.span.start + at + 1 } }, ...rest] : rest;
    }
  }
  return { parts: splitConcat(key), span, ...(mapsTo ? { mapsTo } : {}) };
}
