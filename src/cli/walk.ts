// Turns the paths the user named into the files to audit. Symbolic links are followed (a Debian
// sites-enabled/ entry is a link), each real file is audited once, under the first path that reached
// it, and paths keep the form the user gave (relative stays relative, absolute stays absolute).
// A path that cannot be read becomes one problem and the walk goes on.
import { type Dirent, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SKIPPED_FOLDERS, IGNORE_FILE, IgnoreRules, type ScopedRules, isIgnored } from '../core/ignore';

export type PathReason = 'permission-denied' | 'not-found' | 'broken-link' | 'link-loop' | 'fifo' | 'socket' | 'device' | 'vanished' | 'other';

export interface PathProblem {
  /** As shown to the user. */
  shown: string;
  reason: PathReason;
  /** The system's error code when the reason is 'other' (EIO, ...). */
  code?: string;
  /** The user named this path: its failure makes the exit code 2. */
  explicit: boolean;
}

export interface WalkedFile {
  /** The path as shown: the argument joined with the names below it. */
  shown: string;
  /** Absolute, through the links as named (not the real path), so sibling files resolve as the daemon sees them. */
  absolute: string;
  explicit: boolean;
}

export interface WalkOptions {
  /** Leave out the default folders (.git, node_modules, ...) and honour ignore files. */
  ignore: boolean;
  /** Patterns of --exclude (gitignore syntax; relative ones are relative to the current folder). */
  exclude: readonly string[];
  /** Folder whose ignore file (and those between it and each argument) also applies: the project folder. */
  projectFolder?: string;
  cwd: string;
  /**
   * Whether a file's name alone makes it one to audit. A broken link or a FIFO found in a folder is worth a
   * line only then (a dangling `sites-enabled/` entry is; a dangling `src.zip` in /usr/lib is not).
   */
  recognised(absolute: string): boolean;
  /** Told each folder's entry names as listed (absolute path as named), so lookups beside a file need no system call. */
  onListing?(absolute: string, names: string[]): void;
}

/** Virtual file systems a walk never enters unless named: their "files" may never end (/proc/kmsg). */
const VIRTUAL = new Set(['/proc', '/sys', '/dev']);
const SKIPPED = new Set(DEFAULT_SKIPPED_FOLDERS);

export function reasonOf(error: unknown): { reason: PathReason; code?: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { reason: 'permission-denied' };
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: 'not-found' };
    case 'ELOOP':
      return { reason: 'link-loop' };
    default:
      return { reason: 'other', code: code ?? String(error) };
  }
}

function specialKind(stat: { isFIFO(): boolean; isSocket(): boolean }): PathReason {
  return stat.isFIFO() ? 'fifo' : stat.isSocket() ? 'socket' : 'device';
}

