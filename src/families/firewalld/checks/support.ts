// Helpers the firewalld checks share: counts, the zone a decision belongs to, rich-rule text for suggestions.
import { type TextRef, text } from '../../../core/check';
import type { Span } from '../../../core/types';
import { parseRange } from '../../../net';
import type { Decision } from '../../shared/firewall';
import type { FirewalldConfig } from '../formats';
import type { FirewalldModelRule } from '../packet';

/** `3,702,258,688` for counts a person can read; `2^125` for IPv6-sized ones. */
export function formatCount(count: bigint): string {
  if (count < 1_000_000_000_000n) return count.toLocaleString('en-US');
  return `2^${count.toString(2).length - 1}`;
}

export function familyText(family: 4 | 6): TextRef {
  return family === 4 ? text('firewalld.ipv4') : text('firewalld.ipv6');
}

export function modelRule(decision: Decision): FirewalldModelRule | undefined {
  return decision.kind === 'rule' ? (decision.rule as FirewalldModelRule) : undefined;
}

export function inLinted(config: FirewalldConfig, span: Span | undefined): span is Span {
  return span !== undefined && span.file === config.linted;
}

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** The IPv4 sources a suggestion restricts to: the project's trusted IPv4 networks, else the private blocks. */
export function restrictedSources(trusted: readonly string[]): string[] {
  const mine = trusted.filter((entry) => parseRange(entry)?.version === 4);
  return mine.length ? mine : PRIVATE_V4;
}

/**
 * The rich rules that replace an element (`<service name="rdp"/>`): one per source, IPv4 only, so that IPv6 is
 * not opened either. `indent` is the element's indentation, kept for every line after the first.
 */
export function richRulesFor(element: string, sources: readonly string[], indent: string): string {
  return sources.map((source) => `<rule family="ipv4"><source address="${source}"/>${element}<accept/></rule>`).join(`\n${indent}`);
}

/** The indentation of the line `offset` is on. */
export function indentationAt(fileText: string, offset: number): string {
  const lineStart = fileText.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(fileText.slice(lineStart))![0];
}
