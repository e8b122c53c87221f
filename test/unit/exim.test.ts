// The Exim reader, lists and ACL walk: the semantics the referee (test/referee/exim) settled, kept as unit tests.
import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import { defaultSettings } from '../../src/core/settings';
import { eximConf, eximDebconf } from '../../src/families/exim/formats';
import type { EximConfig } from '../../src/families/exim/model';
import { relayVerdict } from '../../src/families/exim/acl';
import { matchHosts, splitList } from '../../src/families/exim/lists';
import { debianMacros, parseDebconf } from '../../src/families/exim/debconf';
import { Tracked } from '../../src/families/exim/tracked';
import { parseRange } from '../../src/net';
import { memoryFiles } from '../support/fixtures';

async function load(text: string, others: Record<string, string> = {}, name = 'exim.conf'): Promise<{ config: EximConfig; problems: number }> {
  const files = memoryFiles(
    new Map(Object.entries({ ...others, [`/etc/exim4/${name}`]: text }).map(([path, body]) => [path.startsWith('/') ? path : `/etc/exim4/${path}`, body])),
  );
  const format = name.endsWith('update-exim4.conf.conf') ? eximDebconf : eximConf;
  const loaded = await format.load(new SourceText(`/etc/exim4/${name}`, text), { files, settings: defaultSettings() });
  return { config: loaded.model, problems: loaded.problems.length };
}

const address = (text: string) => parseRange(text)!.range.start;

describe('Exim reader', () => {
  it('substitutes macros anywhere in a line, never the name being defined (as exim -bP prints them)', async () => {
    const { config, problems } = await load(
      'NETS = 192.168.0.0/16\nNET = 10.0.0.0/8\nNETS == NETS : 172.16.0.0/12\nhostlist a = NETS\nhostlist b = XNETWORK\n',
    );
    assert.equal(problems, 0);
    assert.equal(config.lists.get('a')!.value.text, '192.168.0.0/16 : 172.16.0.0/12');
    assert.equal(config.lists.get('b')!.value.text, 'X10.0.0.0/8WORK');
  });

  it("refuses a macro whose name contains an older macro's name", async () => {
    assert.equal((await load('NET = 1\nNETS = 2\n')).problems, 1);
  });

  it('refuses "=" for a macro already defined', async () => {
    assert.equal((await load('A = 1\nA = 2\n')).problems, 1);
  });

  it('.ifdef is true when a macro was substituted on the line; .elifdef, .else and nesting', async () => {
    const text = [
      'A = 1',
      '.ifdef B',
      'hostlist x = 1.1.1.1',
      '.elifdef A',
      '.ifndef A',
      'hostlist x = 2.2.2.2',
      '.else',
      'hostlist x = 3.3.3.3',
      '.endif',
      '.else',
      'hostlist x = 4.4.4.4',
      '.endif',
      '',
    ].join('\n');
    assert.equal((await load(text)).config.lists.get('x')!.value.text, '3.3.3.3');
  });

  it('joins continuation lines without their leading white space, skips comment lines inside them, stops at an empty line', async () => {
    const { config } = await load('hostlist x = 10.0.0.0/8 : \\\n# a comment\n     192.168.0.0/16\nhostlist y = 10.0.0.0/8 : \\\n\n');
    assert.equal(config.lists.get('x')!.value.text, '10.0.0.0/8 : 192.168.0.0/16');
    assert.equal(config.lists.get('y')!.value.text, '10.0.0.0/8 :');
  });

  it('reads .include relative to the file and keeps where each character was written', async () => {
    const { config } = await load('.include nets.conf\nhostlist x = NETS\n', { 'nets.conf': 'NETS = 172.0.0.0/8\n' });
    const value = config.lists.get('x')!.value;
    assert.deepEqual(value.span(), { file: '/etc/exim4/nets.conf', start: 7, end: 18 });
  });

  it('builds MAIN_RELAY_NETS as update-exim4.conf does', () => {
    const debconf = parseDebconf(
      new SourceText('/etc/exim4/update-exim4.conf.conf', "dc_eximconfig_configtype='internet'\ndc_relay_nets='10.0.0.0/8 ; 172.0.0.0/8'\n"),
    );
    const nets = debianMacros(debconf).find((macro) => macro.name === 'MAIN_RELAY_NETS')!;
    assert.equal(nets.value.text, '<; 10.0.0.0/8 ; 172.0.0.0/8 ; 127.0.0.1 ; ::1');
    const none = parseDebconf(new SourceText('/x', "dc_eximconfig_configtype='none'\ndc_relay_nets='0.0.0.0/0'\n"));
    assert.deepEqual(debianMacros(none), []);
  });
});

