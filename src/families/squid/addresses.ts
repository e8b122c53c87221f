// `acl NAME src|dst ...` entries as Squid 5 reads them (acl/Ip.cc acl_ip_data::FactoryParse): `all`, `ipv4`,
// `ipv6`, an address, `addr/len`, `addr/dotted.mask`, `a-b` and `a-b/mask`; anything else is a host name that
// Squid resolves at start-up. IPv4 lives in the IPv4-mapped block, as in Squid. An entry whose base address
// falls inside an earlier entry (or the other way round) is dropped: Squid keeps its entries in a splay tree
// and warns "... is ignored to keep splay tree searching predictable".
import type { Span } from '../../core/types';
import { AddressCoverage, type AddressRange, AddressSet, type ParsedRange, V4_MAPPED_BASE, formatAddress, parseRange } from '../../net';

export interface AddressEntry {
  text: string;
  span: Span;
  /** The addresses the entry matches; undefined for a host name (resolved by Squid at start-up). */
  set?: AddressSet;
  /** The entry as one range for judgeRange (a range a-b becomes the interval it covers). */
  parsed?: ParsedRange;
  /** Squid's own view: first address, last address (the same for a network), prefix in 128-bit terms. */
  squid?: { first: bigint; last: bigint; maskBits: number; range: boolean };
  all?: boolean;
  /** The written address had bits the mask takes away ("Netmask masks away part of the specified IP"). */
  hostBitsSet?: boolean;
  /** Dropped because it overlaps an earlier entry of the same ACL (splay tree duplicates). */
  ignored?: boolean;
  /** Squid refuses the entry (an unknown netmask): a fatal configuration error. */
  invalid?: boolean;
  /** The `"file"` word of the acl line the entry was read through. */
  viaFile?: Span;
}

const FULL = 128;
const EVERYTHING = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });
const V4 = AddressSet.of({ start: V4_MAPPED_BASE, end: V4_MAPPED_BASE + 0xffffffffn });
/** `ipv6`: the unicast blocks Squid lists for it. */
const IPV6 = AddressSet.parse(['1000::/4', '2000::/3', '4000::/2', '8000::/2', 'c000::/3', 'e000::/4', 'fc00::/7', 'fe80::/10']);
/** Old spellings of `all` that Squid still reads as `all` (with a SECURITY NOTICE). */
const ALL_SPELLINGS = new Set(['all', '0/0', '0.0.0.0/0', '0.0.0.0/0.0.0.0', '0.0.0.0-255.255.255.255', '0.0.0.0-0.0.0.0/0']);

const maskOf = (bits: number) => (bits <= 0 ? 0n : (((1n << BigInt(bits)) - 1n) << BigInt(FULL - bits)) & ((1n << 128n) - 1n));
const applyMask = (address: bigint, bits: number) => address & maskOf(bits);

/** A single numeric address in the 128-bit space, or undefined. */
function address(text: string): bigint | undefined {
  const parsed = parseRange(text);
  return parsed && parsed.bare ? parsed.written : undefined;
}

/**
 * DecodeMask and Ip::Address::applyMask: a prefix length (IPv4 entries count IPv4 bits) or a dotted IPv4
 * netmask. Quirks Squid 5 really has: `/0` leaves the mask whole (10.0.0.0/0 is the host 10.0.0.0; only the
 * spellings of `all` mean everything), and an entry of neither family (::ffff:10.0.0.0/N) clears 32-N bits
 * of a byte counter, so N above 32 clears them all and the entry matches every address.
 */
function maskBits(mask: string, family: 'v4' | 'v6' | 'other'): number | undefined {
  if (mask === '') return FULL;
  if (/^\d+$/.test(mask)) {
    const bits = Number(mask);
    if (bits > 128) return undefined;
    if (bits === 0) return FULL;
    if (family === 'v6') return bits;
    if (family === 'v4' && bits > 32) return undefined;
    return bits > 32 ? 0 : bits + 96;
  }
  const dotted = address(mask);
  if (dotted === undefined || dotted >> 32n !== 0xffffn) return undefined;
  // Squid takes the number of leading one bits of a dotted mask ("assume you meant to write /N").
  let ones = 0;
  for (let bit = 31; bit >= 0 && ((dotted >> BigInt(bit)) & 1n) === 1n; bit--) ones++;
  return ones + 96;
}

function pseudoRange(text: string, first: bigint, last: bigint): ParsedRange {
  const v4 = first >= V4_MAPPED_BASE && last <= V4_MAPPED_BASE + 0xffffffffn;
  let prefix = FULL;
  while (prefix > 0 && applyMask(first, prefix - 1) !== applyMask(last, prefix - 1)) prefix--;
  while (prefix > 0 && applyMask(first, prefix) !== applyMask(last, prefix)) prefix--;
  const exact = parseRange(`${formatAddress(applyMask(first, prefix))}/${v4 ? prefix - 96 : prefix}`);
  if (exact && exact.range.start === first && exact.range.end === last) return { ...exact, text };
  return {
    text,
    version: v4 ? 4 : 6,
    prefix: v4 ? Math.max(0, prefix - 96) : prefix,
    written: first,
    range: { start: first, end: last },
    hostBitsSet: false,
    bare: false,
  };
}

