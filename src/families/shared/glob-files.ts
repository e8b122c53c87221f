// Include patterns as daemons expand them with glob(3): `conf.d/*.conf`, `protocols.d/*.protocol`,
// `auth-{sql,ldap}.conf.ext` (GLOB_BRACE, Dovecot). Wildcards are honoured in the last path component
// only, which is where configuration files put them; results come in glob's order (byte order of names).
import type { FileAccess } from '../../core/types';
import { dirname, joinPath } from './paths';

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** `a{b,c}d` -> [`abd`, `acd`] (nested braces too), as GLOB_BRACE does before matching. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) {
      const alternatives: string[] = [];
      let start = open + 1;
      for (const comma of commas) {
        alternatives.push(pattern.slice(start, comma));
        start = comma + 1;
      }
      alternatives.push(pattern.slice(start, i));
      const rest = pattern.slice(i + 1);
      return alternatives.flatMap((alternative) => expandBraces(pattern.slice(0, open) + alternative + rest));
    } else if (char === ',' && depth === 1) commas.push(i);
  }
  return [pattern];
}

/** One path component as a test: `*`, `?`, `[...]`; a leading dot must be written (glob(3)). */
function componentMatcher(component: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < component.length; i++) {
    const char = component[i]!;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = component.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = component
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else if (char === '\\' && i + 1 < component.length) source += component[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return (name) => (component.startsWith('.') || !name.startsWith('.')) && regex.test(name);
}

/**
 * The files a pattern names: a plain path as it is (when it can be read), else the matching entries of its
 * folder in name order. Undefined when the folder cannot be listed (the include is unresolved here).
 */
export async function globFiles(files: FileAccess, pattern: string, options: { braces?: boolean } = {}): Promise<string[] | undefined> {
  const patterns = options.braces ? expandBraces(pattern) : [pattern];
  const out: string[] = [];
  let listed = false;
  for (const single of patterns) {
    if (!hasWildcard(single)) {
      const text = await files.readFile(single).catch(() => undefined);
      if (text !== undefined) out.push(single);
      else if ((await files.readDirectory(dirname(single)).catch(() => undefined)) === undefined) continue;
      listed = true;
      continue;
    }
    const folder = dirname(single);
    if (hasWildcard(folder)) continue;
    const names = await files.readDirectory(folder).catch(() => undefined);
    if (!names) continue;
    listed = true;
    const matcher = componentMatcher(single.slice(folder.length + (folder.endsWith('/') ? 0 : 1)));
    for (const name of [...names].sort()) if (matcher(name)) out.push(joinPath(folder, name));
  }
  return listed ? out : undefined;
}
