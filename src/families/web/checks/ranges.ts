// Address entries of allow-lists and trusted-proxy lists, as written in nginx and Apache, judged with net/.
import { AddressSet, likelyIntended, parseRange, publicPart, type ParsedRange } from '../../../net';

/** A public part this large (a /8 of IPv4) is "the internet", not an office or a CDN. */
const WIDE_PUBLIC = 1n << 24n;

export interface RangeJudgement {
  parsed: ParsedRange;
  /** The private block the entry most likely meant (172.0.0.0/8 -> 172.16.0.0/12). */
  intended?: string;
  /** The entry covers every address (0.0.0.0/0, ::/0). */
  everything: boolean;
  /** Public addresses it covers beyond the trusted networks. */
  publicSize: bigint;
  wide: boolean;
}

/** Apache also accepts `10.1` (a partial address) and `10.0.0.0/255.0.0.0` (a netmask): both become CIDR. */
export function apacheAddressToCidr(text: string): string {
  const netmask = /^(\d+\.\d+\.\d+\.\d+)\/(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (netmask) {
    const bits = netmask[2]!.split('.').map(Number).reduce((count, octet) => count + (octet.toString(2).match(/1/g)?.length ?? 0), 0);
    return `${netmask[1]}/${bits}`;
  }
  if (/^\d+(\.\d+){0,2}\.?$/.test(text)) {
    const octets = text.replace(/\.$/, '').split('.');
    return `${[...octets, '0', '0', '0'].slice(0, 4).join('.')}/${octets.length * 8}`;
  }
  return text;
}

export function judgeRange(text: string, trusted: AddressSet): RangeJudgement | undefined {
  const parsed = parseRange(text);
  if (!parsed) return undefined;
  const intended = likelyIntended(parsed);
  const exposed = publicPart(AddressSet.of(parsed.range)).subtract(trusted);
  const publicSize = exposed.size();
  return { parsed, ...(intended ? { intended } : {}), everything: parsed.prefix === 0, publicSize, wide: publicSize >= WIDE_PUBLIC };
}
