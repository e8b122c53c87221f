// AddressSet, AddressSetBuilder and AddressCoverage against a plain bitmap over a small universe, on seeded
// random inputs: every operation must give exactly the set a brute-force model gives.
import assert from 'node:assert/strict';
import { random as seeded } from '../fuzz/random';
import {
  type AddressRange,
  type RangeJudgement,
  AddressCoverage,
  AddressSet,
  AddressSetBuilder,
  VERY_WIDE_PUBLIC,
  judgeRange,
  likelyIntended,
  parseRange,
  parseRangeGeneral,
  publicPart,
} from '../../src/net';

const UNIVERSE = 160;

/** A seeded number in [0, 1) per call (the fuzzer's generator). */
function random(seed: number): () => number {
  const generator = seeded(seed);
  return () => generator.next();
}

function randomRange(next: () => number): AddressRange {
  const start = Math.floor(next() * UNIVERSE);
  const length = next() < 0.3 ? 1 : Math.floor(next() * 30) + 1;
  return { start: BigInt(start), end: BigInt(Math.min(UNIVERSE - 1, start + length - 1)) };
}

const bits = (ranges: readonly AddressRange[]) => {
  const out = new Array<boolean>(UNIVERSE).fill(false);
  for (const range of ranges) for (let i = Number(range.start); i <= Number(range.end); i++) out[i] = true;
  return out;
};

/** The bitmap as sorted, disjoint, non-adjacent intervals: what every AddressSet must hold. */
function intervalsOf(map: readonly boolean[]): Array<{ start: bigint; end: bigint }> {
  const out: Array<{ start: bigint; end: bigint }> = [];
  for (let i = 0; i < map.length; i++) {
    if (!map[i]) continue;
    let j = i;
    while (j + 1 < map.length && map[j + 1]) j++;
    out.push({ start: BigInt(i), end: BigInt(j) });
    i = j;
  }
  return out;
}

const plain = (set: AddressSet) => set.intervals.map((range) => ({ start: range.start, end: range.end }));

describe('address sets against a bitmap', function () {
  this.timeout(120_000);

  it('from, union, unionAll, subtract, intersect and the range queries', () => {
    const next = random(11);
    for (let round = 0; round < 400; round++) {
      const a = Array.from({ length: Math.floor(next() * 12) }, () => randomRange(next));
      const b = Array.from({ length: Math.floor(next() * 12) }, () => randomRange(next));
      const c = Array.from({ length: Math.floor(next() * 6) }, () => randomRange(next));
      const [ma, mb, mc] = [bits(a), bits(b), bits(c)];
      const [sa, sb, sc] = [AddressSet.from(a), AddressSet.from(b), AddressSet.from(c)];
      assert.deepEqual(plain(sa), intervalsOf(ma));
      assert.deepEqual(plain(sa.union(sb)), intervalsOf(ma.map((x, i) => x || mb[i]!)));
      assert.deepEqual(plain(AddressSet.unionAll([sa, sb, sc])), intervalsOf(ma.map((x, i) => x || mb[i]! || mc[i]!)));
      assert.deepEqual(plain(sa.subtract(sb)), intervalsOf(ma.map((x, i) => x && !mb[i]!)));
      assert.deepEqual(plain(sa.intersect(sb)), intervalsOf(ma.map((x, i) => x && mb[i]!)));
      assert.equal(sa.size(), BigInt(ma.filter(Boolean).length));
      const builder = new AddressSetBuilder();
      a.forEach((range, i) => {
        builder.add(range);
        if (b[i]) builder.cut(b[i]!);
      });
      b.slice(a.length).forEach((range) => builder.cut(range));
      assert.deepEqual(plain(builder.build()), intervalsOf(ma.map((x, i) => x && !mb[i]!)));
      const probe = randomRange(next);
      const inside = ma.slice(Number(probe.start), Number(probe.end) + 1);
      assert.equal(sa.containsRange(probe), inside.every(Boolean));
      assert.equal(sa.overlapsRange(probe), inside.some(Boolean));
      assert.equal(sa.contains(probe.start), ma[Number(probe.start)]);
      assert.deepEqual(plain(sa.intersectRange(probe)), intervalsOf(ma.map((x, i) => x && i >= Number(probe.start) && i <= Number(probe.end))));
      assert.equal(sa.equals(AddressSet.from([...sa.intervals].reverse())), true);
    }
  });

  it('AddressCoverage: each take returns what earlier takes left, in any order', () => {
    const next = random(29);
    for (let round = 0; round < 200; round++) {
      const coverage = new AddressCoverage();
      const covered = new Array<boolean>(UNIVERSE).fill(false);
      for (let step = 0; step < 25; step++) {
        const range = randomRange(next);
        const expected = intervalsOf(covered.map((x, i) => !x && i >= Number(range.start) && i <= Number(range.end)));
        if (next() < 0.3) {
          assert.deepEqual(plain(coverage.uncovered(range)), expected);
          assert.equal(coverage.covers(range), expected.length === 0);
        } else {
          assert.deepEqual(plain(coverage.take(range)), expected);
          for (let i = Number(range.start); i <= Number(range.end); i++) covered[i] = true;
        }
        assert.deepEqual(plain(coverage.toSet()), intervalsOf(covered));
      }
    }
  });

  it('stays fast on 50,000 ranges in the worst orders (linear-logarithmic, no deep recursion)', () => {
    // Not timed: 50,000 entries would take minutes with the quadratic algorithms this replaces.
    const n = 50_000;
    const ranges = Array.from({ length: n }, (_, i) => ({ start: BigInt(i * 4), end: BigInt(i * 4 + 1) }));
    const reversed = [...ranges].reverse();
    const coverage = new AddressCoverage();
    let pieces = 0;
    for (const range of reversed) pieces += coverage.take(range).intervals.length;
    assert.equal(pieces, n);
    assert.equal(coverage.take({ start: 0n, end: BigInt(n * 4) }).intervals.length, n);
    assert.equal(coverage.toSet().intervals.length, 1);
    const all = AddressSet.from(reversed);
    const odd = AddressSet.from(ranges.map((range) => ({ start: range.start + 1n, end: range.start + 2n })));
    assert.equal(all.subtract(odd).intervals.length, n);
    assert.equal(all.union(odd).intervals.length, n);
    assert.equal(all.intersect(odd).size(), BigInt(n));
    assert.equal(AddressSet.unionAll(ranges.map((range) => AddressSet.of(range))).intervals.length, n);
  });
});

