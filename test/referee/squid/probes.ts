// What the referee asks each Squid: the requests the checks judge (a plain GET, CONNECT to 443 and to the ports
// squid/connect-any-port tries, GETs carrying a url_regex's text) from client addresses chosen at the edges of
// every src entry an access rule uses (inside, just outside, the public part, the neighbours of a mistyped
// range's intended block), a few fixed private and loopback addresses, and seeded random public ones.
import { type AddressRange, AddressSet, classOf, formatAddress, likelyIntended, parseRange, publicPart } from '../../../src/net';
import type { SquidConfig } from '../../../src/families/squid/model';
import { type ProbeRequest, type Verdict, connectRequest, getRequest, verdictFor, walkAccess } from '../../../src/families/squid/access';
import { sampleRequests } from '../../../src/families/squid/checks/open-proxy';
import { PROBE_PORTS } from '../../../src/families/squid/checks/connect-any-port';
import type { Probe } from './probe-client';

const FIXED = ['127.0.0.1', '127.0.0.2', '::1', '10.1.2.3', '172.16.5.4', '192.168.1.10', '100.64.0.1', '2001:db8::7'];
/**
 * Sources a socket cannot be bound to or that mean something else on loopback: 127.0.0.0 and 127.255.255.255
 * are the network and broadcast addresses of lo's 127.0.0.1/8, and a connection "from" them reaches Squid as
 * if it came from 127.0.0.1.
 */
const UNUSABLE = AddressSet.parse(['0.0.0.0/8', '127.0.0.0/32', '127.255.255.255/32', '224.0.0.0/3', '::/128', 'ff00::/8', 'fe80::/10']);
const MAX_ADDRESSES = 48;

function seeded(seedText: string): () => number {
  let seed = 0;
  for (const char of seedText) seed = (Math.imul(seed, 31) + char.charCodeAt(0)) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const edges = (range: AddressRange) => [range.start, range.end, range.start + (range.end - range.start) / 2n, range.start - 1n, range.end + 1n];

export function probeAddresses(config: SquidConfig, seed: string): string[] {
  const values: bigint[] = [];
  const used = new Set(config.httpAccess.flatMap((rule) => rule.acls.map((reference) => reference.name)));
  for (const name of used) {
    const acl = config.acls.get(name);
    if (acl?.type !== 'src') continue;
    for (const entry of acl.entries) {
      for (const range of entry.set?.intervals ?? []) values.push(...edges(range));
      if (entry.set) for (const cidr of publicPart(entry.set).toCidrs().slice(0, 2)) values.push(...edges(parseRange(cidr)!.range).slice(0, 3));
      const intended = entry.parsed && likelyIntended(entry.parsed);
      if (intended) values.push(...edges(parseRange(intended)!.range).slice(3));
    }
  }
  for (const text of FIXED) values.push(parseRange(text)!.written);
  const random = seeded(seed);
  for (let found = 0; found < 6;) {
    const candidate = 0xffff00000000n + BigInt(Math.floor(random() * 2 ** 32));
    if (classOf(candidate) !== 'public') continue;
    values.push(candidate);
    found++;
  }
  values.push((0x2a00_1450n << 96n) | BigInt(Math.floor(random() * 2 ** 32)), (0x2600_1f18n << 96n) | BigInt(Math.floor(random() * 2 ** 32)));
  const usable = values.filter((value) => value >= 0n && value < 1n << 128n && !UNUSABLE.contains(value));
  return [...new Set(usable.map(formatAddress))].slice(0, MAX_ADDRESSES);
}

export function probeRequests(config: SquidConfig): Array<{ label: string; request: ProbeRequest }> {
  return [
    { label: 'GET', request: getRequest() },
    { label: 'CONNECT 443', request: connectRequest(443) },
    ...PROBE_PORTS.map((port) => ({ label: `CONNECT ${port}`, request: connectRequest(port) })),
    ...sampleRequests(config).map(({ request, sample }) => ({ label: `GET ?${sample}`, request })),
  ];
}

export interface PlannedProbe {
  probe: Probe;
  label: string;
  predicted: Verdict;
  /** The rule that decided, for messages. */
  why: string;
}

/** Every address x request with our verdict; 'unknown' verdicts are counted, not sent. */
export function plan(config: SquidConfig, seed: string): { planned: PlannedProbe[]; unjudged: number } {
  const planned: PlannedProbe[] = [];
  let unjudged = 0;
  const addresses = probeAddresses(config, seed);
  for (const { label, request } of probeRequests(config)) {
    const outcomes = walkAccess(config, request);
    for (const source of addresses) {
      const outcome = verdictFor(outcomes, parseRange(source)!.written);
      if (!outcome || outcome.verdict === 'unknown') {
        unjudged++;
        continue;
      }
      planned.push({
        probe: { source, method: request.method, target: request.method === 'GET' ? request.url : request.url },
        label,
        predicted: outcome.verdict,
        why: outcome.rule ? outcome.rule.line.text : 'no rule matched (implicit answer)',
      });
    }
  }
  return { planned, unjudged };
}
