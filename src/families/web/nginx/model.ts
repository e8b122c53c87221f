// The configuration as nginx sees it: contexts (http, server, location, if) with their own directives,
// servers with their listen addresses and names, and locations with their match modifiers.
import type { Span } from '../../../core/types';
import type { SourceText } from '../../../core/source';
import type { NginxDirective } from './syntax';
import type { ParseProblem } from '../../../core/format';
import { text } from '../../../core/check';
import { type UserRegex, compileUserRegex } from '../regex';

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
  /**
   * For `~` and `~*`: the pattern on a linear-time engine, or null when it is not evaluated (a PCRE-only
   * construct): such a location is taken to match nothing, and a note says so.
   */
  regex?: UserRegex | null;
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

  /** Every context, depth first (main, http, servers, their locations and ifs); computed once per model. */
  contexts(): NginxContext[] {
    if (this.allContexts) return this.allContexts;
    const out: NginxContext[] = [];
    const roots = [this.main];
    if (this.http && !this.http.owner) roots.push(this.http);
    for (const server of this.servers) if (server.implied) roots.push(server);
    for (const root of roots) {
      // An explicit stack, children pushed last-first: the same order as a recursive walk, at any depth.
      const stack = [root];
      while (stack.length) {
        const context = stack.pop()!;
        out.push(context);
        for (let index = context.directives.length - 1; index >= 0; index--) {
          const directive = context.directives[index]!;
          const child = directive.block ? childContexts.get(directive) : undefined;
          if (child) stack.push(child);
        }
      }
    }
    this.allContexts = out;
    return out;
  }

  private allContexts: NginxContext[] | undefined;
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
    for (const directive of context.directives) {
      if (directive.block) continue;
      const list = index.get(directive.name);
      if (list) list.push(directive);
      else index.set(directive.name, [directive]);
    }
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
  for (let current: NginxContext | undefined = context; current; current = current.parent) if (current.kind !== 'main') chain.push(current);
  return chain.reverse();
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

/**
 * Contexts nested deeper than this (blocks inside included files inside blocks...) are not modelled: the
 * parser already stops at MAX_BLOCK_DEPTH in one file, and includes can only stack so many of those.
 */
export const MAX_CONTEXT_DEPTH = 200;

/** What one buildConfig call collects (the model is built by one synchronous call at a time). */
interface Building {
  lintedPath: string;
  problems: ParseProblem[];
  servers: NginxServer[];
  /** Contexts whose children are still to be built, with their server and depth: a stack, never a recursion. */
  pending: Array<{ context: NginxContext; server: NginxServer | undefined; depth: number }>;
  tooDeep: boolean;
}

let building: Building = { lintedPath: '', problems: [], servers: [], pending: [], tooDeep: false };

function newContext(kind: ContextKind, owner: NginxDirective | undefined, directives: NginxDirective[], parent: NginxContext | undefined): NginxContext {
  const context: NginxContext = { kind, ...(owner ? { owner } : {}), directives, ...(parent ? { parent } : {}) };
  if (owner) childContexts.set(owner, context);
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
    const length = first.startsWith('^~') || first.startsWith('~*') ? 2 : 1;
    modifier = first.slice(0, length) as LocationModifier;
    patternArg = { ...patternArg!, value: first.slice(length), span: { ...patternArg!.span, start: patternArg!.span.start + length } };
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
  if (modifier === '~' || modifier === '~*') {
    const compiled = compileUserRegex(pattern, modifier === '~*');
    location.regex = compiled.regex ?? null;
    if (compiled.notEvaluated && location.patternSpan.file === building.lintedPath)
      building.problems.push({
        span: location.patternSpan,
        severity: 'info',
        message: text('web.nginx.regex-not-evaluated', { reason: compiled.notEvaluated }),
      });
  }
  childContexts.set(directive, location);
  return location;
}

