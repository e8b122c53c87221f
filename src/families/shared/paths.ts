// Path helpers for loaders that read files beside the linted one ('/'-separated paths).
import type { FileAccess } from '../../core/types';
import { SourceText } from '../../core/source';

export function dirname(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash < 0 ? '.' : path.slice(0, slash) || '/';
}

export function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

export function joinPath(directory: string, name: string): string {
  if (name.startsWith('/')) return name;
  const parts = (directory.endsWith('/') ? directory + name : `${directory}/${name}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 1 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/') || '/';
}

/**
 * The paths of a folder's entries that `accept` takes, in name order (the order include_dir/!includedir read
 * them), or undefined when the folder cannot be listed.
 */
export async function folderEntries(files: FileAccess, folder: string, accept: (name: string) => boolean): Promise<string[] | undefined> {
  const names = await files.readDirectory(folder).catch(() => undefined);
  return names
    ?.filter(accept)
    .sort()
    .map((name) => joinPath(folder, name));
}

/** The SourceText last made for a path through a FileAccess, reused while the file's text is the same. */
const madeSources = new WeakMap<FileAccess, Map<string, SourceText>>();

export async function readSource(files: FileAccess, path: string): Promise<SourceText | undefined> {
  const text = await files.readFile(path).catch(() => undefined);
  if (text === undefined) return undefined;
  let made = madeSources.get(files);
  if (!made) madeSources.set(files, (made = new Map()));
  const known = made.get(path);
  if (known && known.text === text) return known;
  const source = new SourceText(path, text);
  made.set(path, source);
  return source;
}

/**
 * A file named by a server-side path (`/etc/redis/x.conf`): tried as written, then in the linted file's
 * folder keeping the part below `serverFolder` (a copy of /etc/redis), then by base name beside it.
 */
export async function readReferenced(files: FileAccess, reference: string, localFolder: string, serverFolder?: string): Promise<SourceText | undefined> {
  const candidates = [reference.startsWith('/') ? reference : joinPath(localFolder, reference)];
  if (serverFolder && reference.startsWith(`${serverFolder}/`)) candidates.push(joinPath(localFolder, reference.slice(serverFolder.length + 1)));
  candidates.push(joinPath(localFolder, basename(reference)));
  for (const candidate of [...new Set(candidates)]) {
    const source = await readSource(files, candidate);
    if (source) return source;
  }
  return undefined;
}

const SEPARATORS = '-_.';
const isNameChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '.' || c === '-';

/**
 * Whether a base name is `word` with the affixes copies of a configuration get (`redis.conf`, `redis-6380.conf`,
 * `debian-redis.conf`): what `/(^|[-_.])word([-_.][\w.-]*)?<suffix>$/` tests, in linear time (that regex
 * backtracks quadratically on names like `.word.word.word…`). `ignoreCase` compares as the `i` flag does.
 */
export function affixedName(baseName: string, word: string, suffix: string, ignoreCase = false): boolean {
  const name = ignoreCase ? baseName.toLowerCase() : baseName;
  const key = ignoreCase ? word.toLowerCase() : word;
  const end = ignoreCase ? suffix.toLowerCase() : suffix;
  if (!name.endsWith(end)) return false;
  const stem = name.slice(0, name.length - end.length);
  // Where the trailing run of [\w.-] characters starts: what follows `word` must lie inside it.
  let run = stem.length;
  while (run > 0 && isNameChar(stem[run - 1]!)) run--;
  for (let at = stem.indexOf(key); at >= 0; at = stem.indexOf(key, at + 1)) {
    if (at > 0 && !SEPARATORS.includes(stem[at - 1]!)) continue;
    const after = at + key.length;
    if (after === stem.length || (SEPARATORS.includes(stem[after]!) && after >= run)) return true;
  }
  return false;
}

/** Whether a slash-separated path has a folder named `folder` with a file somewhere below it (the regex `(^|\/)folder\/(.*\/)?[^/]+$`, linear). */
export function underFolder(path: string, folder: string): boolean {
  const marker = `/${folder}/`;
  const at = `/${path}`.lastIndexOf(marker);
  if (at < 0 || path.endsWith('/')) return false;
  // The folders between it and the file are matched by `.`, which takes no line terminator.
  const rest = path.slice(at - 1 + marker.length);
  return !/[\n\r\u2028\u2029]/.test(rest.slice(0, rest.lastIndexOf('/') + 1));
}

/** `text` without the trailing run of the characters in `chars` (what `.replace(/[chars]+$/, '')` does, in linear time). */
export function trimEndChars(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}
