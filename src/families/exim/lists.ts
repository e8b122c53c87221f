// Exim lists (spec "Domain, host, address and local part lists"): items separated by `:` unless the list
// starts with `<` and another separator character (`<; 10.0.0.0/8 ; ::1`); a doubled separator stands for
// one separator character inside an item (`::::1` is `::1`); white space around items is ignored; `!`
// negates an item; `+name` refers to a named list; the first item that matches decides, and a list whose
// last item is negative matches what no item matched.
import { type ParsedRange, parseRange } from '../../net';
import type { EximConfig } from './model';
import type { Tracked } from './tracked';

export interface ListItem {
  /** The item as written (separators still doubled), for spans and edits. */
  raw: Tracked;
  /** The item's text with doubled separators undone and `!` removed. */
  value: string;
  negated: boolean;
  separator: string;
}

export function splitList(list: Tracked): ListItem[] {
  let text = list.text;
  let start = 0;
  let separator = ':';
  const lead = /^\s*<([^\w\s])/.exec(text);
  if (lead) {
    separator = lead[1]!;
    start = lead[0].length;
  }
  const items: ListItem[] = [];
  let itemStart = start;
  const push = (end: number) => {
    const raw = list.slice(itemStart, end).trim();
    let value = raw.text.split(separator + separator).join(separator);
    let negated = false;
    while (value.startsWith('!')) {
      negated = !negated;
      value = value.slice(1).trim();
    }
    items.push({ raw, value, negated, separator });
  };
  for (let i = start; i < text.length; i++) {
    if (text[i] !== separator) continue;
    if (text[i + 1] === separator) {
      i++;
      continue;
    }
    push(i);
    itemStart = i + 1;
  }
  push(text.length);
  // An empty last item (a trailing separator) is ignored; a list that is only ":" has one empty item.
  if (items.length > 1 && items[items.length - 1]!.value === '' && !items[items.length - 1]!.negated) items.pop();
  text = '';
  return items;
}

export type Match = 'yes' | 'no' | 'unknown';

/** What one host list item is, for an address-only view of the client. */
export type HostItem =
  { kind: 'all' } | { kind: 'range'; parsed: ParsedRange } | { kind: 'named'; name: string } | { kind: 'empty' } | { kind: 'localhost' } | { kind: 'other' };

export function hostItem(value: string): HostItem {
  if (value === '*') return { kind: 'all' };
  if (value === '') return { kind: 'empty' };
  if (value.startsWith('+')) return { kind: 'named', name: value.slice(1) };
  if (value.toLowerCase() === 'localhost') return { kind: 'localhost' };
  const parsed = /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(value) && /[.:]/.test(value) ? parseRange(value) : undefined;
  if (parsed) return { kind: 'range', parsed };
  return { kind: 'other' };
}

const LOOPBACK = ['127.0.0.1', '::1'].map((text) => parseRange(text)!.range.start);

/**
 * Whether a client at `address` matches a host list. Without DNS: host names (other than localhost),
 * lookups, `@`, `@[]` and expansions are unknown. `address` undefined stands for a stranger: an address
 * that no range, name or lookup of the configuration names, so only `*` and ranges of every address match.
 */
export function matchHosts(config: EximConfig, list: Tracked, address: bigint | undefined, depth = 0): Match {
  if (depth > 20) return 'unknown';
  // An expansion (`${if exists{…}}`) lists files or values this model cannot see: the client is not in them.
  if (list.text.includes('$')) return 'no';
  const items = splitList(list);
  let unknownPositive = false;
  let unknownNegative = false;
  for (const item of items) {
    const kind = hostItem(item.value);
    let result: Match;
    switch (kind.kind) {
      case 'all':
        result = 'yes';
        break;
      case 'empty':
        result = 'no';
        break;
      case 'range':
        result =
          address === undefined
            ? kind.parsed.prefix === 0
              ? 'yes'
              : 'no'
            : kind.parsed.range.start <= address && address <= kind.parsed.range.end
              ? 'yes'
              : 'no';
        break;
      case 'localhost':
        result = address === undefined ? 'no' : LOOPBACK.includes(address) ? 'yes' : 'no';
        break;
      case 'named': {
        const named = config.lists.get(kind.name);
        result = named && named.kind === 'hostlist' ? matchHosts(config, named.value, address, depth + 1) : 'unknown';
        break;
      }
      default:
        result = address === undefined ? 'no' : 'unknown';
    }
    if (result === 'unknown') {
      if (item.negated) unknownNegative = true;
      else unknownPositive = true;
      continue;
    }
    // An earlier item that may have matched decides instead, unless it would have decided the same way.
    if (result === 'yes') return item.negated ? (unknownPositive ? 'unknown' : 'no') : unknownNegative ? 'unknown' : 'yes';
  }
  if (unknownPositive || unknownNegative) return 'unknown';
  return items.length > 0 && items[items.length - 1]!.negated ? 'yes' : 'no';
}

/**
 * Whether a recipient domain that none of the configuration's names covers (`outside.invalid`) matches a
 * domain list: only `*` (and lists that end with a negative item) do.
 */
export function matchOutsideDomain(config: EximConfig, list: Tracked, depth = 0): Match {
  if (depth > 20) return 'unknown';
  if (list.text.includes('$')) return 'no';
  const items = splitList(list);
  for (const item of items) {
    let result: Match = 'no';
    if (item.value === '*') result = 'yes';
    else if (item.value.startsWith('+')) {
      const named = config.lists.get(item.value.slice(1));
      result = named ? matchOutsideDomain(config, named.value, depth + 1) : 'unknown';
    } else if (item.value.startsWith('^')) result = 'unknown';
    if (result === 'unknown') return 'unknown';
    if (result === 'yes') return item.negated ? 'no' : 'yes';
  }
  return items.length > 0 && items[items.length - 1]!.negated ? 'yes' : 'no';
}

/** The `*` items of a domain list (and its named lists) that make every domain match. */
export function everyDomainItems(config: EximConfig, list: Tracked, depth = 0): ListItem[] {
  if (depth > 20) return [];
  const out: ListItem[] = [];
  for (const item of splitList(list)) {
    if (item.negated) continue;
    if (item.value === '*') out.push(item);
    else if (item.value.startsWith('+')) {
      const named = config.lists.get(item.value.slice(1));
      if (named) out.push(...everyDomainItems(config, named.value, depth + 1));
    }
  }
  return out;
}
