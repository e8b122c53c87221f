// The proxies of a haproxy.cfg as HAProxy builds them: each frontend, backend and listen section with the
// settings it takes from its defaults section (the last one above it, or the one named by `from`), its
// listening addresses, ACLs, rule sets, statistics page and servers; and the global runtime API sockets.
import type { Span } from '../../core/types';
import type { ParseProblem } from '../../core/format';
import type { SourceText } from '../../core/source';
import { text } from '../../core/check';
import type { HaproxyFile, HaproxyLine, HaproxySection, HaproxyWord } from './config';

export type ProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';

/** One address of a `bind` or `stats socket` line. */
export interface Endpoint {
  /** The address as written (one comma-separated part of the word). */
  text: string;
  span: Span;
  transport: 'tcp' | 'unix' | 'other';
  /** For TCP: the host part ('' when left out: every IPv4 address). */
  host?: string;
  /** For TCP: the first and last port. */
  ports?: [number, number];
}

export interface Bind {
  line: HaproxyLine;
  endpoints: Endpoint[];
  /** `ssl` among the bind's parameters: clients talk TLS on it. */
  ssl: boolean;
}

export interface AclTerm {
  /** The fetch as written (`src`, `path_beg`, `hdr(host)`...). */
  criterion: string;
  /** Flags before the values (-i, -m ip, -f file...). */
  flags: string[];
  values: HaproxyWord[];
  span: Span;
}

/** A reference to a named ACL or an anonymous one (`{ src 10.0.0.0/8 }`), possibly negated. */
export interface ConditionTerm {
  negated: boolean;
  name?: HaproxyWord;
  anonymous?: AclTerm;
}

export interface Condition {
  /** `unless` inverts the whole condition. */
  unless: boolean;
  /** A disjunction of conjunctions (`a b or c` is [[a, b], [c]]). */
  alternatives: ConditionTerm[][];
  span: Span;
}

export type RuleSet = 'tcp-request connection' | 'tcp-request session' | 'tcp-request content' | 'http-request' | 'stats http-request';

export interface Rule {
  set: RuleSet;
  /** The named ACLs of the section the rule is written in (a defaults section's are its own). */
  acls: ReadonlyMap<string, AclTerm[]>;
  /** The action word (`deny`, `allow`, `auth`, `redirect`...). */
  action: string;
  line: HaproxyLine;
  condition?: Condition;
}

export interface StatsSettings {
  /** Lines that turn the page on (`stats enable`, `stats uri`, `stats auth`...), own or inherited. */
  enabledBy: HaproxyLine[];
  uri: string;
  uriLine?: HaproxyLine;
  /** `stats auth` lines: the page asks for a password. */
  auth: HaproxyLine[];
  /** `stats admin` conditions (the page can switch servers off). */
  admin: Array<{ line: HaproxyLine; condition?: Condition }>;
  rules: Rule[];
}

export interface Server {
  line: HaproxyLine;
  name?: string;
  address?: HaproxyWord;
  host?: string;
  port?: number;
}

export interface BackendSwitch {
  line: HaproxyLine;
  name: HaproxyWord;
  condition?: Condition;
}

export interface Proxy {
  kind: ProxyKind;
  section: HaproxySection;
  name?: string;
  /** The defaults section this proxy takes its settings from. */
  defaults?: Proxy;
  mode: 'http' | 'tcp' | 'other';
  modeLine?: HaproxyLine;
  binds: Bind[];
  /** Named ACLs: several lines with one name are alternatives (OR). */
  acls: Map<string, AclTerm[]>;
  /** tcp-request and http-request rules, the defaults section's first (named defaults only). */
  rules: Rule[];
  stats?: StatsSettings;
  servers: Server[];
  useBackends: BackendSwitch[];
  defaultBackend?: BackendSwitch;
}

export interface StatsSocket {
  line: HaproxyLine;
  endpoint: Endpoint;
  level: 'user' | 'operator' | 'admin';
  levelWord?: HaproxyWord;
  /** The unix socket's permission bits, from `mode` on the line (undefined: the umask decides). */
  mode?: number;
  modeWord?: HaproxyWord;
}

