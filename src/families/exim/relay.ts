// The host lists that decide who may relay: those of `accept` statements in the RCPT ACL that a stranger
// reaches and that only a `hosts` condition keeps closed (Debian: `accept hosts = +relay_from_hosts`, which
// is dc_relay_nets), with each item's share of the addresses: the first item that matches decides.
import { AddressSet, type ParsedRange, parseRange } from '../../net';
import type { AclCondition, AclStatement, EximConfig } from './model';
import { type ListItem, hostItem, splitList } from './lists';
import { walkAcl } from './acl';
import type { Tracked } from './tracked';

export interface RelayItem {
  item: ListItem;
  /** The named list the item is written in (undefined: inline in the ACL). */
  list?: string;
  /** The range it stands for (`*` is every IPv4 and IPv6 address). */
  parsed: ParsedRange[];
  /** Its addresses that no earlier item decided. */
  contribution: AddressSet;
  statement: AclStatement;
  /** The items of the list the item is written in (for edits that must keep the list's meaning). */
  siblings: ListItem[];
  /** The item is the last of its list and negative: every address no item matched is in the list. */
  implicitEverything?: boolean;
}

const EVERYTHING = [parseRange('0.0.0.0/0')!, parseRange('::/0')!];

/** The relay-granting host lists of the RCPT ACL, item by item. */
export function relayItems(config: EximConfig): RelayItem[] {
  const acl = config.rcptAcl;
  if (!acl) return [];
  const walk = walkAcl(config, acl, undefined);
  const gates: Array<{ statement: AclStatement; hosts: AclCondition }> = [...walk.hostGated];
  if (walk.outcome === 'accept' && walk.decidedBy) {
    const hosts = walk.decidedBy.conditions.find((condition) => condition.name === 'hosts' && !condition.negated);
    if (hosts) gates.push({ statement: walk.decidedBy, hosts });
  }
  const out: RelayItem[] = [];
  const seen = new Set<string>();
  const key = (item: ListItem) => JSON.stringify(item.raw.span() ?? item.raw.firstSpan() ?? item.raw.text);
  for (const gate of gates) {
    let decided = AddressSet.empty;
    const visit = (list: Tracked, name: string | undefined, depth: number) => {
      if (depth > 20 || list.text.includes('$')) return;
      const items = splitList(list);
      for (const item of items) {
        const kind = hostItem(item.value);
        if (kind.kind === 'named' && !item.negated) {
          const named = config.lists.get(kind.name);
          if (named?.kind === 'hostlist') visit(named.value, kind.name, depth + 1);
          continue;
        }
        const parsed = kind.kind === 'range' ? [kind.parsed] : kind.kind === 'all' ? EVERYTHING : [];
        if (!parsed.length) continue;
        const range = AddressSet.of(...parsed.map((entry) => entry.range));
        const contribution = range.subtract(decided);
        decided = decided.union(range);
        if (item.negated || seen.has(key(item))) continue;
        out.push({ item, ...(name ? { list: name } : {}), parsed, contribution, statement: gate.statement, siblings: items });
      }
      // A list that ends with a negative item matches every address no item matched (Exim's list rule).
      const last = items[items.length - 1];
      if (last?.negated) {
        const everything = AddressSet.of(...EVERYTHING.map((entry) => entry.range));
        const contribution = everything.subtract(decided);
        decided = everything;
        if (!seen.has(key(last)))
          out.push({
            item: last,
            ...(name ? { list: name } : {}),
            parsed: EVERYTHING,
            contribution,
            statement: gate.statement,
            siblings: items,
            implicitEverything: true,
          });
      }
    };
    visit(gate.hosts.value, undefined, 0);
    for (const entry of out) seen.add(key(entry.item));
  }
  return out;
}
