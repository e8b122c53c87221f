// Address sets as sorted interval lists. Every operation is a linear merge sweep or a binary search, so
// building a set from n ranges costs O(n log n) and combining two sets O(n + m): lists of hundreds of
// thousands of entries (a 4 MB `bind` line, an ipset-sized mynetworks) never go quadratic.
// API and costs: /work/notes/net-api.md (kept short here: see the comments on each method).
import { type AddressRange, formatRange, isV4Range, parseRange } from './address';

const byStart = (a: AddressRange, b: AddressRange) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);

/** Sorted ranges (by start) merged into disjoint, non-adjacent intervals: O(n). */
function mergeSorted(sorted: readonly AddressRange[]): AddressRange[] {
  const merged: AddressRange[] = [];
  let last: AddressRange | undefined;
  for (const range of sorted) {
    if (last && range.start <= last.end + 1n) {
      if (range.end > last.end) last.end = range.end;
    } else merged.push((last = { start: range.start, end: range.end }));
  }
  return merged;
}

function isSortedByStart(ranges: readonly AddressRange[]): boolean {
  for (let i = 1; i < ranges.length; i++) if (ranges[i - 1]!.start > ranges[i]!.start) return false;
  return true;
}

/** Index of the last interval whose start is <= address, or -1. */
function lastStartingAtOrBefore(intervals: readonly AddressRange[], address: bigint): number {
  let low = 0;
  let high = intervals.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (intervals[mid]!.start <= address) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** A set of addresses as sorted, disjoint, non-adjacent intervals. Immutable. */
export class AddressSet {
  private constructor(readonly intervals: readonly AddressRange[]) {}

  static readonly empty = new AddressSet([]);

  static of(...ranges: AddressRange[]): AddressSet {
    if (ranges.length === 1) return new AddressSet([{ start: ranges[0]!.start, end: ranges[0]!.end }]);
    return AddressSet.from(ranges);
  }

  /** `of` for a list of any length (a spread argument list is limited by the stack). O(n log n); O(n) when sorted. */
  static from(ranges: readonly AddressRange[]): AddressSet {
    if (ranges.length === 0) return AddressSet.empty;
    return new AddressSet(mergeSorted(isSortedByStart(ranges) ? ranges : [...ranges].sort(byStart)));
  }

  /** The union of many sets in one sort: O(N log N) over all their intervals (never `reduce(union)`). */
  static unionAll(sets: readonly AddressSet[]): AddressSet {
    const nonEmpty = sets.filter((set) => !set.isEmpty());
    if (nonEmpty.length === 0) return AddressSet.empty;
    if (nonEmpty.length === 1) return nonEmpty[0]!;
    if (nonEmpty.length === 2) return nonEmpty[0]!.union(nonEmpty[1]!);
    const all: AddressRange[] = [];
    for (const set of nonEmpty) for (const range of set.intervals) all.push(range);
    return new AddressSet(mergeSorted(all.sort(byStart)));
  }

  /** Parses CIDR texts; unparsable entries are ignored. */
  static parse(texts: readonly string[]): AddressSet {
    const ranges: AddressRange[] = [];
    for (const text of texts) {
      const parsed = parseRange(text);
      if (parsed) ranges.push(parsed.range);
    }
    return AddressSet.from(ranges);
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  size(): bigint {
    let total = 0n;
    for (const range of this.intervals) total += range.end - range.start + 1n;
    return total;
  }

  /** O(n + m). */
  union(other: AddressSet): AddressSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const a = this.intervals;
    const b = other.intervals;
    const sorted: AddressRange[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start)) sorted.push(a[i++]!);
      else sorted.push(b[j++]!);
    }
    return new AddressSet(mergeSorted(sorted));
  }

  /** O(n + m). */
  subtract(other: AddressSet): AddressSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    const cuts = other.intervals;
    const out: AddressRange[] = [];
    let j = 0;
    for (const range of this.intervals) {
      let start = range.start;
      // Cuts entirely before what is left of this range never matter again (ranges are sorted).
      while (j < cuts.length && cuts[j]!.end < start) j++;
      let k = j;
      while (k < cuts.length && cuts[k]!.start <= range.end) {
        const cut = cuts[k]!;
        if (cut.start > start) out.push({ start, end: cut.start - 1n });
        if (cut.end >= range.end) {
          start = range.end + 1n;
          break;
        }
        start = cut.end + 1n;
        k++;
      }
      if (start <= range.end) out.push({ start, end: range.end });
      // A cut reaching past this range may cut the next one too: resume from the last cut looked at.
      j = Math.max(j, k > j ? k - 1 : j);
    }
    return new AddressSet(out);
  }

  /** O(n + m). */
  intersect(other: AddressSet): AddressSet {
    if (this.isEmpty() || other.isEmpty()) return AddressSet.empty;
    const a = this.intervals;
    const b = other.intervals;
    const out: AddressRange[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      const start = x.start > y.start ? x.start : y.start;
      const end = x.end < y.end ? x.end : y.end;
      if (start <= end) out.push({ start, end });
      if (x.end < y.end) i++;
      else j++;
    }
    return new AddressSet(out);
  }

  /** The part of the set inside `range`: O(log n + k). */
  intersectRange(range: AddressRange): AddressSet {
    const out: AddressRange[] = [];
    let i = Math.max(0, lastStartingAtOrBefore(this.intervals, range.start));
    for (; i < this.intervals.length && this.intervals[i]!.start <= range.end; i++) {
      const interval = this.intervals[i]!;
      const start = interval.start > range.start ? interval.start : range.start;
      const end = interval.end < range.end ? interval.end : range.end;
      if (start <= end) out.push({ start, end });
    }
    return out.length === 0 ? AddressSet.empty : new AddressSet(out);
  }

  /** O(log n). */
  contains(address: bigint): boolean {
    const i = lastStartingAtOrBefore(this.intervals, address);
    return i >= 0 && address <= this.intervals[i]!.end;
  }

  /** Every address of `range` is in the set: O(log n). */
  containsRange(range: AddressRange): boolean {
    const i = lastStartingAtOrBefore(this.intervals, range.start);
    return i >= 0 && range.end <= this.intervals[i]!.end;
  }

  /** Some address of `range` is in the set: O(log n). */
  overlapsRange(range: AddressRange): boolean {
    const i = lastStartingAtOrBefore(this.intervals, range.end);
    return i >= 0 && this.intervals[i]!.end >= range.start;
  }

  equals(other: AddressSet): boolean {
    if (this.intervals.length !== other.intervals.length) return false;
    return this.intervals.every((range, i) => range.start === other.intervals[i]!.start && range.end === other.intervals[i]!.end);
  }

  /** The set as a minimal list of CIDR prefixes. */
  toCidrs(): string[] {
    const out: string[] = [];
    for (const range of this.intervals) {
      let start = range.start;
      while (start <= range.end) {
        // The largest block that starts here: as large as `start` is aligned (its lowest set bit; 0 is aligned
        // to everything) and no larger than what is left of the range (its highest power of two). A few BigInt
        // operations a block, where doubling a trial size took up to 128 rounds of them.
        const left = range.end - start + 1n;
        const fits = 1n << BigInt(left.toString(2).length - 1);
        const aligned = start & -start;
        const size = aligned === 0n || aligned > fits ? fits : aligned;
        out.push(formatRange({ start, end: start + size - 1n }));
        start += size;
      }
    }
    return out;
  }

  /** Number of IPv4 addresses in the set (the v4-mapped block only). */
  v4Size(): bigint {
    return this.intersectRange(V4_SPACE).size();
  }
}

