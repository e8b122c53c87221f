// What a fix's title promises, as probes: "Replace 172.0.0.0/8 with the private block 172.16.0.0/12" means an
// address of 172.0.0.0/8 outside 172.16.0.0/12 stops relaying and one inside 172.16.0.0/12 relays;
// "Remove X from mynetworks" means X stops relaying; "Insert reject_unauth_destination" means a stranger
// no longer relays. The referee sends these probes to the fixed configuration.
import type { Finding, Fix } from '../../../src/core/types';
import type { PostfixConfig } from '../../../src/families/postfix/config';
import type { MasterService } from '../../../src/families/postfix/master-cf';
import { AddressSet, formatAddress, parseRange } from '../../../src/net';
import { mynetworksMembership } from './verdict';

export interface Claim {
  address: string;
  relays: boolean;
  because: string;
  /** The services the edited entry applied to (a master.cf -o changes one service only). */
  appliesTo: (service: MasterService | undefined) => boolean;
}

/** A public address standing for any stranger on the internet (outside every fixture's mynetworks). */
const STRANGER = '198.51.100.77';

/** The original model's service with the same name and type (the fixed case is parsed anew). */
function sameService(original: PostfixConfig, service: MasterService | undefined): MasterService | undefined {
  return service && original.evaluatedServices.find((candidate) => candidate?.name === service.name && candidate.type === service.type);
}

const middleOf = (set: AddressSet) => {
  const first = set.intervals[0]!;
  return formatAddress(first.start + (first.end - first.start) / 2n);
};

export function fixClaims(finding: Finding, fix: Fix, text: (file: string) => string | undefined, original: PostfixConfig): Claim[] {
  const claims: Claim[] = [];
  for (const edit of fix.edits) {
    const replaced = text(edit.file)?.slice(edit.start, edit.end) ?? '';
    if (finding.ruleId === 'postfix/mynetworks-public-range' || finding.ruleId === 'postfix/mynetworks-host-bits') {
      const before = parseRange(replaced);
      if (!before) continue;
      const after = edit.newText === '' ? undefined : parseRange(edit.newText);
      const dropped = AddressSet.of(before.range).subtract(after ? AddressSet.of(after.range) : AddressSet.empty);
      // An address the entry itself decided before the fix (an earlier `!exclusion` may have taken others), and
      // the services whose mynetworks reached it (a master.cf -o changes one service only).
      const services = original.evaluatedServices;
      const reached = (address: string, service: MasterService | undefined) =>
        mynetworksMembership(original, sameService(original, service), address) !== 'out';
      const candidates = dropped.intervals.flatMap((range) => [range.start, range.start + (range.end - range.start) / 2n, range.end]).map(formatAddress);
      const probe = candidates.find((address) => services.some((service) => reached(address, service)));
      if (!probe) continue;
      const appliesTo = (service: MasterService | undefined) => reached(probe, service);
      claims.push({ address: probe, relays: false, because: `${fix.title.en}: the address is no longer in mynetworks`, appliesTo });
      if (after)
        claims.push({ address: middleOf(AddressSet.of(after.range)), relays: true, because: `${fix.title.en}: the intended block is trusted`, appliesTo });
    } else if (finding.ruleId === 'postfix/open-relay-permit-before-reject') {
      claims.push({ address: STRANGER, relays: false, because: `${fix.title.en}: a stranger is refused`, appliesTo: () => true });
    } else if (finding.ruleId === 'postfix/relay-check-missing') {
      // The fixed service must start (a claim probe needs a listener that answers) and refuse the stranger.
      claims.push({ address: STRANGER, relays: false, because: `${fix.title.en}: smtpd starts and a stranger is refused`, appliesTo: () => true });
    }
  }
  return claims;
}
