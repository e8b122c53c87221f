// Who may relay through Sendmail, by client address (cf/m4/proto.m4, ruleset Relay_ok): every client with
// FEATURE(`promiscuous_relay'); the local host; a client whose address starts with a class R item; a client
// whose longest matching access key (`Connect:` before the untagged key at each length) says RELAY.
import { AddressSet, type ParsedRange, V4_MAPPED_BASE, parseRange } from '../../net';
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
  let classDecided = AddressSet.empty;
  for (const item of config.classR) {
    if (!item.parsed) continue;
    const range = AddressSet.of(item.parsed.range);
    out.push({ text: item.text, span: item.span, parsed: item.parsed, contribution: range.subtract(classDecided) });
    classDecided = classDecided.union(range);
  }
  // Keys in text order: the keys longer than `172.16` (`172.16.x`, `172.16.x.y`) follow it as one block.
  const index = accessIndex(config);
  const keys = [...index.keys()].sort();
  for (const entry of connectEntries(config)) {
    if (entry.value !== 'RELAY') continue;
    const hidden: AccessEntry[] = [];
    const same = index.get(entry.key)!;
    if (same[0] !== entry) hidden.push(...same.slice(0, same.indexOf(entry)));
    const prefix = `${entry.key}.`;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (keys[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < keys.length && keys[i]!.startsWith(prefix); i++) hidden.push(...index.get(keys[i]!)!);
    const contribution = AddressSet.of(entry.parsed!.range)
      .subtract(AddressSet.of(...hidden.map((other) => other.parsed!.range)))
      .subtract(classDecided);
    out.push({ text: entry.tag ? `${entry.tag}:${entry.key}` : entry.key, span: entry.keySpan, parsed: entry.parsed!, contribution, access: entry });
  }
  return out;
}
