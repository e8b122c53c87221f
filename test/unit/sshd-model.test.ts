// The sshd_config model: sshd's own reading rules (first value wins, Include in place, Match blocks), exact
// positions, and the address sets behind Match Address. The referee (test/referee/sshd) checks the same
// semantics against Debian's sshd; these tests pin them down without it.
import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import { defaultSettings } from '../../src/core/settings';
import { AddressSet, formatRange } from '../../src/net';
import type { FileAccess } from '../../src/core/types';
import { sshdConfigFormat } from '../../src/families/sshd/formats';
import type { SshdConfig } from '../../src/families/sshd/model';
import { parseSshdSyntax } from '../../src/families/sshd/syntax';
import { addressListView, matchAddressList, wildcardV4Set } from '../../src/families/sshd/patterns';
import { contextsOf, representative } from '../../src/families/sshd/contexts';
import { memoryFiles } from '../support/fixtures';

async function load(path: string, files: Record<string, string>, access?: FileAccess): Promise<{ config: SshdConfig; problems: string[] }> {
  const map = new Map(Object.entries(files));
  const loaded = await sshdConfigFormat.load(new SourceText(path, map.get(path)!), { files: access ?? memoryFiles(map), settings: defaultSettings() });
  return { config: loaded.model, problems: loaded.problems.map((problem) => problem.message.text) };
}

const value = (config: SshdConfig, field: string, client = {}) => config.evaluate(client).value(field);

describe('sshd_config syntax', () => {
  it('splits lines as sshd does, keeping the positions of keywords and arguments', () => {
    const text = '  PermitRootLogin=no\nBanner "/etc/issue net" # comment\nAllowUsers \'al ice\' bob\\ x\n#PasswordAuthentication yes\nX11Forwarding "yes\n';
    const { lines, comments } = parseSshdSyntax(new SourceText('/x/sshd_config', text));
    assert.deepEqual(
      lines.map((line) => [line.name, line.args?.map((arg) => arg.value)]),
      [
        ['permitrootlogin', ['no']],
        ['banner', ['/etc/issue net']],
        ['allowusers', ['al ice', 'bob x']],
        ['x11forwarding', undefined],
      ],
    );
    const banner = lines[1]!.args![0]!;
    assert.equal(text.slice(banner.start, banner.end), '"/etc/issue net"');
    assert.equal(text.slice(lines[0]!.keyword.start, lines[0]!.keyword.end), 'PermitRootLogin');
    assert.equal(comments[0]!.body, 'PasswordAuthentication yes');
  });
});

