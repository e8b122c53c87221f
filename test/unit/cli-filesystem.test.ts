// The CLI on real trees: symbolic links (Debian's sites-enabled/), link loops, FIFOs, broken links and,
// run as an unprivileged user, folders and files it may not read. Every tree is made in a temporary folder
// and removed afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli as run, runCliUnprivileged } from '../support/run-cli';

const SITE =
  'server {\n    listen 80 default_server;\n    root /var/www/html;\n    location /admin/ {\n        allow 172.0.0.0/8;\n        deny all;\n    }\n}\n';
const NGINX = 'user www-data;\nevents {}\nhttp {\n    server_tokens off;\n    include /etc/nginx/sites-enabled/*;\n}\n';
const REDIS = 'bind 0.0.0.0\nport 6379\nprotected-mode no\n';
const SITE_FINDING = /^(\S*)sites-(available|enabled)\/default:5:15: error web\/allowlist-public-or-mistyped-range /m;

function mkfifo(file: string): void {
  const result = spawnSync('mkfifo', [file]);
  assert.equal(result.status, 0, `mkfifo: ${result.stderr}`);
}

/** A Debian-style /etc: nginx with sites-available/ and a link in sites-enabled/, Redis, and a project file. */
function debianTree(root: string): string {
  const etc = path.join(root, 'etc');
  mkdirSync(path.join(etc, 'nginx', 'sites-available'), { recursive: true });
  mkdirSync(path.join(etc, 'nginx', 'sites-enabled'), { recursive: true });
  mkdirSync(path.join(etc, 'redis'), { recursive: true });
  writeFileSync(path.join(etc, 'nginx', 'nginx.conf'), NGINX);
  writeFileSync(path.join(etc, 'nginx', 'sites-available', 'default'), SITE);
  symlinkSync('../sites-available/default', path.join(etc, 'nginx', 'sites-enabled', 'default'));
  writeFileSync(path.join(etc, 'redis', 'redis.conf'), REDIS);
  return etc;
}

describe('CLI on real trees: symbolic links and special files', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'scr-links-'));
    debianTree(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('audits a symbolic link named on the command line, under the name given', () => {
    const result = run(['audit', 'etc/nginx/sites-enabled/default'], root);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^etc\/nginx\/sites-enabled\/default:5:15: error web\/allowlist-public-or-mistyped-range /m);
    assert.match(result.stderr, /^1 files audited/m);
  });

  it('follows links to folders and files, and audits each real file once', () => {
    symlinkSync('nginx', path.join(root, 'etc', 'a-link'));
    const result = run(['audit', 'etc', '--format', 'json'], root);
    const paths = JSON.parse(result.stdout).files.map((file: { path: string }) => file.path);
    assert.deepEqual(paths, ['etc/a-link/nginx.conf', 'etc/a-link/sites-available/default', 'etc/redis/redis.conf']);
    const enabled = run(['audit', 'etc/nginx/sites-enabled'], root);
    assert.match(enabled.stdout, /^etc\/nginx\/sites-enabled\/default:5:15: error /m);
  });

  it('keeps quiet about broken links, FIFOs and links to /dev/null whose names say they are not configurations', () => {
    symlinkSync('../gone/src.zip', path.join(root, 'etc', 'src.zip'));
    symlinkSync('/dev/null', path.join(root, 'etc', 'nginx', 'sites-enabled', 'masked'));
    mkfifo(path.join(root, 'etc', 'initctl'));
    const result = run(['audit', 'etc'], root);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^3 files audited, \d+ findings \([^)]*\)$/m);
    assert.doesNotMatch(result.stderr, /secure-config-review: /);
  });

  it('ends a link loop and still audits what is around it', () => {
    symlinkSync('..', path.join(root, 'etc', 'nginx', 'sites-available', 'loop'));
    symlinkSync('loop-b', path.join(root, 'etc', 'loop-a'));
    symlinkSync('loop-a', path.join(root, 'etc', 'loop-b'));
    const result = run(['audit', 'etc'], root);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, SITE_FINDING);
    assert.match(result.stderr, /^secure-config-review: etc\/loop-a: too many levels of symbolic links$/m);
    assert.match(result.stderr, /^3 files audited, .*2 paths could not be read$/m);
  });

  it('reports a broken link with a configuration file name in one line; named, it makes the exit code 2', () => {
    mkdirSync(path.join(root, 'etc', 'postfix'));
    symlinkSync('../postfix-2019/main.cf', path.join(root, 'etc', 'postfix', 'main.cf'));
    const walked = run(['audit', 'etc'], root);
    assert.equal(walked.code, 1);
    assert.match(walked.stderr, /^secure-config-review: etc\/postfix\/main\.cf: broken symbolic link \(its target does not exist\)$/m);
    const named = run(['audit', 'etc/postfix/main.cf', 'etc/redis'], root);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /^secure-config-review: etc\/postfix\/main\.cf: broken symbolic link \(its target does not exist\)$/m);
    assert.match(named.stdout, /^etc\/redis\/redis\.conf:/m, 'the other path is still audited');
  });

  it('never opens a FIFO: one line when walked, exit 2 when named', () => {
    mkdirSync(path.join(root, 'etc', 'postfix'));
    mkfifo(path.join(root, 'etc', 'postfix', 'main.cf'));
    symlinkSync('main.cf', path.join(root, 'etc', 'postfix', 'master.cf'));
    const walked = run(['audit', 'etc'], root);
    assert.equal(walked.code, 1, walked.stderr);
    assert.match(walked.stderr, /^secure-config-review: etc\/postfix\/main\.cf: a named pipe \(FIFO\), not a file: skipped$/m);
    assert.match(walked.stderr, /^secure-config-review: etc\/postfix\/master\.cf: a named pipe/m);
    const named = run(['audit', 'etc/postfix/main.cf'], root);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /^secure-config-review: etc\/postfix\/main\.cf: a named pipe/m);
  });
});