/** Builds the rules of --exclude: relative patterns are made absolute from `cwd`, and all apply from '/'. */
export function excludeRules(patterns: readonly string[], cwd: string): ScopedRules {
  const root = toSlashes(cwd).replace(/[*?[\]\\!#]/g, '\\$&');
  const lines = patterns.map((raw) => {
    const negated = raw.startsWith('!');
    let body = toSlashes(negated ? raw.slice(1) : raw);
    const directoryOnly = body.endsWith('/');
    let end = body.length;
    while (end > 0 && body[end - 1] === '/') end--;
    body = body.slice(0, end);
    if (body.includes('/') && !body.startsWith('/')) body = path.posix.join(root, body);
    return `${negated ? '!' : ''}${body}${directoryOnly ? '/' : ''}`;
  });
  return { folder: '/', rules: IgnoreRules.fromPatterns(lines) };
}

function toSlashes(value: string): string {
  return value.split(path.sep).join('/');
}

/** How a path the user typed is shown: normalised (`./a//b/` -> `a/b`), relative or absolute as given. */
export function shownPath(argument: string): string {
  const normal = path.normalize(argument);
  let end = normal.length;
  while (end > 0 && (normal[end - 1] === '/' || normal[end - 1] === '\\')) end--;
  return normal.length > 1 ? normal.slice(0, end) : normal;
}

/** The files below `targets`, in a stable order (arguments in order, names sorted within folders). */
export async function walk(targets: readonly string[], options: WalkOptions): Promise<{ files: WalkedFile[]; problems: PathProblem[] }> {
  const files: WalkedFile[] = [];
  const problems: PathProblem[] = [];
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();
  const excluded = options.exclude.length ? [excludeRules(options.exclude, options.cwd)] : [];

  /** A path found in a listing that is gone when read has vanished (it was there a moment ago). */
  const problem = (shown: string, error: unknown, explicit: boolean) => {
    const found = reasonOf(error);
    problems.push({ shown, ...(found.reason === 'not-found' && !explicit ? { reason: 'vanished' as const } : found), explicit });
  };

  /** Follows a link to what it names; a link to nothing is a broken link, not a missing file. */
  const statFollowing = async (absolute: string) => {
    try {
      return { stat: await fs.stat(absolute) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const link = await fs.lstat(absolute).catch(() => undefined);
        if (link?.isSymbolicLink()) return { reason: 'broken-link' as const };
      }
      return { error };
    }
  };

  /** `real` is known when the file was listed (not a link) in a folder whose real path is known. */
  const addFile = async (absolute: string, shown: string, explicit: boolean, known?: string) => {
    let real: string;
    try {
      real = known ?? (await fs.realpath(absolute));
    } catch (error) {
      return problem(shown, error, explicit);
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({ shown, absolute, explicit });
  };

  const readIgnoreFile = async (folder: string): Promise<ScopedRules | undefined> => {
    try {
      const rules = IgnoreRules.parse(await fs.readFile(path.join(folder, IGNORE_FILE), 'utf8'));
      return rules.isEmpty ? undefined : { folder: toSlashes(folder), rules };
    } catch {
      return undefined; // absent (or unreadable: then it cannot be honoured, and the folder's files are audited)
    }
  };

  const visitFolder = async (absolute: string, shown: string, explicit: boolean, scopes: ScopedRules[]): Promise<void> => {
    let real: string;
    let entries: Dirent[];
    try {
      real = await fs.realpath(absolute);
      // Each real folder is walked once: this ends link loops (a link to a parent) and repeated arguments.
      if (seenFolders.has(real)) return;
      seenFolders.add(real);
      if (!explicit && VIRTUAL.has(real)) return;
      entries = await fs.readdir(absolute, { withFileTypes: true });
    } catch (error) {
      return problem(shown, error, explicit);
    }
    options.onListing?.(
      absolute,
      entries.map((entry) => entry.name),
    );
    const own = options.ignore ? await readIgnoreFile(absolute) : undefined;
    const inner = own ? [...scopes, own] : scopes;
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const childAbsolute = path.join(absolute, entry.name);
      const childShown = path.join(shown, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await statFollowing(childAbsolute);
        if (!target.stat) {
          if (target.reason) {
            if (options.recognised(childAbsolute)) problems.push({ shown: childShown, reason: target.reason, explicit: false });
          } else problem(childShown, target.error, false);
          continue;
        }
        isDirectory = target.stat.isDirectory();
        isFile = target.stat.isFile();
      }
      if (isDirectory && options.ignore && SKIPPED.has(entry.name)) continue;
      const slashed = toSlashes(childAbsolute);
      if (isIgnored([...inner, ...excluded], slashed, isDirectory)) continue;
      if (isDirectory) await visitFolder(childAbsolute, childShown, false, inner);
      // A plain file's real path is its real folder's path and its name: no realpath(3) per file.
      else if (isFile) await addFile(childAbsolute, childShown, false, entry.isSymbolicLink() ? undefined : path.join(real, entry.name));
      else if (options.recognised(childAbsolute)) {
        // A FIFO, socket or device (or a link to one) with a configuration's name: opening it could block, so
        // it is reported, not read. A link to /dev/null is how a file is deliberately emptied (a masked unit).
        const target = entry.isSymbolicLink() ? await fs.stat(childAbsolute).catch(() => undefined) : entry;
        const real = entry.isSymbolicLink() ? await fs.realpath(childAbsolute).catch(() => '') : '';
        if (target && real !== '/dev/null') problems.push({ shown: childShown, reason: specialKind(target), explicit: false });
      }
    }
  };

  /** Ignore files of the project folder and of each folder between it and `absolute`. */
  const ancestorScopes = async (absolute: string): Promise<ScopedRules[]> => {
    if (!options.ignore || !options.projectFolder) return [];
    const root = path.resolve(options.projectFolder);
    const relative = path.relative(root, path.dirname(absolute));
    if (relative.startsWith('..') || path.isAbsolute(relative)) return [];
    const scopes: ScopedRules[] = [];
    let folder = root;
    for (const part of ['', ...relative.split(path.sep).filter(Boolean)]) {
      folder = path.join(folder, part);
      const rules = await readIgnoreFile(folder);
      if (rules) scopes.push(rules);
    }
    return scopes;
  };

  for (const target of targets) {
    const shown = shownPath(target);
    const absolute = path.resolve(options.cwd, target);
    const found = await statFollowing(absolute);
    if (!found.stat) {
      if (found.reason) problems.push({ shown, reason: found.reason, explicit: true });
      else problem(shown, found.error, true);
      continue;
    }
    if (found.stat.isDirectory()) await visitFolder(absolute, shown, true, await ancestorScopes(absolute));
    else if (found.stat.isFile()) await addFile(absolute, shown, true);
    else problems.push({ shown, reason: specialKind(found.stat), explicit: true });
  }
  return { files, problems };
}
