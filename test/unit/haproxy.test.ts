import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import type { ParseProblem } from '../../src/core/format';
import { parseHaproxy, splitWords } from '../../src/families/haproxy/config';
import { buildConfig, parseEndpoint } from '../../src/families/haproxy/model';
import { EVERYONE, conditionTruth, probeFor, statsOutcome } from '../../src/families/haproxy/gate';
import { parseRange } from '../../src/net';

const at = (address: string) => parseRange(address)!.range.start;

function load(text: string) {
  const problems: ParseProblem[] = [];
  const config = buildConfig(parseHaproxy(new SourceText('/x/haproxy.cfg', text), problems), problems);
  return { config, problems: problems.map((problem) => problem.message.text) };
}

describe('haproxy.cfg parser', () => {
  it('cuts words as HAProxy does: quotes, escapes, # comments, exact spans', () => {
    const words = splitWords(`  log-format "%ci %t"' x'\\ y # comment`, 100, 'f')!;
    assert.deepEqual(
      words.map((word) => word.text),
      ['log-format', '%ci %t x y'],
    );
    assert.deepEqual(words[1]!.span, { file: 'f', start: 113, end: 128 });
    assert.equal(splitWords('acl a path "/open', 0, 'f'), undefined);
  });

  it('reads sections, defaults inheritance and the stats socket', () => {
    const { config, problems } = load(
      'global\n  stats socket ipv4@0.0.0.0:9999 level admin\n  stats socket /run/a.sock mode 0666\ndefaults web\n  mode http\n  stats enable\nfrontend f from web\n  bind :80,10.0.0.1:81 ssl crt x.pem\n  default_backend b\nbackend b\n  server s1 10.0.0.2:8080\n',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      config.statsSockets.map((socket) => [socket.endpoint.transport, socket.level, socket.mode]),
      [
        ['tcp', 'admin', undefined],
        ['unix', 'operator', 0o666],
      ],
    );
    const frontend = config.proxies[0]!;
    assert.equal(frontend.mode, 'http');
    assert.equal(frontend.stats?.uri, '/haproxy?stats');
    assert.deepEqual(
      frontend.binds[0]!.endpoints.map((endpoint) => [endpoint.host, endpoint.ports]),
      [
        ['', [80, 80]],
        ['10.0.0.1', [81, 81]],
      ],
    );
    assert.equal(frontend.binds[0]!.ssl, true);
  });

  it('reports what HAProxy refuses to start with', () => {
    assert.deepEqual(load('bind :80\n').problems, ['haproxy.outside-section']);
    assert.deepEqual(load('frontend f\n  http-request deny if office\n  acl office src 10.0.0.0/8\n').problems, ['haproxy.unknown-acl']);
    assert.deepEqual(load('frontend f\n  default_backend nowhere\n').problems, ['haproxy.unknown-backend']);
    assert.deepEqual(load('.if 0\nbind :80\n.endif\nfrontend\n').problems, ['haproxy.section-without-name']);
  });

  it('parses endpoints of every family', () => {
    assert.deepEqual(parseEndpoint('ipv6@:::8080', { file: 'f', start: 0, end: 0 }).host, '::');
    assert.equal(parseEndpoint('/run/x.sock', { file: 'f', start: 0, end: 0 }).transport, 'unix');
    assert.equal(parseEndpoint('abns@x', { file: 'f', start: 0, end: 0 }).transport, 'other');
  });
});

describe('haproxy gate: who gets through, as address sets', () => {
  it('judges src ACLs as sets, negation and alternatives included', () => {
    const { config } = load(
      'frontend f\n  mode http\n  acl office src 10.0.0.0/8 192.168.0.0/16\n  acl office src 172.16.0.0/12\n  http-request deny unless office or LOCALHOST\n',
    );
    const rule = config.proxies[0]!.rules[0]!;
    const truth = conditionTruth(rule.condition, rule.acls, { path: '/', host: 'x', ssl: false });
    assert.ok(truth.yes.contains(at('203.0.113.7')));
    assert.ok(truth.no.contains(at('172.20.1.1')) && truth.no.contains(at('127.0.0.1')));
    assert.ok(EVERYONE.subtract(truth.yes).subtract(truth.no).isEmpty());
  });

  it('leaves what it cannot know unknown (a header, a map file), and never claims it', () => {
    const { config } = load(
      'frontend f\n  mode http\n  bind :80\n  http-request deny if { req.hdr(x-token) -m str secret }\n  http-request deny unless { src -f /etc/haproxy/allow.lst }\n  stats uri /s\n',
    );
    const frontend = config.proxies[0]!;
    const outcome = statsOutcome(config, frontend, probeFor('/s', 'x', frontend.binds[0]!, frontend.binds[0]!.endpoints[0]!));
    assert.ok(outcome.served.isEmpty());
    assert.ok(outcome.unknown.contains(at('203.0.113.7')));
  });

  it('follows use_backend to a stats page and stats auth', () => {
    const { config } = load(
      'frontend f\n  mode http\n  bind :80\n  use_backend st if { path_beg /st } { src 10.0.0.0/8 }\n  default_backend st2\nbackend st\n  mode http\n  stats uri /st\nbackend st2\n  mode http\n  stats uri /st\n  stats auth a:b\n',
    );
    const frontend = config.proxies[0]!;
    const outcome = statsOutcome(config, frontend, probeFor('/st', 'x', frontend.binds[0]!, frontend.binds[0]!.endpoints[0]!));
    assert.ok(outcome.served.contains(at('10.1.1.1')) && !outcome.served.contains(at('203.0.113.7')));
    assert.ok(outcome.authentication.contains(at('203.0.113.7')));
  });
});
