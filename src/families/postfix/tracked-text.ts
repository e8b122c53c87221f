import { skipSpace, trimmedEnd } from '../../core/chars';
import type { Span } from '../../core/types';
export { isSpaceCode } from '../../core/chars';

/** Where one character was written: a file and an offset, or nowhere (a built-in default). */
export interface CharOrigin {
  file: string;
  offset: number;
}

/**
 * Runs an expanded text keeps (see join): past this, expansions of expansions (`a2 = $a1 $a1`, `a1 = $a0 $a0`,
 * ...) would copy more runs at every level than a file can hold. A list of 100,000 items written on as many
 * lines still keeps every origin.
 */
export const MAX_EXPANSION_RUNS = 100_000;

/** A stretch of text written contiguously: text index `at` onwards came from `file` at `offset`. */
interface Run {
  at: number;
  file: string | undefined;
  offset: number;
}

/**
 * A string that remembers where each character was written, as runs of contiguous text. `$name`
 * expansion keeps the origins of the expanded text, so a list item that came through `$mynet` still
 * points at the line defining it.
 */
export class TrackedText {
  /**
   * Text written in one stretch (every value as parsed, and most slices of it) keeps its one run as `file` and
   * `offset` and has no list: a run list and a run object less for each of them (main.cf parsing made three
   * such texts a line, and a 50,000-line file's worth outlived the young generation).
   */
  private constructor(
    readonly text: string,
    /** Sorted by `at`; the first starts at 0 (when the text is not empty). Undefined: one run, below. */
    private readonly many: readonly Run[] | undefined,
    private readonly file: string | undefined = undefined,
    private readonly offset = 0,
  ) {}

  /** The runs, as a list (made for a text of one run). */
  private get runs(): readonly Run[] {
    return this.many ?? (this.text.length ? [{ at: 0, file: this.file, offset: this.offset }] : []);
  }

  private static ofRuns(text: string, runs: readonly Run[]): TrackedText {
    const only = runs.length === 1 ? runs[0]! : undefined;
    if (only && only.at === 0) return new TrackedText(text, undefined, only.file, only.offset);
    return new TrackedText(text, runs.length === 0 && text.length === 0 ? undefined : runs);
  }

  static fromSource(file: string, text: string, offset: number): TrackedText {
    return new TrackedText(text, undefined, file, offset);
  }

  static plain(text: string): TrackedText {
    return new TrackedText(text, undefined);
  }

  static join(parts: readonly TrackedText[], separator = '', maxRuns = Number.POSITIVE_INFINITY): TrackedText {
    let text = '';
    const runs: Run[] = [];
    let full = false;
    const add = (at: number, file: string | undefined, offset: number) => {
      // Text joined back together where it was contiguous stays one run.
      const last = runs[runs.length - 1];
      if (last && last.file === file && file !== undefined && last.offset + (at - last.at) === offset) return;
      if (last && last.file === undefined && file === undefined) return;
      // Text assembled from more than `maxRuns` places keeps the first places and forgets the rest: their
      // characters are written nowhere, as a default's are.
      if (runs.length >= maxRuns) {
        if (!full) runs.push({ at, file: undefined, offset: 0 });
        full = true;
        return;
      }
      runs.push({ at, file, offset });
    };
    parts.forEach((part, index) => {
      if (index > 0 && separator) {
        if (!full) add(text.length, undefined, 0);
        text += separator;
      }
      if (!full) for (const run of part.runs) add(run.at + text.length, run.file, run.offset);
      text += part.text;
    });
    return TrackedText.ofRuns(text, runs);
  }

  get length(): number {
    return this.text.length;
  }

  slice(start: number, end = this.text.length): TrackedText {
    const from = Math.max(0, Math.min(start, this.text.length));
    const to = Math.max(from, Math.min(end, this.text.length));
    if (from === 0 && to === this.text.length) return this;
    // Text written in one stretch (most values): one run, shifted.
    if (!this.many) return new TrackedText(this.text.slice(from, to), undefined, this.file, this.offset + from);
    const runs: Run[] = [];
    // The last run starting at or before `from` (runs are sorted by `at`), then on while runs start before `to`.
    let low = 0;
    let high = this.runs.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.runs[mid]!.at <= from) low = mid;
      else high = mid - 1;
    }
    for (let i = low; i < this.runs.length; i++) {
      const run = this.runs[i]!;
      if (run.at >= to) break;
      const runEnd = i + 1 < this.runs.length ? this.runs[i + 1]!.at : this.text.length;
      if (runEnd <= from) continue;
      const clipped = Math.max(run.at, from);
      runs.push({ at: clipped - from, file: run.file, offset: run.offset + (clipped - run.at) });
    }
    return TrackedText.ofRuns(this.text.slice(from, to), runs);
  }

  trim(): TrackedText {
    // String.prototype.trim's characters, found in place (trimStart/trimEnd copied the text twice to count them).
    const start = skipSpace(this.text);
    return this.slice(start, trimmedEnd(this.text, this.text.length, start));
  }

  /** The file span of the whole text when it was written contiguously in one file, else undefined. */
  span(): Span | undefined {
    if (this.text.length === 0) return undefined;
    if (!this.many) return this.file ? { file: this.file, start: this.offset, end: this.offset + this.text.length } : undefined;
    const first = this.runs[0];
    if (!first?.file) return undefined;
    // Adjacent runs may still be contiguous (text joined back together): accept them.
    for (let i = 1; i < this.runs.length; i++) {
      const run = this.runs[i]!;
      if (run.file !== first.file || run.offset !== first.offset + run.at) return undefined;
    }
    return { file: first.file, start: first.offset, end: first.offset + this.text.length };
  }

  /** Where the first character that was written somewhere was written. */
  firstOrigin(): CharOrigin | undefined {
    const run = this.runs.find((candidate) => candidate.file !== undefined);
    return run ? { file: run.file!, offset: run.offset } : undefined;
  }

  /** Splits on any of the separator characters, dropping empty items. */
  split(separators: RegExp): TrackedText[] {
    const items: TrackedText[] = [];
    let start = -1;
    for (let i = 0; i <= this.text.length; i++) {
      const isSeparator = i === this.text.length || separators.test(this.text[i]!);
      if (isSeparator && start >= 0) {
        items.push(this.slice(start, i));
        start = -1;
      } else if (!isSeparator && start < 0) start = i;
    }
    return items;
  }
}
