// File-name tests written as scans, not regular expressions: names come from the user's tree and may be long
// and repetitive (`.compose.compose.compose…`), where patterns like `(^|[-_.])compose([-_.][\w.-]*)?\.ya?ml$`
// backtrack quadratically.
import { affixedName, trimEndChars } from './paths';

/**
 * Whether a base name is `<anything>[-_.]<word>[[-_.]<name characters>].<extension>` or starts with the word:
 * `(^|[-_.])word([-_.][\w.-]*)?\.(extension)$`, case-insensitive, for any of `words` and `extensions`.
 */
export function nameHasWord(baseName: string, words: readonly string[], extensions: readonly string[]): boolean {
  return words.some((word) => extensions.some((extension) => affixedName(baseName, word, `.${extension}`, true)));
}

/** The path without the slashes it ends with (`/a//` -> `/a`, `///` -> ``). */
export function withoutTrailingSlashes(path: string): string {
  return trimEndChars(path, '/');
}
