// Reads a configuration with its includes, resolved as nginx resolves them: relative to the configuration
// prefix (the folder of nginx.conf), globs expanded in name order (ngx_conf_include uses glob(3)).
import type { FileAccess } from '../../../core/types';
import type { ParseProblem } from '../../../core/format';
import { text } from '../../../core/check';
import { SourceText } from '../../../core/source';
import { compileFnmatch, hasWildcard as hasGlob } from '../../../core/glob';
import { type NginxDirective, parseNginx } from './syntax';
import { dirname, joinPath } from '../../shared/paths';

/** Includes inside included files, this many levels deep at most. */
export const MAX_INCLUDE_DEPTH = 12;
/** Files read through includes for one lint, and file-system lookups (reads and folder listings) made for them. */
export const MAX_INCLUDED_FILES = 2000;
export const MAX_INCLUDE_LOOKUPS = 10000;
const DEFAULT_PREFIX = '/etc/nginx';

export interface IncludeResult {
  directives: NginxDirective[];
  sources: SourceText[];
  /** Include directives whose files could not be read (the directives they would add are unknown). */
  unresolved: NginxDirective[];
}

/**
 * What one lint has read and listed, each asked of the file system once (include fan-out names the same
 * files again and again). Budgets still count every lookup an include makes, as if it were asked anew.
 */
class ReadCache {
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly folders = new Map<string, Promise<readonly string[] | undefined>>();
  private readonly matchers = new Map<string, { test(name: string): boolean }>();

  constructor(private readonly files: FileAccess) {}

  readFile(path: string): Promise<string | undefined> {
    let text = this.texts.get(path);
    if (!text) this.texts.set(path, (text = this.files.readFile(path).catch(() => undefined)));
    return text;
  }

  /** The folder's entries sorted by name (glob(3) order); undefined when it cannot be listed. */
  listing(folder: string): Promise<readonly string[] | undefined> {
    let names = this.folders.get(folder);
    if (!names)
      this.folders.set(
        folder,
        (names = this.files
          .readDirectory(folder)
          .catch(() => undefined)
          .then((found) => (found ? [...found].sort() : undefined))),
      );
    return names;
  }

  async sortedNames(folder: string): Promise<readonly string[]> {
    return (await this.listing(folder)) ?? [];
  }

  async folderExists(folder: string): Promise<boolean> {
    return (await this.listing(folder)) !== undefined;
  }

  matcher(part: string): { test(name: string): boolean } {
    let matcher = this.matchers.get(part);
    if (!matcher) this.matchers.set(part, (matcher = compileFnmatch(part)));
    return matcher;
  }
}

/** A copy of a parsed tree whose directives and blocks can be changed (expanded) without touching the original. */
function copyTree(list: NginxDirective[]): NginxDirective[] {
  const root = list.map((directive) => ({ ...directive }));
  const stack = [root];
  while (stack.length)
    for (const directive of stack.pop()!)
      if (directive.block) {
        directive.block = directive.block.map((child) => ({ ...child }));
        stack.push(directive.block);
      }
  return root;
}

