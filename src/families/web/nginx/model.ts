// The configuration as nginx sees it: contexts (http, server, location, if) with their own directives,
// servers with their listen addresses and names, and locations with their match modifiers.
import type { Span } from '../../../core/types';
import type { SourceText } from '../../../core/source';
import type { NginxDirective } from './syntax';
import { toJsRegExp } from './regex';

export type ContextKind = 'main' | 'http' | 'server' | 'location' | 'if' | 'limit_except';

export interface NginxContext {
  kind: ContextKind;
  /** The block directive (`server`, `location`, `if`); undefined for main and for an implied server. */
  owner?: NginxDirective;
  /** Own directives, includes expanded, nested blocks not descended. */
  directives: NginxDirective[];
  parent?: NginxContext;
}

export type LocationModifier = '=' | '^~' | '~' | '~*' | '' | '@';

export interface NginxLocation extends NginxContext {
  kind: 'location';
  owner: NginxDirective;
  modifier: LocationModifier;
  pattern: string;
  patternSpan: Span;
  /** For `~` and `~*`: the pattern as a JavaScript RegExp, or null when it cannot be translated. */
  regex?: RegExp | null;
  locations: NginxLocation[];
  server: NginxServer;
}

export interface NginxListen {
  directive: NginxDirective;
  address: string;
  /** False for loopback addresses and unix sockets. */
  reachable: boolean;
}

export interface NginxServer extends NginxContext {
  kind: 'server';
  /** True when the file holds the server's contents without a `server { }` around them (a snippet or template). */
  implied: boolean;
  names: string[];
  listens: NginxListen[];
  locations: NginxLocation[];
  /** The span where server-wide findings go: the `server` keyword, or the first directive of an implied server. */
  anchor: Span;
}

export class NginxConfig {
  constructor(
    readonly main: NginxContext,
    readonly http: NginxContext | undefined,
    readonly servers: NginxServer[],
    readonly sources: Map<string, SourceText>,
    /** Include directives whose target could not be read. */
    readonly unresolvedIncludes: NginxDirective[],
    /** The file being linted (findings elsewhere are dropped by the engine). */
    readonly lintedPath: string,
  ) {}

  sourceOf(file: string): SourceText | undefined {
    return this.sources.get(file);
  }

  /** Every context, depth first (main, http, servers, their locations and ifs). */
  *contexts(): Iterable<NginxContext> {
    const visit = function* (context: NginxContext): Iterable<NginxContext> {
      yield context;
      for (const directive of context.directives)
        if (directive.block) {
          const child = childContexts.get(directive);
          if (child) yield* visit(child);
        }
    };
    yield* visit(this.main);
    if (this.http && !this.http.owner) yield* visit(this.http);
    for (const server of this.servers) if (server.implied) yield* visit(server);
  }
}

/** Child context objects by their block directive, so walks and the request model share one tree. */
const childContexts = new WeakMap<NginxDirective, NginxContext>();

export function contextOf(directive: NginxDirective): NginxContext | undefined {
  return childContexts.get(directive);
}

// A server block may hold thousands of directives and checks ask it about a few names many times:
// its simple (non-block) directives are indexed by name once, in file order.
const simpleDirectives = new WeakMap<NginxContext, Map<string, NginxDirective[]>>();

function simpleByName(context: NginxContext): Map<string, NginxDirective[]> {
  let index = simpleDirectives.get(context);
  if (!index) {
    index = new Map();
    for (const directive of context.directives) if (!directive.block) index.set(directive.name, [...(index.get(directive.name) ?? []), directive]);
    simpleDirectives.set(context, index);
  }
  return index;
}

export function own(context: NginxContext, name: string): NginxDirective[] {
  return simpleByName(context).get(name) ?? [];
}

export function ownBlocks(context: NginxContext, name: string): NginxDirective[] {
  return context.directives.filter((directive) => directive.name === name && directive.block);
}

/** The contexts a request inherits from, outermost first (http, server, location, nested location). */
export function inheritanceChain(context: NginxContext): NginxContext[] {
  const chain: NginxContext[] = [];
  for (let current: NginxContext | undefined = context; current; current = current.parent) if (current.kind !== 'main') chain.unshift(current);
  return chain;
}

/**
 * Array-valued directives of one module (allow/deny, add_header, limit_req) come from the innermost context
 * that has any of them: a context with one of its own does not inherit the others (ngx_http_access_merge_loc_conf).
 */
export function effectiveGroup(chain: NginxContext[], names: readonly string[]): { directives: NginxDirective[]; context?: NginxContext } {
  for (let index = chain.length - 1; index >= 0; index--) {
    const context = chain[index]!;
    const byName = simpleByName(context);
    if (!names.some((name) => byName.has(name))) continue;
    const found = context.directives.filter((directive) => names.includes(directive.name) && !directive.block);
    return { directives: found, context };
  }
  return { directives: [] };
}

/** A single-valued directive as merged: the innermost definition wins. */
export function effectiveDirective(chain: NginxContext[], name: string): NginxDirective | undefined {
  for (let index = chain.length - 1; index >= 0; index--) {
    const found = own(chain[index]!, name);
    if (found.length) return found[found.length - 1];
  }
  return undefined;
}

const LOCAL_LISTEN = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost|unix:)/;

