import { type AddressRange, formatRange, isV4Range, parseRange } from './address';

/** A set of addresses as sorted, disjoint, non-adjacent intervals. Immutable. */
export class AddressSet {
  private constructor(readonly intervals: readonly AddressRange[]) {}

  static readonly empty = new AddressSet([]);

  static of(...ranges: AddressRange[]): AddressSet {
    return AddressSet.from(ranges);
  }

  /** `of` for a list of any length (a spread argument list is limited by the stack). */
  static from(ranges: readonly AddressRange[]): AddressSet {
    const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const merged: AddressRange[] = [];
    for (const range of sorted) {
      const last = merged[merged.length - 1];
      if (last && range.start <= last.end + 1n) {
        if (range.end > last.end) merged[merged.length - 1] = { start: last.start, end: range.end };
      } else merged.push({ ...range });
    }
    return new AddressSet(merged);
  }

  /** Parses CIDR texts; unparsable entries are ignored. */
  static parse(texts: readonly string[]): AddressSet {
    return AddressSet.from(texts.map((text) => parseRange(text)?.range).filter((range): range is AddressRange => range !== undefined));
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  size(): bigint {
    return this.intervals.reduce((total, range) => total + (range.end - range.start + 1n), 0n);
  }

  union(other: AddressSet): AddressSet {
    return AddressSet.from([...this.intervals, ...other.intervals]);
  }

  subtract(other: AddressSet): AddressSet {
    let remaining = [...this.intervals];
    for (const cut of other.intervals) {
      const next: AddressRange[] = [];
      for (const range of remaining) {
        if (cut.end < range.start || cut.start > range.end) {
          next.push(range);
          continue;
        }
        if (cut.start > range.start) next.push({ start: range.start, end: cut.start - 1n });
        if (cut.end < range.end) next.push({ start: cut.end + 1n, end: range.end });
      }
      remaining = next;
    }
    return new AddressSet(remaining);
  }

  intersect(other: AddressSet): AddressSet {
    return this.subtract(this.subtract(other));
  }

  contains(address: bigint): boolean {
    return this.intervals.some((range) => range.start <= address && address <= range.end);
  }

  containsRange(range: AddressRange): boolean {
    return AddressSet.of(range).subtract(this).isEmpty();
  }

  /** The set as a minimal list of CIDR prefixes. */
  toCidrs(): string[] {
    const out: string[] = [];
    for (const range of this.intervals) {
      let start = range.start;
      while (start <= range.end) {
        let size = 1n;
        while (start % (size * 2n) === 0n && start + size * 2n - 1n <= range.end) size *= 2n;
        out.push(formatRange({ start, end: start + size - 1n }));
        start += size;
      }
    }
    return out;
  }

  /** Number of IPv4 addresses in the set (the v4-mapped block only). */
  v4Size(): bigint {
    return this.intersect(AddressSet.of(V4_SPACE)).size();
  }
}

const V4_SPACE: AddressRange = parseRange('0.0.0.0/0')!.range;

export function isV4Set(set: AddressSet): boolean {
  return set.intervals.every(isV4Range);
}
