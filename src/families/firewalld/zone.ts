// A firewalld zone as firewalld.zone(5) describes it, every element and attribute with its span: target,
// bindings (<source>, <interface>), what the zone allows (<service>, <port>, <protocol>, <source-port>) and
// rich rules (<rule>). Read from a zone XML file or from the facts of a zone Debian ships.
import { type TextRef, text } from '../../core/check';
import type { ParseProblem } from '../../core/format';
import type { Span } from '../../core/types';
import { type XmlAttribute, type XmlElement, attribute, childrenNamed } from './xml';

export type ZoneTarget = 'default' | 'ACCEPT' | '%%REJECT%%' | 'DROP';

/** A value with where it is written; `span` is undefined for a zone Debian ships that the project does not hold. */
export interface Located<T> {
  value: T;
  span?: Span;
  /** The element it comes from. */
  element?: Span;
}

export interface ZoneSource {
  kind: 'address' | 'mac' | 'ipset';
  value: string;
  span?: Span;
  element?: Span;
}

export interface PortEntry {
  port: string;
  protocol: string;
  span?: Span;
}

export interface RichRule {
  /** The `<rule …>` start tag (findings point here). */
  span: Span;
  /** The whole element. */
  elementSpan: Span;
  family?: 'ipv4' | 'ipv6';
  priority: number;
  source?: { kind: 'address' | 'mac' | 'ipset'; value: string; invert: boolean; span: Span };
  destination?: { kind: 'address' | 'ipset'; value: string; invert: boolean; span: Span };
  element?:
    | { kind: 'service'; name: string; span: Span }
    | { kind: 'port' | 'source-port' | 'forward-port'; port: string; protocol: string; span: Span }
    | { kind: 'protocol'; value: string; span: Span }
    | { kind: 'other'; name: string; span: Span };
  action?: { kind: 'accept' | 'reject' | 'drop' | 'mark'; span: Span; limited: boolean };
}

export interface Zone {
  name: string;
  /** The file the zone is read from; undefined for a shipped default the project does not hold. */
  file?: string;
  /** The root element's start tag. */
  span?: Span;
  target: Located<ZoneTarget>;
  sources: ZoneSource[];
  interfaces: Located<string>[];
  services: Located<string>[];
  ports: PortEntry[];
  protocols: Located<string>[];
  sourcePorts: PortEntry[];
  /** <forward-port>: connections to these ports are translated (to another port or host) before filtering. */
  forwardPorts: PortEntry[];
  rules: RichRule[];
}

const TARGETS: readonly string[] = ['default', 'ACCEPT', '%%REJECT%%', 'DROP'];

/** Reads a zone from its root element; problems are what firewalld refuses or ignores. */
export function readZone(name: string, file: string, root: XmlElement, problems: ParseProblem[]): Zone {
  const problem = (span: Span, message: TextRef, severity?: ParseProblem['severity']) => problems.push({ span, message, ...(severity ? { severity } : {}) });
  const targetAttr = attribute(root, 'target');
  let target: ZoneTarget = 'default';
  if (targetAttr) {
    // firewalld 1.x still reads the old spelling REJECT as %%REJECT%%.
    const value = targetAttr.value === 'REJECT' ? '%%REJECT%%' : targetAttr.value;
    if (TARGETS.includes(value)) target = value as ZoneTarget;
    else problem(targetAttr.valueSpan, text('firewalld.bad-target', { target: targetAttr.value }));
  }
  for (const attr of root.attributes)
    if (!['target', 'version', 'immutable', 'enabled'].includes(attr.name))
      problem(attr.nameSpan, text('firewalld.unknown-attribute', { name: attr.name, element: 'zone' }));
  const zone: Zone = {
    name,
    file,
    span: root.tagSpan,
    target: { value: target, ...(targetAttr ? { span: targetAttr.valueSpan } : {}) },
    sources: [],
    interfaces: [],
    services: [],
    ports: [],
    protocols: [],
    sourcePorts: [],
    forwardPorts: [],
    rules: [],
  };
  const required = (element: XmlElement, name: string): XmlAttribute | undefined => {
    const attr = attribute(element, name);
    if (!attr) problem(element.tagSpan, text('firewalld.missing-attribute', { name, element: element.name }));
    return attr;
  };
  for (const child of root.children) {
    switch (child.name) {
      case 'short':
      case 'description':
      case 'forward':
      case 'masquerade':
      case 'icmp-block':
      case 'icmp-block-inversion':
        break;
      case 'forward-port': {
        const port = required(child, 'port');
        const protocol = required(child, 'protocol');
        if (port && protocol) zone.forwardPorts.push({ port: port.value, protocol: protocol.value, span: child.span });
        break;
      }
      case 'service': {
        const attr = required(child, 'name');
        if (attr) zone.services.push({ value: attr.value, span: attr.valueSpan, element: child.span });
        break;
      }
      case 'port':
      case 'source-port': {
        const port = required(child, 'port');
        const protocol = required(child, 'protocol');
        if (port && protocol) (child.name === 'port' ? zone.ports : zone.sourcePorts).push({ port: port.value, protocol: protocol.value, span: child.span });
        break;
      }
      case 'protocol': {
        const attr = required(child, 'value');
        if (attr) zone.protocols.push({ value: attr.value, span: attr.valueSpan, element: child.span });
        break;
      }
      case 'interface': {
        const attr = required(child, 'name');
        if (attr) zone.interfaces.push({ value: attr.value, span: attr.valueSpan, element: child.span });
        break;
      }
      case 'source': {
        const attr = attribute(child, 'address') ?? attribute(child, 'mac') ?? attribute(child, 'ipset');
        if (!attr) problem(child.tagSpan, text('firewalld.missing-attribute', { name: 'address', element: 'source' }));
        else zone.sources.push({ kind: attr.name as ZoneSource['kind'], value: attr.value, span: attr.valueSpan, element: child.span });
        break;
      }
      case 'rule': {
        const rule = readRichRule(child, problem);
        if (rule) zone.rules.push(rule);
        break;
      }
      default:
        problem(child.tagSpan, text('firewalld.unknown-element', { name: child.name, parent: 'zone' }));
    }
  }
  return zone;
}

