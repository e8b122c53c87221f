// OpenSSH's pattern matching (match.c, addrmatch.c, addr.c) and the address sets its address lists stand for.
// Concrete matching follows sshd exactly; `addressListView` turns a list into an AddressSet for judgement.
import { AddressSet, V4_MAPPED_BASE, formatAddress, parseRange } from '../../net';

/** match_pattern(): `*` and `?` wildcards over the whole string (no character classes). */
export function matchPattern(value: string, pattern: string): boolean {
  // Dynamic programming instead of sshd's backtracking: the same answer, in bounded time.
  let row = new Array<boolean>(value.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(value.length + 1).fill(false);
    if (p === '*') {
      let seen = false;
      for (let i = 0; i <= value.length; i++) {
        seen = seen || row[i]!;
        next[i] = seen;
      }
    } else for (let i = 1; i <= value.length; i++) next[i] = row[i - 1]! && (p === '?' || value[i - 1] === p);
    row = next;
  }
  return row[value.length]!;
}

/**
 * match_pattern_list(): comma-separated patterns, `!` negates. 1 when a positive pattern matches and no negated
 * one does, -1 when a negated one matches, 0 otherwise. `lower` lower-cases the patterns (host names).
 */
export function matchPatternList(value: string, list: string, lower = false): -1 | 0 | 1 {
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    let pattern = negated ? raw.slice(1) : raw;
    // sshd copies each subpattern into a 1024-byte buffer; a longer one makes the whole list fail.
    if (pattern.length >= 1023) return 0;
    if (lower) pattern = pattern.toLowerCase();
    if (matchPattern(value, pattern)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

export interface SshdAddress {
  family: 4 | 6;
  /** In the family's own bits (IPv4: 32). */
  value: bigint;
}

/** inet_aton() as glibc's getaddrinfo(AI_NUMERICHOST) applies it: 1 to 4 parts, octal and hex, the last fills the rest. */
function parseV4Numeric(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const values: bigint[] = [];
  for (const part of parts) {
    let value: bigint;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) value = part.length === 2 ? 0n : BigInt(part);
    else if (/^0[0-7]*$/.test(part)) value = BigInt(`0o${part.slice(1) || '0'}`);
    else if (/^[1-9][0-9]*$/.test(part)) value = BigInt(part);
    else return undefined;
    values.push(value);
  }
  const last = values.pop()!;
  let out = 0n;
  for (const [index, value] of values.entries()) {
    if (value > 255n) return undefined;
    out |= value << BigInt(8 * (3 - index));
  }
  const lastBits = BigInt(8 * (4 - values.length));
  if (last >= 1n << lastBits) return undefined;
  return out | last;
}

/** addr_pton(): a numeric IPv4 or IPv6 address (no host names), or undefined. */
export function parseAddress(text: string): SshdAddress | undefined {
  if (text === '' || text.length > 63) return undefined;
  if (!text.includes(':')) {
    const value = parseV4Numeric(text);
    return value === undefined ? undefined : { family: 4, value };
  }
  if (text.includes('/') || text.includes('[')) return undefined;
  const parsed = parseRange(text);
  if (!parsed || !parsed.bare) return undefined;
  // parseRange files ::ffff:a.b.c.d under IPv4; for sshd it stays an IPv6 address (the unified value is the same).
  return { family: 6, value: parsed.written };
}

export interface CidrEntry {
  address: SshdAddress;
  prefix: number;
}

/** addr_pton_cidr(): the entry, 'pattern' when it is not an address (a wildcard), or 'invalid' (sshd refuses it). */
export function parseCidr(text: string): CidrEntry | 'pattern' | 'invalid' {
  if (text.length >= 64) return 'pattern';
  const slash = text.indexOf('/');
  let prefix: number | undefined;
  let addressText = text;
  if (slash >= 0) {
    addressText = text.slice(0, slash);
    const mask = text.slice(slash + 1);
    if (!/^[0-9]/.test(mask) || !/^[0-9]+$/.test(mask) || Number(mask) > 128) return 'pattern';
    prefix = Number(mask);
  }
  const address = parseAddress(addressText);
  if (!address) return 'pattern';
  const bits = address.family === 4 ? 32 : 128;
  prefix ??= bits;
  if (prefix > bits) return 'invalid';
  const hostBits = BigInt(bits - prefix);
  if (address.value & ((1n << hostBits) - 1n)) return 'invalid';
  return { address, prefix };
}

export type AddressListProblem = { entry: string; reason: 'empty' } | { entry: string; reason: 'mask' } | { entry: string; reason: 'host-bits'; means: string };

/** Why addr_match_list(NULL, list) refuses a list (an empty entry, a mask too long, host bits set), or undefined. */
export function addressListProblem(list: string): AddressListProblem | undefined {
  for (const raw of list.split(',')) {
    const entry = raw.startsWith('!') ? raw.slice(1) : raw;
    if (entry === '') return { entry: raw, reason: 'empty' };
    if (parseCidr(entry) !== 'invalid') continue;
    const slash = entry.indexOf('/');
    const address = parseAddress(entry.slice(0, slash));
    const prefix = Number(entry.slice(slash + 1));
    if (!address || prefix > (address.family === 4 ? 32 : 128)) return { entry, reason: 'mask' };
    const text = address.family === 4 ? formatAddress(V4_MAPPED_BASE + address.value) : formatAddress(address.value);
    return { entry, reason: 'host-bits', means: `${text}/${prefix}` };
  }
  return undefined;
}

/** addr_match_list(NULL, list) == 0: every entry is non-empty and no CIDR entry is malformed. */
export function addressListValid(list: string): boolean {
  return addressListProblem(list) === undefined;
}

/** One entry of an address list, with the range a CIDR entry covers (IPv4 in numbers, IPv6 in bigints). */
export type ListEntry = { negated: boolean; entry: string; cidr: CidrEntry | 'pattern' | 'invalid'; low?: number | bigint; high?: number | bigint };
// Large enough for every list of a 4 MB file: a cache cleared while one lint cycles through its lists costs a re-parse per use.
const LIST_CACHE_LIMIT = 65_536;
const parsedLists = new Map<string, ListEntry[]>();
const parsedAddresses = new Map<string, SshdAddress | undefined>();

/** The first and last address a CIDR entry covers, in the number type its family is compared in. */
function bounds(cidr: CidrEntry): { low: number | bigint; high: number | bigint } {
  const hostBits = BigInt((cidr.address.family === 4 ? 32 : 128) - cidr.prefix);
  const low = (cidr.address.value >> hostBits) << hostBits;
  const high = low + (1n << hostBits) - 1n;
  return cidr.address.family === 4 ? { low: Number(low), high: Number(high) } : { low, high };
}

/** A list's entries, parsed once (every connection context evaluates the same lists again). */
export function addressListEntries(list: string): ListEntry[] {
  let entries = parsedLists.get(list);
  if (!entries) {
    if (parsedLists.size >= LIST_CACHE_LIMIT) parsedLists.clear();
    entries = list.split(',').map((raw) => {
      const negated = raw.startsWith('!');
      const entry = negated ? raw.slice(1) : raw;
      const cidr = parseCidr(entry);
      return { negated, entry, cidr, ...(typeof cidr === 'object' ? bounds(cidr) : {}) };
    });
    parsedLists.set(list, entries);
  }
  return entries;
}

let lastAddressText: string | undefined;
let lastAddress: { address: SshdAddress; value: number | bigint } | undefined;

/** An address text parsed once, with its value in the number type its family is compared in. */
function cachedAddress(text: string): { address: SshdAddress; value: number | bigint } | undefined {
  if (text === lastAddressText) return lastAddress;
  if (!parsedAddresses.has(text)) {
    if (parsedAddresses.size >= LIST_CACHE_LIMIT) parsedAddresses.clear();
    parsedAddresses.set(text, parseAddress(text));
  }
  const address = parsedAddresses.get(text);
  lastAddressText = text;
  lastAddress = address ? { address, value: address.family === 4 ? Number(address.value) : address.value } : undefined;
  return lastAddress;
}

/** addr_match_list(address, list): 1 on a match, -1 when a negated entry matches, 0 otherwise. */
export function matchAddressList(addressText: string, list: string): -1 | 0 | 1 {
  return matchAddressEntries(addressText, addressListEntries(list));
}

/** matchAddressList over a list's parsed entries (addressListEntries). */
export function matchAddressEntries(addressText: string, entries: readonly ListEntry[]): -1 | 0 | 1 {
  const parsed = cachedAddress(addressText);
  if (!parsed) return 0;
  const { address, value } = parsed;
  let result: -1 | 0 | 1 = 0;
  for (const { negated, entry, cidr, low, high } of entries) {
    const found =
      typeof cidr === 'object'
        ? cidr.address.family === address.family && low! <= value && value <= high!
        : cidr === 'pattern' && matchPattern(addressText, entry);
    if (!found) continue;
    if (negated) return -1;
    result = 1;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Address sets, for judging a list: which addresses can a client come from and still match it.

export interface AddressView {
  set: AddressSet;
  /** False when part of the entry (a wildcard over IPv6 text) could not be turned into a set. */
  exact: boolean;
}

const ALL_V6_NOT_MAPPED = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n }).subtract(
  AddressSet.of({ start: V4_MAPPED_BASE, end: V4_MAPPED_BASE + 0xffffffffn }),
);

/** The addresses one list entry (without its `!`) matches, as sshd sees clients: IPv4 clients never as ::ffff:a.b.c.d. */
export function entryView(entry: string): AddressView {
  const cidr = parseCidr(entry);
  if (cidr === 'invalid') return { set: AddressSet.empty, exact: true };
  if (cidr !== 'pattern') {
    const { address, prefix } = cidr;
    const bits = address.family === 4 ? 32 : 128;
    const size = 1n << BigInt(bits - prefix);
    const base = address.family === 4 ? V4_MAPPED_BASE + address.value : address.value;
    const set = AddressSet.of({ start: base, end: base + size - 1n });
    // An IPv6 entry inside ::ffff:0:0/96 never meets a client: sshd reports IPv4 clients in dotted form.
    return { set: address.family === 6 ? set.intersect(ALL_V6_NOT_MAPPED) : set, exact: true };
  }
  const v4 = wildcardV4Set(entry);
  const v6 = wildcardV6Set(entry);
  return { set: (v4 ?? AddressSet.empty).union(v6 ?? AddressSet.empty), exact: v4 !== undefined && v6 !== undefined };
}

/** The set a whole list matches: the positive entries less every negated one (a negated match always wins). */
export function addressListView(list: string): AddressView {
  let positive = AddressSet.empty;
  let negative = AddressSet.empty;
  let exact = true;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const view = entryView(negated ? raw.slice(1) : raw);
    exact &&= view.exact;
    if (negated) negative = negative.union(view.set);
    else positive = positive.union(view.set);
  }
  return { set: positive.subtract(negative), exact };
}

