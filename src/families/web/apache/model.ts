// Apache's configuration as httpd merges it: the main server and virtual hosts, each with per-directory
// sections (Directory, DirectoryMatch, Files, FilesMatch, Location, LocationMatch) and their directives.
// <IfModule>, <IfDefine>, <IfVersion> and <IfFile> are read as active except `<IfModule !module>`:
// the modules a site uses are assumed loaded, so compatibility blocks for missing modules stay inactive.
import type { SourceText } from '../../../core/source';
import type { ParseProblem } from '../../../core/format';
import { text } from '../../../core/check';
import type { ApacheDirective } from './syntax';
import { type UserRegex, compileUserRegex } from '../regex';

export type SectionKind = 'directory' | 'directorymatch' | 'files' | 'filesmatch' | 'location' | 'locationmatch' | 'proxy' | 'htaccess';

export interface ApacheSection {
  kind: SectionKind;
  directive: ApacheDirective;
  pattern: string;
  /** For *Match sections and `~`: the pattern on a linear-time engine; absent when it is not evaluated (a note says why). */
  regex?: UserRegex;
  directives: ApacheDirective[];
  sections: ApacheSection[];
  vhost?: ApacheVHost;
  parent?: ApacheSection;
}

export interface ApacheScope {
  /** Directives that are not inside a per-directory section. */
  directives: ApacheDirective[];
  sections: ApacheSection[];
}

export interface ApacheVHost extends ApacheScope {
  directive: ApacheDirective;
  addresses: string[];
  names: string[];
}

export class ApacheConfig {
  constructor(
    readonly global: ApacheScope,
    readonly vhosts: ApacheVHost[],
    readonly sources: Map<string, SourceText>,
    readonly lintedPath: string,
    /** True when the server-wide configuration (apache2.conf / httpd.conf) was found and read. */
    readonly hasMainConfig: boolean,
  ) {}

  /** Every scope with sections: the main server, then each virtual host. */
  get scopes(): ApacheScope[] {
    return [this.global, ...this.vhosts];
  }

  /** Every section, nested ones included. */
  *allSections(): Iterable<ApacheSection> {
    const visit = function* (sections: ApacheSection[]): Iterable<ApacheSection> {
      for (const section of sections) {
        yield section;
        yield* visit(section.sections);
      }
    };
    for (const scope of this.scopes) yield* visit(scope.sections);
  }

  /** Directive `name` (lower case) in a scope, then in the main server (a virtual host inherits it). */
  serverValue(scope: ApacheScope, name: string): ApacheDirective | undefined {
    const pick = (list: ApacheDirective[]) => list.filter((directive) => directive.lower === name).pop();
    return pick(scope.directives) ?? (scope === this.global ? undefined : pick(this.global.directives));
  }
}

const SECTION_KINDS: Record<string, SectionKind> = {
  directory: 'directory',
  directorymatch: 'directorymatch',
  files: 'files',
  filesmatch: 'filesmatch',
  location: 'location',
  locationmatch: 'locationmatch',
  proxy: 'proxy',
  proxymatch: 'proxy',
};

const CONDITIONALS = new Set(['ifmodule', 'ifdefine', 'ifversion', 'iffile', 'ifdirective', 'ifsection', 'if', 'elseif', 'else']);

function isActive(directive: ApacheDirective): boolean {
  if (directive.lower !== 'ifmodule') return true;
  return !(directive.args[0]?.value ?? '').startsWith('!');
}

/** What one buildApacheConfig call collects (one synchronous call at a time). */
let building: { lintedPath: string; problems: ParseProblem[] } = { lintedPath: '', problems: [] };

/** Sections inside sections (across included files) deeper than this are not modelled; the parser stops sooner. */
export const MAX_MODEL_DEPTH = 200;

function regexOf(directive: ApacheDirective, pattern: string, caseless: boolean): UserRegex | undefined {
  let start = 0;
  if (pattern.startsWith('~')) {
    start = 1;
    while (start < pattern.length && (pattern[start] === ' ' || pattern[start] === '\t')) start++;
  }
  const compiled = compileUserRegex(pattern.slice(start), caseless);
  if (compiled.notEvaluated && directive.span.file === building.lintedPath)
    building.problems.push({
      span: directive.args[directive.args.length - 1]?.span ?? directive.nameSpan,
      severity: 'info',
      message: text('web.apache.regex-not-evaluated', { section: directive.name, reason: compiled.notEvaluated }),
    });
  return compiled.regex;
}