export interface HaproxyConfig {
  source: SourceText;
  file: HaproxyFile;
  proxies: Proxy[];
  statsSockets: StatsSocket[];
}

const HAS_FRONTEND: ReadonlySet<ProxyKind> = new Set(['frontend', 'listen']);

export function hasFrontend(proxy: Proxy): boolean {
  return HAS_FRONTEND.has(proxy.kind);
}

export function proxyLabel(proxy: Proxy): string {
  return `${proxy.kind} ${proxy.name ?? ''}`.trim();
}

/** `ipv4@1.2.3.4:80`, `:80`, `*:80-81`, `[::]:80`, `/run/x.sock`, `unix@x`, `abns@x`, `fd@3`. */
export function parseEndpoint(written: string, span: Span): Endpoint {
  const prefix = /^([a-z0-9]+)@/i.exec(written);
  const family = prefix?.[1]?.toLowerCase();
  const rest = prefix ? written.slice(prefix[0].length) : written;
  if (family === 'unix' || (!family && rest.startsWith('/'))) return { text: written, span, transport: 'unix' };
  if (family && !['ipv4', 'ipv6', 'tcp', 'tcp4', 'tcp6'].includes(family)) return { text: written, span, transport: 'other' };
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return { text: written, span, transport: 'other' };
  const host = rest.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const portText = rest.slice(colon + 1);
  const range = /^(\d+)(?:-(\d+))?$/.exec(portText);
  const ports: [number, number] | undefined = range ? [Number(range[1]), Number(range[2] ?? range[1])] : undefined;
  return { text: written, span, transport: 'tcp', host, ...(ports ? { ports } : {}) };
}

/** Comma-separated endpoints of one word, each with its own span (valid when the word is unquoted). */
function endpointsOf(word: HaproxyWord): Endpoint[] {
  if (word.quoted) return [parseEndpoint(word.text, word.span)];
  const out: Endpoint[] = [];
  let offset = 0;
  for (const part of word.text.split(',')) {
    const start = word.span.start + offset;
    offset += part.length + 1;
    if (part) out.push(parseEndpoint(part, { file: word.span.file, start, end: start + part.length }));
  }
  return out;
}

const ACL_FLAGS_WITH_VALUE = new Set(['-f', '-m', '-M']);

/** `criterion [flags] values...` of an `acl` line (after the name) or of an anonymous ACL. */
function aclTerm(words: HaproxyWord[], span: Span): AclTerm | undefined {
  const [criterion, ...rest] = words;
  if (!criterion) return undefined;
  const flags: string[] = [];
  let index = 0;
  while (index < rest.length && rest[index]!.text.startsWith('-')) {
    const flag = rest[index]!.text;
    index++;
    if (flag === '--') break;
    if (ACL_FLAGS_WITH_VALUE.has(flag) && rest[index]) flags.push(`${flag} ${rest[index++]!.text}`);
    else flags.push(flag);
  }
  return { criterion: criterion.text, flags, values: rest.slice(index), span };
}

/** The words after `if`/`unless` as a disjunction of conjunctions; undefined (with a problem) when braces do not close. */
export function parseCondition(words: HaproxyWord[], unless: boolean, problems: ParseProblem[], acls: ReadonlyMap<string, AclTerm[]>): Condition | undefined {
  const alternatives: ConditionTerm[][] = [[]];
  let index = 0;
  while (index < words.length) {
    const word = words[index]!;
    if (word.text === 'or' || word.text === '||') {
      alternatives.push([]);
      index++;
      continue;
    }
    let negated = false;
    let body = word.text;
    let current = word;
    if (body === '!') {
      negated = true;
      index++;
      current = words[index]!;
      if (!current) break;
      body = current.text;
    } else if (body.startsWith('!')) {
      negated = true;
      body = body.slice(1);
    }
    if (body === '{' && !current.quoted) {
      // The first unquoted `}` after the brace, searched from the brace on (not from the first word each time).
      let close = index + 1;
      while (close < words.length && (words[close]!.text !== '}' || words[close]!.quoted)) close++;
      if (close >= words.length) close = -1;
      if (close < 0) {
        problems.push({ span: current.span, message: text('haproxy.unclosed-brace') });
        return undefined;
      }
      const inner = words.slice(index + 1, close);
      const span = { file: current.span.file, start: current.span.start, end: words[close]!.span.end };
      const anonymous = aclTerm(inner, span);
      if (anonymous) alternatives[alternatives.length - 1]!.push({ negated, anonymous });
      index = close + 1;
      continue;
    }
    const name = body === word.text ? current : { ...current, text: body, span: { ...current.span, start: current.span.start + 1 } };
    // An ACL must be declared above the rule that names it (HAProxy resolves names while it reads the line).
    if (!acls.has(name.text) && !PREDEFINED_ACLS.has(name.text)) problems.push({ span: name.span, message: text('haproxy.unknown-acl', { name: name.text }) });
    alternatives[alternatives.length - 1]!.push({ negated, name });
    index++;
  }
  const first = words[0];
  const last = words[words.length - 1];
  const span = first && last ? { file: first.span.file, start: first.span.start, end: last.span.end } : { file: '', start: 0, end: 0 };
  return { unless, alternatives: alternatives.filter((terms) => terms.length > 0), span };
}

