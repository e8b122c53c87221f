// The web family's faster paths give what the plain definitions give: Squid's dropped ACL entries (each entry
// against every kept one), http_access answered per client set, nginx includes read and parsed once per lint
// while every inclusion still gets its own directives, HAProxy backends by name and braces in long conditions.
import assert from 'node:assert/strict';
import type { ParseProblem } from '../../src/core/format';
import type { FileAccess } from '../../src/core/types';
import { SourceText } from '../../src/core/source';
import { type AddressEntry, keepEntries, parseAddressEntry } from '../../src/families/squid/addresses';
import { loadSquid } from '../../src/families/squid/load';
import { EVERY_ADDRESS, getRequest, walkAccess } from '../../src/families/squid/access';
import { IncludeResolver } from '../../src/families/web/nginx/load';
import type { NginxDirective } from '../../src/families/web/nginx/syntax';
import { AddressSet } from '../../src/net';
import { memoryFiles } from '../support/fixtures';
import { engine } from '../../src/product';
import { parseHaproxy } from '../../src/families/haproxy/config';
import { backendNamed, buildConfig } from '../../src/families/haproxy/model';

const span = { file: '/s', start: 0, end: 0 };

/** A small deterministic generator (xorshift). */
function generator(seed: number) {
  let x = seed || 1;
  return (below: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % below;
  };
}

/** aclIpAddrNetworkCompare as Squid writes it: p's first address under q's mask lies in q. */
function inside(p: NonNullable<AddressEntry['squid']>, q: NonNullable<AddressEntry['squid']>): boolean {
  const mask = q.maskBits <= 0 ? 0n : (((1n << BigInt(q.maskBits)) - 1n) << BigInt(128 - q.maskBits)) & ((1n << 128n) - 1n);
  const masked = p.first & mask;
  return q.range ? masked >= q.first && masked <= q.last : masked === q.first;
}

/** The plain definition: each entry compared with every kept one. */
function keepEntriesPlain(entries: AddressEntry[]): { set: AddressSet; ignored: boolean[] } {
  const kept: AddressEntry[] = [];
  const ignored: boolean[] = [];
  let set = AddressSet.empty;
  for (const entry of entries) {
    if (!entry.set) {
      ignored.push(false);
      continue;
    }
    if (entry.squid && kept.some((other) => other.squid && (inside(entry.squid!, other.squid) || inside(other.squid, entry.squid!)))) {
      ignored.push(true);
      continue;
    }
    ignored.push(false);
    kept.push(entry);
    set = set.union(entry.set);
  }
  return { set, ignored };
}

function randomEntry(next: (below: number) => number): string {
  const octet = () => String([0, 10, 127, 192, 255][next(5)]! + next(3));
  const address = () => `10.${octet()}.${octet()}.${octet()}`;
  switch (next(7)) {
    case 0:
      return address();
    case 1:
      return `${address()}/${8 + next(25)}`;
    case 2:
      return `${address()}-${address()}`;
    case 3:
      return `${address()}-${address()}/${16 + next(17)}`;
    case 4:
      return `${address()}/255.255.${next(2) ? 255 : 0}.0`;
    case 5:
      return ['all', 'ipv4', 'ipv6', '::1', 'fe80::/10', 'host.example'][next(6)]!;
    default:
      return `10.${next(3)}.0.0/${15 + next(3)}`;
  }
}

