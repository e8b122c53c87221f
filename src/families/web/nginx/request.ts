// What nginx does with one request path on one server: which location serves it (ngx_http_core_find_location),
// and which rewrite, access and authentication settings apply there after inheritance.
import { AddressSet, parseRange, type AddressRange } from '../../../net';
import type { NginxDirective } from './syntax';
import { foldCase } from '../regex';
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

/**
 * Regex locations of one level, indexed by the literal text their matches must begin or end with (`^/app/`,
 * `\.php$`), so that a path is tried only against the few that can match it, in their written order. Patterns
 * that promise neither are tried for every path.
 */
class RegexIndex {
  private readonly starts = new LiteralTrie();
  private readonly foldedStarts = new LiteralTrie();
  private readonly ends = new LiteralTrie();
  private readonly foldedEnds = new LiteralTrie();
  private readonly always: number[] = [];
  private readonly hasFolded: boolean;

  constructor(private readonly locations: NginxLocation[]) {
    let folded = false;
    locations.forEach((location, order) => {
      const regex = location.regex!;
      if (regex.prefix) (regex.caseless ? this.foldedStarts : this.starts).add(regex.prefix, order);
      else if (regex.suffix) (regex.caseless ? this.foldedEnds : this.ends).add(reverse(regex.suffix), order);
      else this.always.push(order);
      folded ||= regex.caseless;
    });
    this.hasFolded = folded;
  }

  /** The first location (in written order) whose regex matches `path`. */
  first(path: string): NginxLocation | undefined {
    const candidates = [...this.always];
    this.starts.collect(path, false, candidates);
    this.ends.collect(path, true, candidates);
    if (this.hasFolded) {
      const folded = foldCase(path);
      this.foldedStarts.collect(folded, false, candidates);
      this.foldedEnds.collect(folded, true, candidates);
    }
    if (candidates.length > 1) candidates.sort((a, b) => a - b);
    for (const order of candidates) {
      const location = this.locations[order]!;
      if (location.regex!.test(path)) return location;
    }
    return undefined;
  }
}

interface PrefixNode {
  next: Map<string, PrefixNode>;
  location?: NginxLocation;
}

/** Prefix patterns by their characters; `longest` is ngx_http_core_find_static_location's longest match. */
class PrefixTrie {
  private readonly root: PrefixNode = { next: new Map() };

  add(pattern: string, location: NginxLocation): void {
    let node = this.root;
    for (let index = 0; index < pattern.length; index++) {
      const char = pattern[index]!;
      let child = node.next.get(char);
      if (!child) node.next.set(char, (child = { next: new Map() }));
      node = child;
    }
    node.location ??= location;
  }

  longest(path: string): NginxLocation | undefined {
    let node: PrefixNode | undefined = this.root;
    let found = node.location;
    for (let index = 0; index < path.length && node; index++) {
      node = node.next.get(path[index]!);
      if (node?.location) found = node.location;
    }
    return found;
  }
}

interface TrieNode {
  next: Map<string, TrieNode>;
  orders: number[];
}

/** Literal texts and the regexes that need them; walked along a path once (or along its end, backwards). */
class LiteralTrie {
  private readonly root: TrieNode = { next: new Map(), orders: [] };

  add(literal: string, order: number): void {
    let node = this.root;
    for (const char of literal) {
      let child = node.next.get(char);
      if (!child) node.next.set(char, (child = { next: new Map(), orders: [] }));
      node = child;
    }
    node.orders.push(order);
  }

  /** Adds to `out` the regexes whose literal begins `text` (or ends it, when `backwards`). */
  collect(text: string, backwards: boolean, out: number[]): void {
    let node: TrieNode | undefined = this.root;
    if (!node.next.size) return;
    for (let step = 0; step < text.length && node; step++) {
      node = node.next.get(text[backwards ? text.length - 1 - step : step]!);
      if (node) for (const order of node.orders) out.push(order);
    }
  }
}

function reverse(text: string): string {
  let out = '';
  for (let index = text.length - 1; index >= 0; index--) out += text[index];
  return out;
}

