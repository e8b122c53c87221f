// firewalld's zones as the shared packet-path model sees them, following the nftables ruleset firewalld 1.3
// builds (checked against the ruleset its own code loads, see test/referee/firewall/firewalld-*.ts):
//   filter_INPUT: established/related, loopback and invalid packets aside, jump to the zone dispatch;
//   dispatch: zones with <source> bindings (sorted by zone name, sources in file order), then <interface>
//   bindings, then the default zone;
//   a zone: rich rules with priority < 0, then log, deny (drop/reject rich rules), allow (services, ports,
//   protocols, source ports, accepting rich rules), then priority > 0; last, the zone's target
//   (default and %%REJECT%%: reject; DROP: drop; ACCEPT: accept).
import { text } from '../../core/check';
import type { Span } from '../../core/types';
import type { AddressSet } from '../../net';
import {
  type Action,
  type Chain,
  type Condition,
  type FirewallRule,
  type IpFamily,
  type Ruleset,
  type RuleMatch,
  PortSet,
  familySet,
  memoValue,
  universe,
  valueMemo,
} from '../shared/firewall';
import type { FirewalldSetup } from './setup';
import type { RichRule, Zone } from './zone';

/** A model rule that remembers the zone and what in it the rule stands for. */
export interface FirewalldModelRule extends FirewallRule {
  zone: Zone;
  origin: 'dispatch' | 'service' | 'port' | 'protocol' | 'source-port' | 'rich' | 'target';
  /** For services: the service name. */
  service?: string;
  rich?: RichRule;
}

export interface FirewalldModel {
  family: IpFamily;
  ruleset: Ruleset;
  /** The model chain of each zone. */
  chains: Map<Zone, Chain>;
}

export const INPUT_CHAIN = 'filter_INPUT';
export const zoneChain = (zone: Zone) => `filter_IN_${zone.name}`;

/** Where a zone's own rules are said to be when the zone is a shipped default the project does not hold. */
function zoneSpan(zone: Zone): Span {
  return zone.span ?? { file: `firewalld-shipped:${zone.name}`, start: 0, end: 0 };
}

export function buildModel(setup: FirewalldSetup, family: IpFamily): FirewalldModel {
  const chains = new Map<string, Chain>();
  const byZone = new Map<Zone, Chain>();
  const zones = [...setup.zones.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const zone of zones) {
    const chain: Chain = { name: zoneChain(zone), rules: zoneRules(setup, zone, family), span: zoneSpan(zone) };
    chains.set(chain.name, chain);
    byZone.set(zone, chain);
  }
  const dispatch: FirewallRule[] = [];
  const dispatchRule = (zone: Zone, span: Span, match: RuleMatch): FirewalldModelRule => ({
    span,
    match,
    action: { kind: 'goto', chain: zoneChain(zone) },
    zone,
    origin: 'dispatch',
  });
  for (const zone of zones)
    for (const source of zone.sources) {
      const span = source.span ?? zoneSpan(zone);
      if (source.kind !== 'address') {
        dispatch.push({
          ...dispatchRule(zone, span, {
            conditions: [unknown(span, source.kind === 'ipset' ? 'firewalld.unknown-ipset' : 'firewalld.unknown-mac', source.value)],
          }),
          sourceSpans: [span],
        });
        continue;
      }
      const set = familySet(source.value, family);
      if (set) dispatch.push({ ...dispatchRule(zone, span, { source: set }), sourceSpans: [span] });
    }
  for (const zone of zones)
    for (const binding of zone.interfaces) {
      const span = binding.span ?? zoneSpan(zone);
      dispatch.push(dispatchRule(zone, span, { inInterface: { names: [binding.value], negated: false, span } }));
    }
  const fallback = setup.zones.get(setup.defaultZone.name);
  if (fallback) dispatch.push(dispatchRule(fallback, setup.defaultZone.entry?.valueSpan ?? zoneSpan(fallback), {}));
  chains.set(INPUT_CHAIN, { name: INPUT_CHAIN, rules: dispatch, policy: { verdict: 'accept' } });
  return { family, ruleset: { family, chains, input: [INPUT_CHAIN] }, chains: byZone };
}