function sectionOf(
  directive: ApacheDirective,
  kind: SectionKind,
  vhost: ApacheVHost | undefined,
  parent: ApacheSection | undefined,
  depth: number,
): ApacheSection {
  const first = directive.args[0]?.value ?? '';
  const tilde = first === '~';
  const pattern = tilde ? (directive.args[1]?.value ?? '') : first;
  const isRegex = kind.endsWith('match') || tilde;
  const effectiveKind: SectionKind = isRegex && !kind.endsWith('match') && kind !== 'proxy' ? (`${kind}match` as SectionKind) : kind;
  const section: ApacheSection = {
    kind: effectiveKind,
    directive,
    pattern,
    directives: [],
    sections: [],
    ...(vhost ? { vhost } : {}),
    ...(parent ? { parent } : {}),
  };
  if (isRegex) {
    const regex = regexOf(directive, pattern, kind.startsWith('files'));
    if (regex) section.regex = regex;
  }
  collect(directive.children ?? [], section, vhost, section, undefined, depth + 1);
  return section;
}

function collect(
  list: ApacheDirective[],
  into: { directives: ApacheDirective[]; sections: ApacheSection[] },
  vhost: ApacheVHost | undefined,
  parent: ApacheSection | undefined,
  vhosts?: ApacheVHost[],
  depth = 0,
): void {
  for (const directive of list) {
    if (!directive.children) {
      into.directives.push(directive);
      continue;
    }
    if (depth >= MAX_MODEL_DEPTH) continue;
    if (CONDITIONALS.has(directive.lower)) {
      if (isActive(directive)) collect(directive.children, into, vhost, parent, vhosts, depth + 1);
      continue;
    }
    if (directive.lower === 'virtualhost' && vhosts) {
      const host: ApacheVHost = { directive, addresses: directive.args.map((arg) => arg.value), names: [], directives: [], sections: [] };
      collect(directive.children, host, host, undefined, undefined, depth + 1);
      host.names = host.directives.filter((d) => d.lower === 'servername' || d.lower === 'serveralias').flatMap((d) => d.args.map((arg) => arg.value));
      vhosts.push(host);
      continue;
    }
    const kind = SECTION_KINDS[directive.lower];
    if (kind) into.sections.push(sectionOf(directive, kind, vhost, parent, depth));
    else if (directive.lower === 'limit' || directive.lower === 'limitexcept')
      continue; // method-specific: not the GET a visitor sends
    else collect(directive.children, into, vhost, parent, vhosts, depth + 1);
  }
}

export function buildApacheConfig(
  tree: ApacheDirective[],
  sources: Map<string, SourceText>,
  lintedPath: string,
  hasMainConfig: boolean,
  htaccessFolder?: string,
  /** Where notes about the linted file go (regular expressions not evaluated). */
  problems: ParseProblem[] = [],
): ApacheConfig {
  building = { lintedPath, problems };
  const global: ApacheScope = { directives: [], sections: [] };
  const vhosts: ApacheVHost[] = [];
  if (htaccessFolder !== undefined) {
    // .htaccess: its directives act as a <Directory> for the folder it sits in.
    const owner: ApacheDirective = {
      name: 'Directory',
      lower: 'directory',
      nameSpan: { file: lintedPath, start: 0, end: 0 },
      args: [],
      span: { file: lintedPath, start: 0, end: 0 },
      children: tree,
    };
    const section: ApacheSection = { kind: 'htaccess', directive: owner, pattern: htaccessFolder, directives: [], sections: [] };
    collect(tree, section, undefined, section);
    global.sections.push(section);
  } else collect(tree, global, undefined, undefined, vhosts);
  building = { lintedPath: '', problems: [] };
  return new ApacheConfig(global, vhosts, sources, lintedPath, hasMainConfig);
}