describe('sshd_config model', () => {
  it('keeps the first value of most keywords, accumulates the lists and keeps the last MaxStartups', async () => {
    const { config } = await load('/etc/ssh/sshd_config', {
      '/etc/ssh/sshd_config':
        'PasswordAuthentication yes\nPasswordAuthentication no\nAllowUsers a\nAllowUsers b c\nMaxStartups 5\nMaxStartups 7:30:20\nPort 22\nPort 2222\n',
    });
    assert.equal(value(config, 'passwordauthentication'), 'yes');
    assert.equal(config.evaluate().get('passwordauthentication').directive?.line.line, 0);
    assert.deepEqual(config.evaluate().get('allowusers').value, ['a', 'b', 'c']);
    assert.deepEqual(config.evaluate().dump().get('maxstartups'), ['7:30:20']);
    assert.deepEqual(config.evaluate().get('port').value, [22, 2222]);
  });

  it('knows the defaults of Debian 12 OpenSSH 9.2p1 for what nobody sets', async () => {
    const { config } = await load('/etc/ssh/sshd_config', { '/etc/ssh/sshd_config': '# nothing\n' });
    assert.equal(value(config, 'passwordauthentication'), 'yes');
    assert.equal(value(config, 'kbdinteractiveauthentication'), 'yes');
    assert.equal(value(config, 'permitrootlogin'), 'without-password');
    assert.equal(value(config, 'usepam'), 'no');
    assert.equal(value(config, 'maxauthtries'), '6');
  });

  it('reads a drop-in included at the top before the lines below it (cloud-init beats a later no)', async () => {
    const { config } = await load('/etc/ssh/sshd_config', {
      '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n',
      '/etc/ssh/sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication yes\n',
      '/etc/ssh/sshd_config.d/.hidden.conf': 'PermitRootLogin yes\n',
      '/etc/ssh/sshd_config.d/40-notes.txt': 'PermitRootLogin yes\n',
    });
    const setting = config.evaluate().get('passwordauthentication');
    assert.equal(setting.value, 'yes');
    assert.equal(setting.directive?.line.file, '/etc/ssh/sshd_config.d/50-cloud-init.conf');
    assert.equal(value(config, 'permitrootlogin'), 'without-password', 'hidden and non-.conf files are not read');
  });

  it('resolves relative Include paths below /etc/ssh, and /etc/ssh paths inside a copy of the folder', async () => {
    const files = {
      '/repo/etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\nInclude /etc/ssh/extra.conf\n',
      '/repo/etc/ssh/sshd_config.d/10-a.conf': 'MaxAuthTries 3\n',
      '/repo/etc/ssh/extra.conf': 'X11Forwarding yes\n',
      '/etc/ssh/extra.conf': 'X11Forwarding no\nMaxAuthTries 9\n',
    };
    const { config } = await load('/repo/etc/ssh/sshd_config', files);
    assert.equal(value(config, 'maxauthtries'), '3');
    assert.equal(value(config, 'x11forwarding'), 'yes', "a copy of /etc/ssh never reads this machine's /etc/ssh");
  });

  it('evaluates a drop-in opened alone inside the sshd_config above it, with the edited buffer winning', async () => {
    const files = {
      '/srv/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\nPermitRootLogin no\n',
      '/srv/etc/ssh/sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication no\n',
    };
    const map = new Map(Object.entries(files));
    const buffer = new SourceText('/srv/etc/ssh/sshd_config.d/50-cloud-init.conf', 'PasswordAuthentication yes\n');
    const loaded = await sshdConfigFormat.load(buffer, { files: memoryFiles(map), settings: defaultSettings() });
    const config = loaded.model;
    assert.equal(config.root.source.path, '/srv/etc/ssh/sshd_config');
    assert.equal(value(config, 'passwordauthentication'), 'yes', 'the unsaved buffer, not the file on disk');
    assert.equal(value(config, 'permitrootlogin'), 'no', "the main file's own values count");
  });

  it('evaluates a drop-in that no sshd_config includes on its own', async () => {
    const { config } = await load('/x/sshd_config.d/a.conf', { '/x/sshd_config.d/a.conf': 'PermitRootLogin yes\n', '/x/sshd_config': 'Port 22\n' });
    assert.equal(config.root.source.path, '/x/sshd_config.d/a.conf');
    assert.equal(value(config, 'permitrootlogin'), 'yes');
  });

  it('applies a Match block to the clients it matches only, and ends a Match inside a drop-in with the drop-in', async () => {
    const { config } = await load('/etc/ssh/sshd_config', {
      '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nPasswordAuthentication no\n',
      '/etc/ssh/sshd_config.d/10-admin.conf': 'Match Address 198.51.100.0/24 User admin\n  PasswordAuthentication yes\n',
    });
    assert.equal(value(config, 'permitrootlogin'), 'no', 'the drop-in Match does not swallow the main file');
    assert.equal(value(config, 'passwordauthentication', { user: 'admin', address: '198.51.100.9' }), 'yes');
    assert.equal(value(config, 'passwordauthentication', { user: 'bob', address: '198.51.100.9' }), 'no');
    assert.equal(value(config, 'passwordauthentication', { user: 'admin', address: '203.0.113.9' }), 'no');
  });

  it('Match All applies to every connection and accepts global keywords', async () => {
    const { config, problems } = await load('/etc/ssh/sshd_config', {
      '/etc/ssh/sshd_config': 'PasswordAuthentication no\nMatch All\nPasswordAuthentication yes\nPort 2222\n',
    });
    assert.deepEqual(problems, []);
    assert.equal(value(config, 'passwordauthentication'), 'yes');
    assert.deepEqual(config.global.get('port')!.value, [2222]);
  });

  it('reports what stops sshd, on the line that does', async () => {
    const text = 'Port 2x\nPasswordAuthentication no yes\nMatch User bob\n  UsePAM yes\nMatch Address 10.0.0.1/8\n';
    const { problems } = await load('/etc/ssh/sshd_config', { '/etc/ssh/sshd_config': text });
    assert.deepEqual(problems, ['sshd.bad-value', 'sshd.extra-arguments', 'sshd.not-in-match', 'sshd.match-address-host-bits']);
  });

  it('marks a drop-in that stops sshd on the Include line of the file being edited', async () => {
    const { problems } = await load('/etc/ssh/sshd_config', {
      '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\n',
      '/etc/ssh/sshd_config.d/x.conf': 'PermitRootLogin sometimes\n',
    });
    assert.deepEqual(problems, ['sshd.include-has-errors']);
  });

  it('stops an Include loop instead of following it', async () => {
    const { problems } = await load('/etc/ssh/sshd_config', { '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config\nPort 22\n' });
    assert.deepEqual(problems, ['sshd.include-loop']);
  });
});

