// Hostile and oversized inputs for the Postfix, YAML (compose, Kubernetes, mongod.conf, elasticsearch.yml) and
// datastore families (issue 11): each of these hung, overflowed the stack or exploded in size before. Every
// case asserts what the linter says (the limit named as a parse problem, or the ordinary findings), never
// how long it took; the generous timeout only keeps a regression from hanging the suite.
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/types';
import { engine } from '../../src/product';
import { memoryFiles } from '../support/fixtures';

async function lint(path: string, text: string, others: Record<string, string> = {}): Promise<Finding[]> {
  const files = memoryFiles(new Map([[path, text], ...Object.entries(others)]));
  return (await engine.lintFile(path, text, { files })).findings;
}

const parseProblems = (findings: Finding[]) => findings.filter((finding) => finding.ruleId === 'config/parse-problem').map((finding) => finding.message.en);
const internalErrors = (findings: Finding[]) => parseProblems(findings).filter((message) => /internal error/i.test(message));

function assertNoInternalError(findings: Finding[]): void {
  assert.deepEqual(internalErrors(findings), []);
}

describe('bounded work: Postfix $name expansion and lists', function () {
  this.timeout(120_000);

  it('names a $name loop (mynetworks = $mynetworks) instead of overflowing the stack, and still checks the rest', async () => {
    const findings = await lint('/etc/postfix/main.cf', 'mynetworks = $mynetworks\nsmtpd_relay_restrictions = permit\n');
    assertNoInternalError(findings);
    assert.ok(parseProblems(findings).some((message) => message.includes('$mynetworks → $mynetworks')));
    assert.ok(findings.some((finding) => finding.ruleId === 'postfix/relay-check-missing'));
  });

  it('names a loop through several parameters and through compatibility_level', async () => {
    const three = await lint('/etc/postfix/main.cf', 'a = $b\nb = ${c?x}\nc = $a\nmynetworks = $a 10.0.0.0/8\n');
    assertNoInternalError(three);
    assert.ok(parseProblems(three).some((message) => message.includes('$a → $b → $c → $a')));
    const level = await lint('/etc/postfix/main.cf', 'compatibility_level = $mynetworks_style\nmynetworks = 10.0.0.0/8\n');
    assertNoInternalError(level);
    assert.ok(parseProblems(level).some((message) => message.includes('$compatibility_level → $mynetworks_style → $compatibility_level')));
    const undefinedLevel = await lint('/etc/postfix/main.cf', 'compatibility_level = $foo\nmynetworks = 10.0.0.0/8\n');
    assertNoInternalError(undefinedLevel);
  });

  it('allows 100 levels of $name nesting in a parameter smtpd uses and names the 101st, as postconf does', async () => {
    // mynetworks = $p99 nests 100 levels (postconf -x expands it); $p100 nests 101 (postconf: "unreasonable macro call nesting").
    const chain = (top: number) =>
      ['p0 = 10.0.0.0/8', ...Array.from({ length: top }, (_, i) => `p${i + 1} = $p${i}`), `mynetworks = $p${top}`].join('\n') + '\n';
    assert.deepEqual(parseProblems(await lint('/etc/postfix/main.cf', chain(99))), []);
    const deeper = parseProblems(await lint('/etc/postfix/main.cf', chain(100)));
    assert.equal(deeper.length, 1);
    assert.match(deeper[0]!, /mynetworks .*100 levels/);
  });

  it('stops an exponential $name expansion at its size limit and says so', async () => {
    const lines = ['p0 = 8.8.8.0/24', ...Array.from({ length: 40 }, (_, i) => `p${i + 1} = $p${i} $p${i}`), 'mynetworks = 127.0.0.0/8 $p40'];
    const findings = await lint('/etc/postfix/main.cf', lines.join('\n') + '\n');
    assertNoInternalError(findings);
    const problems = parseProblems(findings);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /1,000,000 characters/);
  });

  it('stops restriction classes that fan out exponentially at the restriction limit', async () => {
    const classes = Array.from(
      { length: 10 },
      (_, i) =>
        `c${i} = ${
          i < 9
            ? Array(10)
                .fill(`c${i + 1}`)
                .join(' ')
            : 'permit_mynetworks'
        }`,
    );
    const text = [`smtpd_restriction_classes = ${Array.from({ length: 10 }, (_, i) => `c${i}`).join(' ')}`, ...classes, 'smtpd_relay_restrictions = c0'];
    const findings = await lint('/etc/postfix/main.cf', text.join('\n') + '\n');
    assertNoInternalError(findings);
    assert.ok(parseProblems(findings).some((message) => message.includes('10,000 restrictions')));
  });

  it('judges a mynetworks list of 20,000 entries, each only for what the entries before it left', async () => {
    // Every entry is public; the second half repeats the first, so only the first 10,000 add anything.
    const entries = Array.from({ length: 10_000 }, (_, i) => `${11 + (i >> 8)}.${i & 255}.0.0/24`);
    const text = `mynetworks = 127.0.0.0/8\n  ${[...entries, ...entries].join('\n  ')}\nsmtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n`;
    const findings = await lint('/etc/postfix/main.cf', text);
    assertNoInternalError(findings);
    const lines = new Set(findings.filter((finding) => finding.ruleId === 'postfix/mynetworks-public-range').map((finding) => finding.range.start.line));
    assert.ok(lines.size > 0);
    assert.ok(
      [...lines].every((line) => line >= 1 && line <= 10_000),
      'a repeated entry decides nothing and is not reported',
    );
  });
});

