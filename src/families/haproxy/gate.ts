// Who gets through a proxy's rules, as address sets. A request is fixed except for the client's address
// (its path, Host header, whether the listener speaks TLS); each condition is then judged for every source
// address at once: `yes` where it surely holds, `no` where it surely does not, and neither where it depends
// on something this model does not follow (a header, a map file, a counter). Rules run as HAProxy runs them
// (tcp-request connection, session, content, then http-request; the first terminal action wins, and
// `allow`/`accept` end their own rule set only), so every address ends in exactly one outcome set.
import { AddressSet, parseRange } from '../../net';
import { reachOf } from '../shared/listen-address';
import type { AclTerm, Bind, Condition, Endpoint, HaproxyConfig, Proxy, Rule, RuleSet } from './model';
import { backendNamed } from './model';

export const EVERYONE = AddressSet.of({ start: 0n, end: (1n << 128n) - 1n });

export interface Truth {
  yes: AddressSet;
  no: AddressSet;
}

const ALWAYS: Truth = { yes: EVERYONE, no: AddressSet.empty };
const NEVER: Truth = { yes: AddressSet.empty, no: EVERYONE };
const UNKNOWN: Truth = { yes: AddressSet.empty, no: AddressSet.empty };
const known = (value: boolean): Truth => (value ? ALWAYS : NEVER);

export interface ProbeRequest {
  /** The path part of the URI (before `?`). */
  path: string;
  /** The query string without `?`, or undefined. */
  query?: string;
  host: string;
  ssl: boolean;
  port?: number;
  /** True once `http-request set-src` has replaced the address with something the client sends. */
  sourceForged?: boolean;
}

export function probeFor(uri: string, host: string, bind: Bind, endpoint: Endpoint): ProbeRequest {
  const mark = uri.indexOf('?');
  return {
    path: mark < 0 ? uri : uri.slice(0, mark),
    ...(mark < 0 ? {} : { query: uri.slice(mark + 1) }),
    host,
    ssl: bind.ssl,
    ...(endpoint.ports ? { port: endpoint.ports[0] } : {}),
  };
}

function not(truth: Truth): Truth {
  return { yes: truth.no, no: truth.yes };
}

function and(a: Truth, b: Truth): Truth {
  return { yes: a.yes.intersect(b.yes), no: a.no.union(b.no) };
}

function or(a: Truth, b: Truth): Truth {
  return { yes: a.yes.union(b.yes), no: a.no.intersect(b.no) };
}

const LOCALHOST = AddressSet.parse(['127.0.0.0/8', '::1']);

function sourceTruth(term: AclTerm, request: ProbeRequest): Truth {
  if (request.sourceForged || term.flags.some((flag) => flag.startsWith('-f') || (flag.startsWith('-m') && flag !== '-m ip'))) return UNKNOWN;
  let set = AddressSet.empty;
  let unresolved = false;
  for (const value of term.values) {
    const parsed = parseRange(value.text);
    if (parsed) set = set.union(AddressSet.of(parsed.range));
    else unresolved = true; // a host name, resolved when HAProxy starts
  }
  return { yes: set, no: unresolved ? AddressSet.empty : EVERYONE.subtract(set) };
}

type Matcher = 'str' | 'beg' | 'end' | 'sub' | 'dir' | 'dom' | 'reg' | 'found';

function matchText(subject: string | undefined, values: string[], matcher: Matcher, caseless: boolean): boolean | undefined {
  if (subject === undefined) return matcher === 'found' ? false : false;
  if (matcher === 'found') return true;
  const fold = (value: string) => (caseless ? value.toLowerCase() : value);
  const target = fold(subject);
  for (const raw of values) {
    const value = fold(raw);
    switch (matcher) {
      case 'str':
        if (target === value) return true;
        break;
      case 'beg':
        if (target.startsWith(value)) return true;
        break;
      case 'end':
        if (target.endsWith(value)) return true;
        break;
      case 'sub':
        if (target.includes(value)) return true;
        break;
      case 'dir':
        if (target.split('/').includes(value.replace(/^\/|\/$/g, ''))) return true;
        break;
      case 'dom':
        if (target.split(/[./]/).includes(value.replace(/^\.|\.$/g, ''))) return true;
        break;
      case 'reg':
        try {
          if (new RegExp(raw, caseless ? 'i' : '').test(subject)) return true;
        } catch {
          return undefined;
        }
        break;
    }
  }
  return false;
}

const SUFFIX_MATCHERS: Record<string, Matcher> = { beg: 'beg', end: 'end', sub: 'sub', dir: 'dir', dom: 'dom', reg: 'reg', len: 'str' };

