import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import type { ParseProblem } from '../../src/core/format';
import { parseMainCf } from '../../src/families/postfix/main-cf';
import { parseMasterCf, portOf } from '../../src/families/postfix/master-cf';
import { PostfixConfig } from '../../src/families/postfix/config';
import { analyseRelay } from '../../src/families/postfix/restrictions';
import { mynetworksEntries } from '../../src/families/postfix/mynetworks';

function config(main: string, master?: string): { config: PostfixConfig; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const parsedMain = parseMainCf(new SourceText('/p/main.cf', main), problems);
  const parsedMaster = master === undefined ? undefined : parseMasterCf(new SourceText('/p/master.cf', master), problems);
  return { config: new PostfixConfig(parsedMain, parsedMaster, new Map()), problems };
}

const value = (c: PostfixConfig, name: string) => c.parameter(name).expanded.text;

describe('Postfix main.cf (postconf(5))', () => {
  it('lets the last definition win', () => {
    assert.equal(value(config('a = 1\na = 2\n').config, 'a'), '2');
  });

  it('treats # as a comment only as the first non-blank character', () => {
    const { config: c } = config('mynetworks = 127.0.0.0/8 # office\n  # a comment line inside the value\n  10.0.0.0/8\n');
    assert.deepEqual(
      c.list('mynetworks').map((item) => item.text),
      ['127.0.0.0/8', '#', 'office', '10.0.0.0/8'],
    );
  });

  it('joins continuation lines that start with whitespace', () => {
    const { config: c } = config('list = a,\n\tb\n  c\nnext = d\n');
    assert.deepEqual(
      c.list('list').map((item) => item.text),
      ['a', 'b', 'c'],
    );
    assert.equal(value(c, 'next'), 'd');
  });

  it('expands $name, ${name}, $(name), ${name?x}, ${name:x}, ${name?{x}:{y}} and $$', () => {
    const { config: c } = config(
      [
        'a = A',
        'empty =',
        'v1 = $a-${a}-$(a)',
        'v2 = ${a?set}${empty?set}',
        'v3 = ${a:unset}${empty:unset}${undefined_name:unset}',
        'v4 = ${a?{yes}:{no}} ${empty?{yes}:{no}}',
        'v5 = $$a',
        'v6 = $undefined_name.x',
      ].join('\n'),
    );
    assert.equal(value(c, 'v1'), 'A-A-A');
    assert.equal(value(c, 'v2'), 'set');
    assert.equal(value(c, 'v3'), 'unsetunset');
    assert.equal(value(c, 'v4'), 'yes no');
    assert.equal(value(c, 'v5'), '$a');
    assert.equal(value(c, 'v6'), '.x');
  });

  it('keeps the source position of expanded list items', () => {
    const text = 'mynetworks = 127.0.0.0/8 $office\noffice = 10.0.0.0/8 172.0.0.0/8\n';
    const { config: c } = config(text);
    const item = mynetworksEntries(c).entries.find((entry) => entry.text === '172.0.0.0/8')!;
    const span = item.item.span()!;
    assert.equal(text.slice(span.start, span.end), '172.0.0.0/8');
  });

  it('applies compatibility_level defaults', () => {
    assert.equal(value(config('').config, 'mynetworks_style'), 'subnet');
    assert.equal(value(config('compatibility_level = 3.6').config, 'mynetworks_style'), 'host');
    assert.equal(value(config('').config, 'smtpd_relay_restrictions'), '');
    assert.match(value(config('compatibility_level = 2').config, 'smtpd_relay_restrictions'), /defer_unauth_destination/);
  });

  it('reports lines it cannot read', () => {
    assert.equal(config('this line has no equals sign\n').problems.length, 1);
  });
});