/** One level of locations, indexed once: exact and prefix patterns by text (the first written wins), regexes in order. */
interface LevelIndex {
  exact: Map<string, NginxLocation>;
  prefixByPattern: Map<string, NginxLocation>;
  /** The prefix patterns as a trie: the longest one a path starts with is found in one walk along the path. */
  prefixes: PrefixTrie;
  regexes: RegexIndex;
}

// The parsed model is immutable: each level is indexed once, for as long as the model lives.
const levelIndexes = new WeakMap<NginxLocation[], LevelIndex>();

function indexOf(locations: NginxLocation[]): LevelIndex {
  let index = levelIndexes.get(locations);
  if (index) return index;
  const exact = new Map<string, NginxLocation>();
  const prefixByPattern = new Map<string, NginxLocation>();
  const regexes: NginxLocation[] = [];
  const prefixes = new PrefixTrie();
  for (const location of locations) {
    if (location.modifier === '=') {
      if (!exact.has(location.pattern)) exact.set(location.pattern, location);
    } else if (location.modifier === '' || location.modifier === '^~') {
      if (!prefixByPattern.has(location.pattern)) {
        prefixByPattern.set(location.pattern, location);
        prefixes.add(location.pattern, location);
      }
    } else if ((location.modifier === '~' || location.modifier === '~*') && location.regex) regexes.push(location);
  }
  index = { exact, prefixByPattern, prefixes, regexes: new RegexIndex(regexes) };
  levelIndexes.set(locations, index);
  return index;
}

/** One search: a walk along the path in each level's tries (no cache: it costs less than remembering it). */
function findIn(locations: NginxLocation[], path: string): Found | undefined {
  if (!locations.length) return undefined;
  return search(indexOf(locations), path);
}

function search(index: LevelIndex, path: string): Found | undefined {
  const exact = index.exact.get(path);
  if (exact) return { location: exact, final: true };
  // ngx_http_core_find_static_location: /x for a proxied `location /x/` is answered with a 301 to /x/ (NGX_DONE).
  const redirect = index.prefixByPattern.get(`${path}/`);
  if (redirect && PASSES.some((name) => own(redirect, name).length)) return { location: redirect, final: true, autoRedirect: true };
  // The longest prefix: one walk along the path, whatever the number of prefix locations.
  const prefix = index.prefixes.longest(path);
  let found: Found | undefined;
  if (prefix) {
    // Locations nested in the chosen prefix are searched first; only their exact or regex matches are final.
    const nested = findIn(prefix.locations, path);
    if (nested?.final) return nested;
    found = nested ?? { location: prefix, final: false };
    if (prefix.modifier === '^~') return found;
  }
  const regex = index.regexes.first(path);
  if (regex) return { location: findIn(regex.locations, path)?.location ?? regex, final: true };
  return found;
}

// Every regex location of a server, at any depth, in one index: built once per server.
const serverRegexes = new WeakMap<NginxServer, RegexIndex>();

/**
 * Whether some regex location of the server (at any depth) matches `path`. When none does, nginx cannot
 * choose a regex location for it, whatever the prefixes: a cheap test before a full selection.
 */
export function anyRegexLocationMatches(server: NginxServer, path: string): boolean {
  let index = serverRegexes.get(server);
  if (!index) {
    const regexes: NginxLocation[] = [];
    const stack = [...server.locations].reverse();
    while (stack.length) {
      const location = stack.pop()!;
      if ((location.modifier === '~' || location.modifier === '~*') && location.regex) regexes.push(location);
      for (let i = location.locations.length - 1; i >= 0; i--) stack.push(location.locations[i]!);
    }
    serverRegexes.set(server, (index = new RegexIndex(regexes)));
  }
  return index.first(path) !== undefined;
}

/** Regex locations at the level of `location` that are tried before it would be used for `path`. */
export function regexLocationsMatching(siblings: NginxLocation[], path: string): NginxLocation[] {
  return siblings.filter((location) => (location.modifier === '~' || location.modifier === '~*') && location.regex?.test(path));
}

export type AccessRule = { directive: NginxDirective; allow: boolean; set: AddressSet; everyone: boolean };

const EVERYONE = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });

// The address set of an allow/deny value: the same few values recur in every context and every keystroke.
const MAX_CACHED_SETS = 10_000;
const setsByValue = new Map<string, AddressSet>();