const V4_SPACE: AddressRange = parseRange('0.0.0.0/0')!.range;

export function isV4Set(set: AddressSet): boolean {
  return set.intervals.every(isV4Range);
}

/**
 * Many ranges added and cut, built at once: (union of everything added) minus (union of everything cut),
 * whatever the order of the calls. `add`/`cut` collect in O(1); `build` costs O(N log N).
 */
export class AddressSetBuilder {
  private readonly added: AddressRange[] = [];
  private readonly cuts: AddressRange[] = [];

  add(range: AddressRange): this {
    this.added.push(range);
    return this;
  }

  addSet(set: AddressSet): this {
    for (const range of set.intervals) this.added.push(range);
    return this;
  }

  cut(range: AddressRange): this {
    this.cuts.push(range);
    return this;
  }

  cutSet(set: AddressSet): this {
    for (const range of set.intervals) this.cuts.push(range);
    return this;
  }

  build(): AddressSet {
    const added = AddressSet.from(this.added);
    return this.cuts.length === 0 ? added : added.subtract(AddressSet.from(this.cuts));
  }
}

/** A node of AddressCoverage's treap: one covered interval. */
interface Node {
  start: bigint;
  end: bigint;
  priority: number;
  left: Node | undefined;
  right: Node | undefined;
}

