// What smtpd's restriction lists do for a stranger: a client outside mynetworks, not authenticated,
// sending to a domain this server does not serve. postconf(5) smtpd_relay_restrictions: both
// smtpd_relay_restrictions and smtpd_recipient_restrictions are evaluated at RCPT TO, and mail is
// accepted only when neither rejects it; the end of a list is an implicit "permit".
import type { MasterService } from './master-cf';
import type { PostfixConfig } from './config';
import type { TrackedText } from './tracked-text';

/** Restrictions that take the next list item as their argument. */
const TAKES_ARGUMENT =
  /^(check_\w+_access|check_\w+_(a|mx|ns)_access|check_policy_service|reject_rbl_client|reject_rhsbl_\w+|reject_dnsbl_\w+|permit_dnswl_client|permit_rhswl_client|check_ccert_access|check_sasl_access)$/;

/** Relay gates: once reached, a stranger's relay attempt is refused (defer_if_permit turns a later permit into a deferral). */
const RELAY_GATES = new Set([
  'reject_unauth_destination',
  'defer_unauth_destination',
  'reject',
  'defer',
  'defer_all',
  'defer_if_permit',
  'check_relay_domains',
]);

/** The gates smtpd's start-up check counts ("specify at least one working instance of: ..."): defer_all is not one. */
const REQUIRED_GATES = new Set(['reject_unauth_destination', 'defer_unauth_destination', 'reject', 'defer', 'defer_if_permit', 'check_relay_domains']);

/** Items that may accept a stranger, depending on data we cannot see (a map's result, DNS, a policy server). */
const CONDITIONAL_PERMITS =
  /^(check_\w+_access|check_\w+_(a|mx|ns)_access|check_policy_service|permit_dnswl_client|permit_rhswl_client|permit_tls_all_clientcerts|permit_mx_backup|check_ccert_access|check_sasl_access)$/;

export interface RestrictionItem {
  name: string;
  argument?: TrackedText;
  token: TrackedText;
  /** The restriction-class name this item was reached through, if any. */
  viaClass?: TrackedText;
}

export type ListVerdict =
  | { outcome: 'reject'; gate: RestrictionItem; conditional: RestrictionItem[] }
  | { outcome: 'permit'; permit: RestrictionItem; conditional: RestrictionItem[] }
  | { outcome: 'end'; conditional: RestrictionItem[] };

/** Items a list may expand to through restriction classes (a class naming another ten times, ten levels deep, is 10^10). */
export const MAX_RESTRICTION_ITEMS = 10_000;

/**
 * Where to compute a restriction analysis of `lists` for a service: main.cf's context (shared by every service)
 * unless an override of the service touches the lists, smtpd_restriction_classes or a class it names. Decided
 * once per service and lists.
 */
function analysisContext(config: PostfixConfig, lists: readonly string[], service: MasterService | undefined): MasterService | undefined {
  if (!service || service.overrides.size === 0) return undefined;
  return config.cached(`analysis-context:${lists.join(' ')}`, service, () =>
    config.sharedContext(service, [...lists, 'smtpd_restriction_classes', ...config.list('smtpd_restriction_classes', service).map((item) => item.text)]),
  );
}

/** Restriction items of a list, with restriction classes (smtpd_restriction_classes) expanded in place. */
export function restrictionItems(config: PostfixConfig, listName: string, within?: MasterService): RestrictionItem[] {
  const service = analysisContext(config, [listName], within);
  return config.cached(`restriction-items:${listName}`, service, () => {
    const classes = new Set(config.list('smtpd_restriction_classes', service).map((item) => item.text));
    const out: RestrictionItem[] = [];
    let steps = 0;
    const walk = (tokens: TrackedText[], viaClass: TrackedText | undefined, depth: number): boolean => {
      for (let i = 0; i < tokens.length; i++) {
        if (++steps > MAX_RESTRICTION_ITEMS) return false;
        const token = tokens[i]!;
        const name = token.text;
        if (classes.has(name) && depth < 10) {
          if (!walk(config.list(name, service), viaClass ?? token, depth + 1)) return false;
          continue;
        }
        const item: RestrictionItem = { name, token, ...(viaClass ? { viaClass } : {}) };
        if (TAKES_ARGUMENT.test(name) && i + 1 < tokens.length) item.argument = tokens[++i]!;
        out.push(item);
      }
      return true;
    };
    if (!walk(config.list(listName, service), undefined, 0)) config.restrictionLimit(listName, service);
    return out;
  });
}

/** Walks one list as the stranger: the first `permit` or relay gate decides; others may or may not apply. */
export function strangerVerdict(items: RestrictionItem[]): ListVerdict {
  const conditional: RestrictionItem[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // postconf(5): warn_if_reject turns the next restriction's reject into a logged warning.
    if (item.name === 'warn_if_reject') {
      i++;
      continue;
    }
    if (item.name === 'permit') return { outcome: 'permit', permit: item, conditional };
    if (RELAY_GATES.has(item.name)) return { outcome: 'reject', gate: item, conditional };
    if (CONDITIONAL_PERMITS.test(item.name)) conditional.push(item);
  }
  return { outcome: 'end', conditional };
}