describe('the plain IPv4 fast path of parseRange', function () {
  this.timeout(120_000);

  it('answers exactly as the general parser on random near-address texts', () => {
    const next = random(7);
    const alphabet = '0123456789......////  :[]af%\u00a0\t1255233';
    const json = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    let parsed = 0;
    for (let i = 0; i < 60_000; i++) {
      let text = '';
      if (i % 2 === 0) {
        const length = 1 + Math.floor(next() * 22);
        for (let j = 0; j < length; j++) text += alphabet[Math.floor(next() * alphabet.length)];
      } else {
        const octet = () => String(Math.floor(next() * 300)).padStart(next() < 0.1 ? 3 : 0, '0');
        text = `${octet()}.${octet()}.${octet()}.${octet()}`;
        if (next() < 0.6) text += `/${Math.floor(next() * 40)}`;
        if (next() < 0.1) text = ` ${text}\n`;
      }
      const fast = parseRange(text);
      if (fast) parsed++;
      assert.equal(json(fast), json(parseRangeGeneral(text)), text);
    }
    assert.ok(parsed > 5000, `only ${parsed} texts parsed`);
  });
});

describe('judgeRange on private and public entries', () => {
  it('gives the judgement spelled out from publicPart and likelyIntended, with and without a contribution', () => {
    const next = random(41);
    const trusted = AddressSet.parse(['203.0.113.0/24', '10.1.0.0/16']);
    const octet = () => Math.floor(next() * 256);
    const firsts = [10, 127, 172, 192, 100, 169, 8, 203, 0, 224];
    for (let i = 0; i < 3000; i++) {
      const text =
        i % 5 === 4
          ? `${['fd00', 'fe80', '2001:db8', '2a00', '::1', '::'][i % 6]}::/${Math.floor(next() * 129)}`.replace(':::', '::')
          : `${firsts[Math.floor(next() * firsts.length)]}.${octet()}.${octet()}.${octet()}/${Math.floor(next() * 33)}`;
      const parsed = parseRange(text);
      if (!parsed) continue;
      const contributions = [undefined, AddressSet.of(parsed.range).intersect(AddressSet.parse(['10.0.0.0/8', '8.0.0.0/8', 'fd00::/8']))];
      for (const contribution of contributions) {
        const exposed = publicPart(contribution ?? AddressSet.of(parsed.range)).subtract(trusted);
        const v4 = exposed.v4Size();
        const everything = parsed.prefix === 0;
        const intended = likelyIntended(parsed);
        const expected: RangeJudgement = {
          parsed,
          exposed,
          publicCount: exposed.size(),
          everything,
          ...(intended ? { intended } : {}),
          veryWide: everything || v4 >= VERY_WIDE_PUBLIC.v4 || exposed.size() - v4 >= VERY_WIDE_PUBLIC.v6,
        };
        const judged = judgeRange(parsed, trusted, contribution);
        assert.deepEqual({ ...judged, exposed: plain(judged.exposed) }, { ...expected, exposed: plain(expected.exposed) }, text);
      }
    }
  });
});