describe('Match Address lists as address sets', () => {
  it('matches like addr_match_list: a negated entry wins wherever it is written', () => {
    assert.equal(matchAddressList('10.1.2.3', '!10.1.0.0/16,10.0.0.0/8'), -1);
    assert.equal(matchAddressList('10.2.2.3', '10.0.0.0/8,!10.1.0.0/16'), 1);
    assert.equal(matchAddressList('10.0.1.1', '10.0/16'), 1, 'inet_aton reads 10.0 as 10.0.0.0');
    assert.equal(matchAddressList('192.168.1.77', '192.168.1.*'), 1);
    assert.equal(matchAddressList('2001:db8::1', '192.168.1.*'), 0);
  });

  it('turns wildcards into the sets they match', () => {
    assert.deepEqual(wildcardV4Set('192.168.1.*')!.toCidrs(), ['192.168.1.0/24']);
    assert.deepEqual(wildcardV4Set('172.*')!.toCidrs(), ['172.0.0.0/8']);
    assert.deepEqual(wildcardV4Set('10.1?.*')!.toCidrs(), ['10.10.0.0/15', '10.12.0.0/14', '10.16.0.0/14']);
    const everything = addressListView('*');
    assert.equal(everything.exact, true);
    assert.equal(everything.set.v4Size(), 1n << 32n);
  });

  it('evaluates a list with exclusions as what is left', () => {
    const view = addressListView('!192.168.0.0/16,*');
    assert.ok(!view.set.contains(AddressSet.parse(['192.168.4.4']).intervals[0]!.start));
    assert.ok(view.set.contains(AddressSet.parse(['8.8.8.8']).intervals[0]!.start));
    assert.equal(formatRange(addressListView('10.0/8').set.intervals[0]!), '10.0.0.0/8');
  });
});

describe('connection contexts', () => {
  it('builds a public client for each block that admits one, and none behind a loopback listener', async () => {
    const text = 'PasswordAuthentication no\nMatch Address 172.0.0.0/8\n  PasswordAuthentication yes\nMatch Address 10.0.0.0/8\n  PasswordAuthentication yes\n';
    const { config } = await load('/etc/ssh/sshd_config', { '/etc/ssh/sshd_config': text });
    const contexts = contextsOf(config, AddressSet.empty);
    assert.deepEqual(
      contexts.map((context) => [context.block?.directive.line.content ?? 'global', context.public, context.effective.value('passwordauthentication')]),
      [
        ['global', true, 'no'],
        ['Match Address 172.0.0.0/8', true, 'yes'],
        ['Match Address 10.0.0.0/8', false, 'yes'],
      ],
    );
    const trusted = AddressSet.parse(['172.0.0.0/8']);
    assert.equal(representative(config, config.blocks[0], { public: true, trusted }), undefined, 'trusted networks are not public');
    const { config: local } = await load('/etc/ssh/sshd_config', { '/etc/ssh/sshd_config': `ListenAddress 127.0.0.1\n${text}` });
    assert.ok(contextsOf(local, AddressSet.empty).every((context) => !context.public));
  });
});
