import { modelKey, text } from '../../../core/check';
import type { FileAccess } from '../../../core/types';
import type { FormatHandler, LoadContext, Loaded, ParseProblem } from '../../../core/format';
import { SourceText } from '../../../core/source';
import { compileFnmatch, hasWildcard } from '../../../core/glob';
import { dirname, joinPath } from '../../shared/paths';
import { type ApacheDirective, parseApache } from './syntax';
import { type ApacheConfig, buildApacheConfig } from './model';
import { judgeApache } from './detection';

export { ApacheConfig } from './model';

/** Include levels followed, and files read through Include and IncludeOptional for one lint. */
export const MAX_INCLUDE_DEPTH = 12;
export const MAX_INCLUDED_FILES = 2000;
const MAIN_NAMES = ['apache2.conf', 'httpd.conf'];

async function expand(files: FileAccess, pattern: string): Promise<string[]> {
  if (!hasWildcard(pattern)) return [pattern];
  const folder = dirname(pattern);
  // apr_fnmatch over the names of the folder (httpd's Include wildcards are in the last component).
  const matcher = compileFnmatch(pattern.slice(folder.length + 1), { pathname: true });
  const names = (await files.readDirectory(folder).catch(() => undefined)) ?? [];
  return [...names]
    .sort()
    .filter((name) => !name.startsWith('.') && matcher.test(name))
    .map((name) => joinPath(folder, name));
}

/** Whether a section's contents (at any depth) name a file to include: only then are they walked asynchronously. */
function containsInclude(list: ApacheDirective[]): boolean {
  const stack = [list];
  while (stack.length) {
    for (const directive of stack.pop()!) {
      if (directive.lower === 'include' || directive.lower === 'includeoptional') return true;
      if (directive.children) stack.push(directive.children);
    }
  }
  return false;
}

/** Include and IncludeOptional, resolved against ServerRoot, then re-rooted at the folder the config was found in. */
class Includes {
  readonly sources = new Map<string, SourceText>();
  private filesRead = 0;
  private readonly told = new Set<string>();
  constructor(
    private readonly files: FileAccess,
    private readonly serverRoot: string,
    private readonly problems: ParseProblem[],
    private readonly linted: SourceText,
  ) {}

  async load(source: SourceText, depth: number): Promise<ApacheDirective[]> {
    this.sources.set(source.path, source);
    const tree = parseApache(source, source.path === this.linted.path ? this.problems : []);
    return this.expand(tree, depth);
  }

  /** A limit was reached: told once, on the Include line when it is in the linted file. */
  private limitReached(key: 'depth' | 'files', directive: ApacheDirective): void {
    if (this.told.has(key) || directive.span.file !== this.linted.path) return;
    this.told.add(key);
    this.problems.push({
      span: directive.span,
      message:
        key === 'depth'
          ? text('web.apache.include-too-deep', { limit: MAX_INCLUDE_DEPTH })
          : text('web.apache.include-too-many-files', { limit: MAX_INCLUDED_FILES }),
    });
  }

  private async expand(list: ApacheDirective[], depth: number): Promise<ApacheDirective[]> {
    const out: ApacheDirective[] = [];
    for (const directive of list) {
      if (directive.children && containsInclude(directive.children)) directive.children = await this.expand(directive.children, depth);
      out.push(directive);
      if ((directive.lower !== 'include' && directive.lower !== 'includeoptional') || !directive.args[0]) continue;
      if (depth >= MAX_INCLUDE_DEPTH) {
        this.limitReached('depth', directive);
        continue;
      }
      const reference = directive.args[0].value;
      const candidates = [joinPath(this.serverRoot, reference)];
      for (const prefix of ['/etc/apache2/', '/etc/httpd/'])
        if (reference.startsWith(prefix)) candidates.push(joinPath(this.serverRoot, reference.slice(prefix.length)));
      for (const candidate of candidates) {
        const paths = await expand(this.files, candidate);
        let found = false;
        for (const path of paths) {
          if (this.sources.has(path)) continue;
          if (this.filesRead >= MAX_INCLUDED_FILES) {
            this.limitReached('files', directive);
            break;
          }
          this.filesRead++;
          const text = path === this.linted.path ? this.linted.text : await this.files.readFile(path).catch(() => undefined);
          if (text === undefined) continue;
          found = true;
          const source = path === this.linted.path ? this.linted : new SourceText(path, text);
          for (const child of await this.load(source, depth + 1)) out.push({ ...child, includedBy: child.includedBy ?? directive });
        }
        if (found) break;
      }
    }
    return out;
  }
}

