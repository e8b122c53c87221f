// What nginx does with one request path on one server: which location serves it (ngx_http_core_find_location),
// and which rewrite, access and authentication settings apply there after inheritance.
import { AddressSet, parseRange, type AddressRange } from '../../../net';
import type { NginxDirective } from './syntax';
import { type NginxContext, type NginxLocation, type NginxServer, contextOf, effectiveDirective, effectiveGroup, inheritanceChain, own } from './model';

/** The location nginx selects for `path`, or undefined when none matches (the server's own settings serve it). */
export function selectLocation(server: NginxServer, path: string): NginxLocation | undefined {
  const found = findIn(server.locations, path);
  return found?.autoRedirect ? undefined : found?.location;
}

/** A proxied prefix location that makes nginx redirect `path` to `path/` before any other phase. */
export function autoRedirectFor(server: NginxServer, path: string): NginxLocation | undefined {
  const found = findIn(server.locations, path);
  return found?.autoRedirect ? found.location : undefined;
}

/** One level of ngx_http_core_find_location: `final` is its NGX_OK (an exact or regex match ends the search). */
const PASSES = ['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass', 'grpc_pass'];

type Found = { location: NginxLocation; final: boolean; autoRedirect?: boolean };

/** One level of locations, indexed once: exact and prefix patterns by text (the first written wins), regexes in order. */
interface LevelIndex {
  exact: Map<string, NginxLocation>;
  prefixByPattern: Map<string, NginxLocation>;
  regexes: NginxLocation[];
  results: Map<string, Found | undefined>;
}

// Checks ask about the same paths many times; the parsed model is immutable, so both the index and the
// answers are kept per level for as long as the model lives.
const levelIndexes = new WeakMap<NginxLocation[], LevelIndex>();

function indexOf(locations: NginxLocation[]): LevelIndex {
  let index = levelIndexes.get(locations);
  if (index) return index;
  const exact = new Map<string, NginxLocation>();
  const prefixByPattern = new Map<string, NginxLocation>();
  const regexes: NginxLocation[] = [];
  for (const location of locations) {
    if (location.modifier === '=') {
      if (!exact.has(location.pattern)) exact.set(location.pattern, location);
    } else if (location.modifier === '' || location.modifier === '^~') {
      if (!prefixByPattern.has(location.pattern)) prefixByPattern.set(location.pattern, location);
    } else if (location.modifier === '~' || location.modifier === '~*') regexes.push(location);
  }
  index = { exact, prefixByPattern, regexes, results: new Map() };
  levelIndexes.set(locations, index);
  return index;
}

function findIn(locations: NginxLocation[], path: string): Found | undefined {
  const index = indexOf(locations);
  if (index.results.has(path)) return index.results.get(path);
  const found = search(index, path);
  index.results.set(path, found);
  return found;
}

function search(index: LevelIndex, path: string): Found | undefined {
  const exact = index.exact.get(path);
  if (exact) return { location: exact, final: true };
  // ngx_http_core_find_static_location: /x for a proxied `location /x/` is answered with a 301 to /x/ (NGX_DONE).
  const redirect = index.prefixByPattern.get(`${path}/`);
  if (redirect && PASSES.some((name) => own(redirect, name).length)) return { location: redirect, final: true, autoRedirect: true };
  // The longest prefix: try the path's own prefixes, longest first (a map lookup each, whatever the count).
  let prefix: NginxLocation | undefined;
  for (let length = path.length; length >= 0 && !prefix; length--) prefix = index.prefixByPattern.get(path.slice(0, length));
  let found: Found | undefined;
  if (prefix) {
    // Locations nested in the chosen prefix are searched first; only their exact or regex matches are final.
    const nested = findIn(prefix.locations, path);
    if (nested?.final) return nested;
    found = nested ?? { location: prefix, final: false };
    if (prefix.modifier === '^~') return found;
  }
  for (const location of index.regexes) {
    if (location.regex?.test(path)) return { location: findIn(location.locations, path)?.location ?? location, final: true };
  }
  return found;
}

/** Regex locations at the level of `location` that are tried before it would be used for `path`. */
export function regexLocationsMatching(siblings: NginxLocation[], path: string): NginxLocation[] {
  return siblings.filter((location) => (location.modifier === '~' || location.modifier === '~*') && location.regex?.test(path));
}

export type AccessRule = { directive: NginxDirective; allow: boolean; set: AddressSet; everyone: boolean };

const EVERYONE = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });

