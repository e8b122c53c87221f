// Compose `ports`: short syntax [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] (ranges allowed,
// an IPv6 host in brackets) and long syntax (target, published, host_ip, protocol, mode).
// `expose` does not publish anything and is not read here.
import type { Span } from '../../core/types';

export interface PortSpec {
  /** Host address as written ('' when absent: Docker then binds every interface). */
  hostIp: string;
  hostPort: string;
  containerPorts: number[];
  containerText: string;
  protocol: string;
}

function expandRange(text: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) return [];
  const start = Number(match[1]);
  const end = Math.min(match[2] ? Number(match[2]) : start, start + 1024);
  return Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => start + i);
}

export function parseShortPort(text: string): PortSpec | undefined {
  let rest = text.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
  }
  let hostIp = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 1).replace(/^:/, '');
  }
  const parts = rest.split(':');
  if (!hostIp && parts.length > 3) {
    hostIp = parts.slice(0, parts.length - 2).join(':');
    parts.splice(0, parts.length - 2);
  } else if (!hostIp && parts.length === 3) hostIp = parts.shift()!;
  const containerText = parts[parts.length - 1]!;
  const hostPort = parts.length === 2 ? parts[0]! : '';
  const containerPorts = expandRange(containerText);
  if (containerPorts.length === 0) return undefined;
  return { hostIp, hostPort, containerPorts, containerText, protocol };
}

export interface PortEntry {
  spec: PortSpec;
  /** The entry as written (the scalar, or the mapping of the long syntax). */
  span: Span;
  syntax: 'short' | 'long';
  /** Short syntax: the scalar's content span and whether it is quoted. Long syntax: where a key line goes. */
  contentSpan: Span;
  quoted: boolean;
  hostIpSpan?: Span;
  /** Long syntax: column of the mapping's keys, and the end of its first line. */
  longKeyColumn?: number;
  longFirstLineEnd?: number;
  /** The host address depends on a variable that has no value here. */
  hostIpUnknown: boolean;
}
