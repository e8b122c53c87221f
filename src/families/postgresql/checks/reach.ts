// Which connections a pg_hba record can still decide: records are tried in order and the first match
// wins, so addresses an earlier record already took for every database and user never reach it.
import type { PgHba } from '../formats';
import type { HbaRecord } from '../hba';
import { AddressSet, isLoopbackOnly } from '../../../net';
import { FirstMatch } from '../../shared/first-match';

const EVERYTHING = AddressSet.parse(['0.0.0.0/0', '::/0']);

export interface RecordReach {
  record: HbaRecord;
  /** Addresses this record can still decide (undefined for local, samehost, samenet and host names). */
  contribution?: AddressSet;
  /** Reachable from beyond loopback: a non-loopback contribution, `all`, samenet or a host name. */
  remote: boolean;
}

/** The keyword `all` (unquoted, possibly from an @file) among the members matches every name. */
const isAll = (members: HbaRecord['users']) => members.some((member) => member.text === 'all' && !member.quoted);

/** One first-match channel per host record type: a `host` record decides for all of them, the others for their own. */
const CHANNELS = ['host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'];

export function recordReaches(hba: PgHba): RecordReach[] {
  const known = cachedReaches.get(hba);
  if (known) return known;
  const out: RecordReach[] = [];
  const ranges = hba.records.flatMap((record) => (record.address?.kind === 'range' ? [...record.address.set.intervals] : []));
  const decided = new FirstMatch([...ranges, ...EVERYTHING.intervals], CHANNELS.length);
  for (const record of hba.records) {
    const type = record.type.text.toLowerCase();
    const address = record.address;
    const channel = CHANNELS.indexOf(type);
    let contribution: AddressSet | undefined;
    if ((address?.kind === 'range' || address?.kind === 'all') && channel >= 0) {
      const set = address.kind === 'all' ? EVERYTHING : address.set;
      const everyone = isAll(record.databases) && isAll(record.users);
      const channels = type === 'host' ? CHANNELS.map((_, index) => index) : [channel];
      const parts = set.intervals.map((range) => (everyone ? decided.decide(range, channels) : decided.undecided(range, channel)));
      contribution = AddressSet.unionAll(parts);
    }
    const remote =
      type !== 'local' &&
      (address?.kind === 'samenet' || address?.kind === 'hostname' || (contribution !== undefined && !contribution.isEmpty() && !isLoopbackOnly(contribution)));
    out.push({ record, ...(contribution ? { contribution } : {}), remote });
  }
  cachedReaches.set(hba, out);
  return out;
}

/** The three checks walk the same records: computed once per model. */
const cachedReaches = new WeakMap<PgHba, RecordReach[]>();

/** False when the record can never match: an earlier record took all its addresses. */
export function reachable(reach: RecordReach): boolean {
  return reach.contribution === undefined || !reach.contribution.isEmpty();
}