function wildcardV6Set(pattern: string): AddressSet | undefined {
  if (/^\*+$/.test(pattern)) return ALL_V6_NOT_MAPPED;
  // IPv6 text starts with hex digits or ':' and has no '.' before its first ':'; a literal head with a '.'
  // (192.168.1.*) can never match it.
  const head = pattern.slice(0, pattern.search(/[*?]|$/));
  const colon = head.indexOf(':');
  if (head.includes('.') && (colon < 0 || head.indexOf('.') < colon)) return AddressSet.empty;
  if (!/[*?]/.test(pattern)) return AddressSet.empty;
  return undefined;
}

const MAX_INTERVALS = 4096;

const wildcardSets = new Map<string, AddressSet | undefined>();

/** The IPv4 addresses whose dotted-decimal text matches a wildcard pattern; undefined when too fragmented to list. */
export function wildcardV4Set(pattern: string): AddressSet | undefined {
  // Costly (up to 256 octets per level): computed once per pattern, as a file repeats the same few wildcards.
  if (wildcardSets.has(pattern)) return wildcardSets.get(pattern);
  if (wildcardSets.size >= LIST_CACHE_LIMIT) wildcardSets.clear();
  const set = computeWildcardV4Set(pattern);
  wildcardSets.set(pattern, set);
  return set;
}

