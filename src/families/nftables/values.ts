// What a value written in a rule stands for: addresses (`10.0.0.0/8`, `10.0.0.1-10.0.0.9`, `fe80::/10`),
// ports (`22`, `1024-65535`, `ssh` as netbase's /etc/services names it), protocols and plain names. A value
// the reader cannot pin down (a host name nft would resolve at load time) is reported as undefined.
import { AddressSet, parseRange } from '../../net';
import { PortSet } from '../shared/firewall/ports';
import type { Token } from './lexer';
import type { ValueElement } from './rule';
import { type Node, isWord } from './syntax';
import services from './data/services.json';

const SERVICES = services as Record<string, number>;

/** The single text of an element part (`10.0.0.0/8`, `"eth0"`), or the joined range `a-b`. */
export function partText(part: readonly Node[]): string {
  return part.map((node) => (node.kind === 'string' || node.kind === 'word' ? node.text : '')).join('');
}

/** The tokens an element part is written with (for spans: where the value is written). */
export function partTokens(part: readonly Node[]): Token[] {
  return part.filter((node): node is Token => node.kind !== 'group');
}

/** An address, prefix or `a-b` range of the given IP version, as a set; undefined when it is not one. */
export function addressValue(text: string, version: 4 | 6): AddressSet | undefined {
  const dash = rangeDash(text);
  if (dash >= 0) {
    const low = parseRange(text.slice(0, dash));
    const high = parseRange(text.slice(dash + 1));
    if (!low?.bare || !high?.bare || low.version !== version || high.version !== version || low.written > high.written) return undefined;
    return AddressSet.of({ start: low.written, end: high.written });
  }
  const parsed = parseRange(text);
  // nft masks host bits silently (`10.1.2.3/8` is loaded as 10.0.0.0/8; checked with nft 1.0.6).
  return parsed && parsed.version === version ? AddressSet.of(parsed.range) : undefined;
}

/** The `-` that separates a range's ends (IPv6 addresses hold no dash, host names may). */
function rangeDash(text: string): number {
  const at = text.indexOf('-');
  return at > 0 && /^[0-9a-fA-F.:]+-[0-9a-fA-F.:]+$/.test(text) ? at : -1;
}

/** A port, `a-b` range or service name, as a set; undefined when it is none of these. */
export function portValue(text: string): PortSet | undefined {
  const single = portNumber(text);
  if (single !== undefined) return PortSet.single(single);
  const match = /^([^-]+)-([^-]+)$/.exec(text);
  if (match) {
    const low = portNumber(match[1]!);
    const high = portNumber(match[2]!);
    if (low !== undefined && high !== undefined && low <= high) return PortSet.of({ from: low, to: high });
  }
  return undefined;
}

function portNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value <= 65535 ? value : undefined;
  }
  if (/^0x[0-9a-f]+$/i.test(text)) return Number(text) <= 65535 ? Number(text) : undefined;
  return Object.prototype.hasOwnProperty.call(SERVICES, text) ? SERVICES[text] : undefined;
}

/** The element's single part (for a selector that is not a concatenation), or undefined. */
export function singlePart(element: ValueElement): Node[] | undefined {
  return element.parts.length === 1 ? element.parts[0] : undefined;
}

export function isWordValue(part: readonly Node[], ...words: string[]): boolean {
  return part.length === 1 && isWord(part[0], ...words);
}
