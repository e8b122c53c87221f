// Small string helpers the web family uses on user text, written as loops: a regular expression such as
// /\/+$/ is tried at every slash of a long run and costs the square of its length.

/** `path` without the slashes at its end (`/a//` -> `/a`, `///` -> ``). */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return end === path.length ? path : path.slice(0, end);
}
