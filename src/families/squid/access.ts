// http_access as Squid checks it (cf.data.pre): rules in order, the first whose ACLs all match decides; when
// none matches, the answer is the opposite of the last rule's; with no rule at all, deny. The client address
// is the one dimension kept as a set: each rule splits the addresses still undecided. Every other ACL is
// judged for one concrete request (a stranger asking for a host that no configuration names) as true, false,
// or unknown when it depends on what cannot be seen here (credentials, DNS, time, helpers, unread files).
import { AddressCoverage, AddressSet } from '../../net';
import { memoValue } from '../shared/memo';
import type { AccessRule, Acl, SquidConfig } from './model';
import { ADDRESS_TYPES } from './load';

/** The destination of every probe request: a name and an address that no sane configuration lists. */
export const PROBE_DESTINATION = { host: 'dest.referee.invalid', address: '192.0.2.10' } as const;

export interface ProbeRequest {
  method: 'GET' | 'CONNECT';
  port: number;
  /** As url_regex sees it: `http://host/path` for GET, `host:port` for CONNECT. */
  url: string;
  /** urlpath_regex's text: the path and query of a GET (none for CONNECT). */
  path?: string;
}

export function getRequest(query = ''): ProbeRequest {
  const path = `/${query ? `?${query}` : ''}`;
  return { method: 'GET', port: 80, url: `http://${PROBE_DESTINATION.host}${path}`, path };
}

export function connectRequest(port: number): ProbeRequest {
  return { method: 'CONNECT', port, url: `${PROBE_DESTINATION.host}:${port}` };
}

export type Tri = boolean | undefined;
export type Verdict = 'allow' | 'deny' | 'unknown';

export interface Outcome {
  /** Client addresses with this answer. */
  set: AddressSet;
  verdict: Verdict;
  /** The rule that decided; undefined: no rule matched (the implicit answer). */
  rule?: AccessRule;
}

export const EVERY_ADDRESS = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });
const DESTINATION_ADDRESS = AddressSet.parse([PROBE_DESTINATION.address]);

/**
 * A group holding a quantifier or `|`, itself quantified: `(a+)+`, `(a|ab)*`, `(x{2})?` (what the regex
 * `/\([^)]*[*+?}|][^)]*\)[*+?{]/` tests, in one pass instead of its cubic backtracking).
 */
function repeatsQuantifiedGroup(pattern: string): boolean {
  let open = false; // a '(' since the last ')'
  let quantified = false; // a quantifier or '|' after that '('
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === ')') {
      if (open && quantified && i + 1 < pattern.length && '*+?{'.includes(pattern[i + 1]!)) return true;
      open = false;
      quantified = false;
    } else if (c === '(') open = true;
    else if (open && '*+?}|'.includes(c)) quantified = true;
  }
  return false;
}

/**
 * POSIX extended regular expressions (regcomp REG_EXTENDED) that mean the same as a JavaScript RegExp:
 * literals, `.`, anchors, brackets without classes, groups, alternation and quantifiers. Anything else
 * (GNU escapes such as \w, [[:alpha:]], back-references) is left unjudged.
 */
export function posixRegExp(pattern: string, caseInsensitive: boolean): RegExp | undefined {
  // The access walk asks for an ACL's expressions once per request it follows: each is compiled once (a RegExp
  // without the g or y flag keeps no state between tests, so one can be shared).
  return memoValue(compiled, (caseInsensitive ? 'i' : 'c') + pattern, () => compilePosix(pattern, caseInsensitive), COMPILED_LIMIT);
}

/**
 * Expressions kept compiled at most; past it the table starts again (and a file with more compiles them as
 * before). A compiled expression holds about 2.3 KB of heap once run: this bounds the table near 9 MB.
 */
const COMPILED_LIMIT = 4096;
const compiled = new Map<string, RegExp | undefined>();

