// Who may read a URL path on a virtual host: the URL is mapped to a file (Alias, DocumentRoot) unless proxied,
// the sections that apply are merged in httpd's order (Directory shortest first, DirectoryMatch, Files and
// FilesMatch, Location and LocationMatch), and the last section with access directives decides
// (mod_authz_core: a section's Require block replaces the one before it unless AuthMerging says otherwise).
import type { ApacheDirective } from './syntax';
import type { ApacheConfig, ApacheScope, ApacheSection } from './model';
import { withoutTrailingSlashes } from '../../shared/names';
import { type GlobMatcher, compileFnmatch, hasWildcard } from '../../../core/glob';

/** From most open to closed; `unknown` means nothing in the files read decides it. */
export type ApacheVerdict = 'granted' | 'unknown' | 'authenticated' | 'restricted' | 'denied';

const OPENNESS: ApacheVerdict[] = ['denied', 'restricted', 'authenticated', 'unknown', 'granted'];
const open = (a: ApacheVerdict, b: ApacheVerdict) => (OPENNESS.indexOf(a) >= OPENNESS.indexOf(b) ? a : b);
const closed = (a: ApacheVerdict, b: ApacheVerdict) => (OPENNESS.indexOf(a) <= OPENNESS.indexOf(b) ? a : b);

const ACCESS_NAMES = new Set(['require', 'order', 'allow', 'deny', 'satisfy']);

export function hasAccessDirectives(section: ApacheSection): boolean {
  return section.directives.some((d) => ACCESS_NAMES.has(d.lower)) || (section.directive.children ?? []).some((d) => /^require(any|all|none)$/.test(d.lower));
}

function requireVerdict(directive: ApacheDirective): ApacheVerdict | undefined {
  const args = directive.args.map((arg) => arg.value.toLowerCase());
  if (args[0] === 'not') return undefined;
  switch (args[0]) {
    case 'all':
      return args[1] === 'granted' ? 'granted' : 'denied';
    case 'ip':
    case 'host':
    case 'local':
    case 'forward-dns':
      return 'restricted';
    case 'valid-user':
    case 'user':
    case 'group':
    case 'ldap-user':
    case 'ldap-group':
    case 'ldap-dn':
    case 'ldap-attribute':
    case 'ldap-filter':
    case 'file-owner':
    case 'file-group':
      return 'authenticated';
    default:
      return 'unknown';
  }
}

/** A Require container: several Require lines in a row are an implicit <RequireAny>. */
function containerVerdict(children: ApacheDirective[], all: boolean): ApacheVerdict | undefined {
  let result: ApacheVerdict | undefined;
  for (const child of children) {
    let verdict: ApacheVerdict | undefined;
    if (child.lower === 'require') verdict = requireVerdict(child);
    else if (child.lower === 'requireany') verdict = containerVerdict(child.children ?? [], false);
    else if (child.lower === 'requireall') verdict = containerVerdict(child.children ?? [], true);
    if (verdict === undefined) continue;
    result = result === undefined ? verdict : all ? closed(result, verdict) : open(result, verdict);
  }
  return result;
}

/** mod_access_compat (2.2 style) for a client listed nowhere: Order decides what an unlisted client gets. */
function compatVerdict(directives: ApacheDirective[]): ApacheVerdict | undefined {
  const order =
    directives
      .filter((d) => d.lower === 'order')
      .pop()
      ?.args.map((a) => a.value.toLowerCase())
      .join('') ?? 'deny,allow';
  const allows = directives.filter((d) => d.lower === 'allow');
  const denies = directives.filter((d) => d.lower === 'deny');
  if (!allows.length && !denies.length && !directives.some((d) => d.lower === 'order')) return undefined;
  const fromAll = (list: ApacheDirective[]) => list.some((d) => d.args.slice(1).some((a) => a.value.toLowerCase() === 'all'));
  const allowAll = fromAll(allows);
  const denyAll = fromAll(denies);
  const strangerAllowed = order.startsWith('allow') ? allowAll && !denyAll : !(denyAll && !allowAll);
  if (strangerAllowed) return 'granted';
  return allows.length ? 'restricted' : 'denied';
}

export interface SectionVerdict {
  verdict: ApacheVerdict;
  /** The directive that decides (the last Require, Allow or Order line), for the finding's location. */
  decidingDirective?: ApacheDirective;
}

const verdicts = new WeakMap<ApacheSection, SectionVerdict | null>();

/** The verdict of one section's own access directives, or undefined if it has none (computed once a section). */
export function sectionVerdict(section: ApacheSection): SectionVerdict | undefined {
  let verdict = verdicts.get(section);
  if (verdict === undefined) verdicts.set(section, (verdict = computeSectionVerdict(section) ?? null));
  return verdict ?? undefined;
}

function computeSectionVerdict(section: ApacheSection): SectionVerdict | undefined {
  if (!hasAccessDirectives(section)) return undefined;
  const requires = containerVerdict(section.directive.children ? flattenConditionals(section.directive.children) : [], false);
  const compat = compatVerdict(section.directives);
  const satisfyAny = section.directives.some((d) => d.lower === 'satisfy' && d.args[0]?.value.toLowerCase() === 'any');
  let verdict: ApacheVerdict;
  if (requires !== undefined && compat !== undefined) verdict = satisfyAny ? open(requires, compat) : closed(requires, compat);
  else verdict = requires ?? compat ?? 'unknown';
  const deciding = section.directives.filter((d) => ACCESS_NAMES.has(d.lower)).pop() ?? section.directive;
  return { verdict, decidingDirective: deciding };
}

