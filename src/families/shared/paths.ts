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

export async function readSource(files: FileAccess, path: string): Promise<SourceText | undefined> {
  const text = await files.readFile(path).catch(() => undefined);
  return text === undefined ? undefined : new SourceText(path, text);
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
