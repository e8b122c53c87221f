// Which packets the referee sends for a ruleset: ports where the rules change their answer and the service
// ports the rules care about; sources from the allow-lists themselves (the public part of every source match,
// its edges and the addresses just outside), neighbours of mistyped private blocks, private and documentation
// addresses, and public addresses drawn from a seeded generator.
import { AddressSet, classOf, formatAddress, parseRange } from '../../../src/net';
import { FIREWALL_SERVICES, type IpFamily, type Protocol, type Ruleset, portSegments, universe } from '../../../src/families/shared/firewall';
import { TARGET, type ProbePlan } from './netns';

const MAX_PORTS = 16;
const MAX_SOURCES = 12;
/** At most this many sources come from the rules' own address matches. */
const RULE_SOURCES = 6;

const FIXED: Record<IpFamily, string[]> = {
  4: ['203.0.113.10', '198.51.100.20', '192.0.2.30', '10.1.2.3', '192.168.1.10', '172.16.5.5', '172.15.255.254', '172.32.0.1', '100.64.1.1'],
  6: ['2001:db8::10', '2001:db8:1::20', 'fd00::5', '2a00:1450::1'],
};

const MARTIANS: Record<IpFamily, AddressSet> = {
  4: AddressSet.parse(['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4']),
  6: AddressSet.parse(['::/128', '::1/128', 'fe80::/10', 'ff00::/8']),
};

/** Addresses a packet from another host can carry (the kernel drops loopback, multicast and reserved sources as martians). */
function usable(address: bigint, family: IpFamily): boolean {
  return universe(family).contains(address) && !MARTIANS[family].contains(address) && formatAddress(address) !== TARGET[family];
}

/** A small deterministic generator (mulberry32), so every run probes the same "random" public addresses. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPublic(family: IpFamily, random: () => number): bigint {
  for (;;) {
    const value =
      family === 4
        ? 0xffff00000000n + BigInt(Math.floor(random() * 2 ** 32))
        : (0x2000n << 112n) + (BigInt(Math.floor(random() * 2 ** 32)) << 64n) + BigInt(Math.floor(random() * 2 ** 32));
    if (classOf(value) === 'public' && usable(value, family)) return value;
  }
}

export function planProbes(ruleset: Ruleset, seed: number): ProbePlan {
  const family = ruleset.family;
  const space = universe(family);
  const chosen: bigint[] = [];
  const add = (value: bigint | undefined) => {
    if (value === undefined || !space.contains(value) || !usable(value, family) || chosen.includes(value)) return;
    chosen.push(value);
  };
  for (const chain of ruleset.chains.values())
    for (const rule of chain.rules) {
      const source = rule.match.source;
      if (!source || source.intervals.length > 64) continue;
      for (const interval of source.intervals.slice(0, 4)) {
        add(interval.start);
        add(interval.end);
        add(interval.start - 1n);
        add(interval.end + 1n);
      }
    }
  const fromRules = chosen.splice(0, chosen.length);
  // A documentation address and two random public ones first, then private and mistyped-range neighbours.
  const random = generator(seed);
  const fixed = FIXED[family].map((text) => parseRange(text)!.range.start);
  for (const value of [fixed[0], randomPublic(family, random), randomPublic(family, random), ...fixed.slice(1), randomPublic(family, random)]) add(value);
  const step = Math.max(1, Math.ceil(fromRules.length / RULE_SOURCES));
  const sources = [...fromRules.filter((_, index) => index % step === 0).slice(0, RULE_SOURCES), ...chosen].slice(0, MAX_SOURCES);
  return { sources: sources.map(formatAddress), ports: { tcp: portsFor(ruleset, 'tcp'), udp: portsFor(ruleset, 'udp') } };
}

function portsFor(ruleset: Ruleset, protocol: Protocol): number[] {
  const out: number[] = [];
  const add = (port: number) => {
    if (port >= 1 && port <= 65535 && !out.includes(port) && out.length < MAX_PORTS) out.push(port);
  };
  const segments = portSegments(ruleset, protocol);
  for (const segment of segments) if (segment.from > 0 || segment.to < 65535) add(segment.from === 0 ? segment.to : segment.from);
  for (const service of FIREWALL_SERVICES) if (service.protocols.includes(protocol) && out.length < MAX_PORTS - 4) add(service.port);
  for (const segment of segments) add(segment.to);
  if (!out.length) add(protocol === 'tcp' ? 3389 : 11211);
  return out.sort((a, b) => a - b);
}
