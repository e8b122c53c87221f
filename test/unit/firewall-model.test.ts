// The shared packet-path model and the iptables/ufw readers that feed it: chain order, jumps, gotos, returns,
// policies, undecidable matches, the service matrix and dead restrictions.
import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import { defaultSettings } from '../../src/core/settings';
import type { ParseProblem } from '../../src/core/format';
import { AddressSet, parseRange } from '../../src/net';
import { loadRuleset } from '../../src/families/iptables/formats';
import { ufwRules } from '../../src/families/ufw/formats';
import {
  type Outcome,
  type Ruleset,
  deadRestrictions,
  evaluate,
  evaluateDockerPublished,
  ipv6OpenWhereV4Restricted,
  portReach,
  portSegments,
  publicServiceExposures,
  serviceMatrix,
} from '../../src/families/shared/firewall';
import { memoryFiles } from '../support/fixtures';
import { createLinter } from '../../src/core/engine';
import { composeFamily } from '../../src/families/compose';

function rules(text: string, family: 4 | 6 = 4): { ruleset: Ruleset; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const loaded = loadRuleset(new SourceText(`/t/rules.v${family}`, text), problems, family);
  return { ruleset: loaded.ruleset, problems };
}

const filter = (body: string, policy = 'DROP', chains = '') =>
  `*filter\n:INPUT ${policy} [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n${chains}${body}\nCOMMIT\n`;
const address = (text: string) => parseRange(text)!.range.start;
const verdictFor = (outcomes: Outcome[], text: string) => outcomes.find((outcome) => outcome.sources.contains(address(text)))?.verdict;