/**
 * What a first-match list has decided so far, when its ranges are not known in advance: `take(range)` returns
 * the part of `range` nothing before covered, then covers it. The covered intervals live in a treap (a
 * randomised balanced search tree keyed by start), so a call costs O(log n + k) where k counts the covered
 * intervals it touches; each of those is merged away, so n calls cost O(n log n) in any order.
 */
export class AddressCoverage {
  private root: Node | undefined;
  /** Deterministic priorities (xorshift): the same input always builds the same tree. */
  private seed = 0x2545f491;

  private priority(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0 || 1;
    return this.seed;
  }

  /** Splits by start: [nodes with start < key, nodes with start >= key]. */
  private split(node: Node | undefined, key: bigint): [Node | undefined, Node | undefined] {
    // Iterative, so that no input can overflow the stack.
    let left: Node | undefined;
    let right: Node | undefined;
    let leftTail: Node | undefined;
    let rightTail: Node | undefined;
    let current = node;
    while (current) {
      if (current.start < key) {
        if (leftTail) leftTail.right = current;
        else left = current;
        leftTail = current;
        current = current.right;
      } else {
        if (rightTail) rightTail.left = current;
        else right = current;
        rightTail = current;
        current = current.left;
      }
    }
    if (leftTail) leftTail.right = undefined;
    if (rightTail) rightTail.left = undefined;
    return [left, right];
  }

  /** Joins two treaps where every start in `a` is below every start in `b`. */
  private merge(a: Node | undefined, b: Node | undefined): Node | undefined {
    if (!a) return b;
    if (!b) return a;
    // Iterative merge along the right spine of `a` and the left spine of `b`.
    let root: Node | undefined;
    let attach = (node: Node | undefined) => {
      root = node;
    };
    let x: Node | undefined = a;
    let y: Node | undefined = b;
    while (x && y) {
      if (x.priority >= y.priority) {
        const chosen: Node = x;
        attach(chosen);
        x = chosen.right;
        attach = (node) => {
          chosen.right = node;
        };
      } else {
        const chosen: Node = y;
        attach(chosen);
        y = chosen.left;
        attach = (node) => {
          chosen.left = node;
        };
      }
    }
    attach(x ?? y);
    return root;
  }

  /** Removes and returns the node with the greatest start of `node` (undefined when empty). */
  private popLast(node: Node | undefined): [Node | undefined, Node | undefined] {
    if (!node) return [undefined, undefined];
    let parent: Node | undefined;
    let current = node;
    while (current.right) {
      parent = current;
      current = current.right;
    }
    if (parent) parent.right = current.left;
    else node = current.left;
    current.left = undefined;
    return [node, current];
  }

  private inOrder(node: Node | undefined, visit: (node: Node) => void): void {
    const stack: Node[] = [];
    let current = node;
    while (current || stack.length > 0) {
      while (current) {
        stack.push(current);
        current = current.left;
      }
      const top = stack.pop()!;
      visit(top);
      current = top.right;
    }
  }

