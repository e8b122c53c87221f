// Reads a configuration with its includes, resolved as nginx resolves them: relative to the configuration
// prefix (the folder of nginx.conf), globs expanded in name order (ngx_conf_include uses glob(3)).
import type { FileAccess } from '../../../core/types';
import type { ParseProblem } from '../../../core/format';
import { SourceText } from '../../../core/source';
import { globToRegExp } from '../../../core/glob';
import { type NginxDirective, parseNginx } from './syntax';
import { dirname, joinPath } from '../../shared/paths';

const MAX_INCLUDE_DEPTH = 12;
const DEFAULT_PREFIX = '/etc/nginx';

export interface IncludeResult {
  directives: NginxDirective[];
  sources: SourceText[];
  /** Include directives whose files could not be read (the directives they would add are unknown). */
  unresolved: NginxDirective[];
}

function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

async function expandGlob(files: FileAccess, pattern: string): Promise<string[]> {
  const parts = pattern.split('/');
  let current = [pattern.startsWith('/') ? '' : '.'];
  for (let index = pattern.startsWith('/') ? 1 : 0; index < parts.length; index++) {
    const part = parts[index]!;
    const next: string[] = [];
    for (const base of current) {
      const folder = base === '' ? '/' : base;
      if (!hasGlob(part)) {
        next.push(base === '' ? `/${part}` : `${base}/${part}`);
        continue;
      }
      const names = (await files.readDirectory(folder).catch(() => undefined)) ?? [];
      const matcher = globToRegExp(part);
      for (const name of [...names].sort()) if (!name.startsWith('.') && matcher.test(name)) next.push(base === '' ? `/${name}` : `${base}/${name}`);
    }
    current = next;
  }
  return current;
}

/**
 * Candidate places for an include: the path as written (absolute, or under the prefix), then the same path
 * re-rooted at the folder the configuration was found in, so a repository or a copy of /etc/nginx resolves.
 */
function candidates(reference: string, prefix: string): string[] {
  const out = [joinPath(prefix, reference)];
  if (reference.startsWith(`${DEFAULT_PREFIX}/`)) out.push(joinPath(prefix, reference.slice(DEFAULT_PREFIX.length + 1)));
  return [...new Set(out)];
}

export class IncludeResolver {
  readonly sources = new Map<string, SourceText>();
  readonly unresolved: NginxDirective[] = [];

  constructor(
    private readonly files: FileAccess,
    private readonly prefix: string,
    private readonly problems: ParseProblem[],
    private readonly linted: SourceText,
  ) {}

  /** Parses a file and replaces its include directives by what they include, recursively. */
  async load(source: SourceText, depth = 0, chain: string[] = []): Promise<NginxDirective[]> {
    this.sources.set(source.path, source);
    // Problems in other files are reported when those files are linted.
    const problems = source.path === this.linted.path ? this.problems : [];
    const tree = parseNginx(source, problems);
    return this.expand(tree, depth, [...chain, source.path]);
  }

  private async expand(list: NginxDirective[], depth: number, chain: string[]): Promise<NginxDirective[]> {
    const out: NginxDirective[] = [];
    for (const directive of list) {
      if (directive.block) directive.block = await this.expand(directive.block, depth, chain);
      if (directive.name !== 'include' || directive.block || directive.args.length !== 1) {
        out.push(directive);
        continue;
      }
      const included = await this.include(directive, depth, chain);
      if (included === undefined) {
        this.unresolved.push(directive);
        out.push(directive);
      } else out.push(directive, ...included);
    }
    return out;
  }

  private async include(directive: NginxDirective, depth: number, chain: string[]): Promise<NginxDirective[] | undefined> {
    if (depth >= MAX_INCLUDE_DEPTH) return undefined;
    const reference = directive.args[0]!.value;
    for (const candidate of candidates(reference, this.prefix)) {
      const paths = hasGlob(candidate) ? await expandGlob(this.files, candidate) : [candidate];
      const loaded: NginxDirective[] = [];
      let found = false;
      for (const path of paths) {
        if (chain.includes(path)) continue;
        // The linted file is read from the editor's buffer, not from disk.
        const text = path === this.linted.path ? this.linted.text : await this.files.readFile(path).catch(() => undefined);
        if (text === undefined) continue;
        found = true;
        const source = path === this.linted.path ? this.linted : (this.sources.get(path) ?? new SourceText(path, text));
        for (const child of await this.load(source, depth + 1, chain)) loaded.push({ ...child, includedBy: child.includedBy ?? directive });
      }
      // A glob that matches nothing is valid in nginx; it is "resolved" to nothing only if its folder exists.
      if (found || (hasGlob(candidate) && (await this.files.readDirectory(dirname(candidate)).catch(() => undefined)) !== undefined)) return loaded;
    }
    return undefined;
  }
}