/** Splits `<action words...> [if|unless <condition>]`. */
function splitCondition(
  words: HaproxyWord[],
  problems: ParseProblem[],
  acls: ReadonlyMap<string, AclTerm[]>,
): { action: HaproxyWord[]; condition?: Condition } {
  const at = words.findIndex((word) => !word.quoted && (word.text === 'if' || word.text === 'unless'));
  if (at < 0) return { action: words };
  const condition = parseCondition(words.slice(at + 1), words[at]!.text === 'unless', problems, acls);
  return { action: words.slice(0, at), ...(condition ? { condition } : {}) };
}

const DEFAULT_STATS_URI = '/haproxy?stats';

function emptyProxy(kind: ProxyKind, section: HaproxySection, defaults: Proxy | undefined): Proxy {
  const inherited = defaults?.stats;
  return {
    kind,
    section,
    ...(section.name ? { name: section.name.text } : {}),
    ...(defaults ? { defaults } : {}),
    mode: defaults?.mode ?? 'tcp',
    ...(defaults?.modeLine ? { modeLine: defaults.modeLine } : {}),
    binds: [],
    acls: new Map(),
    // Rules of a named defaults section run before the proxy's own (2.5+); anonymous ones cannot hold any.
    rules: defaults && defaults.name ? [...defaults.rules] : [],
    // `stats` settings of the defaults apply to every proxy that uses them, until the proxy sets its own.
    ...(inherited ? { stats: { ...inherited, enabledBy: [...inherited.enabledBy], auth: [...inherited.auth], admin: [], rules: [] } } : {}),
    servers: [],
    useBackends: [],
    ...(defaults?.defaultBackend ? { defaultBackend: defaults.defaultBackend } : {}),
  };
}

function statsOf(proxy: Proxy): StatsSettings {
  if (!proxy.stats) proxy.stats = { enabledBy: [], uri: DEFAULT_STATS_URI, auth: [], admin: [], rules: [] };
  return proxy.stats;
}

function readStats(proxy: Proxy, line: HaproxyLine, problems: ParseProblem[]): void {
  const [, sub, ...args] = line.words;
  if (!sub) return;
  const stats = statsOf(proxy);
  switch (sub.text) {
    case 'enable':
    case 'realm':
    case 'refresh':
    case 'scope':
    case 'hide-version':
    case 'show-desc':
    case 'show-legends':
    case 'show-modules':
    case 'show-node':
      stats.enabledBy.push(line);
      return;
    case 'uri':
      stats.enabledBy.push(line);
      if (args[0]) {
        stats.uri = args[0].text;
        stats.uriLine = line;
      }
      return;
    case 'auth':
      stats.enabledBy.push(line);
      stats.auth.push(line);
      return;
    case 'admin': {
      const { condition } = splitCondition(line.words.slice(2), problems, proxy.acls);
      stats.admin.push({ line, ...(condition ? { condition } : {}) });
      return;
    }
    case 'http-request': {
      const { action, condition } = splitCondition(line.words.slice(2), problems, proxy.acls);
      stats.rules.push({ set: 'stats http-request', acls: proxy.acls, action: action[0]?.text ?? '', line, ...(condition ? { condition } : {}) });
      return;
    }
    default:
      return;
  }
}

