// The pre-commit hook (.pre-commit-hooks.yaml) with the real `pre-commit` from Debian, in scratch repositories:
// pre-commit installs the hook repository the way it does for `language: node` (npm install, npm pack,
// npm install -g of the tarball, with the system's node) and runs the CLI's bin on the staged files.
// The hook repository here is the package as the repository holds it, with dist/cli.js already built (the
// real one builds it in its postinstall script, which needs the development dependencies from the registry).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLI } from '../support/run-cli';

const ROOT = path.resolve(__dirname, '../..');
const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

describe('pre-commit hook (real pre-commit from Debian)', function () {
  this.timeout(600_000);
  let scratch: string;
  let env: NodeJS.ProcessEnv;

  before(function () {
    if (!hasPreCommit) {
      // CI installs it (.ci/run); a machine without it cannot tell whether the hook works.
      if (process.env.CI === 'true') assert.fail('pre-commit is not installed (apt-get install pre-commit)');
      this.skip();
    }
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
    scratch = mkdtempSync(path.join(tmpdir(), 'scr-precommit-'));
    mkdirSync(path.join(scratch, 'home'));
    env = {
      ...process.env,
      HOME: path.join(scratch, 'home'),
      PRE_COMMIT_HOME: path.join(scratch, 'cache'),
      npm_config_cache: path.join(scratch, 'npm-cache'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    };
    delete env.FORCE_COLOR;
  });
  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const sh = (command: string, args: string[], cwd: string) => {
    const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
    assert.equal(result.error, undefined, `${command}: ${String(result.error)}`);
    return { code: result.status, output: result.stdout + result.stderr };
  };

  it('fails a commit that stages 172.0.0.0/8 in main.cf, with the finding, and passes a clean one', () => {
    // The hook repository: the hook definition, .npmignore (what npm pack ships), the bin and its bundle.
    const hook = path.join(scratch, 'hook');
    mkdirSync(path.join(hook, 'dist'), { recursive: true });
    for (const file of ['.pre-commit-hooks.yaml', '.npmignore', '.gitignore', 'LICENSE']) copyFileSync(path.join(ROOT, file), path.join(hook, file));
    copyFileSync(CLI, path.join(hook, 'dist', 'cli.js'));
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const slim = {
      name: manifest.name,
      version: manifest.version,
      license: manifest.license,
      bin: manifest.bin,
      scripts: { postinstall: manifest.scripts.postinstall },
    };
    writeFileSync(path.join(hook, 'package.json'), JSON.stringify(slim, null, 2));
    assert.equal(sh('git', ['init', '-q'], hook).code, 0);
    assert.equal(sh('git', ['add', '-A'], hook).code, 0);
    assert.equal(sh('git', ['add', '-f', 'dist/cli.js'], hook).code, 0);
    assert.equal(sh('git', ['commit', '-qm', 'hook'], hook).code, 0);
    const rev = sh('git', ['rev-parse', 'HEAD'], hook).output.trim();

    const work = path.join(scratch, 'work');
    mkdirSync(path.join(work, 'etc', 'postfix'), { recursive: true });
    assert.equal(sh('git', ['init', '-q'], work).code, 0);
    writeFileSync(path.join(work, '.pre-commit-config.yaml'), `repos:\n- repo: ${hook}\n  rev: ${rev}\n  hooks:\n  - id: secure-config-review\n`);
    const installed = sh('pre-commit', ['install'], work);
    assert.equal(installed.code, 0, installed.output);

    writeFileSync(path.join(work, 'etc', 'postfix', 'main.cf'), 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n');
    writeFileSync(path.join(work, 'README.md'), 'Mail relay configuration.\n');
    sh('git', ['add', '-A'], work);
    const refused = sh('git', ['commit', '-m', 'widen the relay'], work);
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /secure-config-review\.+Failed/);
    assert.match(refused.output, /etc\/postfix\/main\.cf:2:26: error postfix\/mynetworks-public-range mynetworks entry 172\.0\.0\.0\/8/);
    assert.notEqual(sh('git', ['rev-parse', '--verify', '-q', 'HEAD'], work).code, 0, 'nothing was committed');

    writeFileSync(path.join(work, 'etc', 'postfix', 'main.cf'), 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.16.0.0/12\n');
    sh('git', ['add', '-A'], work);
    const accepted = sh('git', ['commit', '-m', 'private relay network'], work);
    assert.equal(accepted.code, 0, accepted.output);
    assert.match(accepted.output, /secure-config-review\.+Passed/);
  });
});
