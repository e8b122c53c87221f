// The RCPT ACL walked for one client, as Exim runs it (spec "Access control lists"): statements in order;
// `accept` accepts when all its conditions hold, `deny`/`drop`/`defer` refuse when all hold, `require`
// refuses when one fails, `warn` never decides, and running off the end denies. The client is the one a
// relay question is about: not authenticated, no TLS, sending to a domain the configuration does not name.
import type { Acl, AclCondition, AclStatement, EximConfig } from './model';
import { type Match, matchHosts, matchOutsideDomain } from './lists';

export type AclOutcome = 'accept' | 'refuse' | 'unknown';

export interface AclWalk {
  outcome: AclOutcome;
  /** The statement that decided (undefined: the end of the ACL, or an unknown condition). */
  decidedBy?: AclStatement;
  /** `accept` statements passed over only because a `hosts` condition did not match the client. */
  hostGated: Array<{ statement: AclStatement; hosts: AclCondition }>;
  /** Statements that let the relay question through because a domain list matched the outside domain. */
  domainPassed: Array<{ statement: AclStatement; domains: AclCondition }>;
}

/** Modifiers: they never fail (spec "ACL modifiers"). */
const MODIFIERS = new Set([
  'add_header',
  'control',
  'continue',
  'debug',
  'delay',
  'log_message',
  'log_reject_target',
  'logwrite',
  'message',
  'queue',
  'remove_header',
  'set',
  'udpsend',
]);

function negate(match: Match, negated: boolean): Match {
  if (!negated || match === 'unknown') return match;
  return match === 'yes' ? 'no' : 'yes';
}

function condition(config: EximConfig, item: AclCondition, address: bigint | undefined, depth: number): Match {
  if (MODIFIERS.has(item.name)) return 'yes';
  switch (item.name) {
    case 'hosts':
      return negate(matchHosts(config, item.value, address), item.negated);
    case 'domains':
      return negate(matchOutsideDomain(config, item.value), item.negated);
    case 'authenticated':
    case 'encrypted':
      // The client neither authenticates nor starts TLS: an empty list matches no value.
      return negate('no', item.negated);
    case 'acl': {
      const named = config.acls.get(item.value.text.trim());
      if (!named || depth > 10) return 'unknown';
      const inner = walkAcl(config, named, address, depth + 1).outcome;
      return negate(inner === 'accept' ? 'yes' : inner === 'refuse' ? 'no' : 'unknown', item.negated);
    }
    case 'senders':
    case 'recipients':
    case 'local_parts':
    case 'sender_domains':
      if (item.value.text.includes('$')) return negate('no', item.negated);
      return item.value.text.trim() === '*' ? negate('yes', item.negated) : 'unknown';
    case 'verify':
      // A stranger picks a sender that verifies (the null sender always does) and a recipient that exists;
      // whether one given client's recipient verifies needs DNS, which this model does not ask.
      if (item.value.text.trim() === 'sender') return negate('yes', item.negated);
      return item.value.text.trim() === 'recipient' && address === undefined ? negate('yes', item.negated) : 'unknown';
    case 'dnslists':
      // No DNS list lists a client this model knows nothing about.
      return negate('no', item.negated);
    default:
      return 'unknown';
  }
}

/** All conditions of a statement, in order: the first that fails stops (Exim evaluates no further). */
function conditions(config: EximConfig, statement: AclStatement, address: bigint | undefined, depth: number): { result: Match; failed?: AclCondition } {
  let unknown = false;
  for (const item of statement.conditions) {
    const result = condition(config, item, address, depth);
    if (result === 'no') return { result, failed: item };
    if (result === 'unknown') unknown = true;
  }
  return { result: unknown ? 'unknown' : 'yes' };
}

export function walkAcl(config: EximConfig, acl: Acl, address: bigint | undefined, depth = 0): AclWalk {
  const walk: AclWalk = { outcome: 'refuse', hostGated: [], domainPassed: [] };
  for (const statement of acl.statements) {
    const { result, failed } = conditions(config, statement, address, depth);
    for (const item of statement.conditions)
      if (item.name === 'domains' && !item.negated && matchOutsideDomain(config, item.value) === 'yes' && result !== 'no')
        walk.domainPassed.push({ statement, domains: item });
    switch (statement.verb) {
      case 'accept':
        // After `endpass`, a failing condition denies instead of passing on to the next statement.
        if (result === 'no' && statement.endpass !== undefined && failed && statement.conditions.indexOf(failed) >= statement.endpass)
          return { ...walk, outcome: 'refuse', decidedBy: statement };
        if (result === 'yes') return { ...walk, outcome: 'accept', decidedBy: statement };
        if (result === 'unknown') return { ...walk, outcome: 'unknown', decidedBy: statement };
        if (failed?.name === 'hosts' && !failed.negated && otherConditionsHold(config, statement, failed, depth))
          walk.hostGated.push({ statement, hosts: failed });
        break;
      case 'deny':
      case 'drop':
      case 'defer':
        // A refusal this model cannot evaluate is assumed not to apply: the client passes what it cannot see.
        if (result === 'yes') return { ...walk, outcome: 'refuse', decidedBy: statement };
        break;
      case 'require':
        if (result === 'no') return { ...walk, outcome: 'refuse', decidedBy: statement };
        if (result === 'unknown') return { ...walk, outcome: 'unknown', decidedBy: statement };
        break;
      case 'discard':
        if (result !== 'no') return { ...walk, outcome: 'unknown', decidedBy: statement };
        break;
      default:
        break;
    }
  }
  return walk;
}

function otherConditionsHold(config: EximConfig, statement: AclStatement, hosts: AclCondition, depth: number): boolean {
  return statement.conditions.every(
    (item) =>
      item === hosts ||
      (statement.endpass !== undefined && statement.conditions.indexOf(item) >= statement.endpass) ||
      condition(config, item, undefined, depth) === 'yes',
  );
}

/**
 * Whether a client at `address` (undefined: a stranger) may relay to an outside domain: the connect, MAIL
 * and RCPT ACLs in turn. Without acl_smtp_rcpt Exim refuses every recipient from a remote host.
 */
export function relayVerdict(config: EximConfig, address: bigint | undefined): AclOutcome {
  for (const option of ['acl_smtp_connect', 'acl_smtp_mail']) {
    const name = config.option(option)?.value.text.trim();
    const acl = name ? config.acls.get(name) : undefined;
    if (name && !acl) return 'unknown';
    if (!acl) continue;
    const outcome = walkAcl(config, acl, address).outcome;
    if (outcome !== 'accept') return outcome;
  }
  const acl = config.rcptAcl;
  if (!acl) return config.option('acl_smtp_rcpt') ? 'unknown' : 'refuse';
  return walkAcl(config, acl, address).outcome;
}
