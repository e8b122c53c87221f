// Our address arithmetic (src/net/address.ts) cross-checked against ip-cidr, an independent CIDR implementation:
// every address-like token of ../shared/corpus and thousands of seeded random and edge addresses must give the
// same range in both. (ip-cidr used to run on every parsed address at run time; it costs ~50 us an address,
// 80% of a 4 MB address list, so the cross-check lives here.)
// ip-cidr is an ES module importing the CommonJS ip-address by default import: transpiled to CommonJS (as the
// test runner's tsx/cjs does) that default is undefined and every isValidCIDR answers false, so a check in
// this process would silently compare nothing. ip-cidr therefore runs in a plain Node child process, once per
// batch, and every batch must come back with answers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { type ParsedRange, V4_MAPPED_BASE, formatAddress, parseRange } from '../../src/net';
import { random as seeded } from '../fuzz/random';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

const ROOT = path.resolve(__dirname, '../..');

/** ip-cidr's answers for [cidr, version] pairs, in our unified space (undefined where ip-cidr rejects the text). */
function reference(batch: ReadonlyArray<readonly [string, 4 | 6]>): Array<{ start: bigint; end: bigint } | undefined> {
  const script = `
    import IPCIDR from 'ip-cidr';
    const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const out = input.map(([cidr]) => {
      if (!IPCIDR.isValidCIDR(cidr)) return null;
      const parsed = new IPCIDR(cidr);
      return [String(parsed.start({ type: 'bigInteger' })), String(parsed.end({ type: 'bigInteger' }))];
    });
    process.stdout.write(JSON.stringify(out));`.replace("require('node:fs')", "(await import('node:fs'))");
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env,
    input: JSON.stringify(batch),
    maxBuffer: 256 * 1024 * 1024,
  }).toString();
  const answers = JSON.parse(output) as Array<[string, string] | null>;
  assert.equal(answers.length, batch.length);
  return answers.map((answer, i) => {
    if (!answer) return undefined;
    const offset = batch[i]![1] === 4 ? V4_MAPPED_BASE : 0n;
    return { start: BigInt(answer[0]) + offset, end: BigInt(answer[1]) + offset };
  });
}

const hex = (value: bigint) => Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');

/** The parse written canonically (dotted quad, or eight hex words) with its prefix: ip-cidr must accept it and agree. */
function canonical(parsed: ParsedRange): string {
  return parsed.version === 4 ? `${formatAddress(parsed.written)}/${parsed.prefix}` : `${hex(parsed.written)}/${parsed.prefix}`;
}

/**
 * Cross-checks texts: our parse against ip-cidr on the canonical form (ip-cidr must accept it and agree) and
 * on the text as written where ip-cidr reads that syntax (no brackets; a prefix always written).
 * Returns how many texts we parsed.
 */
function crossCheck(texts: Iterable<string>): number {
  const cases: Array<{ text: string; ours: ParsedRange; form: string; written: string; writtenVersion: 4 | 6 }> = [];
  for (const text of texts) {
    const ours = parseRange(text);
    if (!ours) continue;
    const unbracketed = text.trim().replace(/^\[([^\]]*)\]/, '$1');
    const writtenVersion = unbracketed.includes(':') ? 6 : 4;
    // ip-cidr reads an embedded dotted quad (::ffff:192.0.2.1/120) as the bare IPv4 address after the last
    // colon, whatever the prefix: those texts are compared through their canonical form only.
    const embedded = writtenVersion === 6 && unbracketed.includes('.');
    const written = embedded ? '' : ours.bare ? `${unbracketed}/${writtenVersion === 4 ? 32 : 128}` : unbracketed;
    cases.push({ text, ours, form: canonical(ours), written, writtenVersion });
  }
  const answers = reference(cases.flatMap((c) => [[c.form, c.ours.version] as const, [c.written, c.writtenVersion] as const]));
  cases.forEach((c, i) => {
    assert.deepEqual(answers[2 * i], c.ours.range, `${c.text}: ip-cidr disagrees on ${c.form}`);
    // Written as IPv6 in the IPv4-mapped block, ours is the same interval in the unified space.
    const theirs = answers[2 * i + 1];
    if (theirs) assert.deepEqual(theirs, c.ours.range, `${c.text}: ip-cidr reads ${c.written} differently`);
  });
  return cases.length;
}