function compilePosix(pattern: string, caseInsensitive: boolean): RegExp | undefined {
  if (/\[\[[:=.]|\\[A-Za-z0-9]|\[\^?\]|\(\?|\{(?!\d+(,\d*)?\})/.test(pattern)) return undefined;
  // A repeated group that repeats or alternates inside ((a+)+, (a|ab)*) can backtrack for ages in JavaScript:
  // such a pattern is left unjudged rather than run on a configuration's say-so.
  if (repeatsQuantifiedGroup(pattern) || pattern.length > 500) return undefined;
  try {
    return new RegExp(pattern, caseInsensitive ? 'i' : '');
  } catch {
    return undefined;
  }
}

function regexMatch(acl: Acl, subject: string | undefined): Tri {
  if (subject === undefined) return undefined;
  let unknown = false;
  for (const value of acl.values) {
    const regex = posixRegExp(value.text, value.caseInsensitive);
    if (!regex) unknown = true;
    else if (regex.test(subject)) return true;
  }
  return unknown || acl.incomplete ? undefined : false;
}

/** dstdomain: `.example.com` matches the domain and every name below it; a plain name only itself. */
function domainMatch(acl: Acl, host: string): Tri {
  const name = host.toLowerCase();
  const hit = acl.values.some((value) => {
    const entry = value.text.toLowerCase();
    return entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry;
  });
  return hit ? true : acl.incomplete ? undefined : false;
}

function portMatch(acl: Acl, port: number): Tri {
  const hit = acl.values.some((value) => {
    const match = /^(\d+)(?:-(\d+))?$/.exec(value.text);
    return match ? port >= Number(match[1]) && port <= Number(match[2] ?? match[1]) : false;
  });
  return hit ? true : acl.incomplete ? undefined : false;
}

/** One ACL for the request; src is handled as a set by the walk. */
export function judgeAcl(acl: Acl, request: ProbeRequest): Tri {
  switch (acl.type) {
    case 'method':
      return acl.values.some((value) => value.text.toUpperCase() === request.method) ? true : acl.incomplete ? undefined : false;
    case 'port':
      return portMatch(acl, request.port);
    case 'proto':
      // A CONNECT request's URL has no scheme Squid would call HTTP; what it calls it is not modelled.
      if (request.method === 'CONNECT') return undefined;
      return acl.values.some((value) => value.text.toUpperCase() === 'HTTP') ? true : acl.incomplete ? undefined : false;
    case 'dstdomain':
      return domainMatch(acl, PROBE_DESTINATION.host);
    case 'dstdom_regex':
      return regexMatch(acl, PROBE_DESTINATION.host);
    case 'url_regex':
      return regexMatch(acl, request.url);
    case 'urlpath_regex':
      return regexMatch(acl, request.path);
    case 'dst':
      if (acl.incomplete || !acl.set) return undefined;
      return !acl.set.intersect(DESTINATION_ADDRESS).isEmpty();
    default:
      return undefined;
  }
}

const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === undefined || b === undefined ? undefined : true);

/**
 * The answer http_access gives the request, for every client address. What earlier rules decided is kept in
 * an AddressCoverage (O(log n) per rule), not subtracted from a set of what remains (O(n) per rule).
 */
export function walkAccess(config: SquidConfig, request: ProbeRequest): Outcome[] {
  const outcomes: Outcome[] = [];
  const decided = new AddressCoverage();
  let decidedSize = 0n;
  const everySize = EVERY_ADDRESS.size();
  for (const rule of config.httpAccess) {
    if (decidedSize === everySize) break;
    let clients = EVERY_ADDRESS;
    let others: Tri = true;
    for (const reference of rule.acls) {
      const acl = config.acls.get(reference.name)!;
      if (acl.type === 'src' && !acl.incomplete && acl.set) {
        clients = clients.intersect(reference.negated ? EVERY_ADDRESS.subtract(acl.set) : acl.set);
        continue;
      }
      const value = ADDRESS_TYPES.has(acl.type) && acl.type !== 'dst' ? undefined : judgeAcl(acl, request);
      others = and(others, value === undefined ? undefined : reference.negated ? !value : value);
    }
    if (others === false) continue;
    const matched = decided.takeSet(clients);
    if (matched.isEmpty()) continue;
    decidedSize += matched.size();
    outcomes.push({ set: matched, verdict: others === true ? rule.action : 'unknown', rule });
  }
  if (decidedSize !== everySize) {
    const last = config.httpAccess[config.httpAccess.length - 1];
    outcomes.push({ set: EVERY_ADDRESS.subtract(decided.toSet()), verdict: last ? (last.action === 'allow' ? 'deny' : 'allow') : 'deny' });
  }
  return outcomes;
}

/** The verdict for one client address (for the referee and the tests). */
export function verdictFor(outcomes: Outcome[], address: bigint): Outcome | undefined {
  return outcomes.find((outcome) => outcome.set.contains(address));
}

/**
 * A URL text that a url_regex of plain literals matches wherever it stands, so that a client can append it to
 * any URL's query: `127.0.0.1`, `localhost`, `\.example\.com`. Undefined for anything with anchors or operators.
 */
export function literalSample(pattern: string): string | undefined {
  if (!/^(\\[^A-Za-z0-9]|[A-Za-z0-9._~\-/:=@,;!])+$/.test(pattern)) return undefined;
  const sample = pattern.replace(/\\(.)/g, '$1');
  return /^[A-Za-z0-9._~\-/:=@,;!]+$/.test(sample) ? sample : undefined;
}