describe('firewall packet-path model', () => {
  it('follows rule order and the policy, for parts of the source set', () => {
    const { ruleset } = rules(filter('-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT\n-A INPUT -s 10.1.0.0/16 -p tcp --dport 22 -j DROP'));
    const outcomes = evaluate(ruleset, { family: 4, protocol: 'tcp', port: 22 });
    assert.equal(verdictFor(outcomes, '10.1.2.3'), 'accept'); // the earlier ACCEPT decides
    assert.equal(verdictFor(outcomes, '192.0.2.1'), 'drop');
    assert.equal(evaluate(ruleset, { family: 4, protocol: 'udp', port: 22 }).length, 1);
    const union = outcomes.reduce((all, outcome) => all.union(outcome.sources), AddressSet.empty);
    assert.ok(union.containsRange(parseRange('0.0.0.0/0')!.range), 'outcomes partition the address space');
  });

  it('jumps return after the jump, gotos return to the caller of the caller, RETURN in a base chain is the policy', () => {
    const chains = ':A - [0:0]\n:B - [0:0]\n';
    const { ruleset } = rules(
      filter(
        '-A INPUT -p tcp --dport 80 -j A\n-A INPUT -p tcp --dport 80 -j ACCEPT\n-A A -s 192.0.2.0/24 -g B\n-A A -j RETURN\n-A B -j RETURN\n-A INPUT -j RETURN',
        'DROP',
        chains,
      ),
    );
    const outcomes = evaluate(ruleset, { family: 4, protocol: 'tcp', port: 80 });
    assert.equal(verdictFor(outcomes, '192.0.2.9'), 'accept');
    assert.equal(verdictFor(outcomes, '198.51.100.9'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 81 }), '198.51.100.9'), 'drop');
  });

  it('an interface match is unknown unless the interface is known; loopback never sees outside packets', () => {
    const { ruleset } = rules(
      filter(
        '-A INPUT -i lo -j ACCEPT\n-A INPUT -i eth1 -p tcp --dport 3306 -j ACCEPT\n-A INPUT -i eth1 -p tcp --dport 443 -j DROP\n-A INPUT -p tcp --dport 443 -j DROP',
      ),
    );
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 3306 }), '203.0.113.1'), 'unknown');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 3306, inInterface: 'eth1' }), '203.0.113.1'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 3306, inInterface: 'eth0' }), '203.0.113.1'), 'drop');
    // Both ways end in DROP: confident.
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 443 }), '203.0.113.1'), 'drop');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 25 }), '203.0.113.1'), 'drop');
  });

  it('reads conntrack, tcp flags, recent, ipset and rate limits for a new connection', () => {
    const { ruleset } = rules(
      filter(
        [
          '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
          '-A INPUT -p tcp --tcp-flags ACK ACK -j ACCEPT',
          '-A INPUT -p tcp --dport 22 -m recent --update --seconds 30 --hitcount 6 -j DROP',
          '-A INPUT -p tcp --syn --dport 22 -m state --state NEW -j ACCEPT',
          '-A INPUT -p tcp --dport 25 -m set --match-set allowed src -j ACCEPT',
          '-A INPUT -p tcp --dport 26 -m limit --limit 3/min -j ACCEPT',
          '-A INPUT -p udp --sport 53 --dport 1024:65535 -j ACCEPT',
        ].join('\n'),
      ),
    );
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 22 }), '203.0.113.1'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 25 }), '203.0.113.1'), 'unknown');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 26 }), '203.0.113.1'), 'unknown');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 80 }), '203.0.113.1'), 'drop'); // ACK-only rule: not a SYN
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'udp', port: 5000 }), '203.0.113.1'), 'drop'); // source port 53 is not a client's
  });

  it('reads addresses the way iptables does: missing octets, host bits, negation, lists, ranges', () => {
    const { ruleset, problems } = rules(
      filter(
        '-A INPUT -s 10.1/16 -j ACCEPT\n-A INPUT -s 172.16.0.5/8 -p tcp --dport 1 -j ACCEPT\n-A INPUT ! -s 192.0.2.0/24 -p tcp --dport 2 -j ACCEPT\n-A INPUT -s 198.51.100.1,198.51.100.9 -p tcp -m multiport --dports 3,4:6 -j ACCEPT\n-A INPUT -m iprange --src-range 203.0.113.10-203.0.113.20 -p udp --dport 7 -j ACCEPT',
      ),
    );
    assert.deepEqual(problems, []);
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'udp', port: 9 }), '10.1.200.1'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 1 }), '172.200.0.1'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 2 }), '192.0.2.1'), 'drop');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 2 }), '8.8.8.8'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 5 }), '198.51.100.9'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'tcp', port: 5 }), '198.51.100.5'), 'drop');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'udp', port: 7 }), '203.0.113.15'), 'accept');
    assert.equal(verdictFor(evaluate(ruleset, { family: 4, protocol: 'udp', port: 7 }), '203.0.113.21'), 'drop');
  });

  it('reports what iptables-restore refuses', () => {
    assert.ok(rules('*filter\n-A INPUT -j ACCEPT\n').problems.length > 0);
    assert.ok(rules(filter('-A INPUT --dport 22 -j ACCEPT')).problems.length > 0);
    assert.ok(rules(filter('-A INPUT -j NOWHERE')).problems.length > 0);
    assert.ok(rules('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j DROP\nCOMMIT\n').problems.length > 0);
    assert.deepEqual(rules(filter('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT -m comment --comment "ssh, from anywhere"')).problems, []);
  });

  it('splits ports into segments that behave alike, and builds the service matrix', () => {
    const { ruleset } = rules(filter('-A INPUT -p tcp --dport 1500 -j DROP\n-A INPUT -p tcp --dport 1000:2000 -j ACCEPT'));
    assert.deepEqual(
      portSegments(ruleset, 'tcp').map((segment) => [segment.from, segment.to]),
      [
        [0, 999],
        [1000, 1499],
        [1500, 1500],
        [1501, 2000],
        [2001, 65535],
      ],
    );
    const open = serviceMatrix(ruleset, { protocols: ['tcp'] }).filter((entry) => !entry.publicAccepted.isEmpty());
    assert.deepEqual(
      open.map((entry) => entry.ports.from),
      [1000, 1501],
    );
    assert.equal(portReach(ruleset, 'tcp', 1500).publicCount, 0n);
  });

  it('names the exposed services with the public addresses that reach them', () => {
    const { ruleset } = rules(filter('-A INPUT -p tcp --dport 3389 -j ACCEPT\n-A INPUT -s 203.0.113.0/24 -p tcp --dport 6379 -j ACCEPT'));
    const exposures = publicServiceExposures(ruleset);
    assert.equal(exposures.length, 1);
    assert.equal(exposures[0]!.exposures[0]!.service.port, 3389);
    assert.equal(exposures[0]!.severity, 'error');
    // Trusted networks are never public.
    const trusted = AddressSet.parse(['0.0.0.0/1', '128.0.0.0/1']);
    assert.equal(publicServiceExposures(ruleset, trusted).length, 0);
  });

  it('finds restrictions an earlier ACCEPT makes dead, but not live or loopback-only ones', () => {
    const { ruleset } = rules(
      filter(
        '-A INPUT -p tcp --dport 3389 -j ACCEPT\n-A INPUT -p tcp --dport 3389 ! -s 10.0.0.0/8 -j DROP\n-A INPUT -i lo -p tcp --dport 3389 -j DROP\n-A INPUT -s 192.0.2.0/24 -p tcp --dport 80 -j DROP\n-A INPUT -p tcp --dport 80 -j ACCEPT',
      ),
    );
    const dead = deadRestrictions(ruleset);
    assert.equal(dead.length, 1);
    assert.match(ruleset.chains.get('filter INPUT')!.rules[1]!.span.file, /rules\.v4/);
    assert.equal(dead[0]!.rule, ruleset.chains.get('filter INPUT')!.rules[1]);
  });

  it("follows Docker's published-port path through DOCKER-USER", () => {
    const { ruleset } = rules(filter('-A DOCKER-USER -s 10.0.0.0/8 -j RETURN\n-A DOCKER-USER -p tcp --dport 6379 -j DROP', 'DROP', ':DOCKER-USER - [0:0]\n'));
    const outcomes = evaluateDockerPublished(ruleset, { family: 4, protocol: 'tcp', port: 6379 });
    assert.equal(verdictFor(outcomes, '10.2.3.4'), 'accept');
    assert.equal(verdictFor(outcomes, '203.0.113.1'), 'drop');
    assert.equal(verdictFor(evaluateDockerPublished(ruleset, { family: 4, protocol: 'tcp', port: 5432 }), '203.0.113.1'), 'accept');
    assert.equal(verdictFor(evaluateDockerPublished(rules(filter('')).ruleset, { family: 4, protocol: 'tcp', port: 5432 }), '203.0.113.1'), 'accept');
  });

  it('compares IPv6 with IPv4 port by port', () => {
    const v4 = rules(filter('-A INPUT -s 192.0.2.0/24 -p tcp --dport 3389 -j ACCEPT\n-A INPUT -p tcp --dport 443 -j ACCEPT')).ruleset;
    const v6 = rules(filter('-A INPUT -p tcp --dport 3389 -j ACCEPT\n-A INPUT -p tcp --dport 443 -j ACCEPT'), 6).ruleset;
    const openings = ipv6OpenWhereV4Restricted(v4, v6);
    assert.equal(openings.length, 1);
    assert.deepEqual([...openings[0]!.ports.get('tcp')!.ranges], [{ from: 3389, to: 3389 }]);
  });
});

