// Message parts the iptables and ufw checks share: service lists, counts, the services behind a port.
import { type RelatedSpec, type TemplateValue, type TextRef, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import type { Protocol, Uncertainty } from './model';
import type { PortSet } from './ports';
import type { FirewallService } from './services';
import { type ServiceFacts, servicesBehind } from './nearby';

const LIST_LIMIT = 6;

/** `Remote Desktop (RDP) 3389/tcp,udp, Redis 6379/tcp` (the first few, then `+N`). */
export function serviceList(exposures: ReadonlyArray<{ service: FirewallService; protocol: Protocol }>): string {
  const byService = new Map<string, Protocol[]>();
  for (const { service, protocol } of exposures) {
    const key = `${service.label} ${service.port}`;
    const protocols = byService.get(key) ?? [];
    if (!protocols.includes(protocol)) protocols.push(protocol);
    byService.set(key, protocols);
  }
  const out = [...byService].map(([key, protocols]) => `${key}/${protocols.join(',')}`);
  return out.length > LIST_LIMIT ? `${out.slice(0, LIST_LIMIT).join(', ')}, +${out.length - LIST_LIMIT}` : out.join(', ');
}

/** `22/tcp, 1000-2000/udp`, shortened after a few ranges. */
export function portList(ports: ReadonlyMap<Protocol, PortSet>): string {
  const parts: string[] = [];
  for (const [protocol, set] of ports)
    for (const range of set.ranges) parts.push(`${range.from === range.to ? range.from : `${range.from}-${range.to}`}/${protocol}`);
  return parts.length > 6 ? `${parts.slice(0, 6).join(', ')}, …` : parts.join(', ');
}

/** `65,536`; beyond a trillion (IPv6 counts), `≈2^N` with N rounded to the nearest power. */
export function count(value: bigint): string {
  if (value < 1_000_000_000_000n) return value.toLocaleString('en-US');
  const bits = value.toString(2).length;
  // value lies in [2^(bits-1), 2^bits): round by comparing with 2^(bits-0.5) ≈ 1.414 * 2^(bits-1).
  const half = ((1n << BigInt(bits - 1)) * 1414n) / 1000n;
  return `≈2^${value >= half ? bits : bits - 1}`;
}

export function familyLabel(family: 4 | 6): string {
  return family === 4 ? 'IPv4' : 'IPv6';
}

/** " Behind it: Redis (redis.conf)." with related locations, for the services configured beside the firewall. */
export function behindNote(
  facts: ServiceFacts,
  exposures: ReadonlyArray<{ service: FirewallService; protocol: Protocol }>,
): { data: TemplateValue; related: RelatedSpec[] } {
  const related: RelatedSpec[] = [];
  const names: string[] = [];
  for (const { service, protocol } of exposures)
    for (const behind of servicesBehind(facts, protocol, service.port)) {
      if (behind.docker) continue;
      const file = behind.span.file.slice(behind.span.file.lastIndexOf('/') + 1);
      const name = `${behind.label} (${file})`;
      if (!names.includes(name)) names.push(name);
      related.push({ span: behind.span, message: text('firewall.service-configured-here', { service: behind.label, port: `${service.port}/${protocol}` }) });
    }
  return { data: names.length ? text('firewall.behind', { services: names.join(', ') }) : '', related };
}

/** Related locations for what the model could not decide. */
export function unknownRelated(unknowns: readonly Uncertainty[]): RelatedSpec[] {
  return unknowns.map((unknown) => ({ span: unknown.span, message: unknown.reason }));
}

export function relatedAt(span: Span | undefined, message: TextRef): RelatedSpec[] {
  return span ? [{ span, message }] : [];
}
