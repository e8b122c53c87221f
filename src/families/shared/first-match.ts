// "The first entry that matches decides" over address lists (Postfix mynetworks, pg_hba.conf records): what
// each entry can still decide is its range minus the ranges decided before it. Computed with every range
// known in advance: their boundaries cut the address space into cells, and a union-find "next undecided cell"
// pointer lets each entry visit only the cells still undecided, so a list of n disjoint entries costs
// O(n log n) instead of the O(n^2) of re-uniting and subtracting interval lists entry by entry.
import { type AddressRange, AddressSet } from '../../net';

export class FirstMatch {
  /** Sorted, distinct cell starts; cell i is [starts[i], starts[i + 1] - 1]. */
  private readonly starts: bigint[];
  /** Per channel: union-find pointer to the next undecided cell at or after i (starts.length: none). */
  private readonly next: Int32Array[];

  /** `ranges`: every range that will be asked about or decided; `channels`: independent lists over the same cells. */
  constructor(ranges: readonly AddressRange[], channels = 1) {
    const points = new Set<bigint>();
    for (const range of ranges) {
      points.add(range.start);
      points.add(range.end + 1n);
    }
    this.starts = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.next = Array.from({ length: channels }, () => {
      const pointers = new Int32Array(this.starts.length + 1);
      for (let i = 0; i < pointers.length; i++) pointers[i] = i;
      return pointers;
    });
  }

  private cellAt(address: bigint): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= address) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private find(channel: Int32Array, cell: number): number {
    let root = cell;
    while (channel[root] !== root) root = channel[root]!;
    // Path compression.
    let current = cell;
    while (channel[current] !== root) {
      const following = channel[current]!;
      channel[current] = root;
      current = following;
    }
    return root;
  }

  /** The part of `range` no earlier decision of `channel` took. */
  undecided(range: AddressRange, channel = 0): AddressSet {
    return this.walk(range, [channel], false);
  }

  /** Takes `range` in each of `channels` and returns the part of it the first of them had not yet decided. */
  decide(range: AddressRange, channels: readonly number[] = [0]): AddressSet {
    return this.walk(range, channels, true);
  }

  private walk(range: AddressRange, channels: readonly number[], take: boolean): AddressSet {
    const first = this.cellAt(range.start);
    const last = this.cellAt(range.end + 1n); // exclusive: the cell starting just after the range
    const found: AddressRange[] = [];
    channels.forEach((index, position) => {
      const channel = this.next[index]!;
      for (let cell = this.find(channel, first); cell < last; cell = this.find(channel, cell + 1)) {
        if (position === 0) {
          const start = this.starts[cell]!;
          const end = this.starts[cell + 1]! - 1n;
          const previous = found[found.length - 1];
          if (previous && previous.end + 1n === start) previous.end = end;
          else found.push({ start, end });
        }
        if (take) channel[cell] = cell + 1;
      }
    });
    return AddressSet.from(found);
  }
}