/** The server-wide file next to a site file: ../apache2.conf for sites-available/x.conf, ../conf/httpd.conf for conf.d/x. */
async function findMain(source: SourceText, files: FileAccess): Promise<SourceText | undefined> {
  const folder = dirname(source.path);
  for (const candidateFolder of [folder, dirname(folder), joinPath(dirname(folder), 'conf')])
    for (const name of MAIN_NAMES) {
      const path = joinPath(candidateFolder, name);
      if (path === source.path) continue;
      const text = await files.readFile(path).catch(() => undefined);
      if (text !== undefined) return new SourceText(path, text);
    }
  return undefined;
}

async function loadApache(source: SourceText, context: LoadContext): Promise<Loaded<ApacheConfig>> {
  const problems: ParseProblem[] = [];
  const baseName = source.path.slice(source.path.lastIndexOf('/') + 1);
  const isMain = MAIN_NAMES.includes(baseName);
  const isHtaccess = baseName === '.htaccess';
  const main = isMain || isHtaccess ? undefined : await findMain(source, context.files);
  const serverRoot = dirname(main?.path ?? source.path);
  const includes = new Includes(context.files, isMain ? dirname(source.path) : serverRoot, problems, source);
  // The server-wide sections come first: a site file is read after apache2.conf's <Directory> defaults.
  const background = main ? await includes.load(main, 1) : [];
  const own = includes.sources.has(source.path) ? [] : await includes.load(source, 0);
  const tree = [...background, ...own];
  const config = buildApacheConfig(tree, includes.sources, source.path, isMain || main !== undefined, isHtaccess ? dirname(source.path) : undefined, problems);
  return { model: config, problems, sources: [source, ...[...includes.sources.values()].filter((s) => s.path !== source.path)] };
}

const SITE_SECTION = /^<(VirtualHost|Directory|Location|Files)(Match)?[ \t>]/i;
const SITE_DIRECTIVE = /^(ServerName|DocumentRoot|ServerAlias|RewriteEngine|ProxyPass)[ \t]/;

/** A <VirtualHost>, <Directory>, <Location> or <Files> section, or two site directives: tested line by line. */
function hasSiteLines(head: string): boolean {
  let directives = 0;
  let start = 0;
  while (start < head.length) {
    let end = head.indexOf('\n', start);
    if (end < 0) end = head.length;
    let first = start;
    while (first < end && (head[first] === ' ' || head[first] === '\t')) first++;
    if (first < end) {
      const line = head.slice(first, Math.min(end, first + 40));
      if (SITE_SECTION.test(line)) return true;
      if (SITE_DIRECTIVE.test(line) && ++directives >= 2) return true;
    }
    start = end + 1;
  }
  return false;
}

/** The apache model: what this family's loader produces and its checks read. */
export const apacheModel = modelKey<ApacheConfig>('apache');

export const apacheConf: FormatHandler<ApacheConfig> = {
  id: 'apache',
  model: apacheModel,
  label: text('web.apache.label'),
  commentPrefix: '#',
  detectByName: (_path, baseName) => MAIN_NAMES.includes(baseName) || baseName === '.htaccess',
  // A file under apache/, apache2/ or httpd/ (sites-available/x.conf, conf.d/x) when its lines are httpd's;
  // mods-available/*.load only load modules, envvars is shell and magic is a MIME table.
  detectByFolder: (path, baseName) =>
    /(^|\/)(apache2?|httpd)\//.test(path) &&
    !baseName.startsWith('.') &&
    !/\.(load|ya?ml|ini|toml|xml|cfg)$/i.test(baseName) &&
    baseName !== 'envvars' &&
    baseName !== 'magic',
  // A <VirtualHost>, <Directory>, <Location> or <Files> section, or two site directives, in a file of httpd lines.
  detectByContent: (head) => hasSiteLines(head) && judgeApache(head) === 'fits',
  judgeContent: judgeApache,
  load: loadApache,
};

export const apacheFormats: FormatHandler<unknown>[] = [apacheConf];
