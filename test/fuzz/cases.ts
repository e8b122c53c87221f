// `npm run fuzz:cases`: the hostile inputs that issue 11 names, one by one, each linted in its own process so
// its time and memory are its own. Prints a table (what the issue measured before, time and peak memory now,
// what the engine said). A script, not a test: the fuzzer's invariants are checked by test/fuzz/check.ts.
//
//   npx tsx test/fuzz/cases.ts [--only ID[,ID]] [--timeout SECONDS] [--out FILE]
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ProjectSettings } from '../../src/core/types';
import { defaultSettings } from '../../src/core/settings';
import { engine } from '../../src/product';
import { checkFindings, inputFiles } from './check';

interface CaseInput {
  path: string;
  text: string;
  files?: Record<string, string>;
  format?: string;
  settings?: Partial<ProjectSettings>;
}

interface Case {
  id: string;
  /** What the issue reported before (its own figures). */
  before: string;
  make(): CaseInput;
}

const times = (n: number, f: (i: number) => string, joiner = '\n') => Array.from({ length: n }, (_, i) => f(i)).join(joiner);
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const pub = (i: number) => `198.${51 + ((i >> 16) & 3)}.${(i >> 8) & 255}.${i & 255}`;

/** An include tree of `depth` levels, `fan` files per level, every file including all of the next level. */
function fan(depth: number, width: number, dir: string, line: (pattern: string) => string, body: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let level = 1; level <= depth; level++)
    for (let i = 0; i < width; i++) files[`${dir}/l${level}/f${i}.conf`] = `${body}\n${level < depth ? line(`${dir}/l${level + 1}/*.conf`) : ''}\n`;
  return files;
}

const CASES: Case[] = [
  // An infinite loop.
  ...[
    ['nbsp', '\u00a0'],
    ['formfeed', '\f'],
    ['vtab', '\v'],
    ['u2028', '\u2028'],
  ].map(([name, space]) => ({
    id: `apache-${name}`,
    before: 'infinite loop (4.8 GB after 42 s)',
    make: () => ({
      path: '/etc/apache2/apache2.conf',
      text: `ServerName${space}example.com\n<Location /server-status>\n  SetHandler${space}server-status\n  Require all granted\n</Location>\n`,
    }),
  })),
  // Catastrophic regexes in our own code.
  {
    id: 'unrecognised-1kb',
    before: 'nginx content detection 26 s on a 1 KB file',
    make: () => ({ path: '/srv/notes/readme.txt', text: `server ${' '.repeat(1000)}x` }),
  },
  {
    id: 'unrecognised-100kb-braces',
    before: '(content detection on unrecognised text)',
    make: () => ({ path: '/srv/notes/data.txt', text: `location ${'{ '.repeat(25_000)}${' ;'.repeat(25_000)}` }),
  },
  { id: 'mysql-header-3k', before: '13.7 s', make: () => ({ path: '/etc/mysql/my.cnf', text: `[${' '.repeat(3000)}x\nbind-address = 0.0.0.0\n` }) },
  { id: 'mysql-header-10k', before: '> 60 s', make: () => ({ path: '/etc/mysql/my.cnf', text: `[${' '.repeat(10_000)}x\nbind-address = 0.0.0.0\n` }) },
  {
    id: 'mongod-legacy-10k',
    before: '> 60 s',
    make: () => ({ path: '/etc/mongod.conf', text: `bind_ip = ${' '.repeat(10_000)}0.0.0.0${' '.repeat(10_000)}=\nauth = false\n` }),
  },
  {
    id: 'mysql-option-spaces-100k',
    before: '10-36 s at 100 KB',
    make: () => ({ path: '/etc/mysql/my.cnf', text: `[mysqld]\nbind-address${' '.repeat(100_000)}= 0.0.0.0\n!include ${' '.repeat(100_000)}x\n` }),
  },
  {
    id: 'suppression-spaces-100k',
    before: '10-36 s at 100 KB',
    make: () => ({
      path: '/etc/redis/redis.conf',
      text: `# secure-config-review-disable-next-line${' '.repeat(100_000)}redis/x${' '.repeat(100_000)}\nbind 0.0.0.0\n`,
    }),
  },
  {
    id: 'compose-env-spaces-100k',
    before: '10-36 s at 100 KB',
    make: () => ({
      path: '/srv/app/docker-compose.yml',
      text: `services:\n  db:\n    image: redis\n    env_file: ${' '.repeat(100_000)}x\n    ports: ["6379:6379"]\n    volumes:\n      - ./data:${'/'.repeat(100_000)}data\n`,
      files: { '/srv/app/.env': `A=${' '.repeat(100_000)}=b\n` },
    }),
  },
  {
    id: 'apache-alias-slashes-100k',
    before: '10-36 s at 100 KB',
    make: () => ({
      path: '/etc/apache2/apache2.conf',
      text: `Alias ${'/'.repeat(100_000)} /var/www\n<Directory /var/www>\nRequire all granted\n</Directory${' '.repeat(100_000)}>\n`,
    }),
  },
  {
    id: 'association-glob',
    before: '6-60+ s',
    make: () => ({
      path: `/srv/${'a/'.repeat(200)}file.conf`,
      text: 'server { listen 80; }\n',
      settings: { fileAssociations: { [`${'**/'.repeat(200)}b/*.conf`]: 'nginx', [`*a*a*a*a*a*a*a*a*a*a*b`]: 'nginx' } },
    }),
  },
  // Catastrophic regexes of the user's.
  {
    id: 'nginx-user-regex-28',
    before: '30.6 s',
    make: () => ({
      path: '/etc/nginx/nginx.conf',
      text: `http { server { listen 80;\n location ~ ^/(a+)+$ { allow all; }\n location /${'a'.repeat(28)} { deny all; }\n location /admin { allow 10.0.0.0/8; deny all; }\n} }\n`,
    }),
  },
  {
    id: 'nginx-user-regex-5000',
    before: '(exponential in the path length)',
    make: () => ({
      path: '/etc/nginx/nginx.conf',
      text: `http { server { listen 80;\n location ~ ^/(a+)+$ { allow all; }\n location /${'a'.repeat(5000)} { deny all; }\n} }\n`,
    }),
  },
  {
    id: 'apache-directorymatch',
    before: '15.8 s',
    make: () => ({
      path: '/etc/apache2/apache2.conf',
      text: `<DirectoryMatch "^/var/www/(a+)+$">\n  Require all granted\n</DirectoryMatch>\n<Directory /var/www/${'a'.repeat(40)}>\n  Require all denied\n</Directory>\n`,
    }),
  },
  {
    id: 'nginx-user-regex-52kb',
    before: 'throws "Regular expression too large"',
    make: () => ({
      path: '/etc/nginx/nginx.conf',
      text: `http { server { listen 80;\n location ~ ^/(${times(5200, (i) => `p${i}x`, '|')})$ { allow all; }\n location /admin { deny all; }\n} }\n`,
    }),
  },
  // Super-linear work on realistic large files.
  ...[10_000, 16_000].map((n) => ({
    id: `postfix-mynetworks-${n / 1000}k`,
    before: n === 10_000 ? '3.8 s' : '35 s',
    make: () => ({ path: '/etc/postfix/main.cf', text: `mynetworks =\n${times(n, (i) => `    ${i % 7 === 0 ? pub(i) : ip(i)}/${8 + (i % 25)}`)}\n` }),
  })),
  ...[10_000, 100_000].map((n) => ({
    id: `nginx-allow-${n / 1000}k`,
    before: n === 10_000 ? '1.3 s' : '> 90 s',
    make: () => ({
      path: '/etc/nginx/nginx.conf',
      text: `http { server { listen 80; location /admin {\n${times(n, (i) => `  allow ${pub(i)};`)}\n  deny all;\n} } }\n`,
    }),
  })),
  {
    id: 'compose-merge-1000',
    before: '4.4 s at 1,000 lines',
    make: () => ({
      path: '/srv/app/docker-compose.yml',
      text: `x-common: &common\n  restart: always\n  ports: ["6379:6379"]\n  environment: {A: b}\nservices:\n${times(330, (i) => `  s${i}:\n    <<: *common\n    image: redis`)}\n`,
    }),
  },
  {
    id: 'compose-100k-lines',
    before: '> 90 s',
    make: () => ({
      path: '/srv/app/docker-compose.yml',
      text: `services:\n${times(12_500, (i) => `  s${i}:\n    image: redis:7\n    ports:\n      - "${10000 + (i % 50000)}:6379"\n    environment:\n      A${i}: b\n      B${i}: c\n    restart: always`)}\n`,
    }),
  },
  {
    id: 'mongod-100k-lines',
    before: '> 90 s',
    make: () => ({ path: '/etc/mongod.conf', text: `net:\n  bindIp: 0.0.0.0\n${times(100_000, (i) => `k${i}:\n  a: ${i}`).slice(0, 3_900_000)}\n` }),
  },
  {
    id: 'elasticsearch-100k-lines',
    before: '> 90 s',
    make: () => ({ path: '/etc/elasticsearch/elasticsearch.yml', text: `network.host: 0.0.0.0\n${times(100_000, (i) => `node.attr.k${i}: v${i}`)}\n` }),
  },
  {
    id: 'k8s-100k-lines',
    before: '> 90 s',
    make: () => ({
      path: '/srv/k8s/all.yaml',
      text: times(
        10_000,
        (i) =>
          `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  type: NodePort\n  ports:\n    - port: ${1000 + (i % 60000)}\n      nodePort: 30${String(i % 1000).padStart(3, '0')}`,
        '\n---\n',
      ),
    }),
  },
  ...[5000, 10_000].map((depth) => ({
    id: `nginx-nesting-${depth / 1000}k`,
    before: depth === 5000 ? '8.8 s' : 'stack overflow',
    make: () => ({ path: '/etc/nginx/nginx.conf', text: `http {\n server {\n${'location /a {\n'.repeat(depth)}allow all;\n${'}\n'.repeat(depth)} }\n}\n` }),
  })),
  {
    id: 'apache-nesting-3k',
    before: 'stack overflow at 2-3k levels',
    make: () => ({ path: '/etc/apache2/apache2.conf', text: `${'<IfModule mod_x.c>\n'.repeat(3000)}Require all granted\n${'</IfModule>\n'.repeat(3000)}` }),
  },
  // Unbounded expansion.
  ...[14, 16, 40].map((levels) => ({
    id: `postfix-doubling-${levels}`,
    before: levels === 14 ? '6.2 s' : '> 40 s',
    make: () => ({
      path: '/etc/postfix/main.cf',
      text: `a0 = 10.0.0.0/8\n${times(levels, (i) => `a${i + 1} = $a${i} $a${i}`)}\nmynetworks = $a${levels}\n`,
    }),
  })),
  {
    id: 'postfix-braced-chain-60',
    before: '(escaped the expansion budget: 6.3 s last session)',
    make: () => ({
      path: '/etc/postfix/main.cf',
      text: `b0 = x\n${times(60, (i) => `b${i + 1} = \${b${i}} \${b${i}?\${b${i}}} \${b${i}:{$b${i}}}`)}\nmynetworks = \${b60}\n`,
    }),
  },
  {
    id: 'yaml-merge-bomb',
    before: '> 40 s',
    make: () => ({
      path: '/srv/app/docker-compose.yml',
      text: `x0: &m0\n  k0: v\n${times(40, (i) => `x${i + 1}: &m${i + 1}\n  <<: [*m${i}, *m${i}]\n  k${i + 1}: v`)}\nservices:\n  db:\n    <<: *m40\n    image: redis\n    ports: ["6379:6379"]\n`,
    }),
  },
  {
    id: 'yaml-alias-bomb',
    before: '(billion laughs)',
    make: () => ({
      path: '/srv/k8s/bomb.yaml',
      text: `a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n${times(12, (i) => `a${i + 1}: &a${i + 1} [${times(9, () => `*a${i}`, ', ')}]`)}\napiVersion: v1\nkind: Service\nspec:\n  type: NodePort\n  x: *a12\n`,
    }),
  },
  {
    id: 'nginx-include-fan',
    before: '110,000 reads, then a stack overflow',
    make: () => ({
      path: '/etc/nginx/nginx.conf',
      text: 'http {\n include /etc/nginx/fan/l1/*.conf;\n}\n',
      files: fan(8, 10, '/etc/nginx/fan', (p) => `include ${p};`, 'server { listen 80; location /admin { allow all; } }'),
    }),
  },
  {
    id: 'pg-hba-include-fan',
    before: '440 MB, > 40 s at 10 per level',
    make: () => ({
      path: '/etc/postgresql/16/main/pg_hba.conf',
      text: 'include_dir /etc/postgresql/fan/l1\nhost all all 0.0.0.0/0 trust\n',
      files: Object.fromEntries(
        Array.from({ length: 8 }, (_, level) =>
          Array.from({ length: 10 }, (_, i) => [
            `/etc/postgresql/fan/l${level + 1}/f${i}.conf`,
            `host all all 10.${level}.${i}.0/24 md5\n${level < 7 ? `include_dir /etc/postgresql/fan/l${level + 2}\n` : ''}`,
          ]),
        ).flat(),
      ),
    }),
  },
  {
    id: 'compose-4mb-ports',
    before: '16 s, 666,659 findings',
    make: () => ({
      path: '/srv/app/docker-compose.yml',
      text: `services:\n  db:\n    image: redis\n    ports: [${times(330_000, (i) => `"${1 + (i % 65535)}:6379"`, ', ').slice(0, 4_100_000)}]\n`,
    }),
  },
  {
    id: 'mongod-1.6mb',
    before: '1,570,142 findings, 2.7 GB',
    make: () => ({ path: '/etc/mongod.conf', text: `${times(160_000, () => 'bind_ip = 0.0.0.0').slice(0, 1_600_000)}\n` }),
  },
  {
    id: 'message-379kb',
    before: 'messages embedding 379 KB of user text',
    make: () => ({ path: '/etc/postfix/main.cf', text: `mynetworks = 10.0.0.0/8 ${'x'.repeat(379_000)}\nsmtpd_relay_restrictions = permit\n` }),
  },
  // Internal errors that dropped the whole file.
  {
    id: 'postfix-self-reference',
    before: 'stack overflow, file dropped',
    make: () => ({
      path: '/etc/postfix/main.cf',
      text: 'mynetworks = $mynetworks\ncompatibility_level = $foo\nfoo = $bar\nbar = ${foo?$foo}\nsmtpd_relay_restrictions = permit\n',
    }),
  },
  {
    id: 'apache-empty-section',
    before: 'null dereference, file dropped',
    make: () => ({ path: '/etc/apache2/apache2.conf', text: '<>\n</>\nRequire all granted\n' }),
  },
  {
    id: 'apache-directory-bracket',
    before: 'compiled as a regex unescaped, file dropped',
    make: () => ({
      path: '/etc/apache2/apache2.conf',
      text: '<Directory /var/www[>\nRequire all granted\n</Directory>\n<Location /server-status>\nSetHandler server-status\n</Location>\n',
    }),
  },
  // Positions and encodings.
  {
    id: 'crlf-postfix',
    before: 'offsets between \\r and \\n, fixes writing bare \\n',
    make: () => ({
      path: '/etc/postfix/main.cf',
      text: 'myhostname = mx.example.com\r\nmynetworks = 127.0.0.0/8 172.0.0.0/8\r\nsmtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\r\n',
    }),
  },
  {
    id: 'cr-only-nginx',
    before: 'mis-positioned',
    make: () => ({ path: '/etc/nginx/nginx.conf', text: 'http {\r server {\r  listen 80;\r  location /admin { allow all; }\r }\r}\r' }),
  },
  {
    id: 'bom-pg-hba',
    before: 'first line broken, trust finding lost',
    make: () => ({ path: '/etc/postgresql/16/main/pg_hba.conf', text: '\ufeffhost all all 0.0.0.0/0 trust\n' }),
  },
];