function unknown(span: Span, key: 'firewalld.unknown-ipset' | 'firewalld.unknown-mac', value: string): Condition {
  return {
    span,
    decide: () => 'unknown',
    reason: key === 'firewalld.unknown-ipset' ? text('firewalld.unknown-ipset', { name: value }) : text('firewalld.unknown-mac', { mac: value }),
  };
}

/** `22`, `8000-8010` as a port set. */
export function portSpec(port: string): PortSet | undefined {
  // A pure function of the text (port sets are immutable): remembered between lints.
  return memoValue(portSpecs, port, () => readPortSpec(port));
}

const portSpecs = valueMemo<PortSet | undefined>();

function readPortSpec(port: string): PortSet | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port.trim());
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = match[2] ? Number(match[2]) : from;
  return from <= 65535 && to <= 65535 && from <= to ? PortSet.of({ from, to }) : undefined;
}

function zoneRules(setup: FirewalldSetup, zone: Zone, family: IpFamily): FirewalldModelRule[] {
  const own = zoneSpan(zone);
  const rich = (predicate: (rule: RichRule) => boolean) =>
    zone.rules
      .filter(predicate)
      .sort((a, b) => a.priority - b.priority)
      .flatMap((rule) => richRules(setup, zone, rule, family));
  // Forwarded ports are translated in nat PREROUTING, before any of this: where they go is not followed.
  const forwarded: FirewalldModelRule[] = zone.forwardPorts.flatMap((port) => {
    const ports = portSpec(port.port);
    return ports
      ? [
          {
            span: port.span ?? own,
            match: { protocols: { names: [port.protocol], negated: false }, dports: ports },
            action: { kind: 'unknown', reason: text('firewalld.forward-port') },
            zone,
            origin: 'port',
          },
        ]
      : [];
  });
  const pre = rich((rule) => rule.priority < 0);
  const log = rich((rule) => rule.priority === 0 && (!rule.action || rule.action.kind === 'mark'));
  const deny = rich((rule) => rule.priority === 0 && (rule.action?.kind === 'drop' || rule.action?.kind === 'reject'));
  const allow: FirewalldModelRule[] = [];
  for (const service of zone.services) {
    const span = service.element ?? service.span ?? own;
    for (const definition of setup.expandService(service.value))
      for (const match of serviceMatches(definition, family))
        allow.push({ span, match, action: { kind: 'accept' }, zone, origin: 'service', service: service.value });
  }
  for (const port of zone.ports) {
    const ports = portSpec(port.port);
    if (ports)
      allow.push({
        span: port.span ?? own,
        match: { protocols: { names: [port.protocol], negated: false }, dports: ports },
        action: { kind: 'accept' },
        zone,
        origin: 'port',
      });
  }
  for (const protocol of zone.protocols)
    allow.push({
      span: protocol.element ?? protocol.span ?? own,
      match: { protocols: { names: [protocol.value], negated: false } },
      action: { kind: 'accept' },
      zone,
      origin: 'protocol',
    });
  for (const port of zone.sourcePorts) {
    const ports = portSpec(port.port);
    if (ports)
      allow.push({
        span: port.span ?? own,
        match: { protocols: { names: [port.protocol], negated: false }, sports: ports },
        action: { kind: 'accept' },
        zone,
        origin: 'source-port',
      });
  }
  allow.push(...rich((rule) => rule.priority === 0 && rule.action?.kind === 'accept'));
  const post = rich((rule) => rule.priority > 0);
  const target = zone.target.value;
  const verdict: Action = target === 'ACCEPT' ? { kind: 'accept' } : target === 'DROP' ? { kind: 'drop' } : { kind: 'reject' };
  const last: FirewalldModelRule = { span: zone.target.span ?? own, match: {}, action: verdict, zone, origin: 'target' };
  return [...forwarded, ...pre, ...log, ...deny, ...allow, ...post, last];
}

