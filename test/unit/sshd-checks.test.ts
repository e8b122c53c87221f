// The sshd rules through the product's engine: detection among every family, where findings land (including
// in the file being edited when the cause is in a drop-in), their severities, links and fixes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../src/core/types';
import { engine } from '../../src/product';
import { applyEdits, memoryFiles, parseAnnotated } from '../support/fixtures';

const DEBIAN = parseAnnotated(
  readFileSync(path.resolve(__dirname, '../../test-fixtures/sshd/password-login-from-internet/debian-default/sshd_config'), 'utf8'),
).text;

async function lint(files: Record<string, string>, file: string, settings?: Parameters<typeof engine.lintFile>[2]['settings']): Promise<Finding[]> {
  const map = new Map(Object.entries(files));
  return (await engine.lintFile(file, map.get(file)!, { files: memoryFiles(map), ...(settings ? { settings } : {}) })).findings;
}

const summary = (findings: Finding[]) => findings.map((finding) => `${finding.ruleId}:${finding.range.start.line + 1}:${finding.severity}`);

describe('sshd rules', () => {
  it('recognises sshd_config and its drop-ins by name, a renamed copy by content, and leaves ssh_config alone', () => {
    assert.equal(engine.detectFormat('/etc/ssh/sshd_config', DEBIAN)?.id, 'sshd-config');
    assert.equal(engine.detectFormat('/etc/ssh/sshd_config.d/50-cloud-init.conf', 'PasswordAuthentication yes\n')?.id, 'sshd-config');
    assert.equal(engine.detectFormat('/srv/backup/sshd_config.orig', DEBIAN.replace(/^#.*\n/gm, ''))?.id, 'sshd-config');
    assert.equal(engine.detectFormat('/etc/ssh/ssh_config', 'Host *\n    SendEnv LANG LC_*\n    HashKnownHosts yes\n')?.id, undefined);
  });

  it("gives Debian's shipped sshd_config one piece of information, on the PasswordAuthentication template", async () => {
    const findings = await lint({ '/etc/ssh/sshd_config': DEBIAN }, '/etc/ssh/sshd_config');
    assert.deepEqual(summary(findings), ['sshd/password-login-from-internet:57:info']);
    const [finding] = findings;
    assert.ok(finding!.threats.includes('incident-2020h1-9'));
    assert.equal(finding!.fix, undefined, 'turning passwords off changes who can log in: a suggestion, never a safe fix');
    const fixed = applyEdits(DEBIAN, finding!.suggestions[0]!.edits);
    assert.match(fixed, /^PasswordAuthentication no$/m);
    assert.deepEqual(await lint({ '/etc/ssh/sshd_config': fixed }, '/etc/ssh/sshd_config'), []);
  });

  it('shows a cloud-init drop-in that beats a later `no` in both files, each on its own line', async () => {
    const files = {
      '/etc/ssh/sshd_config': DEBIAN.replace('#PasswordAuthentication yes', 'PasswordAuthentication no'),
      '/etc/ssh/sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication yes\n',
    };
    const main = await lint(files, '/etc/ssh/sshd_config');
    assert.deepEqual(summary(main), ['sshd/password-login-from-internet:12:info', 'sshd/stricter-value-ignored:57:warning']);
    const ignored = main.find((finding) => finding.ruleId === 'sshd/stricter-value-ignored')!;
    assert.equal(ignored.related[0]!.file, '/etc/ssh/sshd_config.d/50-cloud-init.conf');
    assert.equal(ignored.suggestions[0]!.edits[0]!.file, '/etc/ssh/sshd_config.d/50-cloud-init.conf', 'the fix edits the value sshd reads first');
    const dropIn = await lint(files, '/etc/ssh/sshd_config.d/50-cloud-init.conf');
    assert.deepEqual(summary(dropIn), ['sshd/password-login-from-internet:1:info', 'sshd/stricter-value-ignored:1:warning']);
  });

  it('reports the 項番21 typo in a Match Address that opens passwords, with the private block as the fix', async () => {
    const text = 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nMatch Address 172.0.0.0/8\n  PasswordAuthentication yes\n';
    const findings = await lint({ '/etc/ssh/sshd_config': text }, '/etc/ssh/sshd_config');
    assert.deepEqual(summary(findings), ['sshd/match-address-public-range:3:error']);
    assert.ok(findings[0]!.threats.includes('incident-2020h1-21'));
    assert.match(findings[0]!.message.en, /15,728,640 public addresses/);
    assert.match(findings[0]!.message.ja, /172\.16\.0\.0\/12/);
    const fixed = applyEdits(text, findings[0]!.suggestions[0]!.edits);
    assert.match(fixed, /^Match Address 172\.16\.0\.0\/12$/m);
    assert.deepEqual(await lint({ '/etc/ssh/sshd_config': fixed }, '/etc/ssh/sshd_config'), []);
  });

  it("does not call the organisation's own range public (trustedNetworks)", async () => {
    const text = 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nMatch Address 192.0.3.0/28\n  PasswordAuthentication yes\n';
    const files = { '/etc/ssh/sshd_config': text };
    assert.deepEqual(summary(await lint(files, '/etc/ssh/sshd_config')), ['sshd/match-address-public-range:3:warning']);
    const settings = { rules: {}, trustedNetworks: ['192.0.3.0/24'], fileAssociations: {} };
    assert.deepEqual(await lint(files, '/etc/ssh/sshd_config', settings), []);
  });

  it('raises password login to a warning when root may use a password, and to an error with empty passwords', async () => {
    const root = await lint({ '/etc/ssh/sshd_config': 'PermitRootLogin yes\nPasswordAuthentication yes\n' }, '/etc/ssh/sshd_config');
    assert.deepEqual(summary(root), ['sshd/root-login-with-password:1:error', 'sshd/password-login-from-internet:2:warning']);
    const empty = await lint({ '/etc/ssh/sshd_config': 'PasswordAuthentication yes\nPermitEmptyPasswords yes\n' }, '/etc/ssh/sshd_config');
    assert.deepEqual(summary(empty), ['sshd/password-login-from-internet:1:error']);
  });

  it('raises password login to a warning when a firewall beside the file lets the whole internet reach port 22', async () => {
    const rules = (accept: string) => `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n${accept}\nCOMMIT\n`;
    const sshd = { '/srv/etc/ssh/sshd_config': 'PasswordAuthentication yes\nKbdInteractiveAuthentication no\n' };
    const open = await lint({ ...sshd, '/srv/etc/iptables/rules.v4': rules('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT') }, '/srv/etc/ssh/sshd_config');
    assert.deepEqual(summary(open), ['sshd/password-login-from-internet:1:warning']);
    assert.match(open[0]!.message.en, /rules\.v4 lets the whole internet reach port 22/);
    assert.equal(open[0]!.related[0]!.file, '/srv/etc/iptables/rules.v4');
    const office = await lint(
      { ...sshd, '/srv/etc/iptables/rules.v4': rules('-A INPUT -s 192.168.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT') },
      '/srv/etc/ssh/sshd_config',
    );
    assert.deepEqual(summary(office), ['sshd/password-login-from-internet:1:info']);
  });

  it('offers only suggestions: every sshd fix changes who can log in or how', async () => {
    const text = 'PermitRootLogin yes\nMaxAuthTries 40\nCiphers +aes128-cbc\nPasswordAuthentication yes\nPasswordAuthentication no\n';
    const findings = await lint({ '/etc/ssh/sshd_config': text }, '/etc/ssh/sshd_config');
    assert.ok(findings.length >= 4);
    for (const finding of findings) assert.equal(finding.fix, undefined, finding.ruleId);
  });
});
