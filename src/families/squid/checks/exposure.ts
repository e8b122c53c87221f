// Which public clients an answer reaches, judged by net/judgeRange piece by piece: the addresses a rule
// allows are split into CIDR blocks, and the one VERY_WIDE_PUBLIC threshold decides whether that is a large
// part of the internet (not a partner's or an office's range). Phrased for people: "every client on the
// internet", or the number of public IPv4 addresses (and whether IPv6 clients are among them).
import { type TextRef, text } from '../../../core/check';
import { type AddressSet, V4_MAPPED_BASE, VERY_WIDE_PUBLIC, judgeRange, parseRange, publicPart } from '../../../net';
import { EVERY_ADDRESS } from '../access';

export interface Exposure {
  veryWide: boolean;
  clients: TextRef;
}

const V4_END = V4_MAPPED_BASE + 0xffffffffn;

/**
 * False when no piece of `set` can be very wide: every piece holds fewer addresses than the smaller threshold
 * (an /0 piece, the one judged "everything" whatever the trust, is larger). A cheap test before exposureOf.
 */
export function mayBeVeryWide(set: AddressSet): boolean {
  const smaller = VERY_WIDE_PUBLIC.v4 < VERY_WIDE_PUBLIC.v6 ? VERY_WIDE_PUBLIC.v4 : VERY_WIDE_PUBLIC.v6;
  return set.size() >= smaller;
}

export function exposureOf(set: AddressSet, trusted: AddressSet): Exposure {
  let veryWide = false;
  let exposed: AddressSet | undefined;
  for (const cidr of set.toCidrs()) {
    const judged = judgeRange(parseRange(cidr)!, trusted);
    veryWide ||= judged.veryWide;
    exposed = exposed ? exposed.union(judged.exposed) : judged.exposed;
  }
  if (!exposed) return { veryWide: false, clients: text('squid.clients-count', { v4: '0' }) };
  const everyone = publicPart(EVERY_ADDRESS).subtract(trusted).subtract(exposed).isEmpty();
  if (everyone) return { veryWide, clients: text('squid.clients-everyone') };
  const v4 = exposed.intervals.reduce((sum, range) => {
    const start = range.start > V4_MAPPED_BASE ? range.start : V4_MAPPED_BASE;
    const end = range.end < V4_END ? range.end : V4_END;
    return end >= start ? sum + (end - start + 1n) : sum;
  }, 0n);
  const v6 = exposed.size() > v4;
  const count = v4.toLocaleString('en-US');
  return { veryWide, clients: v6 ? text('squid.clients-count-and-v6', { v4: count }) : text('squid.clients-count', { v4: count }) };
}