export function parseAddressEntry(text: string, span: Span): AddressEntry {
  if (ALL_SPELLINGS.has(text))
    return { text, span, all: true, set: EVERYTHING, parsed: parseRange('::/0')!, squid: { first: 0n, last: 0n, maskBits: 0, range: false } };
  if (text === 'ipv4') return { text, span, set: V4, parsed: parseRange('0.0.0.0/0')! };
  if (text === 'ipv6') return { text, span, set: IPV6 };
  const v4 = /^([0-9.]+)(?:-([0-9.]+))?(?:\/([0-9.]*))?/.exec(text);
  const v6 = /^([0-9A-Fa-f:]+)(?:-([0-9A-Fa-f:]+))?(?:\/([0-9]*))?/.exec(text);
  let first: bigint | undefined;
  let second: bigint | undefined;
  let bits: number | undefined = FULL;
  if (v4 && v4[1]!.includes('.') && (v4[2] !== undefined || v4[3] !== undefined)) {
    first = address(v4[1]!);
    second = v4[2] !== undefined ? address(v4[2]) : undefined;
    bits = maskBits(v4[3] ?? '', 'v4');
    if (first === undefined || (v4[2] !== undefined && second === undefined)) return { text, span };
  } else if (v6 && v6[1]!.includes(':') && (v6[2] !== undefined || v6[3] !== undefined) && !text.includes('.')) {
    first = address(v6[1]!);
    second = v6[2] !== undefined ? address(v6[2]) : undefined;
    bits = maskBits(v6[3] ?? '', 'v6');
    if (first === undefined || (v6[2] !== undefined && second === undefined)) return { text, span };
  } else {
    // `addr` alone (getaddrinfo), or `addr/bits` in any other spelling (::ffff:10.0.0.0/104).
    const slash = text.indexOf('/');
    first = address(slash < 0 ? text : text.slice(0, slash));
    if (first === undefined) return { text, span };
    bits = slash < 0 ? FULL : maskBits(text.slice(slash + 1), 'other');
  }
  if (bits === undefined) return { text, span, invalid: true };
  const masked = applyMask(first, bits);
  const hostBitsSet = masked !== first || (second !== undefined && applyMask(second, bits) !== second);
  const hostMask = (1n << BigInt(FULL - bits)) - 1n;
  const range: AddressRange = second === undefined ? { start: masked, end: masked | hostMask } : { start: masked, end: applyMask(second, bits) | hostMask };
  const set = range.start <= range.end ? AddressSet.of(range) : AddressSet.empty;
  const parsed = second === undefined ? parseRange(slashText(first, bits)) : range.start <= range.end ? pseudoRange(text, range.start, range.end) : undefined;
  return {
    text,
    span,
    set,
    ...(parsed ? { parsed: { ...parsed, text, written: first, hostBitsSet } } : {}),
    squid: { first: masked, last: second === undefined ? masked : applyMask(second, bits), maskBits: bits, range: second !== undefined },
    ...(hostBitsSet ? { hostBitsSet } : {}),
  };
}

function slashText(address: bigint, bits: number): string {
  const v4 = address >> 32n === 0xffffn;
  return `${formatAddress(address)}/${v4 ? bits - 96 : bits}`;
}

/**
 * aclIpAddrNetworkCompare(p, q) == 0 (p's first address, under q's mask, lies in q) holds exactly when p's
 * first address lies in reach(q): q's first address to its last with the bits of q's mask cleared set. Both
 * ends are masked already, so masking p's address first changes nothing. Empty (end < start) for a range
 * written backwards, which nothing lies in.
 */
function reach(q: NonNullable<AddressEntry['squid']>): AddressRange {
  const hostMask = (1n << BigInt(FULL - q.maskBits)) - 1n;
  return { start: q.first, end: q.last | hostMask };
}

/**
 * Marks the entries Squid drops (overlapping an earlier kept one) and returns the set the ACL matches.
 * An entry lies in a kept one exactly when its first address is in that one's reach, so "overlaps a kept entry" is two
 * ordered look-ups (the entry's first address in the kept reaches; a kept first address in the entry's
 * reach) rather than a comparison with every kept entry.
 */
export function keepEntries(entries: AddressEntry[]): AddressSet {
  const reaches = new AddressCoverage();
  const firsts = new AddressCoverage();
  const sets: AddressSet[] = [];
  for (const entry of entries) {
    if (!entry.set) continue;
    const squid = entry.squid;
    if (squid) {
      const own = reach(squid);
      const point = { start: squid.first, end: squid.first };
      const gaps = own.start <= own.end ? firsts.uncovered(own).intervals : [own];
      const holdsKeptFirst = !(gaps.length === 1 && gaps[0]!.start === own.start && gaps[0]!.end === own.end);
      if (reaches.covers(point) || holdsKeptFirst) {
        entry.ignored = true;
        continue;
      }
      reaches.take(own);
      firsts.take(point);
    }
    sets.push(entry.set);
  }
  return AddressSet.unionAll(sets);
}