describe('web family at scale: the same answers as the plain definitions', () => {
  it('drops the same Squid ACL entries as comparing each with every kept one', () => {
    const next = generator(20261206);
    let dropped = 0;
    for (let round = 0; round < 300; round++) {
      const texts = Array.from({ length: 1 + next(25) }, () => randomEntry(next));
      const plain = keepEntriesPlain(texts.map((text) => parseAddressEntry(text, span)));
      const entries = texts.map((text) => parseAddressEntry(text, span));
      const set = keepEntries(entries);
      assert.deepEqual(
        entries.map((entry) => Boolean(entry.ignored)),
        plain.ignored,
        texts.join(' '),
      );
      assert.ok(set.equals(plain.set), texts.join(' '));
      dropped += plain.ignored.filter(Boolean).length;
    }
    assert.ok(dropped > 100, `only ${dropped} entries dropped: the inputs do not overlap enough`);
  });

  it('answers http_access for many rules: each client set decided by the first rule that holds it', async () => {
    const lines = ['http_port 3128'];
    for (let i = 0; i < 400; i++)
      lines.push(`acl n${i} src 10.${i % 7}.${i % 251}.0/24 198.51.${i % 50}.0/${24 + (i % 9)}`, `http_access ${i % 3 ? 'allow' : 'deny'} n${i}`);
    const text = `${lines.join('\n')}\n`;
    const config = await loadSquid(new SourceText('/etc/squid/squid.conf', text), memoryFiles(new Map([['/etc/squid/squid.conf', text]])), []);
    const outcomes = walkAccess(config, getRequest());
    // The plain walk: what remains undecided, intersected then subtracted rule by rule.
    let remaining = EVERY_ADDRESS;
    const expected: Array<{ set: AddressSet; line: number | undefined }> = [];
    for (const rule of config.httpAccess) {
      const acl = config.acls.get(rule.acls[0]!.name)!;
      const matched = remaining.intersect(acl.set!);
      if (matched.isEmpty()) continue;
      expected.push({ set: matched, line: rule.line.span.start });
      remaining = remaining.subtract(matched);
    }
    expected.push({ set: remaining, line: undefined });
    assert.equal(outcomes.length, expected.length);
    outcomes.forEach((outcome, index) => {
      assert.ok(outcome.set.equals(expected[index]!.set));
      assert.equal(outcome.rule?.line.span.start, expected[index]!.line);
    });
    // The last rule is `deny`: the clients no rule holds get the opposite, allow.
    assert.equal(outcomes[outcomes.length - 1]!.verdict, config.httpAccess[config.httpAccess.length - 1]!.action === 'allow' ? 'deny' : 'allow');
  });

  it('reads and parses each nginx include once per lint; every inclusion still has its own directives', async () => {
    const files = new Map<string, string>([['/etc/nginx/nginx.conf', 'http {\n include /etc/nginx/fan/l1/*.conf;\n}\n']]);
    for (let level = 1; level <= 3; level++)
      for (let i = 0; i < 2; i++)
        files.set(
          `/etc/nginx/fan/l${level}/f${i}.conf`,
          `server { listen 80; location /admin${level}${i} { allow all; } }\n${level < 3 ? `include /etc/nginx/fan/l${level + 1}/*.conf;\n` : ''}`,
        );
    const reads = new Map<string, number>();
    let listings = 0;
    const memory = memoryFiles(files);
    const access: FileAccess = {
      readFile: async (path) => {
        reads.set(path, (reads.get(path) ?? 0) + 1);
        return memory.readFile(path);
      },
      readDirectory: async (path) => {
        listings++;
        return memory.readDirectory(path);
      },
    };
    const source = new SourceText('/etc/nginx/nginx.conf', files.get('/etc/nginx/nginx.conf')!);
    const problems: ParseProblem[] = [];
    const tree = await new IncludeResolver(access, '/etc/nginx', problems, source).load(source);
    assert.deepEqual(problems, []);
    assert.ok(
      [...reads.values()].every((count) => count === 1),
      JSON.stringify([...reads]),
    );
    assert.equal(reads.size, 6);
    assert.equal(listings, 3);
    // 2 servers at level 1, each including 2 at level 2, each including 2 at level 3: 2 + 4 + 8.
    const servers: NginxDirective[] = [];
    const stack = [...tree];
    while (stack.length) {
      const directive = stack.pop()!;
      if (directive.name === 'server') servers.push(directive);
      if (directive.block) stack.push(...directive.block);
    }
    assert.equal(servers.length, 14);
    assert.equal(new Set(servers).size, 14);
    assert.equal(new Set(servers.map((server) => server.block)).size, 14);
    for (const server of servers) {
      assert.equal(server.includedBy?.name, 'include');
      // A level-N server comes through the include of level N-1 (or of nginx.conf for level 1).
      const level = Number(/\/l(\d)\//.exec(server.span.file)![1]);
      assert.equal(
        server.includedBy!.span.file,
        level === 1 ? '/etc/nginx/nginx.conf' : `/etc/nginx/fan/l${level - 1}/f${server.includedBy!.span.file.endsWith('f0.conf') ? 0 : 1}.conf`,
      );
    }
    // The whole lint agrees: one finding per distinct location, the same as before the files were shared.
    const result = await engine.lintFile('/etc/nginx/nginx.conf', files.get('/etc/nginx/nginx.conf')!, { files: access });
    assert.ok(
      [...reads.values()].every((count) => count === 2),
      JSON.stringify([...reads]),
    );
    assert.ok(result.findings.every((finding) => finding.ruleId !== 'config/parse-problem'));
  });

  it('finds the first-written HAProxy backend of a name, and braces after thousands of condition words', async () => {
    const terms = Array.from({ length: 3000 }, (_, i) => `!a${i} || { src 10.0.${i % 256}.${i % 200} }`).join(' ');
    const text = `frontend f\n  bind :80\n  http-request deny if ${terms}\n  use_backend b if TRUE\nbackend b\n  server one 10.0.0.1:80\nbackend b\n  server two 10.0.0.2:80\n`;
    const result = await engine.lintFile('/etc/haproxy/haproxy.cfg', text, { files: memoryFiles(new Map([['/etc/haproxy/haproxy.cfg', text]])) });
    assert.ok(result.findings.length > 0);
    const config = buildConfig(parseHaproxy(new SourceText('/etc/haproxy/haproxy.cfg', text), []), []);
    const rule = config.proxies[0]!.rules.find((candidate) => candidate.condition);
    const anonymous = rule!.condition!.alternatives.flat().filter((term) => term.anonymous);
    assert.equal(anonymous.length, 3000);
    assert.equal(anonymous[2999]!.anonymous!.values[0]!.text, '10.0.183.199');
    assert.equal(
      backendNamed(config, 'b')!.section.lines.some((line) => line.words.some((word) => word.text === 'one')),
      true,
    );
  });
});