interface Outcome {
  ms: number;
  cpuMs: number;
  findings: number;
  problems: number;
  violations: number;
  longestMessage: number;
  rules: string;
  firstProblem: string;
  maxRssMb: number;
  baseRssMb: number;
}

async function runOne(id: string): Promise<void> {
  const found = CASES.find((c) => c.id === id);
  if (!found) throw new Error(`no case ${id}`);
  const input = found.make();
  const texts = new Map(Object.entries(input.files ?? {}));
  texts.set(input.path, input.text);
  const settings = { ...defaultSettings(), ...input.settings };
  // Warm the engine on a small file of the same kind, so the figure is the input's, not the first load's.
  await engine.lintFile(input.path, 'x\n', { files: inputFiles(new Map([[input.path, 'x\n']])), settings });
  const baseRssMb = process.memoryUsage().rss / 1048576;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await engine.lintFile(input.path, input.text, { files: inputFiles(texts), settings, ...(input.format ? { format: input.format } : {}) });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const all = [...result.findings, ...result.suppressed];
  const problems = all.filter((finding) => finding.ruleId === 'config/parse-problem');
  const rules = [...new Set(all.map((finding) => finding.ruleId))].filter((rule) => rule !== 'config/parse-problem');
  const outcome: Outcome = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    findings: all.length,
    problems: problems.length,
    violations: checkFindings(input.path, texts, all).length,
    longestMessage: Math.max(0, ...all.map((finding) => Math.max(finding.message.en.length, finding.message.ja.length))),
    rules: `${result.format ?? 'not a config'}${rules.length ? `: ${rules.slice(0, 3).join(', ')}${rules.length > 3 ? ', ...' : ''}` : ''}`,
    firstProblem: problems[0]?.message.en.slice(0, 90) ?? '',
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    baseRssMb,
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

const duration = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

function child(id: string, timeoutMs: number): Promise<Outcome | string> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['-r', 'tsx/cjs', __filename, '--one', id], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) return resolve(`no result after ${Math.round(timeoutMs / 1000)} s`);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Outcome);
      } catch {
        resolve(`exit ${code}: ${err.trim().split('\n').slice(-3).join(' ').slice(0, 200)}`);
      }
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const one = at('--one');
  if (one) return runOne(one);
  const only = at('--only')?.split(',');
  const timeoutMs = Number(at('--timeout') ?? 120) * 1000;
  const out = at('--out');
  const cases = only ? CASES.filter((c) => only.includes(c.id)) : CASES;
  const rows: string[][] = [
    [
      'case',
      'chars',
      'before (issue 11)',
      'now',
      'CPU',
      'peak RSS',
      'findings',
      'parse problems',
      'invariant violations',
      'longest message',
      'format: rules',
      'first parse problem',
    ],
  ];
  for (const c of cases) {
    const input = c.make();
    const chars = Object.values(input.files ?? {}).reduce((sum, text) => sum + text.length, input.text.length);
    const outcome = await child(c.id, timeoutMs);
    const row =
      typeof outcome === 'string'
        ? [c.id, String(chars), c.before, outcome, '-', '-', '-', '-', '-', '-', '-', '-']
        : [
            c.id,
            String(chars),
            c.before,
            duration(outcome.ms),
            duration(outcome.cpuMs),
            `${outcome.maxRssMb.toFixed(0)} MB (+${Math.max(0, outcome.maxRssMb - outcome.baseRssMb).toFixed(0)})`,
            String(outcome.findings),
            String(outcome.problems),
            String(outcome.violations),
            String(outcome.longestMessage),
            outcome.rules,
            outcome.firstProblem,
          ];
    rows.push(row);
    process.stderr.write(`${row.slice(0, 9).join(' | ')}\n`);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const table = rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  const head = `node ${process.version}; commit ${commit()}; now: wall time of the lint; CPU: its user+system time; peak RSS is the whole process (engine loaded, then the input linted; + is over the RSS before the lint)`;
  console.log(`${head}\n${table}`);
  if (out) writeFileSync(out, `${head}\n${table}\n`);
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