/**
 * smtpd's start-up check (smtpd_check.c has_required): a list holds a *working* relay gate when one appears
 * before any top-level `permit` (restrictions after `permit` are ignored), looking into restriction classes
 * but not counting a class's own `permit` against the outer list; `warn_if_reject X` does not count.
 * With no working gate in either relay-deciding list, smtpd exits with a fatal error and accepts no mail.
 */
export function hasWorkingGate(config: PostfixConfig, listName: string, within?: MasterService): boolean {
  const service = analysisContext(config, [listName], within);
  return config.cached(`working-gate:${listName}`, service, () => {
    const classes = new Set(config.list('smtpd_restriction_classes', service).map((item) => item.text));
    let steps = 0;
    const scan = (tokens: TrackedText[], depth: number): boolean => {
      for (let i = 0; i < tokens.length; i++) {
        if (++steps > MAX_RESTRICTION_ITEMS) return false;
        const name = tokens[i]!.text;
        if (name === 'warn_if_reject') {
          i++;
          continue;
        }
        if (name === 'permit') return false;
        if (REQUIRED_GATES.has(name)) return true;
        if (classes.has(name) && depth < 10 && scan(config.list(name, service), depth + 1)) return true;
      }
      return false;
    };
    const found = scan(config.list(listName, service), 0);
    if (steps > MAX_RESTRICTION_ITEMS) config.restrictionLimit(listName, service);
    return found;
  });
}

export interface RelayAnalysis {
  relay: { items: RestrictionItem[]; verdict: ListVerdict };
  recipient: { items: RestrictionItem[]; verdict: ListVerdict };
  /** 'open': a stranger relays; 'closed': one list rejects; 'refused': no working gate, smtpd refuses all mail. */
  state: 'open' | 'closed' | 'refused';
}

/** Both relay-deciding lists with their names, in the order smtpd evaluates them. */
export function relayLists(analysis: RelayAnalysis) {
  return [
    { name: 'smtpd_relay_restrictions', ...analysis.relay },
    { name: 'smtpd_recipient_restrictions', ...analysis.recipient },
  ];
}

export function analyseRelay(config: PostfixConfig, within?: MasterService): RelayAnalysis {
  const service = analysisContext(config, ['smtpd_relay_restrictions', 'smtpd_recipient_restrictions'], within);
  return config.cached('relay-analysis', service, () => computeRelay(config, service));
}

function computeRelay(config: PostfixConfig, service: MasterService | undefined): RelayAnalysis {
  const relayItems = restrictionItems(config, 'smtpd_relay_restrictions', service);
  const recipientItems = restrictionItems(config, 'smtpd_recipient_restrictions', service);
  const relay = { items: relayItems, verdict: strangerVerdict(relayItems) };
  const recipient = { items: recipientItems, verdict: strangerVerdict(recipientItems) };
  const working = hasWorkingGate(config, 'smtpd_relay_restrictions', service) || hasWorkingGate(config, 'smtpd_recipient_restrictions', service);
  const state = !working ? 'refused' : relay.verdict.outcome === 'reject' || recipient.verdict.outcome === 'reject' ? 'closed' : 'open';
  return { relay, recipient, state };
}

/** Items that refuse a stranger's relay attempt when reached, as the checks name them in messages. */
const WRITTEN_GATE = /unauth_destination|^reject$|^defer/;

/**
 * In the 'refused' state: a top-level `permit` with a relay gate written after it in the same list (smtpd
 * ignores that gate, smtpd_check.c has_required). postfix/open-relay-permit-before-reject reports these;
 * postfix/relay-check-missing reports every other refused service.
 */
export function permitBeforeIgnoredGate(analysis: RelayAnalysis): { list: ReturnType<typeof relayLists>[number]; permit: RestrictionItem } | undefined {
  if (analysis.state !== 'refused') return undefined;
  for (const list of relayLists(analysis)) {
    const index = list.items.findIndex((item) => item.name === 'permit' && !item.viaClass);
    if (index >= 0 && list.items.slice(index + 1).some((item) => WRITTEN_GATE.test(item.name))) return { list, permit: list.items[index]! };
  }
  return undefined;
}

/** Whether a stranger sending to a domain this server does serve is refused (submission must require login). */
export function strangerToLocalRefused(config: PostfixConfig, service?: MasterService): boolean {
  const lists = [
    'smtpd_client_restrictions',
    'smtpd_helo_restrictions',
    'smtpd_sender_restrictions',
    'smtpd_relay_restrictions',
    'smtpd_recipient_restrictions',
  ];
  return lists.some((list) => {
    for (const item of restrictionItems(config, list, service)) {
      if (item.name === 'permit' || item.name === 'permit_auth_destination') return false;
      if (item.name === 'reject' || item.name === 'defer' || item.name === 'defer_all') return true;
    }
    return false;
  });
}
