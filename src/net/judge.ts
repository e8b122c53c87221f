// One judgement for every allow-list: which part of an entry is public, whether it is a mistyped private
// block, and whether it is "very wide". Postfix mynetworks, pg_hba, nginx/Apache allow-lists, trusted-proxy
// lists and Kubernetes source ranges all ask this question, and every family to come asks it too.
import { type ParsedRange, V4_MAPPED_BASE, parseRange } from './address';
import { AddressSet } from './address-set';
import { isNonPublicRange, likelyIntended, publicPart } from './classify';

/**
 * The one "very wide" threshold: an entry that admits at least this many public addresses beyond the
 * trusted networks opens the service to a large part of the internet rather than to an office, a partner
 * or a provider's range. IPv4: 65,536 addresses (a /16, the largest block one organisation typically
 * holds). IPv6: 2^96 addresses (a /32, a whole provider's allocation; a site gets a /48).
 */
export const VERY_WIDE_PUBLIC = { v4: 1n << 16n, v6: 1n << 96n } as const;

const V4_SPACE = AddressSet.of({ start: V4_MAPPED_BASE, end: V4_MAPPED_BASE + 0xffffffffn });

export interface RangeJudgement {
  parsed: ParsedRange;
  /** Public addresses the entry admits, beyond the trusted networks and what earlier entries decided. */
  exposed: AddressSet;
  /** `exposed.size()`. */
  publicCount: bigint;
  /** The entry is 0.0.0.0/0 or ::/0: every address. */
  everything: boolean;
  /** The private block a mistyped entry most likely meant (172.0.0.0/8 -> 172.16.0.0/12). */
  intended?: string;
  /** The public part reaches VERY_WIDE_PUBLIC (or the entry is everything). */
  veryWide: boolean;
}

/**
 * Judges one allow-list entry. `contribution` is the part of the entry that actually decides (first-match
 * lists: what earlier entries and exclusions left); by default the whole range. `trusted` is the project's
 * trustedNetworks setting as a set (CheckContext.trusted): addresses the organisation owns are never public.
 */
export function judgeRange(parsed: ParsedRange, trusted: AddressSet, contribution?: AddressSet): RangeJudgement {
  // Most entries of long lists are private or loopback: nothing public, no typo (likelyIntended needs a public
  // part of the written range), not everything. Same judgement as below, without building sets.
  if (isNonPublicRange(parsed.range) && (contribution === undefined || contribution.intervals.every(isNonPublicRange)))
    return { parsed, exposed: AddressSet.empty, publicCount: 0n, everything: false, veryWide: false };
  return judgeRangeFully(parsed, trusted, contribution ?? AddressSet.of(parsed.range));
}

function judgeRangeFully(parsed: ParsedRange, trusted: AddressSet, contribution: AddressSet): RangeJudgement {
  const exposed = publicPart(contribution).subtract(trusted);
  const publicCount = exposed.size();
  const everything = parsed.prefix === 0;
  const v4Count = exposed.intersect(V4_SPACE).size();
  const veryWide = everything || v4Count >= VERY_WIDE_PUBLIC.v4 || publicCount - v4Count >= VERY_WIDE_PUBLIC.v6;
  const intended = likelyIntended(parsed);
  return { parsed, exposed, publicCount, everything, ...(intended ? { intended } : {}), veryWide };
}

/** `judgeRange` for an entry as written; undefined when the text is not an address or CIDR range. */
export function judgeRangeText(text: string, trusted: AddressSet): RangeJudgement | undefined {
  const parsed = parseRange(text);
  return parsed ? judgeRange(parsed, trusted) : undefined;
}