function computeWildcardV4Set(pattern: string): AddressSet | undefined {
  const end = pattern.length;
  const closure = (states: Set<number>) => {
    const out = new Set(states);
    for (const state of out) if (state < end && pattern[state] === '*') out.add(state + 1);
    return out;
  };
  const step = (states: Set<number>, chunk: string) => {
    let current = states;
    for (const c of chunk) {
      const next = new Set<number>();
      for (const state of current) {
        if (state >= end) continue;
        const p = pattern[state];
        if (p === '*') next.add(state);
        else if (p === '?' || p === c) next.add(state + 1);
      }
      current = closure(next);
      if (current.size === 0) break;
    }
    return current;
  };
  const memo = new Map<string, Array<[bigint, bigint]> | null>();
  // Intervals (relative to the block) of the octets from `level` on, given the states after the octets before it.
  const walk = (level: number, states: Set<number>): Array<[bigint, bigint]> | null => {
    const key = `${level}:${[...states].sort((a, b) => a - b).join(',')}`;
    if (memo.has(key)) return memo.get(key)!;
    const span = 1n << BigInt(8 * (3 - level));
    const out: Array<[bigint, bigint]> = [];
    for (let octet = 0; octet < 256; octet++) {
      const after = step(states, level < 3 ? `${octet}.` : `${octet}`);
      if (after.size === 0) continue;
      const inner: Array<[bigint, bigint]> | null = level < 3 ? walk(level + 1, after) : after.has(end) ? [[0n, 0n]] : [];
      if (inner === null) {
        memo.set(key, null);
        return null;
      }
      for (const [a, b] of inner) {
        const start = BigInt(octet) * span + a;
        const last = out[out.length - 1];
        if (last && last[1] + 1n === start) last[1] = BigInt(octet) * span + b;
        else out.push([start, BigInt(octet) * span + b]);
      }
      if (out.length > MAX_INTERVALS) {
        memo.set(key, null);
        return null;
      }
    }
    memo.set(key, out);
    return out;
  };
  const intervals = walk(0, closure(new Set([0])));
  if (intervals === null) return undefined;
  return AddressSet.of(...intervals.map(([start, last]) => ({ start: V4_MAPPED_BASE + start, end: V4_MAPPED_BASE + last })));
}
