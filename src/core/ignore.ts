// Which files an audit leaves out: vendored and tool folders by default, the patterns of
// `.secure-config-reviewignore` files (gitignore syntax, nested like .gitignore) and `--exclude` patterns.
// Shared by the CLI's walker and the editor's workspace audit, so both leave out the same files.

/** The ignore file, read in every folder an audit walks (and in the project folder above it). */
export const IGNORE_FILE = '.secure-config-reviewignore';

/**
 * Folders no audit enters unless asked to (`--no-ignore` in the CLI): version control data, dependency
 * trees and tool caches. They hold other people's example configurations, not this project's.
 */
export const DEFAULT_SKIPPED_FOLDERS: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  '.bzr',
  '_darcs',
  'CVS',
  'node_modules',
  'bower_components',
  '__pycache__',
  '.venv',
  '.tox',
  '.nox',
  '.cache',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.terraform',
];

interface Pattern {
  negated: boolean;
  directoryOnly: boolean;
  regex: RegExp;
}

/** The patterns of one ignore file (or one list of --exclude patterns), relative to the folder they belong to. */
export class IgnoreRules {
  private constructor(private readonly patterns: readonly Pattern[]) {}

  static parse(text: string): IgnoreRules {
    return IgnoreRules.fromPatterns(text.split(/\r?\n/));
  }

  static fromPatterns(lines: readonly string[]): IgnoreRules {
    return new IgnoreRules(lines.map(compile).filter((pattern): pattern is Pattern => pattern !== undefined));
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /**
   * true when the last matching pattern ignores `relative` ('/'-separated, relative to the rules' folder),
   * false when it re-includes it (`!pattern`), undefined when no pattern speaks of it.
   */
  decide(relative: string, isDirectory: boolean): boolean | undefined {
    let decision: boolean | undefined;
    for (const pattern of this.patterns) {
      if (pattern.directoryOnly && !isDirectory) continue;
      if (pattern.regex.test(relative)) decision = !pattern.negated;
    }
    return decision;
  }
}

/** gitignore(5) pattern -> RegExp over a '/'-separated relative path; undefined for blank lines and comments. */
function compile(line: string): Pattern | undefined {
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  let negated = false;
  if (pattern.startsWith('!')) {
    negated = true;
    pattern = pattern.slice(1);
  } else if (pattern.startsWith('\\!') || pattern.startsWith('\\#')) pattern = pattern.slice(1);
  let directoryOnly = false;
  if (pattern.endsWith('/')) {
    directoryOnly = true;
    pattern = pattern.replace(/\/+$/, '');
  }
  if (pattern === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to its folder; otherwise it matches at any depth.
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\//, '');
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*' && (i === 0 || pattern[i - 1] === '/') && (i + 2 === pattern.length || pattern[i + 2] === '/')) {
      // `**/` at the start or `/**/` inside: any number of folders; a trailing `/**`: everything inside.
      if (i + 2 === pattern.length) out += '.*';
      else out += '(?:.*/)?';
      i += 2;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) out += escape(pattern[++i]!);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let set = pattern.slice(i + 1, close);
        if (set.startsWith('!')) set = '^' + set.slice(1);
        out += `[${set.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += escape(c);
  }
  const regex = new RegExp(anchored ? `^${out}$` : `^(?:.*/)?${out}$`);
  return { negated, directoryOnly, regex };
}

function escape(character: string): string {
  return character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Rules and the folder they are relative to ('/'-separated, absolute). */
export interface ScopedRules {
  folder: string;
  rules: IgnoreRules;
}

/**
 * Whether `path` (absolute, '/'-separated) is left out by `scopes`, applied from the outermost to the
 * innermost folder: a deeper ignore file decides over a shallower one, and the last pattern within one.
 */
export function isIgnored(scopes: readonly ScopedRules[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const scope of scopes) {
    const relative = relativeTo(scope.folder, path);
    if (relative === undefined) continue;
    const decision = scope.rules.decide(relative, isDirectory);
    if (decision !== undefined) ignored = decision;
  }
  return ignored;
}

function relativeTo(folder: string, path: string): string | undefined {
  if (folder === '/') return path.replace(/^\/+/, '') || undefined;
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return path.startsWith(prefix) && path.length > prefix.length ? path.slice(prefix.length) : undefined;
}

/**
 * Like `isIgnored` for a file known only by its path (a search result): each folder between `root` and the
 * file is checked first, against the default folders and the rules, since a left-out folder leaves out
 * everything in it (gitignore(5)).
 */
export function isIgnoredBelow(scopes: readonly ScopedRules[], root: string, path: string): boolean {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  if (!path.startsWith(prefix)) return isIgnored(scopes, path, false);
  const parts = path.slice(prefix.length).split('/');
  let folder = prefix.slice(0, -1);
  for (const part of parts.slice(0, -1)) {
    folder = `${folder}/${part}`;
    if (DEFAULT_SKIPPED_FOLDERS.includes(part) || isIgnored(scopes, folder, true)) return true;
  }
  return isIgnored(scopes, path, false);
}
