import { modelKey, text } from '../../../core/check';
import type { FileAccess } from '../../../core/types';
import type { FormatHandler, LoadContext, Loaded, ParseProblem } from '../../../core/format';
import { SourceText } from '../../../core/source';
import { globToRegExp } from '../../../core/glob';
import { dirname, joinPath } from '../../shared/paths';
import { type ApacheDirective, parseApache } from './syntax';
import { type ApacheConfig, buildApacheConfig } from './model';
import { judgeApache } from './detection';

export { ApacheConfig } from './model';

const MAX_DEPTH = 12;
const MAIN_NAMES = ['apache2.conf', 'httpd.conf'];

async function expand(files: FileAccess, pattern: string): Promise<string[]> {
  if (!/[*?[]/.test(pattern)) return [pattern];
  const folder = dirname(pattern);
  const matcher = globToRegExp(pattern.slice(folder.length + 1));
  const names = (await files.readDirectory(folder).catch(() => undefined)) ?? [];
  return [...names]
    .sort()
    .filter((name) => !name.startsWith('.') && matcher.test(name))
    .map((name) => joinPath(folder, name));
}

/** Include and IncludeOptional, resolved against ServerRoot, then re-rooted at the folder the config was found in. */
class Includes {
  readonly sources = new Map<string, SourceText>();
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

  private async expand(list: ApacheDirective[], depth: number): Promise<ApacheDirective[]> {
    const out: ApacheDirective[] = [];
    for (const directive of list) {
      if (directive.children) directive.children = await this.expand(directive.children, depth);
      out.push(directive);
      if ((directive.lower !== 'include' && directive.lower !== 'includeoptional') || depth >= MAX_DEPTH || !directive.args[0]) continue;
      const reference = directive.args[0].value;
      const candidates = [joinPath(this.serverRoot, reference)];
      for (const prefix of ['/etc/apache2/', '/etc/httpd/'])
        if (reference.startsWith(prefix)) candidates.push(joinPath(this.serverRoot, reference.slice(prefix.length)));
      for (const candidate of candidates) {
        const paths = await expand(this.files, candidate);
        let found = false;
        for (const path of paths) {
          if (this.sources.has(path)) continue;
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
  const config = buildApacheConfig(tree, includes.sources, source.path, isMain || main !== undefined, isHtaccess ? dirname(source.path) : undefined);
  return { model: config, problems, sources: [source, ...[...includes.sources.values()].filter((s) => s.path !== source.path)] };
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
  detectByContent: (head) =>
    (/^[ \t]*<(VirtualHost|Directory|Location|Files)(Match)?[ \t>]/im.test(head) ||
      (head.match(/^[ \t]*(ServerName|DocumentRoot|ServerAlias|RewriteEngine|ProxyPass)[ \t]/gm)?.length ?? 0) >= 2) &&
    judgeApache(head) === 'fits',
  judgeContent: judgeApache,
  load: loadApache,
};

export const apacheFormats: FormatHandler<unknown>[] = [apacheConf];