function* files(folder: string): Generator<string> {
  for (const name of readdirSync(folder).sort()) {
    const file = path.join(folder, name);
    const stat = statSync(file);
    if (stat.isDirectory()) yield* files(file);
    else if (stat.isFile() && stat.size < 4 * 1024 * 1024) yield file;
  }
}

/** A seeded number in [0, 1) per call (the fuzzer's generator). */
function random(seed: number): () => number {
  const generator = seeded(seed);
  return () => generator.next();
}

describe('address arithmetic against ip-cidr', function () {
  // ip-cidr costs ~0.1 ms an address: 20,000 of them take seconds on a loaded machine (not a timing test).
  this.timeout(180_000);

  it('agrees on every address-like token of ../shared/corpus', () => {
    assert.ok(existsSync(CORPUS), `${CORPUS} is missing`);
    const tokens = new Set<string>();
    for (const file of files(CORPUS)) {
      const text = readFileSync(file, 'latin1');
      for (const match of text.matchAll(/\[?[0-9A-Fa-f:.]+(?:%\w+)?\]?(?:\/\d{1,3})?/g)) if (/[.:]/.test(match[0])) tokens.add(match[0]);
    }
    const parsed = crossCheck(tokens);
    // The corpus holds over a hundred distinct addresses and ranges (mynetworks, allow lists, bind lines, pg_hba...).
    assert.ok(parsed >= 100, `only ${parsed} address tokens found in the corpus`);
  });

  it('agrees on random IPv4, IPv6 and IPv4-mapped ranges in every written form', () => {
    const next = random(20261206);
    const word = () => Math.floor(next() * 0x10000);
    const texts: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const v4 = [0, 0, 0, 0].map(() => Math.floor(next() * 256)).join('.');
      const v4Prefix = Math.floor(next() * 33);
      const words = Array.from({ length: 8 }, () => (next() < 0.3 ? 0 : word()));
      const v6Value = words.reduce((value, w) => (value << 16n) | BigInt(w), 0n);
      const v6Prefix = Math.floor(next() * 129);
      texts.push(
        v4,
        `${v4}/${v4Prefix}`,
        `${words.map((w) => w.toString(16)).join(':')}/${v6Prefix}`,
        `${formatAddress(v6Value)}/${v6Prefix}`,
        `[${formatAddress(v6Value).toUpperCase()}]/${v6Prefix}`,
        `${formatAddress(v6Value)}`,
        `::ffff:${v4}/${96 + v4Prefix}`,
        `[::ffff:${v4}]/${96 + v4Prefix}`,
        `::ffff:${v4}`,
        `fe80::${word().toString(16)}%eth0/${v6Prefix}`,
      );
    }
    assert.equal(crossCheck(texts), texts.length, 'every random text parses');
  });

  it('agrees on the edges: every prefix length of the first, last and middle addresses', () => {
    const texts: string[] = [];
    for (const v4 of ['0.0.0.0', '255.255.255.255', '127.0.0.1', '128.0.0.0', '10.255.255.255'])
      for (let prefix = 0; prefix <= 32; prefix++) texts.push(`${v4}/${prefix}`);
    for (const v6 of ['::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::1', '8000::', '::ffff:0:0', '::fffe:ffff:ffff', '::1:0:0:0'])
      for (let prefix = 0; prefix <= 128; prefix++) texts.push(`${v6}/${prefix}`);
    assert.equal(crossCheck(texts), texts.length);
  });
});