describe('Exim lists and relay decisions', () => {
  it('splits on the separator, undoes doubled separators and honours <;', () => {
    assert.deepEqual(
      splitList(Tracked.plain('127.0.0.1 : ::::1 : !10.0.0.0/8')).map((item) => [item.value, item.negated]),
      [
        ['127.0.0.1', false],
        ['::1', false],
        ['10.0.0.0/8', true],
      ],
    );
    assert.deepEqual(
      splitList(Tracked.plain('<; ::1 ; 2001:db8::/32')).map((item) => item.value),
      ['::1', '2001:db8::/32'],
    );
  });

  it('a list that ends with a negative item matches every address no item names', async () => {
    const { config } = await load('hostlist x = 127.0.0.1 : !10.0.0.0/8\n');
    const list = config.lists.get('x')!.value;
    assert.equal(matchHosts(config, list, address('8.8.8.8')), 'yes');
    assert.equal(matchHosts(config, list, address('10.1.1.1')), 'no');
  });

  it('host names are unknown, except localhost', async () => {
    const { config } = await load('hostlist x = mail.example.org : 10.0.0.0/8\n');
    assert.equal(matchHosts(config, config.lists.get('x')!.value, address('10.0.0.1')), 'yes');
    assert.equal(matchHosts(config, config.lists.get('x')!.value, address('8.8.8.8')), 'unknown');
  });

  it('walks the RCPT ACL: accept before the relay check, endpass, no ACL', async () => {
    const acl = (body: string) => `domainlist local_domains = @\nhostlist relay_from_hosts = 192.168.0.0/16\nacl_smtp_rcpt = rcpt\nbegin acl\nrcpt:\n${body}`;
    const debian = await load(acl('  accept hosts = :\n  accept hosts = +relay_from_hosts\n  require domains = +local_domains\n  accept\n'));
    assert.equal(relayVerdict(debian.config, address('192.168.3.4')), 'accept');
    assert.equal(relayVerdict(debian.config, address('8.8.8.8')), 'refuse');
    assert.equal(relayVerdict(debian.config, undefined), 'refuse');
    const open = await load(acl('  accept\n  require domains = +local_domains\n'));
    assert.equal(relayVerdict(open.config, undefined), 'accept');
    const endpass = await load(acl('  accept hosts = *\n    endpass\n    domains = +local_domains\n  accept\n'));
    assert.equal(relayVerdict(endpass.config, address('8.8.8.8')), 'refuse');
    assert.equal(relayVerdict((await load('hostlist x = *\n')).config, undefined), 'refuse');
  });

  it("reads update-exim4.conf.conf alone as Debian's template would use it", async () => {
    const { config } = await load("dc_eximconfig_configtype='internet'\ndc_relay_nets='172.0.0.0/8'\n", {}, 'update-exim4.conf.conf');
    assert.equal(relayVerdict(config, address('172.200.0.1')), 'accept');
    assert.equal(relayVerdict(config, address('8.8.8.8')), 'refuse');
  });

  it('stops substituting macros that double at every step, and says so', async () => {
    const lines = ['A0 = xx'];
    for (let i = 1; i < 40; i++) lines.push(`B${i}Z = ${i === 1 ? 'A0A0' : `B${i - 1}ZB${i - 1}Z`}`);
    const { problems } = await load(`${lines.join('\n')}\nhostlist x = B39Z\n`);
    assert.equal(problems, 1);
  });

  it('never crashes on damaged input', async () => {
    for (const text of [
      '.endif\n.else\n',
      '.ifdef\n',
      'begin\n',
      'hostlist = \\',
      '.include\n',
      'A = A A A\nA == AA\nhostlist x = A\n',
      'begin acl\n:\n  accept hosts = <\n',
      `${'X'.repeat(10_000)} = 1\n`,
    ])
      await load(text);
  });
});