describe('ufw as ufw-init loads it', () => {
  const user = (rulesText: string, family: 4 | 6 = 4) => {
    const p = family === 6 ? 'ufw6' : 'ufw';
    return `*filter\n:${p}-user-input - [0:0]\n:${p}-user-output - [0:0]\n:${p}-user-forward - [0:0]\n:${p}-user-limit - [0:0]\n:${p}-user-limit-accept - [0:0]\n### RULES ###\n${rulesText}\n### END RULES ###\n-A ${p}-user-limit -j REJECT\n-A ${p}-user-limit-accept -j ACCEPT\nCOMMIT\n`;
  };
  const load = async (files: Record<string, string>) => {
    const map = new Map(Object.entries(files).map(([name, text]) => [`/etc/${name}`, text]));
    const source = new SourceText('/etc/ufw/user.rules', map.get('/etc/ufw/user.rules')!);
    return (await ufwRules.load(source, { files: memoryFiles(map), settings: defaultSettings() })).model;
  };

  it('applies the default policy after the user rules, and REJECT as DROP plus a REJECT rule', async () => {
    const rulesText = user('### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT');
    const dropping = await load({ 'ufw/user.rules': rulesText });
    assert.equal(verdictFor(evaluate(dropping.v4.ruleset, { family: 4, protocol: 'tcp', port: 22 }), '203.0.113.1'), 'accept');
    assert.equal(verdictFor(evaluate(dropping.v4.ruleset, { family: 4, protocol: 'tcp', port: 23 }), '203.0.113.1'), 'drop');
    const rejecting = await load({ 'ufw/user.rules': rulesText, 'default/ufw': 'DEFAULT_INPUT_POLICY="REJECT"\n' });
    assert.equal(verdictFor(evaluate(rejecting.v4.ruleset, { family: 4, protocol: 'tcp', port: 23 }), '203.0.113.1'), 'reject');
    const accepting = await load({ 'ufw/user.rules': rulesText, 'default/ufw': 'DEFAULT_INPUT_POLICY="ACCEPT"\n' });
    assert.equal(verdictFor(evaluate(accepting.v4.ruleset, { family: 4, protocol: 'tcp', port: 23 }), '203.0.113.1'), 'accept');
  });

  it('a limit rule lets a first connection in and names the rule that selected it', async () => {
    const model = await load({
      'ufw/user.rules': user(
        '### tuple ### limit tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set\n-A ufw-user-input -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 30 --hitcount 6 -j ufw-user-limit\n-A ufw-user-input -p tcp --dport 22 -j ufw-user-limit-accept',
      ),
    });
    const outcome = evaluate(model.v4.ruleset, { family: 4, protocol: 'tcp', port: 22 }).find((o) => o.sources.contains(address('203.0.113.1')))!;
    assert.equal(outcome.verdict, 'accept');
    assert.equal(outcome.via?.kind, 'rule');
    assert.match(model.source.text.slice(outcome.via!.kind === 'rule' ? outcome.via!.rule.span.start : 0).split('\n')[0]!, /-j ufw-user-limit-accept$/);
  });

  it('with IPV6=no, IPv6 reaches nothing', async () => {
    const model = await load({
      'ufw/user.rules': user(''),
      'ufw/user6.rules': user('-A ufw6-user-input -p tcp --dport 3389 -j ACCEPT', 6),
      'default/ufw': 'IPV6=no\n',
    });
    assert.equal(model.v6.applied, false);
    assert.equal(verdictFor(evaluate(model.v6.ruleset, { family: 6, protocol: 'tcp', port: 3389 }), '2001:db8::1'), 'drop');
  });
});

