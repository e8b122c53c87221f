// Probe addresses for one service: first, last and middle address of every mynetworks block, the first
// addresses of its public part, the neighbours of a mistyped range's intended block, plus random
// public addresses from a seeded generator (the same run every time). They are only ever sent as text
// inside XCLIENT to 127.0.0.1.
import type { PostfixConfig } from '../../../src/families/postfix/config';
import type { MasterService } from '../../../src/families/postfix/master-cf';
import { mynetworksEntries } from '../../../src/families/postfix/mynetworks';
import { AddressSet, classOf, formatAddress, likelyIntended, parseRange, publicPart, writtenNetwork, type AddressRange } from '../../../src/net';

const V4_BASE = 0xffff00000000n;

/** mulberry32: small, seeded, good enough to spread probes. */
export function seededRandom(seedText: string): () => number {
  let seed = 0;
  for (const char of seedText) seed = (Math.imul(seed, 31) + char.charCodeAt(0)) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function edges(range: AddressRange): bigint[] {
  return [range.start, range.end, range.start + (range.end - range.start) / 2n];
}

export function probeAddresses(config: PostfixConfig, service: MasterService | undefined, seed: string, randomCount = 6): string[] {
  const values: bigint[] = [];
  const explicit = config.isExplicit('mynetworks', service);
  for (const entry of mynetworksEntries(config, service).entries) {
    const parsed = entry.parsed;
    if (!parsed) continue;
    values.push(...edges(parsed.range));
    if (parsed.hostBitsSet) values.push(...edges(writtenNetwork(parsed)));
    for (const cidr of publicPart(AddressSet.of(parsed.range)).toCidrs().slice(0, 2)) values.push(...edges(parseRange(cidr)!.range));
    const intended = likelyIntended(parsed);
    if (intended) {
      const block = parseRange(intended)!.range;
      values.push(block.start - 1n, block.start, block.end, block.end + 1n);
    }
  }
  const random = seededRandom(seed);
  while (values.length < 400) {
    const candidate = V4_BASE + BigInt(Math.floor(random() * 2 ** 32));
    if (classOf(candidate) !== 'public') continue;
    values.push(candidate);
    if (--randomCount <= 0) break;
  }
  // One global IPv6 stranger (2001:4860::/32-style space, not documentation).
  values.push((0x2a00_1450n << 96n) | BigInt(Math.floor(random() * 2 ** 32)));
  const addresses = [...new Set(values.filter((value) => value >= 0n && value < 1n << 128n).map(formatAddress))];
  // With no mynetworks written, Postfix derives one from the instance's interfaces (loopback only in the
  // copy) while the model has none: loopback probes would test the copy, not the file.
  return addresses.filter((address) => explicit || classOf(parseRange(address)!.range.start) !== 'loopback').slice(0, 60);
}