async function expandGlob(cache: ReadCache, pattern: string, lookup: () => boolean): Promise<string[]> {
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
      if (!lookup()) return [];
      const names = await cache.sortedNames(folder);
      // glob(3) without flags, as ngx_open_glob calls it: `*`, `?`, `[...]`, `\\` escapes.
      const matcher = cache.matcher(part);
      for (const name of names) if (!name.startsWith('.') && matcher.test(name)) next.push(base === '' ? `/${name}` : `${base}/${name}`);
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

/** Whether a block's contents (at any depth) include a file: only then are they walked asynchronously. */
function containsInclude(list: NginxDirective[]): boolean {
  const stack = [list];
  while (stack.length) {
    for (const directive of stack.pop()!) {
      if (directive.name === 'include') return true;
      if (directive.block) stack.push(directive.block);
    }
  }
  return false;
}

/** A parse of the linted file that the resolver may take over once (the tree is changed by expanding it). */
export interface PreParsed {
  tree: NginxDirective[];
  problems: ParseProblem[];
  used: boolean;
}

export class IncludeResolver {
  readonly sources = new Map<string, SourceText>();
  readonly unresolved: NginxDirective[] = [];
  private filesRead = 0;
  private lookups = 0;
  /** Limits already told (each once a lint). */
  private readonly told = new Set<string>();
  private readonly cache: ReadCache;
  /** Included files parsed once a lint; each inclusion expands its own copy. */
  private readonly parsed = new Map<string, NginxDirective[]>();

  constructor(
    files: FileAccess,
    private readonly prefix: string,
    private readonly problems: ParseProblem[],
    private readonly linted: SourceText,
    /** The linted file already parsed (its role was asked first): used once instead of a second parse. */
    private readonly preParsed?: PreParsed,
  ) {
    this.cache = new ReadCache(files);
  }

  /** Parses a file and replaces its include directives by what they include, recursively. */
  async load(source: SourceText, depth = 0, chain: string[] = [], via?: NginxDirective): Promise<NginxDirective[]> {
    this.sources.set(source.path, source);
    // Problems in other files are reported when those files are linted.
    const problems = source.path === this.linted.path ? this.problems : [];
    let tree: NginxDirective[];
    if (source === this.linted && this.preParsed && !this.preParsed.used) {
      this.preParsed.used = true;
      tree = this.preParsed.tree;
      for (const problem of this.preParsed.problems) problems.push(problem);
    } else if (source === this.linted) tree = parseNginx(source, problems);
    else {
      // Problems of other files are not kept (above), so one parse serves every inclusion.
      let pristine = this.parsed.get(source.path);
      if (!pristine) this.parsed.set(source.path, (pristine = parseNginx(source, [])));
      tree = copyTree(pristine);
    }
    return this.expand(tree, depth, [...chain, source.path], via);
  }

  /** A limit was reached: told once, on the include line of the linted file that leads there. */
  private limitReached(key: 'depth' | 'files' | 'lookups', directive: NginxDirective, via: NginxDirective | undefined): void {
    const at = directive.nameSpan.file === this.linted.path ? directive : via;
    if (!at || this.told.has(key)) return;
    this.told.add(key);
    const message =
      key === 'depth'
        ? text('web.nginx.include-too-deep', { limit: MAX_INCLUDE_DEPTH })
        : key === 'files'
          ? text('web.nginx.include-too-many-files', { limit: MAX_INCLUDED_FILES })
          : text('web.nginx.include-too-many-lookups', { limit: MAX_INCLUDE_LOOKUPS });
    this.problems.push({ span: at.span, message });
  }

  private async expand(list: NginxDirective[], depth: number, chain: string[], via: NginxDirective | undefined): Promise<NginxDirective[]> {
    const out: NginxDirective[] = [];
    for (const directive of list) {
      if (directive.block && containsInclude(directive.block)) directive.block = await this.expand(directive.block, depth, chain, via);
      if (directive.name !== 'include' || directive.block || directive.args.length !== 1) {
        out.push(directive);
        continue;
      }
      const included = await this.include(directive, depth, chain, via ?? (directive.nameSpan.file === this.linted.path ? directive : undefined));
      if (included === undefined) {
        this.unresolved.push(directive);
        out.push(directive);
      } else {
        out.push(directive);
        for (const child of included) out.push(child);
      }
    }
    return out;
  }

  private async include(directive: NginxDirective, depth: number, chain: string[], via: NginxDirective | undefined): Promise<NginxDirective[] | undefined> {
    if (depth >= MAX_INCLUDE_DEPTH) {
      this.limitReached('depth', directive, via);
      return undefined;
    }
    const lookup = () => {
      if (this.lookups >= MAX_INCLUDE_LOOKUPS) {
        this.limitReached('lookups', directive, via);
        return false;
      }
      this.lookups++;
      return true;
    };
    const reference = directive.args[0]!.value;
    for (const candidate of candidates(reference, this.prefix)) {
      const paths = hasGlob(candidate) ? await expandGlob(this.cache, candidate, lookup) : [candidate];
      const loaded: NginxDirective[] = [];
      let found = false;
      for (const path of paths) {
        if (chain.includes(path)) continue;
        if (this.filesRead >= MAX_INCLUDED_FILES) {
          this.limitReached('files', directive, via);
          return found ? loaded : undefined;
        }
        // The linted file is read from the editor's buffer, not from disk.
        const text = path === this.linted.path ? this.linted.text : lookup() ? await this.cache.readFile(path) : undefined;
        if (text === undefined) continue;
        found = true;
        this.filesRead++;
        const source = path === this.linted.path ? this.linted : (this.sources.get(path) ?? new SourceText(path, text));
        for (const child of await this.load(source, depth + 1, chain, via)) loaded.push(child.includedBy ? child : { ...child, includedBy: directive });
      }
      // A glob that matches nothing is valid in nginx; it is "resolved" to nothing only if its folder exists.
      if (found || (hasGlob(candidate) && lookup() && (await this.cache.folderExists(dirname(candidate))))) return loaded;
    }
    return undefined;
  }
}