describe('CLI on real trees, as an unprivileged user (setpriv when the tests run as root)', () => {
  let root: string;
  let tools: string;
  let etc: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'scr-perm-'));
    chmodSync(root, 0o755);
    tools = path.join(root, 'tools');
    etc = debianTree(root);
    // A sibling folder nobody else may enter, as /etc/ssl/private; Debian's /etc/redis is redis:redis 0750.
    mkdirSync(path.join(etc, 'private'), { mode: 0o700 });
    writeFileSync(path.join(etc, 'private', 'main.cf'), 'mynetworks = 0.0.0.0/0\n');
    chmodSync(path.join(etc, 'private'), 0o700);
    chmodSync(path.join(etc, 'redis'), 0o700);
    writeFileSync(path.join(etc, 'mongod.conf'), 'net:\n  bindIp: 0.0.0.0\n', { mode: 0o600 });
    chmodSync(path.join(etc, 'mongod.conf'), 0o600);
    // Unreadable, and its name says nothing: counted, not listed (as /etc/shadow for a normal user).
    writeFileSync(path.join(etc, 'shadow'), 'root:*:19000:0:99999:7:::\n', { mode: 0o600 });
    chmodSync(path.join(etc, 'shadow'), 0o600);
    // The probe: the unprivileged user can run the CLI at all (node and the bundle readable).
    const probe = runCliUnprivileged(['--version'], root, tools);
    assert.equal(probe.code, 0, `the CLI does not run as an unprivileged user: ${probe.stderr}`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reports the finding in the linked site and one line for the unreadable folder, exit 1', () => {
    const result = runCliUnprivileged(['audit', 'etc'], root, tools);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, SITE_FINDING);
    assert.match(result.stderr, /^secure-config-review: etc\/private: permission denied$/m);
    assert.match(result.stderr, /^secure-config-review: etc\/redis: permission denied$/m);
    assert.match(result.stderr, /^secure-config-review: etc\/mongod\.conf: permission denied$/m);
    assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
    assert.doesNotMatch(result.stderr, /shadow/);
    assert.match(result.stderr, /, 3 paths could not be read, 1 unreadable files of unknown kind skipped$/m);
  });

  it('exits 2 for a named file it cannot read, and says "permission denied", not "no such file"', () => {
    for (const named of ['etc/mongod.conf', 'etc/redis/redis.conf', 'etc/private']) {
      const result = runCliUnprivileged(['audit', named, 'etc/nginx/sites-enabled/default'], root, tools);
      assert.equal(result.code, 2, `${named}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^secure-config-review: ${named.replace(/[.]/g, '\\.')}: permission denied$`, 'm'));
      assert.match(result.stdout, /^etc\/nginx\/sites-enabled\/default:5:15: error /m, 'the readable path is still audited');
    }
  });

  it('stops with exit 2 when the project file cannot be read', () => {
    const project = path.join(root, 'project');
    mkdirSync(project, { mode: 0o755 });
    chmodSync(project, 0o755);
    copyFileSync(path.join(etc, 'nginx', 'nginx.conf'), path.join(project, 'nginx.conf'));
    writeFileSync(path.join(project, '.secure-config-review.json'), '{}', { mode: 0o600 });
    chmodSync(path.join(project, '.secure-config-review.json'), 0o600);
    const result = runCliUnprivileged(['audit', 'project'], root, tools);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /cannot read the project file: project\/\.secure-config-review\.json: permission denied/);
  });
});
