// Include as sshd reads it: a relative path is taken below /etc/ssh (SSHDIR), every argument is a glob(3)
// pattern (`*`, `?`, `[…]`, no braces, no leading dot matched by a wildcard) whose matches are read in sorted
// order, and a pattern that matches nothing is silently skipped. Files are read through FileAccess; a copy of
// /etc/ssh elsewhere (a repository, a fixture) has its /etc/ssh paths re-rooted at the folder sshd_config is in.
import type { FileAccess } from '../../core/types';
import { joinPath } from '../shared/paths';

export const SSH_DIR = '/etc/ssh';

/** The pattern sshd globs for an Include argument. */
export function includePattern(argument: string): string {
  return argument.startsWith('/') || argument.startsWith('~') ? argument : `${SSH_DIR}/${argument}`;
}

/** Where that pattern is looked for when the configuration is not at /etc/ssh (`configFolder` holds sshd_config). */
export function localPattern(pattern: string, configFolder: string): string {
  if (configFolder === SSH_DIR || !pattern.startsWith(`${SSH_DIR}/`)) return pattern;
  return `${configFolder.replace(/\/$/, '')}${pattern.slice(SSH_DIR.length)}`;
}

function hasMagic(part: string): boolean {
  return /[*?[]/.test(part);
}

/** fnmatch() for one path component, as glob(3) applies it (FNM_PERIOD for a leading dot). */
export function componentMatches(name: string, pattern: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') regex += '.*';
    else if (c === '?') regex += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) regex += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        regex += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < pattern.length) regex += escapeRegExp(pattern[++i]!);
    else regex += escapeRegExp(c);
  }
  try {
    return new RegExp(`^${regex}$`, 's').test(name);
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface GlobResult {
  /** Matching files, sorted as glob(3) sorts them (byte order of the whole path). */
  paths: string[];
  /** Whether the folder the pattern lists could be read (false: the drop-in folder is not here). */
  folderFound: boolean;
}

/** Expands a glob pattern through FileAccess (a relative one from the current folder, as the CLI is given paths). */
export async function expandGlob(files: FileAccess, pattern: string): Promise<GlobResult> {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((part, index) => part !== '' || index === 0);
  let current = [absolute ? '/' : '.'];
  let folderFound = true;
  for (const [index, part] of parts.entries()) {
    if (part === '') continue;
    const last = index === parts.length - 1;
    const next: string[] = [];
    for (const base of current) {
      if (!hasMagic(part)) {
        next.push(joinPath(base, part));
        continue;
      }
      const names = await files.readDirectory(base).catch(() => undefined);
      if (names === undefined) {
        if (last) folderFound = false;
        continue;
      }
      for (const name of names) if (componentMatches(name, part)) next.push(joinPath(base, name));
    }
    current = next;
  }
  return { paths: current.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), folderFound };
}
