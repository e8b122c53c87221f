/**
 * Minimal glob to RegExp: `**` crosses folders, `*` and `?` stay inside one, `{a,b}` alternates.
 * A pattern without a slash matches the base name anywhere (as in .gitignore and files.associations).
 */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/\\/g, '/');
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) out += '\\{';
      else {
        out +=
          '(?:' +
          pattern
            .slice(i + 1, close)
            .split(',')
            .map(escapeRegExp)
            .join('|') +
          ')';
        i = close;
      }
    } else out += escapeRegExp(c);
  }
  const anchored = pattern.includes('/') ? `^(?:.*/)?${out.replace(/^\//, '')}$` : `(?:^|/)${out}$`;
  return new RegExp(anchored);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