/** `path_beg`, `hdr_end(host)`, `url`, `req.hdr(host)`: the sample and the match method the name carries. */
function textSample(criterion: string, request: ProbeRequest): { subject: string | undefined; matcher: Matcher } | undefined {
  const match = /^(path|url|base|hdr|req\.hdr)(?:_(beg|end|sub|dir|dom|reg|len))?(?:\(([^),]*)\))?$/i.exec(criterion);
  if (!match) return undefined;
  const [, fetch, suffix, argument] = match;
  const matcher = suffix ? SUFFIX_MATCHERS[suffix.toLowerCase()]! : 'str';
  if (suffix?.toLowerCase() === 'len') return undefined;
  switch (fetch!.toLowerCase()) {
    case 'path':
      return { subject: request.path, matcher };
    case 'url':
      return { subject: request.query === undefined ? request.path : `${request.path}?${request.query}`, matcher };
    case 'base':
      return { subject: `${request.host}${request.path}`, matcher };
    default:
      // Only the Host header is part of the probe; any other header is the client's to choose.
      return argument?.trim().toLowerCase() === 'host' ? { subject: request.host, matcher } : undefined;
  }
}

function termTruth(term: AclTerm, request: ProbeRequest): Truth {
  const criterion = term.criterion;
  if (criterion === 'src') return sourceTruth(term, request);
  if (criterion === 'always_true') return ALWAYS;
  if (criterion === 'always_false') return NEVER;
  if (term.flags.some((flag) => flag.startsWith('-f') || flag.startsWith('-M'))) return UNKNOWN;
  const values = term.values.map((value) => value.text);
  if (criterion === 'ssl_fc') return known(request.ssl);
  // The probe carries no credentials: a user list never recognises it.
  if (/^http_auth(_group)?\(/.test(criterion)) return NEVER;
  if (criterion === 'method') return known(values.includes('GET'));
  if (criterion === 'dst_port') {
    if (request.port === undefined) return UNKNOWN;
    return known(
      values.some((value) => {
        const range = /^(\d+)(?::(\d+))?$/.exec(value);
        return range !== null && request.port! >= Number(range[1]) && request.port! <= Number(range[2] ?? range[1]);
      }),
    );
  }
  const sample = textSample(criterion, request);
  if (!sample) return UNKNOWN;
  const forced = term.flags.find((flag) => flag.startsWith('-m '))?.slice(3) as Matcher | undefined;
  const matcher = forced && ['str', 'beg', 'end', 'sub', 'dir', 'dom', 'reg', 'found'].includes(forced) ? forced : sample.matcher;
  const result = matchText(sample.subject, values, matcher, term.flags.includes('-i'));
  return result === undefined ? UNKNOWN : known(result);
}

function predefinedTruth(name: string, proxy: Proxy | undefined): Truth | undefined {
  switch (name) {
    case 'TRUE':
    case 'HTTP_URL_SLASH':
    case 'METH_GET':
      return ALWAYS;
    case 'FALSE':
    case 'HTTP_URL_ABS':
    case 'HTTP_URL_STAR':
    case 'HTTP_CONTENT':
    case 'METH_CONNECT':
    case 'METH_DELETE':
    case 'METH_HEAD':
    case 'METH_OPTIONS':
    case 'METH_POST':
    case 'METH_PUT':
    case 'METH_TRACE':
      return NEVER;
    case 'HTTP':
      return proxy ? known(proxy.mode === 'http') : UNKNOWN;
    case 'LOCALHOST':
      return { yes: LOCALHOST, no: EVERYONE.subtract(LOCALHOST) };
    default:
      return undefined;
  }
}

/**
 * A named ACL's truth for one request, once: every `use_backend` and rule that names the ACL asks again, and an
 * ACL declared on many lines made that quadratic (a 27 KB file of repeated lines took 8-20 s, fuzz seed 11
 * #21012). A term depends on the request's fields, fixed for a request object, and on `sourceForged`, which a
 * `set-src` may turn on: it is part of the key.
 */
const declaredTruths = new WeakMap<readonly AclTerm[], WeakMap<ProbeRequest, [Truth | undefined, Truth | undefined]>>();
function declaredTruth(declared: readonly AclTerm[], request: ProbeRequest): Truth {
  let byRequest = declaredTruths.get(declared);
  if (!byRequest) declaredTruths.set(declared, (byRequest = new WeakMap()));
  let known = byRequest.get(request);
  if (!known) byRequest.set(request, (known = [undefined, undefined]));
  const slot = request.sourceForged ? 1 : 0;
  return (known[slot] ??= declared.map((item) => termTruth(item, request)).reduce(or, NEVER));
}

export function conditionTruth(condition: Condition | undefined, acls: ReadonlyMap<string, AclTerm[]>, request: ProbeRequest, proxy?: Proxy): Truth {
  if (!condition) return ALWAYS;
  let result = NEVER;
  for (const terms of condition.alternatives) {
    let all = ALWAYS;
    for (const term of terms) {
      let truth: Truth;
      if (term.anonymous) truth = termTruth(term.anonymous, request);
      else {
        const name = term.name!.text;
        const declared = acls.get(name);
        truth = declared ? declaredTruth(declared, request) : (predefinedTruth(name, proxy) ?? UNKNOWN);
      }
      all = and(all, term.negated ? not(truth) : truth);
    }
    result = or(result, all);
  }
  return condition.unless ? not(result) : result;
}

/** Where each source address ends up. */
export interface Outcome {
  /** Reached the destination (the stats page, the servers) with nothing more asked. */
  served: AddressSet;
  /** Asked for a password (`auth`, `stats auth`). */
  authentication: AddressSet;
  /** Refused, redirected or answered by a rule before reaching it. */
  stopped: AddressSet;
  /** Depends on something the model does not follow. */
  unknown: AddressSet;
}

const TERMINAL_STOP = new Set(['deny', 'reject', 'tarpit', 'silent-drop', 'redirect', 'return', 'use-service', 'send-spoe-group']);
const PASS = new Set(['allow', 'accept']);

class Flow {
  served = AddressSet.empty;
  authentication = AddressSet.empty;
  stopped = AddressSet.empty;
  unknown = AddressSet.empty;

  /** Runs one rule set over `pending`; returns the addresses that go on to the next step. */
  run(rules: readonly Rule[], set: RuleSet, pending: AddressSet, request: ProbeRequest, proxy: Proxy): AddressSet {
    let passed = AddressSet.empty;
    for (const rule of rules) {
      if (rule.set !== set || pending.isEmpty()) continue;
      if (rule.action === 'set-src' && !rule.condition) request.sourceForged = true;
      const pass = PASS.has(rule.action);
      const auth = rule.action === 'auth';
      if (!pass && !auth && !TERMINAL_STOP.has(rule.action)) continue;
      const truth = conditionTruth(rule.condition, rule.acls, request, proxy);
      const hit = pending.intersect(truth.yes);
      const maybe = pending.subtract(truth.yes).subtract(truth.no);
      pending = pending.intersect(truth.no);
      this.unknown = this.unknown.union(maybe);
      if (pass) passed = passed.union(hit);
      else if (auth) this.authentication = this.authentication.union(hit);
      else this.stopped = this.stopped.union(hit);
    }
    return pending.union(passed);
  }

  outcome(): Outcome {
    return { served: this.served, authentication: this.authentication, stopped: this.stopped, unknown: this.unknown };
  }
}

const FRONTEND_SETS: readonly RuleSet[] = ['tcp-request connection', 'tcp-request session', 'tcp-request content', 'http-request'];
const BACKEND_SETS: readonly RuleSet[] = ['tcp-request content', 'http-request'];

function runSets(flow: Flow, proxy: Proxy, sets: readonly RuleSet[], pending: AddressSet, request: ProbeRequest): AddressSet {
  for (const set of sets) {
    if (set === 'http-request' && proxy.mode !== 'http') continue;
    pending = flow.run(proxy.rules, set, pending, request, proxy);
  }
  return pending;
}

/** The backends a frontend hands `pending` to (use_backend in order, then default_backend; a listen keeps it). */
function route(config: HaproxyConfig, frontend: Proxy, flow: Flow, pending: AddressSet, request: ProbeRequest): Array<{ backend: Proxy; sources: AddressSet }> {
  const out: Array<{ backend: Proxy; sources: AddressSet }> = [];
  for (const entry of frontend.useBackends) {
    if (pending.isEmpty()) break;
    const truth = conditionTruth(entry.condition, frontend.acls, request, frontend);
    const backend = entry.name.text.includes('%[') ? undefined : backendNamed(config, entry.name.text);
    const hit = pending.intersect(truth.yes);
    flow.unknown = flow.unknown.union(pending.subtract(truth.yes).subtract(truth.no));
    if (backend) out.push({ backend, sources: hit });
    else flow.unknown = flow.unknown.union(hit);
    pending = pending.intersect(truth.no);
  }
  if (pending.isEmpty()) return out;
  const fallback = frontend.defaultBackend ? backendNamed(config, frontend.defaultBackend.name.text) : undefined;
  if (fallback) out.push({ backend: fallback, sources: pending });
  else if (frontend.kind === 'listen') out.push({ backend: frontend, sources: pending });
  else flow.stopped = flow.stopped.union(pending); // 503: no backend
  return out;
}

function statsMatches(proxy: Proxy, request: ProbeRequest): boolean {
  if (!proxy.stats || proxy.mode !== 'http') return false;
  const uri = request.query === undefined ? request.path : `${request.path}?${request.query}`;
  return uri.startsWith(proxy.stats.uri);
}

function statsPage(flow: Flow, proxy: Proxy, pending: AddressSet, request: ProbeRequest): void {
  const stats = proxy.stats!;
  if (stats.rules.length) {
    let rest = pending;
    for (const rule of stats.rules) {
      if (rest.isEmpty()) break;
      const truth = conditionTruth(rule.condition, rule.acls, request, proxy);
      const hit = rest.intersect(truth.yes);
      flow.unknown = flow.unknown.union(rest.subtract(truth.yes).subtract(truth.no));
      rest = rest.intersect(truth.no);
      if (rule.action === 'allow') flow.served = flow.served.union(hit);
      else if (rule.action === 'auth') flow.authentication = flow.authentication.union(hit);
      else flow.stopped = flow.stopped.union(hit);
    }
    flow.served = flow.served.union(rest);
    return;
  }
  if (stats.auth.length) flow.authentication = flow.authentication.union(pending);
  else flow.served = flow.served.union(pending);
}

/** The stats URIs a request to this frontend could hit: its own page and the pages of the backends it uses. */
export function statsUris(config: HaproxyConfig, frontend: Proxy): string[] {
  const uris = new Set<string>();
  if (frontend.stats) uris.add(frontend.stats.uri);
  for (const entry of [...frontend.useBackends, ...(frontend.defaultBackend ? [frontend.defaultBackend] : [])]) {
    const backend = backendNamed(config, entry.name.text);
    if (backend?.stats) uris.add(backend.stats.uri);
  }
  return [...uris];
}

/** Who gets the statistics page of whichever proxy answers `request` on a frontend. */
export function statsOutcome(config: HaproxyConfig, frontend: Proxy, request: ProbeRequest): Outcome & { page?: Proxy } {
  const flow = new Flow();
  let page: Proxy | undefined;
  let pending = runSets(flow, frontend, FRONTEND_SETS, EVERYONE, { ...request });
  if (statsMatches(frontend, request)) {
    statsPage(flow, frontend, pending, request);
    return { ...flow.outcome(), page: frontend };
  }
  for (const { backend, sources } of route(config, frontend, flow, pending, request)) {
    pending = backend === frontend ? sources : runSets(flow, backend, BACKEND_SETS, sources, request);
    if (statsMatches(backend, request)) {
      page ??= backend;
      statsPage(flow, backend, pending, request);
    } else flow.stopped = flow.stopped.union(pending);
  }
  return { ...flow.outcome(), ...(page ? { page } : {}) };
}

/** Who reaches the servers behind a frontend (a TCP connection, or a plain request for `/`), per backend. */
export function serviceOutcome(config: HaproxyConfig, frontend: Proxy, request: ProbeRequest): Array<{ backend: Proxy; outcome: Outcome }> {
  const flow = new Flow();
  const pending = runSets(flow, frontend, FRONTEND_SETS, EVERYONE, { ...request });
  return route(config, frontend, flow, pending, request).map(({ backend, sources }) => {
    const own = new Flow();
    const through = backend === frontend ? sources : runSets(own, backend, BACKEND_SETS, sources, request);
    // A backend whose stats page answers `/` (`stats uri /`) serves the page, not its servers.
    if (statsMatches(backend, request)) own.stopped = own.stopped.union(through);
    else own.served = through;
    own.unknown = own.unknown.union(flow.unknown);
    return { backend, outcome: own.outcome() };
  });
}

/** The Host header values a client could send that the configuration tells apart, and one it does not know. */
export function candidateHosts(config: HaproxyConfig): string[] {
  const hosts = new Set<string>(['unknown.invalid']);
  const visit = (term: AclTerm) => {
    if (!/^(hdr|req\.hdr)(_(beg|end|sub|dom))?\(\s*host\s*\)$/i.test(term.criterion)) return;
    for (const value of term.values) hosts.add(/_end\(/i.test(term.criterion) ? `www${value.text}` : value.text);
  };
  for (const proxy of config.proxies) {
    for (const terms of proxy.acls.values()) terms.forEach(visit);
    const conditions = [...proxy.rules.map((rule) => rule.condition), ...proxy.useBackends.map((entry) => entry.condition)];
    for (const condition of conditions) for (const terms of condition?.alternatives ?? []) for (const term of terms) if (term.anonymous) visit(term.anonymous);
  }
  return [...hosts].slice(0, 32);
}

/** Addresses that can send packets to a listener, or undefined when only this host or a private network can. */
export function listenerReach(endpoint: Endpoint): 'everyone' | undefined {
  if (endpoint.transport !== 'tcp' || endpoint.host === undefined) return undefined;
  const reach = reachOf(endpoint.host === '' ? '*' : endpoint.host);
  return reach === 'all-interfaces' || reach === 'public-address' ? 'everyone' : undefined;
}