  /** The part of `range` not covered yet (no change): O(log n + k). */
  uncovered(range: AddressRange): AddressSet {
    return this.walk(range, false);
  }

  /** The part of `range` not covered before this call; `range` is covered afterwards. */
  take(range: AddressRange): AddressSet {
    return this.walk(range, true);
  }

  /** `take` for every interval of a set. */
  takeSet(set: AddressSet): AddressSet {
    const pieces: AddressSet[] = set.intervals.map((range) => this.take(range));
    return AddressSet.unionAll(pieces);
  }

  /** Every address of `range` is covered already. */
  covers(range: AddressRange): boolean {
    return this.uncovered(range).isEmpty();
  }

  /** Everything covered so far. */
  toSet(): AddressSet {
    const out: AddressRange[] = [];
    this.inOrder(this.root, (node) => out.push({ start: node.start, end: node.end }));
    return AddressSet.from(out);
  }

  /** The covered interval with the greatest start <= key. */
  private predecessor(key: bigint): Node | undefined {
    let found: Node | undefined;
    let current = this.root;
    while (current) {
      if (current.start <= key) {
        found = current;
        current = current.right;
      } else current = current.left;
    }
    return found;
  }

  /** Inserts an interval that overlaps and touches no covered one (the usual first-match entry). */
  private insert(range: AddressRange): void {
    const node: Node = { start: range.start, end: range.end, priority: this.priority(), left: undefined, right: undefined };
    let parent: Node | undefined;
    let current = this.root;
    while (current && current.priority >= node.priority) {
      parent = current;
      current = node.start < current.start ? current.left : current.right;
    }
    [node.left, node.right] = this.split(current, node.start);
    if (!parent) this.root = node;
    else if (node.start < parent.start) parent.left = node;
    else parent.right = node;
  }

  private walk(range: AddressRange, take: boolean): AddressSet {
    if (range.end < range.start) return AddressSet.empty;
    // Fast paths: nothing covered touches the range, or one covered interval holds all of it.
    const previous = this.predecessor(range.end + 1n);
    if (!previous || previous.end + 1n < range.start) {
      if (take) this.insert(range);
      return AddressSet.of(range);
    }
    if (previous.start <= range.start && range.end <= previous.end) return AddressSet.empty;
    return this.carve(range, take);
  }

  private carve(range: AddressRange, take: boolean): AddressSet {
    // before: starts < range.start; middle: starts in [range.start, range.end + 1]; after: the rest.
    const [before, rest] = this.split(this.root, range.start);
    const [middle, after] = this.split(rest, range.end + 2n);
    const [beforeRest, previous] = this.popLast(before);
    const touching: Node[] = [];
    if (previous && previous.end + 1n >= range.start) touching.push(previous);
    this.inOrder(middle, (node) => touching.push(node));
    // Gaps of the range between the covered intervals that touch it.
    const gaps: AddressRange[] = [];
    let cursor = range.start;
    for (const node of touching) {
      if (node.start > cursor) gaps.push({ start: cursor, end: node.start - 1n < range.end ? node.start - 1n : range.end });
      if (node.end + 1n > cursor) cursor = node.end + 1n;
    }
    if (cursor <= range.end) gaps.push({ start: cursor, end: range.end });
    const found = gaps.filter((gap) => gap.start <= gap.end);
    if (!take) {
      // Put everything back as it was.
      const left = previous ? this.merge(beforeRest, previous) : beforeRest;
      this.root = this.merge(this.merge(left, middle), after);
    } else {
      let start = range.start;
      let end = range.end;
      for (const node of touching) {
        if (node.start < start) start = node.start;
        if (node.end > end) end = node.end;
      }
      const joined: Node = { start, end, priority: this.priority(), left: undefined, right: undefined };
      const left = previous && !touching.includes(previous) ? this.merge(beforeRest, previous) : beforeRest;
      this.root = this.merge(this.merge(left, joined), after);
    }
    return found.length === 0 ? AddressSet.empty : AddressSet.from(found);
  }
}
