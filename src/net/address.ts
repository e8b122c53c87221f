// Address ranges as integer intervals. IPv4 lives inside IPv6 at ::ffff:0:0/96 (the IPv4-mapped block),
// so one interval arithmetic serves both families and `[::ffff:127.0.0.0]/104` is simply loopback.
// The arithmetic is cross-checked against ip-cidr (a reference CIDR implementation) by
// test/unit/net-ip-cidr.test.ts over the corpus and random addresses, not per address at run time.

export const V4_MAPPED_BASE = 0xffff00000000n;
const V6_BITS = 128;

export interface AddressRange {
  start: bigint;
  end: bigint;
}

export interface ParsedRange {
  /** The text as written (brackets included). */
  text: string;
  version: 4 | 6;
  /** Prefix length in the family's own bits (IPv4: 0-32). */
  prefix: number;
  /** The address as written, before masking, in the unified space. */
  written: bigint;
  /** The range the daemon would match once host bits are masked off. */
  range: AddressRange;
  hostBitsSet: boolean;
  /** True when no `/len` was written (a single host). */
  bare: boolean;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  // Without the zone (`%eth0`): from the first '%' after the last line break (what `.replace(/%.*$/, '')` does,
  // without its quadratic backtracking on runs of '%').
  const zone = text.indexOf('%', Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'), text.lastIndexOf('\u2028'), text.lastIndexOf('\u2029')) + 1);
  let address = zone < 0 ? text : text.slice(0, zone);
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded dotted quad (::ffff:192.0.2.1) is two 16-bit words written differently.
    const v4 = parseV4(tail);
    if (v4 === undefined) return undefined;
    address = `${address.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const words = (part: string) => (part === '' ? [] : part.split(':'));
  const left = words(halves[0]!);
  const right = halves.length === 2 ? words(halves[1]!) : [];
  const written = left.length + right.length;
  if (halves.length === 1 ? written !== 8 : written > 7) return undefined;
  let value = 0n;
  for (const word of [...left, ...Array<string>(8 - written).fill('0'), ...right]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(word)) return undefined;
    value = (value << 16n) | BigInt(parseInt(word, 16));
  }
  return value;
}

function maskRange(address: bigint, prefix: number, bits: number): AddressRange {
  const hostBits = BigInt(bits - prefix);
  const size = 1n << hostBits;
  const start = (address >> hostBits) << hostBits;
  return { start, end: start + size - 1n };
}

/**
 * Parses `1.2.3.4`, `1.2.3.0/24`, `::1`, `[::1]/128`, `[::ffff:127.0.0.0]/104`, `2001:db8::/32`.
 * IPv4-mapped IPv6 ranges are returned as IPv4 ranges. Returns undefined for anything else.
 */
export function parseRange(text: string): ParsedRange | undefined {
  if (parsedRanges.has(text)) return parsedRanges.get(text);
  // Lists repeat the same few ranges (and every keystroke re-lints them): remember recent answers.
  if (parsedRanges.size >= PARSE_CACHE_LIMIT) parsedRanges.clear();
  const parsed = parseRangeUncached(text);
  parsedRanges.set(text, parsed);
  return parsed;
}

/** As many answers as a 50,000-line list or rule file asks for (see VALUE_MEMO_LIMIT in the firewall model). */
const PARSE_CACHE_LIMIT = 60_000;
const parsedRanges = new Map<string, ParsedRange | undefined>();

function parseRangeUncached(text: string): ParsedRange | undefined {
  const trimmed = text.trim();
  return parsePlainV4(text, trimmed) ?? parseGeneral(text, trimmed);
}

/** The general parser alone (no plain-IPv4 fast path, no cache): tests compare the fast path with it. */
export function parseRangeGeneral(text: string): ParsedRange | undefined {
  return parseGeneral(text, text.trim());
}

function parseGeneral(text: string, trimmed: string): ParsedRange | undefined {
  const match = /^(\[)?([0-9A-Fa-f:.%\w]+?)(\])?(?:\/(\d{1,3}))?$/.exec(trimmed);
  if (!match || Boolean(match[1]) !== Boolean(match[3])) return undefined;
  const addressText = match[2]!;
  const bare = match[4] === undefined;
  if (!addressText.includes(':')) {
    if (match[1]) return undefined;
    const value = parseV4(addressText);
    const prefix = bare ? 32 : Number(match[4]);
    if (value === undefined || prefix > 32) return undefined;
    return build(text, 4, prefix, value, bare);
  }
  const value = parseV6(addressText);
  const prefix = bare ? V6_BITS : Number(match[4]);
  if (value === undefined || prefix > V6_BITS) return undefined;
  if (value >> 32n === 0xffffn && prefix >= 96) return build(text, 4, prefix - 96, value & 0xffffffffn, bare);
  return build(text, 6, prefix, value, bare);
}

/**
 * The common case without regexes or per-octet BigInts: `a.b.c.d` or `a.b.c.d/len` (1-3 ASCII digits each,
 * octets <= 255, len <= 32). Anything else (and anything it is unsure of) goes to the general parser, which
 * gives the same answer for these texts.
 */
function parsePlainV4(text: string, trimmed: string): ParsedRange | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let i = 0;
  for (; i < trimmed.length; i++) {
    const code = trimmed.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (++digits > 3) return undefined;
      octet = octet * 10 + (code - 48);
    } else if (code === 46 && digits > 0 && dots < 3) {
      if (octet > 255) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else break;
  }
  if (dots !== 3 || digits === 0 || octet > 255) return undefined;
  value = value * 256 + octet;
  let prefix = 32;
  const bare = i === trimmed.length;
  if (!bare) {
    if (trimmed.charCodeAt(i) !== 47 || trimmed.length - i - 1 < 1 || trimmed.length - i - 1 > 3) return undefined;
    prefix = 0;
    for (let j = i + 1; j < trimmed.length; j++) {
      const code = trimmed.charCodeAt(j);
      if (code < 48 || code > 57) return undefined;
      prefix = prefix * 10 + (code - 48);
    }
    if (prefix > 32) return undefined;
  }
  const size = 2 ** (32 - prefix);
  const start = value - (value % size);
  const base = BigInt(start) + V4_MAPPED_BASE;
  return {
    text,
    version: 4,
    prefix,
    written: BigInt(value) + V4_MAPPED_BASE,
    range: { start: base, end: base + BigInt(size - 1) },
    hostBitsSet: start !== value,
    bare,
  };
}

function build(text: string, version: 4 | 6, prefix: number, value: bigint, bare: boolean): ParsedRange {
  const bits = version === 4 ? 32 : V6_BITS;
  const local = maskRange(value, prefix, bits);
  const offset = version === 4 ? V4_MAPPED_BASE : 0n;
  return {
    text,
    version,
    prefix,
    written: value + offset,
    range: { start: local.start + offset, end: local.end + offset },
    hostBitsSet: local.start !== value,
    bare,
  };
}

function formatLocal(version: 4 | 6, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const words: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) words.push(((value >> shift) & 0xffffn).toString(16));
  return words.join(':');
}

/** Text for an address in the unified space: dotted quad for IPv4, compressed hex for IPv6. */
export function formatAddress(value: bigint): string {
  if (value >> 32n === 0xffffn) return formatLocal(4, value & 0xffffffffn);
  const words = formatLocal(6, value).split(':');
  // RFC 5952: the longest run of two or more zero words becomes '::'.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < words.length;) {
    let j = i;
    while (j < words.length && words[j] === '0') j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (bestStart < 0) return words.join(':');
  return `${words.slice(0, bestStart).join(':')}::${words.slice(bestStart + bestLength).join(':')}`;
}

/** `a.b.c.d/len` or `x::/len` for a range that is exactly one prefix. */
export function formatRange(range: AddressRange): string {
  const size = range.end - range.start + 1n;
  const hostBits = size.toString(2).length - 1;
  const isV4 = range.start >> 32n === 0xffffn;
  const bits = isV4 ? 32 : V6_BITS;
  return `${formatAddress(range.start)}/${bits - hostBits}`;
}

export function isV4Range(range: AddressRange): boolean {
  return range.start >= V4_MAPPED_BASE && range.end <= V4_MAPPED_BASE + 0xffffffffn;
}

/** A prefix containing `address` whose length is `prefix` in that family's bits. */
export function prefixRange(address: bigint, prefix: number, version: 4 | 6): AddressRange {
  if (version === 4) {
    const local = maskRange(address - V4_MAPPED_BASE, prefix, 32);
    return { start: local.start + V4_MAPPED_BASE, end: local.end + V4_MAPPED_BASE };
  }
  return maskRange(address, prefix, V6_BITS);
}