describe('bounded work: YAML merges, aliases and nesting', function () {
  this.timeout(120_000);

  it('reports an alias bomb in elasticsearch.yml as a parse problem naming the budget', async () => {
    const lines = ['network.host: 0.0.0.0', `l0: &l0 {${Array.from({ length: 10 }, (_, i) => `k${i}: v`).join(', ')}}`];
    for (let level = 1; level <= 9; level++) lines.push(`l${level}: &l${level} {${Array.from({ length: 10 }, (_, i) => `x${i}: *l${level - 1}`).join(', ')}}`);
    const findings = await lint('/etc/elasticsearch/elasticsearch.yml', lines.join('\n') + '\n');
    assertNoInternalError(findings);
    assert.ok(parseProblems(findings).some((message) => message.includes('250,000 entries')));
    assert.ok(findings.some((finding) => finding.ruleId === 'elasticsearch/exposed-without-security'));
  });

  it('reads a mapping that merges itself through an alias without looping', async () => {
    const findings = await lint('/etc/elasticsearch/elasticsearch.yml', 'a: &a\n  b: *a\n  <<: *a\nnetwork.host: 0.0.0.0\n');
    assertNoInternalError(findings);
    assert.ok(findings.some((finding) => finding.ruleId === 'elasticsearch/exposed-without-security'));
  });

  it('merges a shared `<<: *common` into many services, keeping written keys first', async () => {
    const lines = ['x-common: &common', '  image: redis:7', '  restart: always', 'services:'];
    for (let i = 0; i < 200; i++)
      lines.push(`  svc${i}:`, '    <<: *common', ...(i % 2 ? ['    image: nginx:1.27'] : []), '    ports:', `      - "${7000 + i}:6379"`);
    const findings = await lint('/srv/app/docker-compose.yml', lines.join('\n') + '\n');
    assertNoInternalError(findings);
    // The redis services (even numbers) publish 6379 without a password; the nginx ones publish a non-web port.
    assert.equal(findings.filter((finding) => finding.ruleId === 'compose/datastore-auth-disabled').length, 100);
    assert.equal(findings.filter((finding) => finding.ruleId === 'compose/port-published-all-interfaces').length, 100);
  });

  it('names nesting too deep to read, and keeps the duplicate-key diagnosis', async () => {
    const deep = await lint('/srv/app/docker-compose.yml', `services:\n  a: ${'['.repeat(5000)}\n`);
    assertNoInternalError(deep);
    assert.ok(parseProblems(deep).some((message) => message.includes('1000 levels')));
    const duplicate = await lint('/srv/app/docker-compose.yml', 'services:\n  a:\n    image: redis:7\n    image: nginx\n');
    assert.ok(parseProblems(duplicate).some((message) => message.includes('Map keys must be unique')));
  });

  it('refuses block nesting past 500 levels the same way on every lint, and reads 499 levels (a value counts as a level)', async () => {
    // The package reports "resource exhaustion" where its stack runs out, which depends on the process's
    // state: such a file gave other problems from one lint to the next (fuzz: 417, 639, 743 or 1058 left out).
    const indented = (levels: number) => Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' v\n';
    const compact = (levels: number) => `x-deep:\n  ${'- '.repeat(levels - 3)}a: v\n`;
    // Keys separated by tabs (mongod fuzz input #228 at seed 4242: `replication:\tjournal:\tjournal:...`).
    const tabbed = (levels: number) => `x-deep:\t${'k:\t'.repeat(levels - 2)}v\n`;
    for (const make of [indented, compact, tabbed]) {
      const refused = [];
      for (let round = 0; round < 3; round++) refused.push(parseProblems(await lint('/srv/app/docker-compose.yml', make(501))));
      assert.deepEqual(refused[0], [refused[0]![0]!]);
      assert.match(refused[0]![0]!, /500 levels/);
      assert.deepEqual(refused[1], refused[0]);
      assert.deepEqual(refused[2], refused[0]);
      // Tabs there are a syntax error of their own, but the file is read.
      const read = parseProblems(await lint('/srv/app/docker-compose.yml', make(499)));
      if (make === tabbed) assert.ok(read.length > 0 && !read.some((message) => /500 levels/.test(message)));
      else assert.deepEqual(read, []);
    }
  });

  it('reports every stray bracket of a long line, and leaves the stack trace limit as it found it', async () => {
    // The package's syntax errors are parsed with stack traces off (they were half of a 14 s lint); the
    // process's own setting must come back, and no error may be lost on the way.
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 17;
    let after: number;
    let findings: Finding[];
    try {
      findings = await lint('/srv/app/docker-compose.yml', `k: [1]${']'.repeat(20_000)}\n`);
    } finally {
      after = Error.stackTraceLimit;
      Error.stackTraceLimit = before;
    }
    assert.equal(after, 17);
    assertNoInternalError(findings);
    const summary = findings.find((finding) => /findings were left out/.test(finding.message.en));
    assert.ok(summary, 'more problems than a file shows');
    const leftOut = Number(/; (\d+) more findings/.exec(summary.message.en)![1]);
    assert.ok(leftOut + findings.length - 1 >= 20_000, `${leftOut} left out`);
  });

  it('reads compose files with runs of blanks and slashes in .env, env_file and volume targets', async () => {
    const blanks = ' '.repeat(100_000);
    const compose = [
      'services:',
      '  db:',
      '    image: postgres:16',
      '    env_file: db.env',
      '    volumes:',
      `      - ./data:/var/lib/${'/'.repeat(100_000)}x`,
      '    ports:',
      '      - "5432:5432"',
    ].join('\n');
    const findings = await lint('/srv/app/docker-compose.yml', compose + '\n', {
      '/srv/app/.env': `TAG=a${blanks}b\n`,
      '/srv/app/db.env': `POSTGRES_PASSWORD=postgres${blanks}x\nPOSTGRES_HOST_AUTH_METHOD=trust\n`,
    });
    assertNoInternalError(findings);
    assert.ok(findings.some((finding) => finding.ruleId === 'compose/datastore-auth-disabled'));
  });

  it('links Services to workloads across 400 Kubernetes objects', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 200; i++)
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  template:\n    metadata:\n      labels:\n        app: app${i}\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n          ports:\n            - containerPort: 6379`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc${i}\nspec:\n  type: LoadBalancer\n  selector:\n    app: app${i}\n  ports:\n    - port: 6379`,
      );
    const findings = await lint('/srv/k8s/all.yaml', docs.join('\n---\n') + '\n');
    assertNoInternalError(findings);
    assert.equal(findings.filter((finding) => finding.ruleId === 'k8s/service-exposes-datastore-port').length, 200);
    assert.equal(findings.filter((finding) => finding.ruleId === 'k8s/unauthenticated-datastore-reachable').length, 200);
  });
});

