// Who may relay through Sendmail, by client address (cf/m4/proto.m4, ruleset Relay_ok): every client with
// FEATURE(`promiscuous_relay'); the local host; a client whose address starts with a class R item; a client
// whose longest matching access key (`Connect:` before the untagged key at each length) says RELAY.
import { type AddressRange, AddressSet, type ParsedRange, V4_MAPPED_BASE, parseRange } from '../../net';
import type { Span } from '../../core/types';
import type { AccessEntry } from './access';
import type { SendmailConfig } from './model';

export interface RelayGrant {
  /** `Connect:172` or `172` (access map) or a relay-domains item. */
  text: string;
  span: Span;
  parsed: ParsedRange;
  /** Addresses this grant decides: for access keys, minus every longer key (whatever its value). */
  contribution: AddressSet;
  access?: AccessEntry;
}

const LOCAL = ['127.0.0.1', '::1'].map((text) => parseRange(text)!.range.start);

/** Access map entries that a client lookup can reach (`Connect:` and untagged IPv4 keys). */
function connectEntries(config: SendmailConfig): AccessEntry[] {
  return config.activeAccess.filter((entry) => entry.parsed && (entry.tag === '' || entry.tag.toLowerCase() === 'connect'));
}

/** Connect:/untagged IPv4 keys by key text, `Connect:` entries first (the order Sendmail looks them up in). */
function accessIndex(config: SendmailConfig): Map<string, AccessEntry[]> {
  const index = new Map<string, AccessEntry[]>();
  for (const entry of connectEntries(config)) {
    const list = index.get(entry.key) ?? [];
    list.push(entry);
    index.set(entry.key, list);
  }
  for (const list of index.values()) list.sort((a, b) => (a.tag ? 0 : 1) - (b.tag ? 0 : 1));
  return index;
}

/** The access entry that decides for a client address: longest prefix, the `Connect:` key before the untagged one. */
export function accessFor(config: SendmailConfig, address: bigint, index = accessIndex(config)): AccessEntry | undefined {
  if (address < V4_MAPPED_BASE || address > V4_MAPPED_BASE + 0xffffffffn) return undefined;
  const octets = [24n, 16n, 8n, 0n].map((shift) => String(((address - V4_MAPPED_BASE) >> shift) & 0xffn));
  for (let length = 4; length >= 1; length--) {
    const found = index.get(octets.slice(0, length).join('.'))?.[0];
    if (found) return found;
  }
  return undefined;
}

export type SendmailVerdict = 'relay' | 'refuse' | 'unknown';

/** Whether a client at `address` may send mail to an outside domain. */
export function relayVerdict(config: SendmailConfig, address: bigint): SendmailVerdict {
  if (config.hasFeature('promiscuous_relay')) return 'relay';
  if (LOCAL.includes(address)) return 'relay';
  if (config.classR.some((item) => item.parsed && item.parsed.range.start <= address && address <= item.parsed.range.end)) return 'relay';
  const entry = accessFor(config, address);
  if (entry) return entry.value === 'RELAY' ? 'relay' : 'refuse';
  return 'refuse';
}

/** Every address-based relay grant with the addresses it decides. */
export function relayGrants(config: SendmailConfig): RelayGrant[] {
  const out: RelayGrant[] = [];
  // Octet prefixes nest or are disjoint, so what earlier items decide inside an item is either all of it (an
  // earlier item with the same key or a shorter one) or the earlier items below it: found through the prefix
  // tree in time linear in the list, where subtracting a running union item by item was quadratic.
  const classR = new PrefixTree();
  for (const item of config.classR) {
    if (!item.parsed) continue;
    const covered = classR.covers(item.text);
    const contribution = covered ? AddressSet.empty : remainder(item.parsed.range, classR.below(item.text));
    classR.add(item.text, item.parsed.range);
    out.push({ text: item.text, span: item.span, parsed: item.parsed, contribution });
  }
  // An access key decides the addresses that no longer key (whatever its value), no earlier entry of the same
  // key (`Connect:` first) and no class R item decided.
  const index = accessIndex(config);
  const keys = new PrefixTree();
  for (const [key, list] of index) keys.add(key, list[0]!.parsed!.range);
  for (const entry of connectEntries(config)) {
    if (entry.value !== 'RELAY') continue;
    const shadowed = index.get(entry.key)![0] !== entry || classR.covers(entry.key);
    const contribution = shadowed ? AddressSet.empty : remainder(entry.parsed!.range, [...keys.below(entry.key), ...classR.below(entry.key)]);
    out.push({ text: entry.tag ? `${entry.tag}:${entry.key}` : entry.key, span: entry.keySpan, parsed: entry.parsed!, contribution, access: entry });
  }
  return out;
}

/**
 * Octet-prefix keys (`10`, `10.1`, `10.1.2`, `10.1.2.3`, as octetPrefix accepts them: one text a range) and,
 * for every shorter prefix, the ranges of the keys below it.
 */
class PrefixTree {
  private readonly keys = new Set<string>();
  private readonly descendants = new Map<string, AddressRange[]>();

  add(key: string, range: AddressRange): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
      const above = key.slice(0, dot);
      const list = this.descendants.get(above);
      if (list) list.push(range);
      else this.descendants.set(above, [range]);
    }
  }

  /** The key itself or a shorter prefix of it is in the tree. */
  covers(key: string): boolean {
    if (this.keys.has(key)) return true;
    for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) if (this.keys.has(key.slice(0, dot))) return true;
    return false;
  }

  /** The ranges of the keys strictly below `key`. */
  below(key: string): readonly AddressRange[] {
    return this.descendants.get(key) ?? [];
  }
}

/** `range` minus `cuts` (ranges inside it), in O(k log k) for k cuts. */
function remainder(range: AddressRange, cuts: readonly AddressRange[]): AddressSet {
  if (!cuts.length) return AddressSet.of(range);
  const sorted = [...cuts].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const gaps: AddressRange[] = [];
  let next = range.start;
  for (const cut of sorted) {
    if (cut.start > next) gaps.push({ start: next, end: cut.start - 1n });
    if (cut.end + 1n > next) next = cut.end + 1n;
  }
  if (next <= range.end) gaps.push({ start: next, end: range.end });
  return AddressSet.from(gaps);
}