/** allow/deny rules in order, as address sets (`all` is every address; `unix:` matches no IP client). */
export function accessRules(directives: NginxDirective[]): AccessRule[] {
  return directives
    .filter((directive) => directive.name === 'allow' || directive.name === 'deny')
    .map((directive) => {
      const value = directive.args[0]?.value ?? '';
      const parsed = parseRange(value);
      const set = value === 'all' ? EVERYONE : parsed ? AddressSet.of(parsed.range as AddressRange) : AddressSet.empty;
      return { directive, allow: directive.name === 'allow', set, everyone: value === 'all' };
    });
}

/** First match wins (ngx_http_access_inet); undefined when no rule matches (the module declines). */
export function firstMatch(rules: AccessRule[], address: bigint): AccessRule | undefined {
  return rules.find((rule) => rule.set.contains(address));
}

export interface RequestOutcome {
  server: NginxServer;
  location?: NginxLocation;
  chain: NginxContext[];
  /** A `return`/`rewrite ... redirect` that answers before the access phase, unconditionally. */
  answeredBy?: NginxDirective;
  rules: AccessRule[];
  rulesContext?: NginxContext;
  auth?: NginxDirective;
  satisfyAny: boolean;
  internal: boolean;
}

function isAnswer(directive: NginxDirective): boolean {
  if (directive.name === 'return') return true;
  if (directive.name === 'rewrite')
    return ['redirect', 'permanent'].includes(directive.args[2]?.value ?? '') || /^https?:\/\//.test(directive.args[1]?.value ?? '');
  return false;
}

/** The server-level rewrite phase (runs before any location is chosen), then the location's own. */
function unconditionalAnswer(server: NginxServer, location: NginxLocation | undefined): NginxDirective | undefined {
  const firstAnswer = (context: NginxContext) =>
    [...own(context, 'return'), ...own(context, 'rewrite')].filter(isAnswer).sort((a, b) => a.span.start - b.span.start)[0];
  return firstAnswer(server) ?? (location ? firstAnswer(location) : undefined);
}

// Several checks resolve the same paths; outcomes are plain data computed from an immutable model.
const outcomes = new WeakMap<NginxServer, Map<string, RequestOutcome>>();

export function resolveRequest(server: NginxServer, path: string): RequestOutcome {
  let cache = outcomes.get(server);
  if (!cache) outcomes.set(server, (cache = new Map()));
  let outcome = cache.get(path);
  if (!outcome) cache.set(path, (outcome = computeOutcome(server, path)));
  return outcome;
}

function computeOutcome(server: NginxServer, path: string): RequestOutcome {
  const redirect = autoRedirectFor(server, path);
  if (redirect) return { server, chain: inheritanceChain(server), answeredBy: redirect.owner, rules: [], satisfyAny: false, internal: false };
  const location = selectLocation(server, path);
  const chain = inheritanceChain(location ?? server);
  const { directives, context } = effectiveGroup(chain, ['allow', 'deny']);
  const authBasic = effectiveDirective(chain, 'auth_basic');
  const authRequest = effectiveDirective(chain, 'auth_request');
  const auth = [authBasic, authRequest].find((directive) => directive && directive.args[0]?.value !== 'off');
  const satisfy = effectiveDirective(chain, 'satisfy');
  const answeredBy = unconditionalAnswer(server, location);
  return {
    server,
    ...(location ? { location } : {}),
    chain,
    ...(answeredBy ? { answeredBy } : {}),
    rules: accessRules(directives),
    ...(context ? { rulesContext: context } : {}),
    ...(auth ? { auth } : {}),
    satisfyAny: satisfy?.args[0]?.value === 'any',
    internal: location ? own(location, 'internal').length > 0 : false,
  };
}

/** A public documentation address nobody lists in an allow-list: "a stranger on the internet". */
export const STRANGER = parseRange('203.0.113.7')!.written;

export type Verdict = 'served' | 'forbidden' | 'authentication' | 'internal' | 'answered';

/** What a client at `address` gets from the access phase (ngx_http_core_access_phase with satisfy all/any). */
export function verdictFor(outcome: RequestOutcome, address: bigint = STRANGER): Verdict {
  if (outcome.answeredBy) return 'answered';
  if (outcome.internal) return 'internal';
  const rule = firstMatch(outcome.rules, address);
  if (outcome.satisfyAny) {
    if (rule?.allow) return 'served';
    if (outcome.auth) return 'authentication';
    return rule ? 'forbidden' : 'served';
  }
  if (rule && !rule.allow) return 'forbidden';
  if (outcome.auth) return 'authentication';
  return 'served';
}

/** The answer code of `return`, or of a redirecting `rewrite`. */
export function answerCode(directive: NginxDirective): number {
  if (directive.name === 'location') return 301;
  if (directive.name === 'rewrite') return directive.args[2]?.value === 'permanent' ? 301 : 302;
  const first = directive.args[0]?.value ?? '';
  return /^\d{3}$/.test(first) ? Number(first) : 302;
}

export { contextOf };