/** What a service opens for this family: one match per port, protocol and source port. */
function serviceMatches(definition: ReturnType<FirewalldSetup['service']> & object, family: IpFamily): RuleMatch[] {
  let destination: AddressSet | undefined;
  if (definition.destination) {
    const written = family === 4 ? definition.destination.ipv4 : definition.destination.ipv6;
    // A service with a destination for the other family only does not apply to this one.
    if (!written) return [];
    destination = familySet(written, family);
    if (!destination) return [];
  }
  const out: RuleMatch[] = [];
  const withDestination = (match: RuleMatch): RuleMatch => (destination ? { ...match, destination } : match);
  for (const entry of definition.ports) {
    if (!entry.port) {
      out.push(withDestination({ protocols: { names: [entry.protocol], negated: false } }));
      continue;
    }
    const ports = portSpec(entry.port);
    if (ports) out.push(withDestination({ protocols: { names: [entry.protocol], negated: false }, dports: ports }));
  }
  for (const protocol of definition.protocols) out.push(withDestination({ protocols: { names: [protocol], negated: false } }));
  for (const entry of definition.sourcePorts) {
    const ports = portSpec(entry.port);
    if (ports) out.push(withDestination({ protocols: { names: [entry.protocol], negated: false }, sports: ports }));
  }
  return out;
}

function richRules(setup: FirewalldSetup, zone: Zone, rule: RichRule, family: IpFamily): FirewalldModelRule[] {
  if (rule.family && rule.family !== (family === 4 ? 'ipv4' : 'ipv6')) return [];
  const base: RuleMatch = {};
  const conditions: Condition[] = [];
  const sourceSpans: Span[] = [];
  if (rule.source) {
    if (rule.source.kind === 'address') {
      const set = familySet(rule.source.value, family);
      if (!set) return [];
      base.source = rule.source.invert ? universe(family).subtract(set) : set;
      if (!rule.source.invert) sourceSpans.push(rule.source.span);
    } else conditions.push(unknown(rule.source.span, rule.source.kind === 'ipset' ? 'firewalld.unknown-ipset' : 'firewalld.unknown-mac', rule.source.value));
  }
  if (rule.destination) {
    if (rule.destination.kind === 'address') {
      const set = familySet(rule.destination.value, family);
      if (!set) return [];
      base.destination = rule.destination.invert ? universe(family).subtract(set) : set;
      base.destinationSpan = rule.destination.span;
    } else conditions.push(unknown(rule.destination.span, 'firewalld.unknown-ipset', rule.destination.value));
  }
  // An accept with a limit lets clients through at the limited rate: it still opens the port.
  if (rule.action?.limited) conditions.push({ span: rule.action.span, decide: () => 'yes' });
  if (conditions.length) base.conditions = conditions;
  const action: Action = !rule.action || rule.action.kind === 'mark' ? { kind: 'continue' } : { kind: rule.action.kind };
  const make = (match: RuleMatch): FirewalldModelRule => ({
    span: rule.span,
    match: { ...base, ...match, ...(base.destination && match.destination ? { destination: base.destination.intersect(match.destination) } : {}) },
    action,
    zone,
    origin: 'rich',
    rich: rule,
    ...(sourceSpans.length ? { sourceSpans } : {}),
  });
  const element = rule.element;
  if (!element) return [make({})];
  switch (element.kind) {
    case 'service':
      return setup.expandService(element.name).flatMap((definition) => serviceMatches(definition, family).map(make));
    case 'port':
    case 'source-port':
    case 'forward-port': {
      const ports = portSpec(element.port);
      if (!ports) return [];
      const match = make({
        protocols: { names: [element.protocol], negated: false },
        ...(element.kind === 'source-port' ? { sports: ports } : { dports: ports }),
      });
      return [element.kind === 'forward-port' ? { ...match, action: { kind: 'unknown', reason: text('firewalld.forward-port') } } : match];
    }
    case 'protocol':
      return [make({ protocols: { names: [element.value], negated: false } })];
    case 'other':
      // ICMP blocks and types, masquerading, forward ports, MSS clamping: no TCP/UDP connection to this host matches.
      return [];
  }
}
