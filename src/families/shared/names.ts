// File-name tests written as scans, not regular expressions: names come from the user's tree and may be long
// and repetitive (`.compose.compose.compose…`), where patterns like `(^|[-_.])compose([-_.][\w.-]*)?\.ya?ml$`
// backtrack quadratically.

const SEPARATORS = '-_.';
const isNameCharacter = (c: string) => /[\w.-]/.test(c);

/**
 * Whether a base name is `<anything>[-_.]<word>[[-_.]<name characters>].<extension>` or starts with the word:
 * `(^|[-_.])word([-_.][\w.-]*)?\.(extension)$`, case-insensitive, for any of `words` and `extensions`.
 */
export function nameHasWord(baseName: string, words: readonly string[], extensions: readonly string[]): boolean {
  const lower = baseName.toLowerCase();
  const extension = extensions.find((candidate) => lower.endsWith(`.${candidate}`));
  if (extension === undefined) return false;
  const stem = lower.slice(0, lower.length - extension.length - 1);
  // tailIsName[i]: stem[i..] holds name characters only.
  const tailIsName: boolean[] = new Array<boolean>(stem.length + 1);
  tailIsName[stem.length] = true;
  for (let i = stem.length - 1; i >= 0; i--) tailIsName[i] = tailIsName[i + 1]! && isNameCharacter(stem[i]!);
  for (const word of words)
    for (let at = stem.indexOf(word); at >= 0; at = stem.indexOf(word, at + 1)) {
      if (at > 0 && !SEPARATORS.includes(stem[at - 1]!)) continue;
      const end = at + word.length;
      if (end === stem.length || (SEPARATORS.includes(stem[end]!) && tailIsName[end + 1])) return true;
    }
  return false;
}

/** The path without the slashes it ends with. */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}