function listenOf(directive: NginxDirective): NginxListen {
  const address = directive.args[0]?.value ?? '';
  return { directive, address, reachable: !LOCAL_LISTEN.test(address) };
}

function buildContext(
  kind: ContextKind,
  owner: NginxDirective | undefined,
  directives: NginxDirective[],
  parent: NginxContext | undefined,
  server?: NginxServer,
): NginxContext {
  const context: NginxContext = { kind, ...(owner ? { owner } : {}), directives, ...(parent ? { parent } : {}) };
  if (owner) childContexts.set(owner, context);
  buildChildren(context, server);
  return context;
}

function locationOf(directive: NginxDirective, parent: NginxContext, server: NginxServer): NginxLocation {
  const args = directive.args;
  let modifier: LocationModifier = '';
  let patternArg = args[0];
  const first = args[0]?.value ?? '';
  if (args.length >= 2 && ['=', '^~', '~', '~*'].includes(first)) {
    modifier = first as LocationModifier;
    patternArg = args[1];
  } else if (first.startsWith('@')) modifier = '@';
  else if (/^(=|\^~|~\*|~)./.test(first) && !patternArg?.quoted) {
    // `location =/x` and `location ~\.php$` are valid: the modifier may touch the pattern.
    const match = /^(=|\^~|~\*|~)(.*)$/.exec(first)!;
    modifier = match[1] as LocationModifier;
    patternArg = { ...patternArg!, value: match[2]!, span: { ...patternArg!.span, start: patternArg!.span.start + match[1]!.length } };
  }
  const pattern = patternArg?.value ?? '';
  const location: NginxLocation = {
    kind: 'location',
    owner: directive,
    directives: directive.block ?? [],
    parent,
    modifier,
    pattern,
    patternSpan: patternArg?.span ?? directive.nameSpan,
    locations: [],
    server,
  };
  if (modifier === '~' || modifier === '~*') location.regex = toJsRegExp(pattern, modifier === '~*');
  childContexts.set(directive, location);
  buildChildren(location, server);
  return location;
}

function buildChildren(context: NginxContext, server: NginxServer | undefined): void {
  for (const directive of context.directives) {
    if (!directive.block) continue;
    if (directive.name === 'location' && server) {
      const location = locationOf(directive, context, server);
      if (context.kind === 'location') (context as NginxLocation).locations.push(location);
      else if (context.kind === 'server') server.locations.push(location);
    } else if (directive.name === 'if') buildContext('if', directive, directive.block, context, server);
    else if (directive.name === 'limit_except') buildContext('limit_except', directive, directive.block, context, server);
    else if (directive.name === 'server' && context.kind === 'http') serverOf(directive, directive.block, context, false);
    else if (directive.name === 'http' || directive.name === 'events' || directive.name === 'stream' || directive.name === 'mail')
      buildContext(directive.name === 'http' ? 'http' : 'main', directive, directive.block, context);
    else buildContext('main', directive, directive.block, context);
  }
}

const allServers: NginxServer[] = [];

function serverOf(owner: NginxDirective | undefined, directives: NginxDirective[], parent: NginxContext | undefined, implied: boolean): NginxServer {
  const server: NginxServer = {
    kind: 'server',
    ...(owner ? { owner } : {}),
    directives,
    ...(parent ? { parent } : {}),
    implied,
    names: directives.filter((d) => d.name === 'server_name' && !d.block).flatMap((d) => d.args.map((arg) => arg.value)),
    listens: directives.filter((d) => d.name === 'listen' && !d.block).map(listenOf),
    locations: [],
    anchor: owner?.nameSpan ?? directives[0]?.nameSpan ?? { file: '', start: 0, end: 0 },
  };
  if (owner) childContexts.set(owner, server);
  allServers.push(server);
  buildChildren(server, server);
  return server;
}

/** What a file holds when it is not a whole nginx.conf: http-level contents, or the inside of a server. */
export type FileRole = 'main' | 'http' | 'server' | 'other';

export function roleOf(tree: NginxDirective[]): FileRole {
  const names = new Set(tree.map((directive) => directive.name));
  if (names.has('http') || names.has('events')) return 'main';
  if (names.has('server')) return 'http';
  if (['location', 'listen', 'server_name', 'root', 'return', 'rewrite', 'allow', 'deny', 'auth_basic'].some((name) => names.has(name))) return 'server';
  return 'other';
}

export function buildConfig(
  tree: NginxDirective[],
  role: FileRole,
  sources: Map<string, SourceText>,
  unresolved: NginxDirective[],
  lintedPath: string,
): NginxConfig {
  allServers.length = 0;
  let main: NginxContext;
  let http: NginxContext | undefined;
  if (role === 'main' || role === 'other') {
    main = buildContext('main', undefined, tree, undefined);
    http = tree
      .filter((d) => d.name === 'http' && d.block)
      .map((d) => childContexts.get(d))
      .find((c): c is NginxContext => c !== undefined);
  } else if (role === 'http') {
    main = { kind: 'main', directives: [] };
    http = buildContext('http', undefined, tree, main);
  } else {
    main = { kind: 'main', directives: [] };
    http = { kind: 'http', directives: [], parent: main };
    serverOf(undefined, tree, http, true);
  }
  const servers = [...allServers];
  allServers.length = 0;
  return new NginxConfig(main, http, servers, sources, unresolved, lintedPath);
}