/** Creates the child contexts of `context` (in file order) and queues them for their own children. */
function buildChildren(context: NginxContext, server: NginxServer | undefined, depth: number): void {
  const children: Array<{ context: NginxContext; server: NginxServer | undefined }> = [];
  for (const directive of context.directives) {
    if (!directive.block) continue;
    if (depth >= MAX_CONTEXT_DEPTH) {
      if (!building.tooDeep && directive.nameSpan.file === building.lintedPath) {
        building.tooDeep = true;
        building.problems.push({
          span: directive.nameSpan,
          message: text('web.nginx.nesting-too-deep', { limit: MAX_CONTEXT_DEPTH }),
        });
      }
      continue;
    }
    if (directive.name === 'location' && server) {
      const location = locationOf(directive, context, server);
      if (context.kind === 'location') (context as NginxLocation).locations.push(location);
      else if (context.kind === 'server') server.locations.push(location);
      children.push({ context: location, server });
    } else if (directive.name === 'if') children.push({ context: newContext('if', directive, directive.block, context), server });
    else if (directive.name === 'limit_except') children.push({ context: newContext('limit_except', directive, directive.block, context), server });
    else if (directive.name === 'server' && context.kind === 'http') {
      const child = serverOf(directive, directive.block, context, false);
      children.push({ context: child, server: child });
    } else if (directive.name === 'http' || directive.name === 'events' || directive.name === 'stream' || directive.name === 'mail')
      children.push({ context: newContext(directive.name === 'http' ? 'http' : 'main', directive, directive.block, context), server: undefined });
    else children.push({ context: newContext('main', directive, directive.block, context), server: undefined });
  }
  // Depth first, in file order: the first child is built next.
  for (let index = children.length - 1; index >= 0; index--) building.pending.push({ ...children[index]!, depth: depth + 1 });
}

/** Builds every context below `root`, depth first, with an explicit stack. */
function buildTree(root: NginxContext, server: NginxServer | undefined): void {
  building.pending.push({ context: root, server, depth: 0 });
  while (building.pending.length) {
    const next = building.pending.pop()!;
    buildChildren(next.context, next.server, next.depth);
  }
}

function serverOf(owner: NginxDirective | undefined, directives: NginxDirective[], parent: NginxContext | undefined, implied: boolean): NginxServer {
  const names: string[] = [];
  const listens: NginxListen[] = [];
  for (const d of directives) {
    if (d.block) continue;
    if (d.name === 'server_name') for (const arg of d.args) names.push(arg.value);
    else if (d.name === 'listen') listens.push(listenOf(d));
  }
  const server: NginxServer = {
    kind: 'server',
    ...(owner ? { owner } : {}),
    directives,
    ...(parent ? { parent } : {}),
    implied,
    names,
    listens,
    locations: [],
    anchor: owner?.nameSpan ?? directives[0]?.nameSpan ?? { file: '', start: 0, end: 0 },
  };
  if (owner) childContexts.set(owner, server);
  building.servers.push(server);
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
  /** Where notes about the linted file go (regexes not evaluated, nesting beyond the limit). */
  problems: ParseProblem[] = [],
): NginxConfig {
  building = { lintedPath, problems, servers: [], pending: [], tooDeep: false };
  let main: NginxContext;
  let http: NginxContext | undefined;
  if (role === 'main' || role === 'other') {
    main = newContext('main', undefined, tree, undefined);
    buildTree(main, undefined);
    http = tree
      .filter((d) => d.name === 'http' && d.block)
      .map((d) => childContexts.get(d))
      .find((c): c is NginxContext => c !== undefined);
  } else if (role === 'http') {
    main = { kind: 'main', directives: [] };
    http = newContext('http', undefined, tree, main);
    buildTree(http, undefined);
  } else {
    main = { kind: 'main', directives: [] };
    http = { kind: 'http', directives: [], parent: main };
    const server = serverOf(undefined, tree, http, true);
    buildTree(server, server);
  }
  const servers = building.servers;
  building = { lintedPath: '', problems: [], servers: [], pending: [], tooDeep: false };
  return new NginxConfig(main, http, servers, sources, unresolved, lintedPath);
}
