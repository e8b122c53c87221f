// Which addresses are public. "Public" means globally routable: outside every block below.
import { type AddressRange, type ParsedRange, V4_MAPPED_BASE, formatRange, parseRange, prefixRange } from './address';
import { AddressSet } from './address-set';

export type AddressClass = 'loopback' | 'unspecified' | 'private' | 'unique-local' | 'shared' | 'link-local' | 'documentation' | 'special' | 'public';

const BLOCKS: ReadonlyArray<[AddressClass, string[]]> = [
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']], // RFC 1918
  ['unique-local', ['fc00::/7']],
  ['shared', ['100.64.0.0/10']], // RFC 6598 carrier-grade NAT
  ['link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['documentation', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32']],
  ['special', ['192.0.0.0/24', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4', 'ff00::/8', '64:ff9b::/96', '100::/64']],
];

const classSets = new Map<AddressClass, AddressSet>(BLOCKS.map(([name, cidrs]) => [name, AddressSet.parse(cidrs)]));
const nonPublic = [...classSets.values()].reduce((all, set) => all.union(set), AddressSet.empty);

/** The RFC 1918 and RFC 6598 blocks a mistyped range most often meant. */
const INTENDED_BLOCKS: readonly AddressRange[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((cidr) => parseRange(cidr)!.range);

export function publicPart(set: AddressSet): AddressSet {
  if (set.intervals.length === 1 && nonPublic.containsRange(set.intervals[0]!)) return AddressSet.empty;
  return set.subtract(nonPublic);
}

/** The range holds no public address (it lies inside one of the blocks above): O(log n), no allocation. */
export function isNonPublicRange(range: AddressRange): boolean {
  return nonPublic.containsRange(range);
}

/** How many addresses of each class the set holds (classes with none are left out). */
export function classify(set: AddressSet): Map<AddressClass, bigint> {
  const out = new Map<AddressClass, bigint>();
  for (const [name, blocks] of classSets) {
    const size = set.intersect(blocks).size();
    if (size > 0n) out.set(name, size);
  }
  const publicSize = publicPart(set).size();
  if (publicSize > 0n) out.set('public', publicSize);
  return out;
}

export function classOf(address: bigint): AddressClass {
  for (const [name, blocks] of classSets) if (blocks.contains(address)) return name;
  return 'public';
}

const loopback = classSets.get('loopback')!;

export function isLoopbackOnly(set: AddressSet): boolean {
  return !set.isEmpty() && set.intervals.every((range) => loopback.containsRange(range));
}

const contains = (outer: AddressRange, inner: AddressRange) => outer.start <= inner.start && inner.end <= outer.end;

/**
 * The private range a mistyped entry most likely meant, or undefined when the entry is not a typo.
 * A typo reaches into public space and either strictly contains exactly one private block
 * (172.0.0.0/8 -> 172.16.0.0/12, 10.0.0.0/7 -> 10.0.0.0/8) or was written with an address inside one
 * (172.16.0.0/8 -> 172.16.0.0/12, 192.168.0.0/8 -> 192.168.0.0/16).
 * Never the wider mask Postfix suggests for host bits: that is the mistake itself.
 */
export function likelyIntended(parsed: ParsedRange): string | undefined {
  if (parsed.version !== 4 || publicPart(AddressSet.of(parsed.range)).isEmpty()) return undefined;
  const home = INTENDED_BLOCKS.find((block) => block.start <= parsed.written && parsed.written <= block.end);
  if (home) {
    const asWritten = writtenNetwork(parsed);
    return formatRange(contains(home, asWritten) ? asWritten : home);
  }
  const contained = INTENDED_BLOCKS.filter((block) => contains(parsed.range, block) && !contains(block, parsed.range));
  // 0.0.0.0/0 and friends contain several blocks: that is "everything", not a typo.
  return contained.length === 1 ? formatRange(contained[0]!) : undefined;
}

/**
 * The prefix at which the written address is a network address: 172.16.0.0 -> /12, 192.168.1.0 -> /24,
 * 203.0.113.5 -> /32. For an entry with host bits set it is always narrower than the masked range.
 */
export function writtenNetwork(parsed: ParsedRange): AddressRange {
  const bits = parsed.version === 4 ? 32 : 128;
  const local = parsed.version === 4 ? parsed.written - V4_MAPPED_BASE : parsed.written;
  let trailing = 0;
  while (trailing < bits && ((local >> BigInt(trailing)) & 1n) === 0n) trailing++;
  const prefix = Math.max(parsed.prefix, bits - trailing);
  return prefixRange(parsed.written, prefix, parsed.version);
}
