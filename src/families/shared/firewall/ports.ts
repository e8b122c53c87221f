// Port sets as sorted, disjoint, non-adjacent ranges of 0-65535. Immutable.

export interface PortRange {
  from: number;
  to: number;
}

export const MAX_PORT = 65535;

export class PortSet {
  private constructor(readonly ranges: readonly PortRange[]) {}

  static readonly empty = new PortSet([]);
  static readonly all = new PortSet([{ from: 0, to: MAX_PORT }]);

  static of(...ranges: PortRange[]): PortSet {
    const sorted = ranges
      .map((range) => ({ from: Math.max(0, Math.min(range.from, range.to)), to: Math.min(MAX_PORT, Math.max(range.from, range.to)) }))
      .sort((a, b) => a.from - b.from);
    const merged: PortRange[] = [];
    for (const range of sorted) {
      const last = merged[merged.length - 1];
      if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
      else merged.push({ ...range });
    }
    return new PortSet(merged);
  }

  static single(port: number): PortSet {
    return PortSet.of({ from: port, to: port });
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  has(port: number): boolean {
    return this.ranges.some((range) => range.from <= port && port <= range.to);
  }

  /** True when every port of `other` is in this set. */
  covers(other: PortSet): boolean {
    return other.subtract(this).isEmpty();
  }

  overlaps(other: PortSet): boolean {
    return !this.intersect(other).isEmpty();
  }

  union(other: PortSet): PortSet {
    return PortSet.of(...this.ranges, ...other.ranges);
  }

  complement(): PortSet {
    return PortSet.all.subtract(this);
  }

  subtract(other: PortSet): PortSet {
    let remaining: PortRange[] = this.ranges.map((range) => ({ ...range }));
    for (const cut of other.ranges) {
      const next: PortRange[] = [];
      for (const range of remaining) {
        if (cut.to < range.from || cut.from > range.to) {
          next.push(range);
          continue;
        }
        if (cut.from > range.from) next.push({ from: range.from, to: cut.from - 1 });
        if (cut.to < range.to) next.push({ from: cut.to + 1, to: range.to });
      }
      remaining = next;
    }
    return new PortSet(remaining);
  }

  intersect(other: PortSet): PortSet {
    return this.subtract(this.subtract(other));
  }

  size(): number {
    return this.ranges.reduce((total, range) => total + range.to - range.from + 1, 0);
  }

  /** `22`, `1000-2000`, `22,80,443` — for messages. */
  toString(): string {
    return this.ranges.map((range) => (range.from === range.to ? String(range.from) : `${range.from}-${range.to}`)).join(',');
  }
}
