// Which files an audit leaves out: vendored and tool folders by default, the patterns of
// `.secure-config-reviewignore` files (gitignore syntax, nested like .gitignore) and `--exclude` patterns.
// Shared by the CLI's walker and the editor's workspace audit, so both leave out the same files.
import { type GlobMatcher, compileFnmatch } from './glob';

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

/** One part of a pattern between slashes: a wildcard matcher for one path segment, or `**` (any folders). */
type Segment = GlobMatcher | 'any-folders';

interface Pattern {
  negated: boolean;
  directoryOnly: boolean;
  segments: Segment[];
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
      if (matchesSegments(pattern.segments, relative.split('/'))) decision = !pattern.negated;
    }
    return decision;
  }
}

/**
 * The line without its trailing blanks, except one quoted with a backslash (`foo\ ` keeps its space), as
 * gitignore(5) says. A loop, not /(?<!\\)\s+$/: that expression rescans a long run of blanks from each start.
 */
function withoutTrailingBlanks(line: string): string {
  let start = line.length;
  while (start > 0 && /\s/.test(line[start - 1]!)) start--;
  if (start === line.length) return line;
  return line.slice(0, start > 0 && line[start - 1] === '\\' ? start + 1 : start);
}

/** gitignore(5) pattern -> matcher of a '/'-separated relative path; undefined for blank lines and comments. */
function compile(line: string): Pattern | undefined {
  let pattern = withoutTrailingBlanks(line);
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  let negated = false;
  if (pattern.startsWith('!')) {
    negated = true;
    pattern = pattern.slice(1);
  } else if (pattern.startsWith('\\!') || pattern.startsWith('\\#')) pattern = pattern.slice(1);
  let directoryOnly = false;
  if (pattern.endsWith('/')) {
    directoryOnly = true;
    let end = pattern.length;
    while (end > 0 && pattern[end - 1] === '/') end--;
    pattern = pattern.slice(0, end);
  }
  if (pattern === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to its folder; otherwise it matches at any depth.
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  // Matched segment by segment with linear wildcard automata (core/glob.ts), never as one regular expression
  // built from the user's pattern: `*a*a*a*b` or repeated `**/` would backtrack on a long name.
  const segments: Segment[] = anchored ? [] : ['any-folders'];
  const parts = pattern.split('/');
  parts.forEach((part, index) => {
    if (part !== '**') segments.push(compileFnmatch(part));
    // A trailing `/**` is everything inside (one or more names); `**/` elsewhere is any folders, or none.
    else if (index === parts.length - 1 && index > 0) segments.push(compileFnmatch('*'), 'any-folders');
    else if (segments[segments.length - 1] !== 'any-folders') segments.push('any-folders');
  });
  return { negated, directoryOnly, segments };
}

/**
 * Whether the path's names match the segments: one pass over the names with the set of segment positions the
 * pattern can be at (so the work is names x segments, whatever the pattern).
 */
function matchesSegments(segments: readonly Segment[], names: readonly string[]): boolean {
  const closure = (positions: Set<number>): Set<number> => {
    for (const position of positions) if (segments[position] === 'any-folders') positions.add(position + 1);
    return positions;
  };
  let positions = closure(new Set([0]));
  for (const name of names) {
    const next = new Set<number>();
    for (const position of positions) {
      const segment = segments[position];
      if (segment === undefined) continue;
      if (segment === 'any-folders') next.add(position);
      else if (segment.test(name)) next.add(position + 1);
    }
    if (next.size === 0) return false;
    positions = closure(next);
  }
  return positions.has(segments.length);
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
