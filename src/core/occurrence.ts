// Repeated searches for a few fixed strings in one text (line breaks, template marks), each answered from the
// last search for the same string when that still tells: a walk that asks at every line start reads a text
// without `\r` once, not once per line.

/** The occurrences of fixed strings in one text, found by searches that are remembered. */
export class NextOccurrence {
  /** Per string: where its last search started and what it found there (-1: none from there on). */
  private readonly found = new Map<string, { from: number; at: number }>();

  constructor(private readonly text: string) {}

  /** The first `needle` at or after `from`, or -1. Any order of questions gets the answer indexOf gives. */
  of(needle: string, from: number): number {
    const known = this.found.get(needle);
    // A search from `known.from` <= `from` that found nothing, or found something at or after `from`, answers.
    if (known && known.from <= from && (known.at < 0 || known.at >= from)) return known.at;
    const at = this.text.indexOf(needle, from);
    this.found.set(needle, { from, at });
    return at;
  }

  /**
   * The last `needle` in [from, before), or -1. Searched backwards only when one is there: a backward search
   * from far into a text without it (`\r` in most files) would read back to the start.
   */
  lastBefore(needle: string, from: number, before: number): number {
    const first = this.of(needle, from);
    return first < 0 || first >= before ? -1 : this.text.lastIndexOf(needle, before - 1);
  }

  /** Where the line holding `from` ends: at its \n, \r\n or lone \r (as editors break lines), or at the end. */
  lineEnd(from: number): number {
    const lf = this.of('\n', from);
    const cr = this.of('\r', from);
    if (lf < 0) return cr < 0 ? this.text.length : cr;
    return cr < 0 ? lf : Math.min(lf, cr);
  }
}
