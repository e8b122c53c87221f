// Dovecot's configuration semantics as the parser and model implement them (each settled by doveconf in
// test/referee/dovecot): comments and continuations, filters and their precedence, includes, variables, values.
import assert from 'node:assert/strict';
import type { ParseProblem } from '../../src/core/format';
import { SourceText } from '../../src/core/source';
import { parseDovecot } from '../../src/families/dovecot/syntax';
import { loadDovecot } from '../../src/families/dovecot/load';
import { dovecotBool, dovecotMilliseconds } from '../../src/families/dovecot/model';
import { hasCleartextListener } from '../../src/families/dovecot/listeners';
import { parseRange } from '../../src/net';
import { memoryFiles } from '../support/fixtures';

async function load(files: Record<string, string>, linted = '/etc/dovecot/dovecot.conf') {
  const problems: ParseProblem[] = [];
  const config = await loadDovecot(new SourceText(linted, files[linted]!), memoryFiles(new Map(Object.entries(files))), problems);
  return { config, problems: problems.map((problem) => problem.message.text) };
}

const host = (text: string) => {
  const at = parseRange(text)!.written;
  return { start: at, end: at };
};

describe('Dovecot configuration', () => {
  it('strips comments outside quotes, joins continued lines, and drops a continuation cut by a comment line', () => {
    const source = new SourceText('/d.conf', 'a = "x # y" # comment\nb = one \\\n  two\nc = three \\\n# cut\nd = 4 secs#ambiguous\n');
    const lines = parseDovecot(source, []);
    const settings = lines.flatMap((line) => (line.kind === 'setting' ? [[line.key, line.value]] : []));
    assert.deepEqual(settings, [
      ['a', 'x # y'],
      ['b', 'one two'],
      ['d', '4 secs'],
    ]);
    const b = lines.find((line) => line.kind === 'setting' && line.key === 'b')!;
    assert.equal(source.text.slice(b.span.start, b.span.end), 'b = one \\\n  two');
  });

  it('reports the lines doveconf refuses', () => {
    const problems: ParseProblem[] = [];
    parseDovecot(new SourceText('/d.conf', 'foo bar\nprotocol imap { x = y\n= yes\n'), problems);
    assert.deepEqual(
      problems.map((problem) => problem.message.text),
      ['dovecot.expecting-brace', 'dovecot.garbage-after-brace', 'dovecot.missing-setting-name'],
    );
  });

  it('picks the most specific filter that sets a key: remote before protocol before global, last line within one filter', async () => {
    const { config, problems } = await load({
      '/etc/dovecot/dovecot.conf':
        'disable_plaintext_auth = yes\nprotocol imap {\n  disable_plaintext_auth = no\n}\nremote 192.168.0.0/16 {\n  disable_plaintext_auth = yes\n}\nremote 192.168.0.0/16 {\n  ssl = required\n}\ndisable_plaintext_auth = y\n',
    });
    assert.deepEqual(problems, []);
    assert.equal(config.value('disable_plaintext_auth'), 'y');
    assert.equal(config.value('disable_plaintext_auth', { protocol: 'imap' }), 'no');
    assert.equal(config.value('disable_plaintext_auth', { protocol: 'imap', remote: host('192.168.1.1') }), 'yes');
    assert.equal(config.value('disable_plaintext_auth', { protocol: 'imap', remote: host('10.0.0.1') }), 'no');
    assert.equal(config.value('ssl', { remote: host('192.168.9.9') }), 'required');
    assert.equal(config.filters().length, 3);
  });

  it('reads sections nested up to the core nesting limit, then only matches braces (each level used to copy its path)', async () => {
    const depth = 30_000;
    const sections = Array.from({ length: depth }, (_, i) => `s${i} {`).join('\n');
    const { config, problems } = await load({ '/etc/dovecot/dovecot.conf': `${sections}\nssl = no\n${'}\n'.repeat(depth)}listen = *\n` });
    assert.deepEqual(problems, ['core.limit-exceeded']);
    // The setting past the limit is not read; the one after every brace closed is.
    assert.deepEqual(
      config.settings.map((setting) => [setting.key, setting.sections.length]),
      [['listen', 0]],
    );
  });

  it('refuses filters nested the wrong way and auth settings in remote sections, as config-parser.c does', async () => {
    const { problems } = await load({
      '/etc/dovecot/dovecot.conf':
        'protocol imap {\n  protocol pop3 {\n  }\n  remote 10.0.0.0/8 {\n  }\n}\nremote 10.0.0.0/8 {\n  auth_mechanisms = plain\n  remote 192.168.0.0/16 {\n  }\n}\n}\nservice x {\n',
    });
    assert.deepEqual(problems, [
      'dovecot.filter-nested-protocol',
      'dovecot.filter-wrong-order',
      'dovecot.auth-setting-in-net-filter',
      'dovecot.filter-net-not-inside',
      'dovecot.unexpected-close-brace',
      'dovecot.missing-close-brace',
    ]);
  });

  it('reads conf.d inside dovecot.conf (glob in name order) and expands $key from the value so far', async () => {
    const files = {
      '/etc/dovecot/dovecot.conf': 'auth_mechanisms = plain\n!include conf.d/*.conf\n!include_try /usr/share/dovecot/protocols.d/*.protocol\n',
      '/etc/dovecot/conf.d/10-auth.conf': 'auth_mechanisms = $auth_mechanisms login\n',
      '/etc/dovecot/conf.d/20-more.conf': 'auth_mechanisms = $auth_mechanisms cram-md5\n',
    };
    const { config } = await load(files, '/etc/dovecot/conf.d/10-auth.conf');
    assert.equal(config.value('auth_mechanisms'), 'plain login cram-md5');
    assert.deepEqual(
      config.sources.map((source) => source.path),
      ['/etc/dovecot/conf.d/10-auth.conf', '/etc/dovecot/dovecot.conf', '/etc/dovecot/conf.d/20-more.conf'],
    );
  });

  it('reads values as the settings parser does', () => {
    assert.deepEqual(['yes', 'Y', '1', 'no', 'NO', '0'].map(dovecotBool), [true, true, true, false, false, undefined]);
    assert.deepEqual(['0', '2 secs', '2s', '1 min', '1m', '500 ms', '5', '3 fortnights'].map(dovecotMilliseconds), [
      0,
      2000,
      2000,
      60000,
      60000,
      500,
      undefined,
      undefined,
    ]);
  });

  it('knows which login listeners take sessions before TLS', async () => {
    const tlsOnly = await load({
      '/etc/dovecot/dovecot.conf':
        'protocols = imap\nservice imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = 993\n    ssl = yes\n  }\n}\n',
    });
    assert.equal(hasCleartextListener(tlsOnly.config), false);
    const defaults = await load({ '/etc/dovecot/dovecot.conf': 'protocols = imap pop3\n' });
    assert.equal(hasCleartextListener(defaults.config, 'pop3'), true);
  });
});