function flattenConditionals(children: ApacheDirective[]): ApacheDirective[] {
  return children.flatMap((child) =>
    /^if(module|define|version)$/.test(child.lower) && child.children && !(child.args[0]?.value ?? '').startsWith('!')
      ? flattenConditionals(child.children)
      : [child],
  );
}

export interface UrlMapping {
  /** Filesystem path the URL maps to, or undefined when it is proxied or unmapped. */
  file?: string;
  alias?: ApacheDirective;
  proxiedBy?: ApacheDirective;
}

function trimSlash(path: string): string {
  return path.length > 1 ? withoutTrailingSlashes(path) : path;
}

export function mapUrl(config: ApacheConfig, scope: ApacheScope, url: string): UrlMapping {
  const lists = scope === config.global ? [scope.directives] : [scope.directives, config.global.directives];
  for (const list of lists) {
    for (const directive of list) {
      if (directive.lower === 'proxypass' && directive.args.length >= 2 && directive.args[1]!.value !== '!' && url.startsWith(directive.args[0]!.value))
        return { proxiedBy: directive };
      if ((directive.lower === 'alias' || directive.lower === 'scriptalias') && directive.args.length >= 2) {
        const from = directive.args[0]!.value;
        if (url === trimSlash(from) || url.startsWith(from.endsWith('/') ? from : `${from}/`) || url === from)
          return { file: directive.args[1]!.value.replace(/\/$/, '') + url.slice(trimSlash(from).length), alias: directive };
      }
    }
  }
  const root = config.serverValue(scope, 'documentroot')?.args[0]?.value;
  return root ? { file: root.replace(/\/$/, '') + url } : {};
}

/**
 * httpd's wildcards for <Directory> (ap_directory_walk): the folder's path, cut after as many components as the
 * pattern has, matched with apr_fnmatch and FNM_PATHNAME (`*` and `?` stop at '/', `[...]` is a class, an
 * unclosed `[` is an ordinary character). Matched by an automaton, never by a regular expression.
 */
function wildcardApplies(section: ApacheSection, file: string, folder: string): boolean {
  let matcher = wildcardMatchers.get(section);
  if (!matcher) wildcardMatchers.set(section, (matcher = compileFnmatch(folder, { pathname: true })));
  let slashes = 0;
  for (let index = 0; index < folder.length; index++) if (folder.charCodeAt(index) === 47) slashes++;
  // The first `slashes + 1` components of the file's path (the part the pattern can match).
  let cut = 0;
  let seen = 0;
  while (cut < file.length) {
    if (file.charCodeAt(cut) === 47 && ++seen > slashes) break;
    cut++;
  }
  return matcher.test(file.slice(0, cut));
}

const wildcardMatchers = new WeakMap<ApacheSection, GlobMatcher>();

function directoryApplies(section: ApacheSection, file: string): boolean {
  if (section.kind === 'htaccess') return true;
  if (section.kind === 'directorymatch') return section.regex?.test(file) ?? false;
  const folder = trimSlash(section.pattern);
  if (hasWildcard(folder)) return wildcardApplies(section, file, folder);
  return folder === '/' || file === folder || file.startsWith(`${folder}/`);
}

/** Sections that apply to `url` on `scope`, in httpd's merge order. */
export function applicableSections(config: ApacheConfig, scope: ApacheScope, url: string): ApacheSection[] {
  const mapping = mapUrl(config, scope, url);
  const scopes = scope === config.global ? [config.global] : [config.global, scope];
  const top = scopes.flatMap((s) => s.sections);
  const out: ApacheSection[] = [];
  if (mapping.file !== undefined) {
    const file = mapping.file;
    const directories = top.filter((s) => (s.kind === 'directory' || s.kind === 'htaccess') && directoryApplies(s, file));
    directories.sort((a, b) => trimSlash(a.pattern).split('/').length - trimSlash(b.pattern).split('/').length);
    out.push(...directories, ...top.filter((s) => s.kind === 'directorymatch' && directoryApplies(s, file)));
    const base = file.slice(file.lastIndexOf('/') + 1);
    const nestedFiles = out.flatMap((s) => s.sections);
    for (const s of [...top, ...nestedFiles]) if ((s.kind === 'files' && s.pattern === base) || (s.kind === 'filesmatch' && s.regex?.test(base))) out.push(s);
  }
  for (const s of top) {
    if (s.kind === 'location' && (url === trimSlash(s.pattern) || url.startsWith(s.pattern.endsWith('/') ? s.pattern : `${s.pattern}/`) || url === s.pattern))
      out.push(s);
    else if (s.kind === 'locationmatch' && s.regex?.test(url)) out.push(s);
  }
  return out;
}

export interface UrlAccess extends SectionVerdict {
  mapping: UrlMapping;
  decidingSection?: ApacheSection;
}

/** The access verdict for a stranger requesting `url`: the last applicable section with access directives. */
export function accessFor(config: ApacheConfig, scope: ApacheScope, url: string): UrlAccess {
  const mapping = mapUrl(config, scope, url);
  let result: UrlAccess = { verdict: 'unknown', mapping };
  for (const section of applicableSections(config, scope, url)) {
    const verdict = sectionVerdict(section);
    if (verdict) result = { ...verdict, mapping, decidingSection: section };
  }
  return result;
}