describe('bounded work: option files, mongod.conf and pg_hba.conf', function () {
  this.timeout(120_000);

  it('reads a pg_hba.conf record continued over 50,000 lines as one record (its tokens were copied per line)', async () => {
    const record = (lines: number) => `host app app 0.0.0.0/0 trust \\\n${' x=1 \\\n'.repeat(lines)} x=2\nhost all all 0.0.0.0/0 trust\n`;
    const said = async (lines: number) => {
      // Forced: on its own name such a file is taken for one only when its content looks like one.
      const path = '/etc/postgresql/16/main/pg_hba.conf';
      const text = record(lines);
      const { findings } = await engine.lintFile(path, text, { files: memoryFiles(new Map([[path, text]])), format: 'pg-hba' });
      assertNoInternalError(findings);
      return findings.map((finding) => `${finding.ruleId} ${finding.range.start.line > lines ? 'after' : 'in'} the record`);
    };
    const few = await said(3);
    assert.ok(few.includes('pg/hba-trust-auth after the record'), few.join('; '));
    assert.deepEqual(await said(50_000), few);
  });

  it('resolves each MySQL !include line once, however often a file repeats it or includes itself', async () => {
    const my = `[mysqld]\n${'!include /etc/mysql/my.cnf\n!includedir /etc/mysql/conf.d/\n'.repeat(20_000)}bind-address = 0.0.0.0\n`;
    const files = new Map([
      ['/etc/mysql/my.cnf', my],
      ['/etc/mysql/conf.d/a.cnf', '!include /etc/mysql/my.cnf\n[mysqld]\nskip-grant-tables\n'],
    ]);
    const disk = memoryFiles(files);
    let reads = 0;
    const counted = {
      ...disk,
      readFile: async (path: string) => (reads++, disk.readFile(path)),
      readDirectory: async (path: string) => (reads++, disk.readDirectory(path)),
    };
    const result = await engine.lintFile('/etc/mysql/my.cnf', my, { files: counted });
    assertNoInternalError(result.findings);
    assert.ok(reads < 20, `${reads} reads`);
    assert.ok(result.findings.some((finding) => finding.ruleId === 'mysql/bind-address-all-interfaces'));
  });

  it('reads MySQL group headers, options and !include lines with long runs of blanks', async () => {
    const blanks = ' '.repeat(100_000);
    const text = `[${' '.repeat(3000)}x\n[mysqld]\nbind-address =${blanks}0.0.0.0${blanks}\n!include /etc/mysql/a${blanks}b\nskip_name_resolve${blanks}x\n`;
    const findings = await lint('/etc/mysql/my.cnf', text);
    assertNoInternalError(findings);
    const problems = parseProblems(findings);
    assert.ok(problems.some((message) => /group/i.test(message)));
    assert.ok(findings.some((finding) => finding.ruleId === 'mysql/bind-address-all-interfaces'));
  });

  it('reads a legacy mongod.conf line of 100 KB', async () => {
    const findings = await lint('/etc/mongod.conf', `bind_ip = 0.0.0.0${' '.repeat(100_000)}\nauth = false ${' '.repeat(100_000)}x\n`);
    assertNoInternalError(findings);
    assert.ok(findings.some((finding) => finding.ruleId === 'mongodb/exposed-without-authorization'));
  });

  it('stops pg_hba.conf include fan-out at the inclusion budget', async () => {
    // Each level includes the next ten times: 10^8 inclusions and records if nothing stopped it.
    const files: Record<string, string> = {};
    for (let level = 1; level <= 8; level++)
      files[`/etc/postgresql/16/main/level${level}.conf`] =
        level < 8 ? `${`include level${level + 1}.conf\n`.repeat(10)}` : 'host all all 10.0.0.0/8 scram-sha-256\n';
    const findings = await lint('/etc/postgresql/16/main/pg_hba.conf', `${'include level1.conf\n'.repeat(10)}host all all 0.0.0.0/0 trust\n`, files);
    assertNoInternalError(findings);
    assert.ok(parseProblems(findings).some((message) => message.includes('1,000 files')));
  });

  it('judges 20,000 pg_hba.conf records against the ones before them', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => `host all all ${11 + (i >> 8)}.${i & 255}.0.0/16 md5`);
    const text = `host all all 0.0.0.0/0 reject\n${records.join('\n')}\nhost all all 0.0.0.0/0 trust\n`;
    const findings = await lint('/etc/postgresql/16/main/pg_hba.conf', text, { '/etc/postgresql/16/main/postgresql.conf': "listen_addresses = '*'\n" });
    assertNoInternalError(findings);
    // The first line rejects every address: no later record can decide anything, so nothing is reported.
    assert.deepEqual(
      findings.filter((finding) => finding.ruleId.startsWith('pg/')),
      [],
    );
  });
});
