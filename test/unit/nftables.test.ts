// The nftables family's reader and packet model: spans, includes, defines, flush/delete, base-chain order, maps.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SourceText } from '../../src/core/source';
import { loadNftables } from '../../src/families/nftables/formats';
import { type Outcome, PortSet, evaluate, universe } from '../../src/families/shared/firewall';
import { parseRange } from '../../src/net';
import { parseServices } from '../../src/families/nftables/data/generate-services';
import services from '../../src/families/nftables/data/services.json';
import { memoryFiles } from '../support/fixtures';

async function load(files: Record<string, string>, main = '/etc/nftables.conf') {
  return loadNftables(new SourceText(main, files[main]!), memoryFiles(new Map(Object.entries(files))));
}

/** The verdict for one source address, protocol and port. */
function verdictFor(outcomes: Outcome[], address: string): string {
  const value = parseRange(address)!.range.start;
  return outcomes.find((outcome) => outcome.sources.contains(value))?.verdict ?? 'none';
}

const table = (body: string, family = 'inet') =>
  `table ${family} filter {\n  chain input {\n    type filter hook input priority filter; policy drop;\n${body}\n  }\n}\n`;

describe('nftables family', () => {
  it('keeps the span where a define writes an address, and where each rule is', async () => {
    const text = `define admin = 172.0.0.0/8\n${table('    ip saddr $admin tcp dport 22 accept')}`;
    const { config } = await load({ '/etc/nftables.conf': text });
    const rule = [...config.ruleset.rules()][0]!;
    assert.equal(text.slice(rule.span.start, rule.span.end), 'ip saddr $admin tcp dport 22 accept');
    const element = config.meaning(rule).matches[0]!.value.elements[0]!;
    assert.equal(text.slice(element.span.start, element.span.end), '172.0.0.0/8');
    const model = config.model(4).ruleset.chains.get('inet filter input')!.rules[0]!;
    assert.deepEqual(
      model.sourceSpans?.map((span) => text.slice(span.start, span.end)),
      ['172.0.0.0/8'],
    );
  });

  it('reads include globs in name order from the include path, and says what nft refuses', async () => {
    const files = {
      '/etc/nftables.conf': `flush ruleset\ninclude "nftables.d/*.nft"\ninclude "/etc/missing.nft"\ninclude "./here.nft"\n`,
      '/etc/nftables.d/20-b.nft': table('    tcp dport 2 accept'),
      '/etc/nftables.d/10-a.nft': `table inet filter {\n  chain input {\n    tcp dport 1 accept\n  }\n}\n`,
      '/etc/nftables.d/.hidden.nft': table('    tcp dport 3 accept'),
      '/etc/here.nft': '',
    };
    const { config, problems } = await load(files);
    assert.deepEqual(config.ruleset.includes[0]!.files, ['/etc/nftables.d/10-a.nft', '/etc/nftables.d/20-b.nft']);
    const ports = [...config.ruleset.rules()].map((rule) => rule.nodes.map((node) => (node.kind === 'word' ? node.text : '')).join(' '));
    assert.deepEqual(ports, ['tcp dport 1 accept', 'tcp dport 2 accept']);
    assert.deepEqual(
      problems.map((problem) => problem.message.text),
      ['nftables.include-not-found', 'nftables.include-relative-to-cwd'],
    );
  });

  it('runs flush ruleset, delete table and family flushes in order', async () => {
    const text = `table ip a {\n}\ntable ip6 b {\n}\nflush ruleset ip\ntable inet c {\n}\ndelete table inet c\ndelete table inet d\n`;
    const { config, problems } = await load({ '/etc/nftables.conf': text });
    assert.deepEqual(
      config.ruleset.tables.map((t) => `${t.family} ${t.name}`),
      ['ip6 b'],
    );
    assert.deepEqual(
      problems.map((problem) => problem.message.text),
      ['nftables.delete-missing-table'],
    );
  });

  it('scopes defines to their block and reports an undefined variable', async () => {
    const text = `table inet filter {\n  define p = 8443\n  chain input {\n    type filter hook input priority 0; policy drop;\n    tcp dport $p accept\n    tcp dport $q accept\n  }\n}\n`;
    const { config, problems } = await load({ '/etc/nftables.conf': text });
    assert.deepEqual(
      problems.map((problem) => problem.message.text),
      ['nftables.undefined-variable'],
    );
    const reach = evaluate(config.model(4).ruleset, { family: 4, protocol: 'tcp', port: 8443 });
    assert.equal(verdictFor(reach, '203.0.113.5'), 'accept');
  });

  it('passes a packet only when every base chain on the way accepts it (priority order, prerouting first)', async () => {
    const text = `table inet a {\n  chain late {\n    type filter hook input priority 10; policy accept;\n    tcp dport 80 drop\n  }\n  chain early {\n    type filter hook input priority -10; policy drop;\n    tcp dport { 80, 443 } accept\n  }\n}\ntable ip b {\n  chain pre {\n    type filter hook prerouting priority raw; policy accept;\n    ip saddr 198.51.100.0/24 drop\n  }\n}\n`;
    const { config } = await load({ '/etc/nftables.conf': text });
    const v4 = config.model(4).ruleset;
    assert.deepEqual(v4.input, ['ip b pre', 'inet a early', 'inet a late']);
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 80 }), '203.0.113.5'), 'drop');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 443 }), '203.0.113.5'), 'accept');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 443 }), '198.51.100.7'), 'drop');
    // The ip table is not on the IPv6 path.
    assert.deepEqual(config.model(6).ruleset.input, ['inet a early', 'inet a late']);
  });

  it('turns verdict maps and concatenations into one rule per element, and follows jump and goto', async () => {
    const text = table(
      `    ip saddr . tcp dport { 192.0.2.1 . 22, 192.0.2.2 . 25 } accept\n    tcp dport vmap { 80 : jump web, 8080 : goto web }\n  }\n  chain web {\n    ip saddr 203.0.113.0/24 return\n    accept`,
    );
    const { config } = await load({ '/etc/nftables.conf': text });
    const v4 = config.model(4).ruleset;
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 22 }), '192.0.2.1'), 'accept');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 22 }), '192.0.2.2'), 'drop');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 80 }), '198.51.100.1'), 'accept');
    // return from the jumped-to chain continues after the map, where the policy drops.
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 80 }), '203.0.113.9'), 'drop');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 8080 }), '203.0.113.9'), 'drop');
  });

  it('decides conntrack state, rate limits and interface matches the way the kernel does for a new connection', async () => {
    const text = table(
      '    ct state invalid drop\n    ct state established,related accept\n    tcp dport 22 limit rate over 5/second drop\n    tcp dport 22 ct state new limit rate 10/minute accept\n    iifname "wg0" tcp dport 5432 accept\n    oifname "eth0" tcp dport 5433 accept',
    );
    const { config } = await load({ '/etc/nftables.conf': text });
    const v4 = config.model(4).ruleset;
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 22 }), '203.0.113.5'), 'accept');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 5432 }), '203.0.113.5'), 'unknown');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 5432, inInterface: 'wg0' }), '203.0.113.5'), 'accept');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 5433 }), '203.0.113.5'), 'drop');
  });

  it('treats a set updated at run time as unknown, never as a confident exposure', async () => {
    const text = `table inet filter {\n  set seen {\n    type ipv4_addr\n    flags dynamic\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @seen tcp dport 3389 drop\n  }\n}\n`;
    const { config } = await load({ '/etc/nftables.conf': text });
    const outcomes = evaluate(config.model(4).ruleset, { family: 4, protocol: 'tcp', port: 3389 }, universe(4));
    assert.deepEqual([...new Set(outcomes.map((outcome) => outcome.verdict))], ['unknown']);
  });

  it('refuses what nft refuses in named sets: prefixes without flags interval, overlapping intervals', async () => {
    const text = `table inet t {\n  set a {\n    type ipv4_addr\n    elements = { 10.0.0.0/8 }\n  }\n  set b {\n    type ipv4_addr\n    flags interval\n    elements = { 10.0.0.0/8, 10.1.0.0/16 }\n  }\n  set c {\n    type ipv4_addr\n    flags interval\n    auto-merge\n    elements = { 10.0.0.0/8, 10.1.0.0/16 }\n  }\n}\n`;
    const { problems } = await load({ '/etc/nftables.conf': text });
    assert.deepEqual(
      problems.map((problem) => problem.message.text),
      ['nftables.set-needs-interval', 'nftables.conflicting-intervals'],
    );
  });

  it('lints a drop-in through the nftables.conf that includes it', async () => {
    const files = { '/etc/nftables.conf': `flush ruleset\ninclude "/etc/nftables.d/*.nft"\n`, '/etc/nftables.d/web.nft': table('    tcp dport 3389 accept') };
    const { config } = await load(files, '/etc/nftables.d/web.nft');
    assert.equal(config.ruleset.root, '/etc/nftables.conf');
    assert.equal(verdictFor(evaluate(config.model(4).ruleset, { family: 4, protocol: 'tcp', port: 3389 }), '203.0.113.5'), 'accept');
  });

  it('names ports as netbase does (services.json is /etc/services)', function () {
    if (!existsSync('/etc/services')) {
      if (process.env.CI === 'true') assert.fail('/etc/services (netbase) is missing');
      this.skip();
    }
    assert.deepEqual(parseServices(readFileSync('/etc/services', 'utf8')), services);
    assert.ok(PortSet.single((services as Record<string, number>).ssh!).has(22));
  });
});
