// Character classes tested by code unit, for scanners that would otherwise run a regular expression per character.

/** The characters of a regular expression's `\s` (and of String.prototype.trim): white space and line terminators. */
export function isSpaceCode(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Where `text` stops being `\s` from `from` on, looking no further than `to` (returned when it never does). */
export function skipSpace(text: string, from = 0, to = text.length): number {
  let i = from;
  while (i < to && isSpaceCode(text.charCodeAt(i))) i++;
  return i;
}

/** Where the `\s` at the end of `text[..to)` begins (`from` when all of it is). */
export function trimmedEnd(text: string, to = text.length, from = 0): number {
  let i = to;
  while (i > from && isSpaceCode(text.charCodeAt(i - 1))) i--;
  return i;
}
