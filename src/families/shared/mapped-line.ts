// A logical line assembled from pieces of physical lines (continuations, macro substitution) that still
// knows where each of its characters was written, so tokens found in it get exact spans.
import type { Span } from '../../core/types';

export class MappedLine {
  private chars = '';
  private offsets: number[] = [];

  constructor(readonly file: string) {}

  get text(): string {
    return this.chars;
  }

  /** Appends a piece written at `offset`; with `separator`, one space standing just after it. */
  append(piece: string, offset: number, separator = ''): void {
    for (let i = 0; i < piece.length; i++) this.offsets.push(offset + i);
    this.chars += piece;
    for (let i = 0; i < separator.length; i++) this.offsets.push(offset + piece.length);
    this.chars += separator;
  }

  /** Replaces every occurrence of `from`; the replacement's characters stand where `from` was written. */
  replaceAll(from: string, to: string): void {
    let at = this.chars.indexOf(from);
    while (at >= 0) {
      const origin = this.offsets[at]!;
      this.chars = this.chars.slice(0, at) + to + this.chars.slice(at + from.length);
      this.offsets.splice(at, from.length, ...Array<number>(to.length).fill(origin));
      at = this.chars.indexOf(from, at + to.length);
    }
  }

  /** Removes characters from the end (trailing blanks). */
  truncate(length: number): void {
    this.chars = this.chars.slice(0, length);
    this.offsets.length = Math.min(this.offsets.length, length);
  }

  /** The file span of text[start, end); an empty range sits just after the character before it. */
  span(start: number, end: number): Span {
    if (this.offsets.length === 0) return { file: this.file, start: 0, end: 0 };
    const from = start < this.offsets.length ? this.offsets[start]! : this.offsets[this.offsets.length - 1]! + 1;
    const to = end > start ? this.offsets[Math.min(end, this.offsets.length) - 1]! + 1 : from;
    return { file: this.file, start: from, end: Math.max(from, to) };
  }
}
