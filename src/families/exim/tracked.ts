// Text that remembers where each character was written. Exim substitutes macros into every line and
// Debian's update-exim4.conf turns dc_relay_nets into a macro, so a relay network may be written in
// update-exim4.conf.conf and used in a hostlist of another file: findings go where it was written.
import { skipSpace, trimmedEnd } from '../../core/chars';
import type { Span } from '../../core/types';

interface Run {
  /** Index in the text where this run starts. */
  at: number;
  /** The file and offset of the run's first character; undefined for text that was written nowhere. */
  file?: string;
  offset: number;
}

const MAX_RUNS = 4096;

export class Tracked {
  private constructor(
    readonly text: string,
    private readonly runs: readonly Run[],
  ) {}

  static at(file: string, offset: number, text: string): Tracked {
    return new Tracked(text, text ? [{ at: 0, file, offset }] : []);
  }

  static plain(text: string): Tracked {
    return new Tracked(text, text ? [{ at: 0, offset: 0 }] : []);
  }

  static join(parts: readonly Tracked[]): Tracked {
    let text = '';
    let runs: Run[] = [];
    for (const part of parts) {
      for (const run of part.runs) runs.push({ ...run, at: run.at + text.length });
      text += part.text;
    }
    // Text assembled from thousands of places (macros of macros) keeps the first places and forgets the rest.
    if (runs.length > MAX_RUNS) runs = [...runs.slice(0, MAX_RUNS), { at: runs[MAX_RUNS]!.at, offset: 0 }];
    return new Tracked(text, runs);
  }

  slice(start: number, end = this.text.length): Tracked {
    const from = Math.max(0, Math.min(start, this.text.length));
    const to = Math.max(from, Math.min(end, this.text.length));
    if (from === 0 && to === this.text.length) return this;
    const runs: Run[] = [];
    this.runs.forEach((run, index) => {
      const runEnd = index + 1 < this.runs.length ? this.runs[index + 1]!.at : this.text.length;
      if (runEnd <= from || run.at >= to) return;
      const clipped = Math.max(run.at, from);
      runs.push({ at: clipped - from, ...(run.file ? { file: run.file } : {}), offset: run.offset + (clipped - run.at) });
    });
    return new Tracked(this.text.slice(from, to), runs);
  }

  trim(): Tracked {
    const start = skipSpace(this.text);
    return this.slice(start, trimmedEnd(this.text, this.text.length, start));
  }

  /** The span of the whole text when it was written contiguously in one file. */
  span(): Span | undefined {
    const first = this.runs[0];
    if (!first?.file || !this.text) return undefined;
    for (const run of this.runs.slice(1)) if (run.file !== first.file || run.offset !== first.offset + run.at) return undefined;
    return { file: first.file, start: first.offset, end: first.offset + this.text.length };
  }

  /** One character's span where the first written character of the text is. */
  firstSpan(): Span | undefined {
    const run = this.runs.find((candidate) => candidate.file);
    return run ? { file: run.file!, start: run.offset, end: run.offset + 1 } : undefined;
  }
}
