import type { Span } from '../../core/types';

/** Where one character was written: a file and an offset, or nowhere (a built-in default). */
export interface CharOrigin {
  file: string;
  offset: number;
}

/**
 * A string that remembers, per character, where it was written. `$name` expansion keeps the origins
 * of the expanded text, so a list item that came through `$mynet` still points at the line defining it.
 */
export class TrackedText {
  private constructor(
    readonly text: string,
    private readonly origins: ReadonlyArray<CharOrigin | undefined>,
  ) {}

  static fromSource(file: string, text: string, offset: number): TrackedText {
    return new TrackedText(text, Array.from({ length: text.length }, (_, i) => ({ file, offset: offset + i })));
  }

  static plain(text: string): TrackedText {
    return new TrackedText(text, Array<undefined>(text.length).fill(undefined));
  }

  static join(parts: readonly TrackedText[], separator = ''): TrackedText {
    let text = '';
    const origins: Array<CharOrigin | undefined> = [];
    parts.forEach((part, index) => {
      if (index > 0) {
        text += separator;
        origins.push(...Array<undefined>(separator.length).fill(undefined));
      }
      text += part.text;
      origins.push(...part.origins);
    });
    return new TrackedText(text, origins);
  }

  get length(): number {
    return this.text.length;
  }

  slice(start: number, end = this.text.length): TrackedText {
    return new TrackedText(this.text.slice(start, end), this.origins.slice(start, end));
  }

  trim(): TrackedText {
    const start = this.text.length - this.text.trimStart().length;
    return this.slice(start, this.text.trimEnd().length);
  }

  /** The file span of the whole text when it was written contiguously in one file, else undefined. */
  span(): Span | undefined {
    if (this.text.length === 0) return undefined;
    const first = this.origins[0];
    if (!first) return undefined;
    for (let i = 1; i < this.origins.length; i++) {
      const origin = this.origins[i];
      if (!origin || origin.file !== first.file || origin.offset !== first.offset + i) return undefined;
    }
    return { file: first.file, start: first.offset, end: first.offset + this.text.length };
  }

  /** The span of the first character that has one: where to point when the whole text has no single span. */
  firstOrigin(): CharOrigin | undefined {
    return this.origins.find((origin) => origin !== undefined);
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
