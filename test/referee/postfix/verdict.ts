// Our verdict for one probe, from the engine's model only: the mynetworks entries the parser reads
// (first match wins, `!` excludes) and the restriction lists it expands, walked as the daemon walks
// them at RCPT time (smtpd_delay_reject = yes): client, helo, sender, relay, recipient; each list
// ends at its first permit or reject, and mail is accepted only when no list rejects.
import type { PostfixConfig } from '../../../src/families/postfix/config';
import type { MasterService } from '../../../src/families/postfix/master-cf';
import { mynetworksEntries } from '../../../src/families/postfix/mynetworks';
import { analyseRelay, restrictionItems } from '../../../src/families/postfix/restrictions';
import { parseRange } from '../../../src/net';

export type Membership = 'in' | 'out' | 'error';

/**
 * Whether mynetworks matches the address. Postfix settled two cases (see README.md): an entry with host
 * bits set (172.16.0.0/8) and a bare IPv6 entry (::1/128) make the lookup fail when reached, which
 * defers every client not matched by an earlier entry.
 */
export function mynetworksMembership(config: PostfixConfig, service: MasterService | undefined, address: string): Membership {
  const value = parseRange(address)!.range.start;
  for (const entry of mynetworksEntries(config, service).entries) {
    if (entry.kind === 'bare-ipv6') return 'error';
    if (entry.kind !== 'address' || !entry.parsed) continue; // tables are emptied in the copy; hostnames never match "unknown"
    if (entry.parsed.hostBitsSet) return 'error';
    if (entry.parsed.range.start <= value && value <= entry.parsed.range.end) return entry.negated ? 'out' : 'in';
  }
  return 'out';
}

const GATES = new Set(['reject_unauth_destination', 'defer_unauth_destination', 'reject', 'defer', 'defer_all']);
const LISTS = [
  'smtpd_client_restrictions',
  'smtpd_helo_restrictions',
  'smtpd_sender_restrictions',
  'smtpd_relay_restrictions',
  'smtpd_recipient_restrictions',
] as const;

export type ListOutcome = 'permit' | 'reject' | 'defer' | 'end';

/** One list for a client that is not authenticated, sends no TLS certificate and writes to an outside domain. */
export function walkList(config: PostfixConfig, list: string, service: MasterService | undefined, membership: Membership): ListOutcome {
  for (const item of restrictionItems(config, list, service)) {
    if (item.name === 'permit') return 'permit';
    if (GATES.has(item.name)) return 'reject';
    if (item.name === 'permit_mynetworks') {
      if (membership === 'error') return 'defer';
      if (membership === 'in') return 'permit';
    }
  }
  return 'end';
}

export interface Verdict {
  relays: boolean;
  why: string;
}

export function predictRelay(config: PostfixConfig, service: MasterService | undefined, address: string): Verdict {
  const membership = mynetworksMembership(config, service, address);
  const analysis = analyseRelay(config, service);
  if (analysis.state === 'refused') return { relays: false, why: 'no relay gate in either list: smtpd refuses all mail' };
  for (const list of LISTS) {
    const outcome = walkList(config, list, service, membership);
    if (outcome === 'reject' || outcome === 'defer') return { relays: false, why: `${list} ${outcome}s (mynetworks: ${membership})` };
  }
  return { relays: true, why: `no list rejects (mynetworks: ${membership})` };
}

/**
 * The engine's own stranger analysis must agree with the walk above for a stranger (outside mynetworks):
 * analyseRelay says 'open' exactly when neither relay-deciding list rejects.
 */
export function strangerConsistency(config: PostfixConfig, service: MasterService | undefined): string | undefined {
  const analysis = analyseRelay(config, service);
  if (analysis.state === 'refused') return undefined;
  const walked = ['smtpd_relay_restrictions', 'smtpd_recipient_restrictions'].every((list) => walkList(config, list, service, 'out') !== 'reject');
  if (walked !== (analysis.state === 'open')) return `analyseRelay says ${analysis.state}, walking the lists says ${walked ? 'open' : 'closed'}`;
  return undefined;
}