function readProxyLine(proxy: Proxy, line: HaproxyLine, problems: ParseProblem[]): void {
  const words = line.words;
  switch (line.keyword) {
    case 'mode': {
      const value = words[1]?.text;
      proxy.mode = value === 'http' || value === 'tcp' ? value : 'other';
      proxy.modeLine = line;
      return;
    }
    case 'bind': {
      const addressWords: HaproxyWord[] = [];
      // `bind a:1, b:2` and `bind a:1,b:2`: address words run while the previous one ends with a comma.
      for (const word of words.slice(1)) {
        if (addressWords.length && !addressWords[addressWords.length - 1]!.text.endsWith(',') && !word.text.startsWith(',')) break;
        addressWords.push(word);
      }
      const params = words.slice(1 + addressWords.length).map((word) => word.text);
      proxy.binds.push({ line, endpoints: addressWords.flatMap(endpointsOf), ssl: params.includes('ssl') });
      return;
    }
    case 'acl': {
      const name = words[1];
      const term = name ? aclTerm(words.slice(2), line.span) : undefined;
      if (name && term) proxy.acls.set(name.text, [...(proxy.acls.get(name.text) ?? []), term]);
      return;
    }
    case 'http-request':
    case 'tcp-request': {
      const isTcp = line.keyword === 'tcp-request';
      const kind = isTcp ? words[1]?.text : undefined;
      if (isTcp && kind !== 'connection' && kind !== 'session' && kind !== 'content') return; // inspect-delay
      const { action, condition } = splitCondition(words.slice(isTcp ? 2 : 1), problems, proxy.acls);
      const set: RuleSet = isTcp ? (`tcp-request ${kind}` as RuleSet) : 'http-request';
      proxy.rules.push({ set, acls: proxy.acls, action: action[0]?.text ?? '', line, ...(condition ? { condition } : {}) });
      return;
    }
    case 'stats':
      readStats(proxy, line, problems);
      return;
    case 'server': {
      const address = words[2];
      const endpoint = address ? parseEndpoint(address.text, address.span) : undefined;
      const port = endpoint?.ports?.[0];
      proxy.servers.push({
        line,
        ...(words[1] ? { name: words[1].text } : {}),
        ...(address ? { address } : {}),
        ...(endpoint?.host !== undefined ? { host: endpoint.host } : {}),
        ...(port !== undefined ? { port } : {}),
      });
      return;
    }
    case 'use_backend': {
      const { action, condition } = splitCondition(words.slice(1), problems, proxy.acls);
      if (action[0]) proxy.useBackends.push({ line, name: action[0], ...(condition ? { condition } : {}) });
      return;
    }
    case 'default_backend':
      if (words[1]) proxy.defaultBackend = { line, name: words[1] };
      return;
    default:
      return;
  }
}

function octal(word: HaproxyWord | undefined): number | undefined {
  return word && /^[0-7]{1,4}$/.test(word.text) ? parseInt(word.text, 8) : undefined;
}

function readGlobal(section: HaproxySection): StatsSocket[] {
  const out: StatsSocket[] = [];
  for (const line of section.lines) {
    if (line.keyword !== 'stats' || line.words[1]?.text !== 'socket' || !line.words[2]) continue;
    const address = line.words[2];
    const param = (name: string) => {
      const at = line.words.findIndex((word, index) => index > 2 && word.text === name);
      return at >= 0 ? line.words[at + 1] : undefined;
    };
    const levelWord = param('level');
    const level = levelWord?.text === 'user' || levelWord?.text === 'admin' ? levelWord.text : 'operator';
    // `unix-bind mode` does not reach the stats socket: HAProxy 2.6 creates it with the umask's permissions.
    const modeWord = param('mode');
    const mode = octal(modeWord);
    out.push({
      line,
      endpoint: parseEndpoint(address.text, address.span),
      level,
      ...(levelWord ? { levelWord } : {}),
      ...(mode !== undefined ? { mode } : {}),
      ...(modeWord ? { modeWord } : {}),
    });
  }
  return out;
}

