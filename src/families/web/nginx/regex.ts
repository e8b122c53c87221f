// nginx location regexes are PCRE; the subset people write in locations translates to JavaScript directly.
// Constructs without a JavaScript meaning make the location "unknown" (null) rather than a wrong guess.

export function toJsRegExp(pattern: string, caseless: boolean): RegExp | null {
  let source = pattern.replace(/\(\?P</g, '(?<'); // PCRE's Python-style named groups
  let flags = caseless ? 'i' : '';
  const inline = /^\(\?([a-z]+)\)/.exec(source);
  if (inline) {
    if (/[^imsx]/.test(inline[1]!) || inline[1]!.includes('x')) return null;
    if (inline[1]!.includes('i')) flags += flags.includes('i') ? '' : 'i';
    source = source.slice(inline[0].length);
  }
  if (/\(\?[a-zA-Z]/.test(source) || /\\[AZzQEG]|\(\?>|\*\+|\+\+|\?\+|\[\[:/.test(source)) return null;
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}
