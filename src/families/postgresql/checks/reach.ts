// Which connections a pg_hba record can still decide: records are tried in order and the first match
// wins, so addresses an earlier record already took for every database and user never reach it.
import type { PgHba } from '../formats';
import type { HbaRecord } from '../hba';
import { AddressSet, isLoopbackOnly } from '../../../net';

const EVERYTHING = AddressSet.parse(['0.0.0.0/0', '::/0']);

export interface RecordReach {
  record: HbaRecord;
  /** Addresses this record can still decide (undefined for local, samehost, samenet and host names). */
  contribution?: AddressSet;
  /** Reachable from beyond loopback: a non-loopback contribution, `all`, samenet or a host name. */
  remote: boolean;
}

/** host covers hostssl/hostnossl connections; hostssl only TLS connections, and so on. */
function covers(earlier: string, later: string): boolean {
  return earlier === later || (earlier === 'host' && later.startsWith('host'));
}

/** The keyword `all` (unquoted, possibly from an @file) among the members matches every name. */
const isAll = (members: HbaRecord['users']) => members.some((member) => member.text === 'all' && !member.quoted);

export function recordReaches(hba: PgHba): RecordReach[] {
  const out: RecordReach[] = [];
  const decided = new Map<string, AddressSet>();
  for (const record of hba.records) {
    const type = record.type.text.toLowerCase();
    const address = record.address;
    let contribution: AddressSet | undefined;
    if (address?.kind === 'range' || address?.kind === 'all') {
      const set = address.kind === 'all' ? EVERYTHING : address.set;
      const taken = [...decided].filter(([kind]) => covers(kind, type)).reduce((all, [, set]) => all.union(set), AddressSet.empty);
      contribution = set.subtract(taken);
      const everyone = isAll(record.databases) && isAll(record.users);
      if (everyone) decided.set(type, (decided.get(type) ?? AddressSet.empty).union(set));
    }
    const remote =
      type !== 'local' &&
      (address?.kind === 'samenet' || address?.kind === 'hostname' || (contribution !== undefined && !contribution.isEmpty() && !isLoopbackOnly(contribution)));
    out.push({ record, ...(contribution ? { contribution } : {}), remote });
  }
  return out;
}

/** False when the record can never match: an earlier record took all its addresses. */
export function reachable(reach: RecordReach): boolean {
  return reach.contribution === undefined || !reach.contribution.isEmpty();
}
