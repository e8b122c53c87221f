// How much of the internet an outcome set reaches through one listener, judged with the one "very wide"
// threshold every allow-list in the product uses (net/judge VERY_WIDE_PUBLIC), and small edit helpers.
import type { EditSpec } from '../../../core/check';
import type { SourceText } from '../../../core/source';
import { AddressSet, VERY_WIDE_PUBLIC, parseRange, publicPart } from '../../../net';
import { reachOf } from '../../shared/listen-address';
import type { HaproxyLine } from '../config';
import type { Endpoint } from '../model';
import { EVERYONE } from '../gate';

const IPV4 = AddressSet.of(parseRange('0.0.0.0/0')!.range);

export interface Exposure {
  /** Public addresses (beyond the trusted networks) that get through. */
  public: AddressSet;
  /** Every public address of the listener's family gets through. */
  everyone: boolean;
  /** At least VERY_WIDE_PUBLIC public addresses get through. */
  wide: boolean;
  count: bigint;
}

/** The source addresses a TCP listener accepts packets from: IPv4 ones for an IPv4 address, both for `::`. */
function listenerFamily(endpoint: Endpoint): AddressSet {
  const host = endpoint.host ?? '';
  if (host === '' || host === '*' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || /^ipv4@/i.test(endpoint.text)) return IPV4;
  return EVERYONE;
}

export function exposureThrough(served: AddressSet, endpoint: Endpoint, trusted: AddressSet): Exposure {
  const family = listenerFamily(endpoint);
  const reachable = served.intersect(family);
  const open = publicPart(reachable).subtract(trusted);
  const all = publicPart(family).subtract(trusted);
  const v4 = open.v4Size();
  const v6 = open.size() - v4;
  return {
    public: open,
    everyone: !all.isEmpty() && all.subtract(open).isEmpty(),
    wide: v4 >= VERY_WIDE_PUBLIC.v4 || v6 >= VERY_WIDE_PUBLIC.v6,
    count: open.size(),
  };
}

/** Whether the listener's address is a private one (the network it is on can reach it, the internet cannot). */
export function privateListener(endpoint: Endpoint): boolean {
  return endpoint.transport === 'tcp' && endpoint.host !== undefined && reachOf(endpoint.host === '' ? '*' : endpoint.host) === 'private-address';
}

/** `ipv4@127.0.0.1:9999` for `ipv4@0.0.0.0:9999`, `127.0.0.1:80` for `*:80`: the same listener on loopback. */
export function loopbackVersion(endpoint: Endpoint): string | undefined {
  if (endpoint.transport !== 'tcp' || !endpoint.ports) return undefined;
  const prefix = /^([a-z0-9]+@)/i.exec(endpoint.text)?.[1] ?? '';
  const port = endpoint.ports[0] === endpoint.ports[1] ? String(endpoint.ports[0]) : `${endpoint.ports[0]}-${endpoint.ports[1]}`;
  return /^ipv6@/i.test(prefix) || (endpoint.host ?? '').includes(':') ? `${prefix}[::1]:${port}` : `${prefix}127.0.0.1:${port}`;
}

/** A new line after `line`, indented like it. */
export function insertAfter(source: SourceText, line: HaproxyLine, newLine: string): EditSpec {
  const indent = /^[ \t]*/.exec(source.lineText(line.line))![0];
  const end = source.lineEnd(line.line);
  return { span: { file: source.path, start: end, end }, newText: `\n${indent}${newLine}` };
}

/** The allow-list a suggestion writes: the project's trusted networks, or a placeholder range to edit. */
export function allowedNetworks(trusted: readonly string[]): string {
  return (trusted.length ? trusted : ['192.168.0.0/16']).join(' ');
}