export function buildConfig(file: HaproxyFile, problems: ParseProblem[]): HaproxyConfig {
  const proxies: Proxy[] = [];
  const statsSockets: StatsSocket[] = [];
  const namedDefaults = new Map<string, Proxy>();
  let lastDefaults: Proxy | undefined;
  for (const section of file.sections) {
    if (section.kind === 'global') {
      statsSockets.push(...readGlobal(section));
      continue;
    }
    if (section.kind !== 'defaults' && section.kind !== 'frontend' && section.kind !== 'backend' && section.kind !== 'listen') continue;
    const fromAt = section.header.words.findIndex((word, index) => index >= 1 && word.text === 'from');
    const fromName = fromAt >= 0 ? section.header.words[fromAt + 1]?.text : undefined;
    const base = fromName !== undefined ? namedDefaults.get(fromName) : lastDefaults;
    if (fromName !== undefined && !base)
      problems.push({ span: section.header.words[fromAt + 1]!.span, message: text('haproxy.unknown-defaults', { name: fromName }) });
    const proxy = emptyProxy(section.kind, section, base);
    for (const line of section.lines) readProxyLine(proxy, line, problems);
    if (section.kind === 'defaults') {
      lastDefaults = proxy;
      if (proxy.name) namedDefaults.set(proxy.name, proxy);
    } else proxies.push(proxy);
  }
  checkReferences(proxies, problems);
  return { source: file.source, file, proxies, statsSockets };
}

/** Names HAProxy resolves at start-up: ACLs in conditions, and backends in use_backend/default_backend. */
const PREDEFINED_ACLS = new Set([
  'FALSE',
  'HTTP',
  'HTTP_1.0',
  'HTTP_1.1',
  'HTTP_2.0',
  'HTTP_CONTENT',
  'HTTP_URL_ABS',
  'HTTP_URL_SLASH',
  'HTTP_URL_STAR',
  'LOCALHOST',
  'METH_CONNECT',
  'METH_DELETE',
  'METH_GET',
  'METH_HEAD',
  'METH_OPTIONS',
  'METH_POST',
  'METH_PUT',
  'METH_TRACE',
  'RDP_COOKIE',
  'REQ_CONTENT',
  'TRUE',
  'WAIT_END',
]);

function checkReferences(proxies: Proxy[], problems: ParseProblem[]): void {
  const backends = new Set(proxies.filter((proxy) => proxy.kind === 'backend' || proxy.kind === 'listen').map((proxy) => proxy.name));
  for (const proxy of proxies)
    for (const entry of [...proxy.useBackends, ...(proxy.defaultBackend ? [proxy.defaultBackend] : [])])
      if (!entry.name.text.includes('%[') && !backends.has(entry.name.text) && proxy.kind !== 'backend')
        problems.push({ span: entry.name.span, message: text('haproxy.unknown-backend', { name: entry.name.text }) });
  // A defaults section with tcp-request/http-request rules serves either frontends or backends, not both.
  const users = new Map<Proxy, Set<string>>();
  for (const proxy of proxies) {
    const defaults = proxy.defaults;
    if (!defaults || !defaults.rules.length) continue;
    const sides = users.get(defaults) ?? new Set<string>();
    if (proxy.kind !== 'backend') sides.add('frontend');
    if (proxy.kind !== 'frontend') sides.add('backend');
    users.set(defaults, sides);
    if (sides.size > 1) problems.push({ span: proxy.section.header.span, message: text('haproxy.defaults-rules-shared', { name: defaults.name ?? '' }) });
  }
}

/** The backend (or listen) section named `name`. */
// Backends by name, the first written winning (as a linear search would find it); built once per proxy list.
const backendsByName = new WeakMap<Proxy[], Map<string | undefined, Proxy>>();

export function backendNamed(config: HaproxyConfig, name: string): Proxy | undefined {
  let byName = backendsByName.get(config.proxies);
  if (!byName) {
    byName = new Map();
    for (const proxy of config.proxies) if ((proxy.kind === 'backend' || proxy.kind === 'listen') && !byName.has(proxy.name)) byName.set(proxy.name, proxy);
    backendsByName.set(config.proxies, byName);
  }
  return byName.get(name);
}
