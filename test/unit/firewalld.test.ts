// The firewalld family's reader and zone model: XML spans, zone dispatch, service resolution, rich rules, and the
// data files generated from Debian's firewalld package.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { SourceText } from '../../src/core/source';
import { defaultSettings } from '../../src/core/settings';
import { firewalldConf, firewalldZone } from '../../src/families/firewalld/formats';
import { parseXml } from '../../src/families/firewalld/xml';
import { readServiceFolder, readZoneFolder } from '../../src/families/firewalld/data/generate';
import { SHIPPED_SERVICES } from '../../src/families/firewalld/services';
import { SHIPPED_ZONES } from '../../src/families/firewalld/setup';
import { type Outcome, evaluate } from '../../src/families/shared/firewall';
import { parseRange } from '../../src/net';
import { memoryFiles } from '../support/fixtures';

async function load(files: Record<string, string>, linted: string) {
  const handler = linted.endsWith('firewalld.conf') ? firewalldConf : firewalldZone;
  return handler.load(new SourceText(linted, files[linted]!), { files: memoryFiles(new Map(Object.entries(files))), settings: defaultSettings() });
}

function verdictFor(outcomes: Outcome[], address: string): string {
  const value = parseRange(address)!.range.start;
  return outcomes.find((outcome) => outcome.sources.contains(value))?.verdict ?? 'none';
}

const zone = (body: string, target = '') => `<?xml version="1.0" encoding="utf-8"?>\n<zone${target}>\n${body}</zone>\n`;

describe('firewalld family', () => {
  it('reads attributes with the spans of their values, and reports unclosed and stray tags', () => {
    const text = '<zone target="ACCEPT">\n  <source address="10.0.0.0/8"/>\n  <service name="ssh">\n</zone>\n</x>';
    const { root, problems } = parseXml('z.xml', text);
    const source = root!.children[0]!.attributes[0]!;
    assert.equal(text.slice(source.valueSpan.start, source.valueSpan.end), '10.0.0.0/8');
    assert.deepEqual(
      problems.map((problem) => problem.kind),
      ['unclosed', 'stray-close'],
    );
  });

  it('sends a source to the zone bound to it (zones by name), everything else to the default zone', async () => {
    const files = {
      '/etc/firewalld/firewalld.conf': 'DefaultZone=public\n',
      '/etc/firewalld/zones/public.xml': zone('  <service name="https"/>\n'),
      '/etc/firewalld/zones/b-office.xml': zone('  <source address="10.1.0.0/16"/>\n  <service name="ssh"/>\n'),
      '/etc/firewalld/zones/a-lab.xml': zone('  <source address="10.0.0.0/8"/>\n', ' target="DROP"'),
    };
    const { model } = await load(files, '/etc/firewalld/firewalld.conf');
    const v4 = model.model(4).ruleset;
    const ssh = evaluate(v4, { family: 4, protocol: 'tcp', port: 22 });
    // a-lab sorts before b-office: its /8 takes 10.1.x as well (firewalld orders source dispatch by zone name).
    assert.equal(verdictFor(ssh, '10.1.2.3'), 'drop');
    assert.equal(verdictFor(ssh, '203.0.113.5'), 'reject');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 443 }), '203.0.113.5'), 'accept');
  });

  it('resolves services through their includes and the project services, per address family', async () => {
    const files = {
      '/etc/firewalld/firewalld.conf': 'DefaultZone=edge\n',
      '/etc/firewalld/zones/edge.xml': zone('  <service name="dhcpv6-client"/>\n  <service name="app"/>\n'),
      '/etc/firewalld/services/app.xml': '<service>\n  <port port="8080-8081" protocol="tcp"/>\n  <include service="ssh"/>\n</service>\n',
    };
    const { model } = await load(files, '/etc/firewalld/zones/edge.xml');
    const v4 = model.model(4).ruleset;
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 8081 }), '203.0.113.5'), 'accept');
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'tcp', port: 22 }), '203.0.113.5'), 'accept');
    // dhcpv6-client names an IPv6 destination only: nothing of it exists for IPv4.
    assert.equal(verdictFor(evaluate(v4, { family: 4, protocol: 'udp', port: 546 }), '203.0.113.5'), 'reject');
  });

  it('orders rich rules as firewalld does: negative priorities, deny, allow, positive priorities', async () => {
    const body = [
      '  <service name="https"/>',
      '  <rule family="ipv4"><source address="198.51.100.0/24"/><service name="https"/><reject/></rule>',
      '  <rule family="ipv4" priority="-1"><source address="198.51.100.7"/><service name="https"/><accept/></rule>',
      '  <rule family="ipv6"><port port="9000" protocol="tcp"/><accept/></rule>',
      '  <rule><source address="192.0.2.0/24"/><accept/></rule>',
      '',
    ].join('\n');
    const files = { '/etc/firewalld/firewalld.conf': 'DefaultZone=public\n', '/etc/firewalld/zones/public.xml': zone(body) };
    const { model, problems } = await load(files, '/etc/firewalld/zones/public.xml');
    const https = evaluate(model.model(4).ruleset, { family: 4, protocol: 'tcp', port: 443 });
    assert.equal(verdictFor(https, '198.51.100.7'), 'accept');
    assert.equal(verdictFor(https, '198.51.100.8'), 'reject');
    assert.equal(verdictFor(https, '203.0.113.5'), 'accept');
    assert.equal(verdictFor(evaluate(model.model(4).ruleset, { family: 4, protocol: 'tcp', port: 9000 }), '203.0.113.5'), 'reject');
    assert.equal(verdictFor(evaluate(model.model(6).ruleset, { family: 6, protocol: 'tcp', port: 9000 }), '2001:db8::1'), 'accept');
    // The last rule names an address without a family: firewalld ignores it (and so 192.0.2.x is not accepted).
    assert.deepEqual(
      problems.map((problem) => problem.message.text),
      ['firewalld.missing-family'],
    );
    assert.equal(verdictFor(evaluate(model.model(4).ruleset, { family: 4, protocol: 'tcp', port: 8000 }), '192.0.2.1'), 'reject');
  });

  it('reports what firewalld refuses: unknown services, bad ports, bad targets, long zone names', async () => {
    const files = {
      '/etc/firewalld/zones/a-very-long-zone-name.xml': zone('  <service name="nosuch"/>\n  <port port="70000" protocol="tcp"/>\n', ' target="WHAT"'),
    };
    const { problems } = await load(files, '/etc/firewalld/zones/a-very-long-zone-name.xml');
    assert.deepEqual(problems.map((problem) => problem.message.text).sort(), [
      'firewalld.bad-port',
      'firewalld.bad-target',
      'firewalld.unknown-service',
      'firewalld.zone-name-too-long',
    ]);
  });

  it('ships the service and zone definitions of Debian firewalld (data/*.json equal the package)', function () {
    if (!existsSync('/usr/lib/firewalld/services/ssh.xml')) {
      if (process.env.CI === 'true') assert.fail('firewalld is not installed (CI installs it)');
      this.skip();
    }
    assert.deepEqual(readServiceFolder('/usr/lib/firewalld/services'), SHIPPED_SERVICES);
    assert.deepEqual(readZoneFolder('/usr/lib/firewalld/zones'), SHIPPED_ZONES);
  });
});