const RULE_ELEMENTS = new Set(['service', 'port', 'protocol', 'icmp-block', 'icmp-type', 'masquerade', 'forward-port', 'source-port', 'tcp-mss-clamp']);

function readRichRule(element: XmlElement, problem: (span: Span, message: TextRef, severity?: ParseProblem['severity']) => void): RichRule | undefined {
  const familyAttr = attribute(element, 'family');
  const family = familyAttr?.value;
  if (family !== undefined && family !== 'ipv4' && family !== 'ipv6') {
    problem(familyAttr!.valueSpan, text('firewalld.bad-family', { family }));
    return undefined;
  }
  const priorityAttr = attribute(element, 'priority');
  const priority = priorityAttr ? Number(priorityAttr.value) : 0;
  if (priorityAttr && (!Number.isInteger(priority) || priority < -32768 || priority > 32767)) {
    problem(priorityAttr.valueSpan, text('firewalld.bad-priority', { priority: priorityAttr.value }));
    return undefined;
  }
  const rule: RichRule = { span: element.tagSpan, elementSpan: element.span, ...(family ? { family: family as 'ipv4' | 'ipv6' } : {}), priority };
  const invert = (child: XmlElement) => /^(true|yes)$/i.test(attribute(child, 'invert')?.value ?? '');
  for (const child of element.children) {
    if (child.name === 'source' || child.name === 'destination') {
      const attr = attribute(child, 'address') ?? (child.name === 'source' ? attribute(child, 'mac') : undefined) ?? attribute(child, 'ipset');
      if (!attr) {
        problem(child.tagSpan, text('firewalld.missing-attribute', { name: 'address', element: child.name }));
        continue;
      }
      const value = { kind: attr.name as 'address', value: attr.value, invert: invert(child), span: attr.valueSpan };
      if (child.name === 'source') rule.source = value;
      else rule.destination = value;
    } else if (RULE_ELEMENTS.has(child.name)) {
      if (rule.element) problem(child.tagSpan, text('firewalld.several-rule-elements'));
      if (child.name === 'service') rule.element = { kind: 'service', name: attribute(child, 'name')?.value ?? '', span: child.span };
      else if (child.name === 'port' || child.name === 'source-port' || child.name === 'forward-port')
        rule.element = { kind: child.name, port: attribute(child, 'port')?.value ?? '', protocol: attribute(child, 'protocol')?.value ?? '', span: child.span };
      else if (child.name === 'protocol') rule.element = { kind: 'protocol', value: attribute(child, 'value')?.value ?? '', span: child.span };
      else rule.element = { kind: 'other', name: child.name, span: child.span };
    } else if (child.name === 'accept' || child.name === 'reject' || child.name === 'drop' || child.name === 'mark') {
      rule.action = { kind: child.name, span: child.tagSpan, limited: childrenNamed(child, 'limit').length > 0 };
    } else if (child.name !== 'log' && child.name !== 'audit' && child.name !== 'nflog')
      problem(child.tagSpan, text('firewalld.unknown-element', { name: child.name, parent: 'rule' }));
  }
  // firewalld ignores a rule that names addresses without saying which family they are (MISSING_FAMILY).
  if (!family && ((rule.source && rule.source.kind === 'address') || (rule.destination && rule.destination.kind === 'address'))) {
    problem(element.tagSpan, text('firewalld.missing-family'), 'warning');
    return undefined;
  }
  return rule;
}

/** A zone Debian ships, from its facts (data/zones.json). */
export interface ShippedZone {
  target: ZoneTarget;
  services: string[];
  ports: { port: string; protocol: string }[];
  protocols: string[];
}

export function shippedZone(name: string, facts: ShippedZone): Zone {
  return {
    name,
    target: { value: facts.target },
    sources: [],
    interfaces: [],
    services: facts.services.map((value) => ({ value })),
    ports: facts.ports.map((port) => ({ ...port })),
    protocols: facts.protocols.map((value) => ({ value })),
    sourcePorts: [],
    forwardPorts: [],
    rules: [],
  };
}

/** The zone's facts in the shape of data/zones.json (to tell a shipped zone left as it is). */
export function zoneFacts(zone: Zone): ShippedZone {
  return {
    target: zone.target.value,
    services: zone.services.map((service) => service.value),
    ports: zone.ports.map((port) => ({ port: port.port, protocol: port.protocol })),
    protocols: zone.protocols.map((protocol) => protocol.value),
  };
}
