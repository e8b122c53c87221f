// The text source of Sendmail's access map (/etc/mail/access, cf/README "The access database") and of the
// relay-domains class file. A line is `key value`; `#` lines are comments. IPv4 keys are octet prefixes:
// Sendmail looks the client up as `Connect:a.b.c.d`, `a.b.c.d`, `Connect:a.b.c`, `a.b.c`, … and the first key
// found decides, so `Connect:172 RELAY` is 172.0.0.0/8 and `192.168.1` is 192.168.1.0/24. Class R items
// (relay-domains) match a client address the same way, every one of them at once.
import type { Span } from '../../core/types';
import type { SourceText } from '../../core/source';
import { type ParsedRange, V4_MAPPED_BASE, parseRange, prefixRange } from '../../net';

export interface AccessEntry {
  /** `Connect`, `From`, `To`, … or '' for an untagged key. */
  tag: string;
  key: string;
  value: string;
  /** The whole key as written (tag included). */
  keySpan: Span;
  line: Span;
  /** The IPv4 octet prefix the key stands for. */
  parsed?: ParsedRange;
}

export interface ClassItem {
  text: string;
  span: Span;
  parsed?: ParsedRange;
}

/** `172` -> 172.0.0.0/8, `192.168.1` -> 192.168.1.0/24, `10.1.2.3` -> 10.1.2.3/32. */
export function octetPrefix(text: string): ParsedRange | undefined {
  const known = prefixCache.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = readOctetPrefix(text);
  remember(prefixCache, text, parsed ?? null);
  return parsed;
}

function readOctetPrefix(text: string): ParsedRange | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(text)) return undefined;
  const octets = text.split('.');
  if (octets.some((octet) => Number(octet) > 255 || (octet.length > 1 && octet.startsWith('0')))) return undefined;
  // Built directly (an access map can hold tens of thousands of keys): the octets are the network address.
  let value = 0;
  for (let index = 0; index < 4; index++) value = value * 256 + Number(octets[index] ?? '0');
  const prefix = octets.length * 8;
  const written = V4_MAPPED_BASE + BigInt(value);
  return { text, version: 4, prefix, written, range: prefixRange(written, prefix, 4), hostBitsSet: false, bare: octets.length === 4 };
}

/*
 * Memos across lints (the editor lints the same file on every keystroke, and most of its lines and keys are
 * unchanged): key text -> prefix, line text -> what the line holds. Bounded: emptied when full; lines longer
 * than MEMO_LINE are not kept.
 */
const MEMO_SIZE = 50_000;
const MEMO_LINE = 512;
const prefixCache = new Map<string, ParsedRange | null>();

function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  if (key.length > MEMO_LINE) return;
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
}

/** The octet prefixes that cover a CIDR block (172.16.0.0/12 -> 172.16 … 172.31), or undefined past `limit`. */
export function octetPrefixesFor(cidr: string, limit = 64): string[] | undefined {
  const parsed = parseRange(cidr);
  if (!parsed || parsed.version !== 4) return undefined;
  const octets = Math.ceil(parsed.prefix / 8);
  const count = 1 << (octets * 8 - parsed.prefix);
  if (count > limit || octets === 0) return undefined;
  const base = Number(parsed.range.start - 0xffff00000000n);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const value = base + n * 2 ** (32 - octets * 8);
    out.push(
      [24, 16, 8, 0]
        .slice(0, octets)
        .map((shift) => String(Math.floor(value / 2 ** shift) & 0xff))
        .join('.'),
    );
  }
  return out;
}

function lines(source: SourceText): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let offset = 0;
  const text = source.text;
  while (offset <= text.length) {
    let end = text.indexOf('\n', offset);
    if (end < 0) end = text.length;
    out.push({ text: text.slice(offset, end > offset && text.charCodeAt(end - 1) === 13 ? end - 1 : end), start: offset });
    offset = end + 1;
  }
  return out;
}

/** What one access map line holds, offsets relative to the line (memoised by line text). */
interface AccessLine {
  tag: string;
  key: string;
  value: string;
  /** Where the key (tag included) starts and how long it is. */
  indent: number;
  length: number;
  parsed?: ParsedRange;
}

const accessLines = new Map<string, AccessLine | null>();

function readAccessLine(line: string): AccessLine | undefined {
  // Key, white space, then the value without its trailing white space (split in linear time: the single
  // regex `\s+(.*?)\s*$` backtracks cubically on runs of white space).
  const head = /^(\s*)(\S+)\s+/.exec(line);
  const value = head ? line.slice(head[0].length).trimEnd() : '';
  if (!head || /[\n\r\u2028\u2029]/.test(value) || head[2]!.startsWith('#')) return undefined;
  const whole = head[2]!;
  const tagged = /^([A-Za-z_]+):(.+)$/.exec(whole);
  const tag = tagged && !/^IPv6$/i.test(tagged[1]!) ? tagged[1]! : '';
  const key = tag ? tagged![2]! : whole;
  const parsed = octetPrefix(key);
  return { tag, key, value, indent: head[1]!.length, length: whole.length, ...(parsed ? { parsed } : {}) };
}

export function parseAccess(source: SourceText): AccessEntry[] {
  const out: AccessEntry[] = [];
  for (const line of lines(source)) {
    let held = accessLines.get(line.text);
    if (held === undefined) {
      held = readAccessLine(line.text) ?? null;
      remember(accessLines, line.text, held);
    }
    if (!held) continue;
    const start = line.start + held.indent;
    out.push({
      tag: held.tag,
      key: held.key,
      value: held.value,
      keySpan: { file: source.path, start, end: start + held.length },
      line: { file: source.path, start: line.start, end: line.start + line.text.length },
      ...(held.parsed ? { parsed: held.parsed } : {}),
    });
  }
  return out;
}

/** relay-domains: one item a line (the first word), `#` comments. */
export function parseClassFile(source: SourceText): ClassItem[] {
  const out: ClassItem[] = [];
  for (const line of lines(source)) {
    const match = /^(\s*)([^\s#]+)/.exec(line.text);
    if (!match) continue;
    const start = line.start + match[1]!.length;
    const parsed = octetPrefix(match[2]!);
    out.push({ text: match[2]!, span: { file: source.path, start, end: start + match[2]!.length }, ...(parsed ? { parsed } : {}) });
  }
  return out;
}