function addressSetOf(value: string): AddressSet {
  let set = setsByValue.get(value);
  if (set) return set;
  const parsed = parseRange(value);
  set = value === 'all' ? EVERYONE : parsed ? AddressSet.of(parsed.range as AddressRange) : AddressSet.empty;
  if (setsByValue.size >= MAX_CACHED_SETS) setsByValue.clear();
  setsByValue.set(value, set);
  return set;
}

/** allow/deny rules in order, as address sets (`all` is every address; `unix:` matches no IP client). */
export function accessRules(directives: NginxDirective[]): AccessRule[] {
  const rules: AccessRule[] = [];
  for (const directive of directives) {
    if (directive.name !== 'allow' && directive.name !== 'deny') continue;
    const value = directive.args[0]?.value ?? '';
    rules.push({ directive, allow: directive.name === 'allow', set: addressSetOf(value), everyone: value === 'all' });
  }
  return rules;
}

const ownRules = new WeakMap<NginxContext, AccessRule[]>();

/** The context's own allow/deny rules (nested blocks not descended), in file order; computed once per context. */
export function contextRules(context: NginxContext): AccessRule[] {
  let rules = ownRules.get(context);
  if (!rules) {
    rules = own(context, 'allow').length || own(context, 'deny').length ? accessRules(context.directives.filter((d) => !d.block)) : [];
    ownRules.set(context, rules);
  }
  return rules;
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

/** The first unconditional answer (return, redirecting rewrite) of a context's own rewrite phase, once per context. */
const answers = new WeakMap<NginxContext, NginxDirective | null>();

function firstAnswer(context: NginxContext): NginxDirective | undefined {
  let answer = answers.get(context);
  if (answer === undefined) {
    answer = [...own(context, 'return'), ...own(context, 'rewrite')].filter(isAnswer).sort((a, b) => a.span.start - b.span.start)[0] ?? null;
    answers.set(context, answer);
  }
  return answer ?? undefined;
}

/** The server-level rewrite phase (runs before any location is chosen), then the location's own. */
function unconditionalAnswer(server: NginxServer, location: NginxLocation | undefined): NginxDirective | undefined {
  return firstAnswer(server) ?? (location ? firstAnswer(location) : undefined);
}

/** What a context's settings are after inheritance, for the access phase: the same for every path it serves. */
interface AccessProfile {
  chain: NginxContext[];
  rules: AccessRule[];
  rulesContext?: NginxContext;
  auth?: NginxDirective;
  satisfyAny: boolean;
}

const profiles = new WeakMap<NginxContext, AccessProfile>();

function profileOf(context: NginxContext): AccessProfile {
  let profile = profiles.get(context);
  if (profile) return profile;
  const chain = inheritanceChain(context);
  const { context: rulesContext } = effectiveGroup(chain, ['allow', 'deny']);
  const authBasic = effectiveDirective(chain, 'auth_basic');
  const authRequest = effectiveDirective(chain, 'auth_request');
  const auth = [authBasic, authRequest].find((directive) => directive && directive.args[0]?.value !== 'off');
  const satisfy = effectiveDirective(chain, 'satisfy');
  profile = {
    chain,
    rules: rulesContext ? contextRules(rulesContext) : [],
    ...(rulesContext ? { rulesContext } : {}),
    ...(auth ? { auth } : {}),
    satisfyAny: satisfy?.args[0]?.value === 'any',
  };
  profiles.set(context, profile);
  return profile;
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
  const found = findIn(server.locations, path);
  if (found?.autoRedirect) return { server, chain: profileOf(server).chain, answeredBy: found.location.owner, rules: [], satisfyAny: false, internal: false };
  const location = found?.location;
  const profile = profileOf(location ?? server);
  const answeredBy = unconditionalAnswer(server, location);
  return {
    server,
    ...(location ? { location } : {}),
    chain: profile.chain,
    ...(answeredBy ? { answeredBy } : {}),
    rules: profile.rules,
    ...(profile.rulesContext ? { rulesContext: profile.rulesContext } : {}),
    ...(profile.auth ? { auth: profile.auth } : {}),
    satisfyAny: profile.satisfyAny,
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
