import assert from 'node:assert/strict';
import { AddressSet, classify, formatAddress, likelyIntended, parseRange, publicPart, writtenNetwork, formatRange } from '../../src/net';

const range = (text: string) => {
  const parsed = parseRange(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
};

describe('address ranges', () => {
  it('parses IPv4, IPv6, bracketed and IPv4-mapped forms', () => {
    assert.equal(range('172.16.0.0/12').version, 4);
    assert.equal(formatRange(range('[::1]/128').range), '::1/128');
    const mapped = range('[::ffff:127.0.0.0]/104');
    assert.equal(mapped.version, 4);
    assert.equal(formatRange(mapped.range), '127.0.0.0/8');
    assert.equal(formatRange(range('::ffff:7f00:1').range), '127.0.0.1/32');
    assert.equal(formatRange(range('2001:db8::/32').range), '2001:db8::/32');
    assert.equal(formatRange(range('fe80::1%eth0').range), 'fe80::1/128');
  });

  it('rejects what is not an address range', () => {
    for (const text of ['172.16.0.0/33', '256.1.1.1', 'hash:/etc/postfix/x', '[1.2.3.4]/8', '::1::2', '1.2.3', 'example.com', '::1/129', '[::1']) {
      assert.equal(parseRange(text), undefined, text);
    }
  });

  it('masks host bits and says so', () => {
    const parsed = range('172.16.0.0/8');
    assert.equal(parsed.hostBitsSet, true);
    assert.equal(formatRange(parsed.range), '172.0.0.0/8');
    assert.equal(range('172.16.0.0/12').hostBitsSet, false);
    assert.equal(formatRange(writtenNetwork(parsed)), '172.16.0.0/12');
    assert.equal(formatRange(writtenNetwork(range('203.0.113.5/24'))), '203.0.113.5/32');
  });

  it('formats IPv6 with the longest zero run compressed', () => {
    assert.equal(formatAddress(range('2001:db8:0:0:1:0:0:1').range.start), '2001:db8::1:0:0:1');
    assert.equal(formatAddress(range('::').range.start), '::');
  });
});

describe('address sets', () => {
  it('merges, subtracts and sizes', () => {
    const set = AddressSet.parse(['10.0.0.0/9', '10.128.0.0/9', '192.168.1.0/24']);
    assert.deepEqual(set.toCidrs(), ['10.0.0.0/8', '192.168.1.0/24']);
    const cut = set.subtract(AddressSet.parse(['10.0.0.0/9']));
    assert.deepEqual(cut.toCidrs(), ['10.128.0.0/9', '192.168.1.0/24']);
    assert.equal(cut.size(), 2n ** 23n + 256n);
  });

  it('splits any set into the fewest CIDR blocks, each aligned, covering exactly the set', () => {
    // The reference: from each range's start, double a trial block while it stays aligned and inside the range.
    const reference = (set: AddressSet) =>
      set.intervals.flatMap((interval) => {
        const out: string[] = [];
        for (let start = interval.start; start <= interval.end;) {
          let size = 1n;
          while (start % (size * 2n) === 0n && start + size * 2n - 1n <= interval.end) size *= 2n;
          out.push(formatRange({ start, end: start + size - 1n }));
          start += size;
        }
        return out;
      });
    let seed = 16;
    const random = (bound: bigint) => {
      let value = 0n;
      for (let i = 0; i < 5; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        value = (value << 31n) | BigInt(seed);
      }
      return value % bound;
    };
    const everything = AddressSet.parse(['0.0.0.0/0', '::/0']);
    const v4 = AddressSet.parse(['0.0.0.0/0']);
    const cases = [everything, v4, AddressSet.parse(['::/128']), everything.subtract(AddressSet.parse(['127.0.0.0/8', '::1/128', '10.0.0.0/8']))];
    for (let i = 0; i < 300; i++) {
      // Random ranges across the whole space, inside IPv4 and near the space's ends.
      const base = i % 3 === 0 ? v4.intervals[0]!.start : i % 3 === 1 ? 0n : 2n ** 128n - 2n ** 40n;
      const width = i % 3 === 0 ? 2n ** 32n : i % 3 === 1 ? 2n ** 128n : 2n ** 40n;
      const a = base + random(width);
      const b = base + random(width);
      const range = a <= b ? { start: a, end: b } : { start: b, end: a };
      // A hole somewhere inside, so that a range has blocks before and after one.
      const holeStart = range.start + random(range.end - range.start + 1n);
      const holeEnd = holeStart + random(range.end - holeStart + 1n);
      cases.push(AddressSet.of(range).subtract(AddressSet.of({ start: holeStart, end: holeEnd })));
    }
    for (const set of cases) {
      const cidrs = set.toCidrs();
      assert.deepEqual(cidrs, reference(set));
      assert.ok(AddressSet.parse(cidrs).equals(set), 'the blocks cover the set exactly');
    }
  });

  it('finds the public part of 172.0.0.0/8 (the 項番21 range)', () => {
    const pub = publicPart(AddressSet.parse(['172.0.0.0/8']));
    assert.equal(pub.size(), 2n ** 24n - 2n ** 20n);
    assert.deepEqual(pub.toCidrs(), ['172.0.0.0/12', '172.32.0.0/11', '172.64.0.0/10', '172.128.0.0/9']);
  });

  it('classifies loopback, private, shared, link-local, documentation and public space', () => {
    const classes = classify(AddressSet.parse(['127.0.0.0/8', '[::1]/128', '10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '192.0.2.0/24', '8.8.8.0/24']));
    assert.equal(classes.get('loopback'), 2n ** 24n + 1n);
    assert.equal(classes.get('private'), 2n ** 24n);
    assert.equal(classes.get('shared'), 2n ** 22n);
    assert.equal(classes.get('link-local'), 2n ** 16n);
    assert.equal(classes.get('documentation'), 256n);
    assert.equal(classes.get('public'), 256n);
    assert.equal(publicPart(AddressSet.parse(['[fc00::]/7', '[fe80::]/10', '[::ffff:127.0.0.0]/104'])).isEmpty(), true);
  });
});

describe('mistyped private ranges', () => {
  const cases: Array<[string, string | undefined]> = [
    ['172.0.0.0/8', '172.16.0.0/12'],
    ['192.168.0.0/8', '192.168.0.0/16'],
    ['10.0.0.0/7', '10.0.0.0/8'],
    ['172.16.0.0/8', '172.16.0.0/12'],
    ['172.16.5.0/8', '172.16.5.0/24'],
    ['192.0.0.0/8', '192.168.0.0/16'],
    ['172.16.0.0/12', undefined],
    ['192.168.1.0/16', undefined],
    ['0.0.0.0/0', undefined],
    ['8.8.8.0/24', undefined],
  ];
  for (const [written, intended] of cases) {
    it(`${written} -> ${intended ?? 'no typo'}`, () => assert.equal(likelyIntended(range(written)), intended));
  }

  it('never proposes the wider mask of a host-bits warning', () => {
    const parsed = range('172.16.0.0/8');
    assert.notEqual(likelyIntended(parsed), '172.0.0.0/8');
  });
});