describe('compose and the firewall beside it', () => {
  const compose =
    'services:\n  cache:\n    image: redis:7\n    command: ["redis-server", "--requirepass", "Vq8sL2mR7tZx4Kp1QwE3rT6yU9iO0pA5"]\n    ports:\n      - "6379:6379"\n';
  const lint = async (files: Record<string, string>) => {
    const linter = createLinter([composeFamily]);
    const result = await linter.lintFile('/p/docker-compose.yml', files['/p/docker-compose.yml']!, { files: memoryFiles(new Map(Object.entries(files))) });
    return result.findings.find((finding) => finding.ruleId === 'compose/port-published-all-interfaces')!;
  };

  it('says that a port INPUT keeps closed is reachable anyway, pointing at the rule that closes it', async () => {
    const finding = await lint({
      '/p/docker-compose.yml': compose,
      '/p/rules.v4': filter('-A INPUT -p tcp --dport 443 -j ACCEPT\n-A INPUT -p tcp --dport 6379 -j DROP'),
    });
    assert.match(finding.message.en, /keeps port 6379 closed to the internet in INPUT/);
    assert.equal(finding.related[0]?.file, '/p/rules.v4');
    assert.equal(finding.related[0]?.range.start.line, 5);
  });

  it('says when DOCKER-USER restricts the published port', async () => {
    const rulesText = filter('-A DOCKER-USER -s 9.9.9.0/24 -j RETURN\n-A DOCKER-USER -j DROP', 'DROP', ':DOCKER-USER - [0:0]\n');
    const finding = await lint({ '/p/docker-compose.yml': compose, '/p/rules.v4': rulesText });
    assert.match(finding.message.en, /filters this port in DOCKER-USER, which Docker consults: 256 public addresses/);
  });
});
