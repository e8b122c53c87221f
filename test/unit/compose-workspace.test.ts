import assert from 'node:assert/strict';
import { engine } from '../../src/product';
import { memoryFiles } from '../support/fixtures';

async function lintCompose(files: Record<string, string>, path = '/project/app/docker-compose.yml') {
  const result = await engine.lintFile(path, files[path]!, { files: memoryFiles(new Map(Object.entries(files))) });
  return result.findings;
}

describe('compose across files', () => {
  const compose =
    'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${PG_PASSWORD:-postgres}\n    ports:\n      - "5432:5432"\n';

  it('says that published ports bypass a ufw file found above the compose file, with a related location', async () => {
    const findings = await lintCompose({
      '/project/app/docker-compose.yml': compose,
      '/project/etc/ufw/user.rules': '*filter\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\nCOMMIT\n',
    });
    const port = findings.find((finding) => finding.ruleId === 'compose/port-published-all-interfaces');
    assert.ok(port);
    assert.match(port.message.en, /do not filter this port|does not protect this port/);
    assert.match(port.message.en, /user\.rules/);
    assert.equal(port.related[0]?.file, '/project/etc/ufw/user.rules');
  });

  it('says nothing about firewalls when the workspace has none', async () => {
    const findings = await lintCompose({ '/project/app/docker-compose.yml': compose });
    assert.doesNotMatch(findings.find((finding) => finding.ruleId === 'compose/port-published-all-interfaces')!.message.en, /firewall/);
  });

  it('does not report a fallback password when .env sets the variable', async () => {
    const withEnv = await lintCompose({ '/project/app/docker-compose.yml': compose, '/project/app/.env': 'PG_PASSWORD=Vq8sL2mR7tZx4Kp1Qw\n' });
    assert.equal(withEnv.filter((finding) => finding.ruleId === 'compose/default-or-empty-credentials').length, 0);
    const without = await lintCompose({ '/project/app/docker-compose.yml': compose });
    const weak = without.find((finding) => finding.ruleId === 'compose/default-or-empty-credentials');
    assert.equal(weak?.severity, 'error', 'a weak fallback on a published database is an error');
  });

  it('reads a binding address from .env', async () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "${BIND:-0.0.0.0}:5432:5432"\n';
    const open = await lintCompose({ '/project/app/docker-compose.yml': text });
    assert.ok(open.some((finding) => finding.ruleId === 'compose/port-published-all-interfaces'));
    const closed = await lintCompose({ '/project/app/docker-compose.yml': text, '/project/app/.env': 'BIND=127.0.0.1\n' });
    assert.equal(closed.length, 0);
  });

  it('joins a mounted redis.conf without a password into one raised finding with related locations', async () => {
    const text =
      'services:\n  cache:\n    image: redis:6.2\n    command: redis-server /usr/local/etc/redis/redis.conf\n    volumes:\n      - ./conf:/usr/local/etc/redis\n    ports:\n      - "6380:6379"\n';
    const findings = await lintCompose({ '/project/app/docker-compose.yml': text, '/project/app/conf/redis.conf': 'bind 0.0.0.0\nprotected-mode no\n' });
    assert.deepEqual(
      findings.map((finding) => finding.ruleId),
      ['compose/datastore-auth-disabled'],
    );
    assert.equal(findings[0]!.severity, 'error');
    assert.equal(findings[0]!.related[0]?.file, '/project/app/conf/redis.conf');
    assert.equal(findings[0]!.related[0]?.range.start.line, 1);
    const safe = await lintCompose({
      '/project/app/docker-compose.yml': text,
      '/project/app/conf/redis.conf': 'bind 0.0.0.0\nrequirepass 6Jb2q9VxR3kLm8TzW1yN4pHs7dFgC0aE\n',
    });
    assert.deepEqual(
      safe.map((finding) => finding.ruleId),
      ['compose/port-published-all-interfaces'],
    );
  });
});