describe('Postfix master.cf (master(5))', () => {
  const master = [
    'smtp      inet  n       -       y       -       -       smtpd',
    '  -o smtpd_sasl_auth_enable=no',
    '#submission inet n - y - - smtpd',
    '127.0.0.1:10025 inet n - n - - smtpd -o { smtpd_relay_restrictions = permit_mynetworks, reject }',
    '  -o content_filter=',
    'pickup    unix  n       -       y       60      1       pickup',
    'smtpd     pass  -       -       y       -       -       smtpd',
  ].join('\n');

  it('reads services, -o overrides (short and long form) and ports', () => {
    const { config: c, problems } = config('mynetworks = 127.0.0.0/8', master);
    assert.deepEqual(problems, []);
    const services = c.smtpdServices.map((service) => `${service.name}/${service.type}:${service.port ?? '-'}`);
    assert.deepEqual(services, ['smtp/inet:25', '127.0.0.1:10025/inet:10025', 'smtpd/pass:-']);
    const filter = c.smtpdServices[1]!;
    assert.equal(c.parameter('smtpd_relay_restrictions', filter).expanded.text, 'permit_mynetworks, reject');
    assert.equal(c.parameter('content_filter', filter).expanded.text, '');
    assert.equal(c.isYes('smtpd_sasl_auth_enable', c.smtpdServices[0]), false);
    assert.equal(portOf('[::1]:587'), 587);
    assert.equal(portOf('submissions'), 465);
  });

  it('decides relaying per service from both restriction lists', () => {
    const { config: c } = config(
      'compatibility_level = 3.6\nsmtpd_relay_restrictions = permit_mynetworks, permit\nsmtpd_recipient_restrictions = reject_unauth_destination\n',
      master,
    );
    assert.equal(analyseRelay(c, c.smtpdServices[0]).state, 'closed');
    assert.equal(analyseRelay(c, c.smtpdServices[1]).state, 'closed');
    // smtpd_check.c has_required: a gate after a top-level permit is ignored; with none left smtpd will not run.
    const { config: ignored } = config('compatibility_level = 3.6\nsmtpd_relay_restrictions = permit, reject_unauth_destination\n', master);
    assert.equal(analyseRelay(ignored, ignored.smtpdServices[0]).state, 'refused');
    const { config: warned } = config('compatibility_level = 3.6\nsmtpd_relay_restrictions = permit_mynetworks, warn_if_reject reject_unauth_destination\n');
    assert.equal(analyseRelay(warned).state, 'refused');
    const { config: none } = config('smtpd_relay_restrictions =\n');
    assert.equal(analyseRelay(none).state, 'refused');
  });

  it('shares main.cf expansions and analyses only with services whose overrides they do not read', () => {
    const main = [
      'compatibility_level = 3.6',
      'inner = 10.0.0.0/8',
      'mynetworks = $inner, 192.168.0.0/16',
      'smtpd_restriction_classes = lenient',
      'lenient = reject',
      'smtpd_relay_restrictions = lenient',
      'smtpd_recipient_restrictions = ${inner?permit_mynetworks}',
    ].join('\n');
    const services = [
      'a inet n - y - - smtpd -o inner=172.16.0.0/12',
      'b inet n - y - - smtpd -o unrelated=1',
      'c inet n - y - - smtpd -o lenient=permit',
      'd inet n - y - - smtpd -o compatibility_level=0',
      'e inet n - y - - smtpd -o smtpd_restriction_classes=',
    ];
    const { config: c } = config(`${main}\n`, `${services.join('\n')}\n`);
    const [a, b, cc, d, e] = c.smtpdServices;
    const networks = (service?: (typeof c.smtpdServices)[number]) => mynetworksEntries(c, service).entries.map((entry) => entry.text);
    assert.deepEqual(networks(), ['10.0.0.0/8', '192.168.0.0/16']);
    assert.deepEqual(networks(a), ['172.16.0.0/12', '192.168.0.0/16']);
    assert.deepEqual(networks(b), ['10.0.0.0/8', '192.168.0.0/16']);
    assert.equal(c.parameter('smtpd_recipient_restrictions', a).expanded.text, 'permit_mynetworks');
    assert.equal(analyseRelay(c).state, 'closed');
    assert.equal(analyseRelay(c, b).state, 'closed');
    assert.equal(analyseRelay(c, cc).state, 'refused');
    assert.equal(analyseRelay(c, e).state, 'refused');
    // A default that depends on compatibility_level.
    assert.equal(c.parameter('mynetworks_style', d).expanded.text, 'subnet');
    assert.equal(c.parameter('mynetworks_style', b).expanded.text, 'host');
    assert.equal(c.parameter('mynetworks_style').expanded.text, 'host');
  });

  it('expands restriction classes', () => {
    const { config: c } = config(
      'compatibility_level = 3.6\nsmtpd_restriction_classes = lenient\nlenient = permit\nsmtpd_relay_restrictions = lenient, reject_unauth_destination\n',
    );
    assert.equal(analyseRelay(c).state, 'open');
  });
});
