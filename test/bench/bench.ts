// Benchmark (not a test): `npm run bench` prints, in one run, what issue 16 measures.
//   1. Whole-process audits of two trees it builds in a temporary folder (a 1,000-file nginx tree: the corpus's
//      nginx files copied 100 times; a 10,000-file mixed tree of every format, copies of the corpus and of one
//      fixture per format the corpus lacks), against the read-only floor (one Node process that walks the tree,
//      reads every file and splits its lines), with their ratio and the audit's peak memory (maxRSS).
//      Then the same audits with `--cache` on the unchanged tree (after one run that fills the cache).
//   2. gixy on the nginx tree (when GIXY_DIR and PYPARSING_DIR, default /tmp/gixy and /tmp/pyparsing, exist).
//   3. Lint time per keystroke, median and p95, for 500 / 5,000 / 50,000-line files of every format, after
//      untimed lints that warm the compiler up as a session in the editor does (each
//      measurement in its own process, so a slow one is cut off at BENCH_KEYSTROKE_TIMEOUT seconds).
//   4. CLI start-up over bare Node (`cli.js --version` against `node -e 0`).
//   5. Bundle sizes (dist/*.js and the .vsix when `npm run package` made one).
// Environment: BENCH_RUNS (whole-process runs, default 5), BENCH_ONLY (comma list of audit, gixy, keystroke,
// startup, sizes), BENCH_FORMATS (comma list of format ids), BENCH_SIZES (default 500,5000,50000),
// BENCH_CORPUS (default ../shared/corpus, else /work/shared/corpus), BENCH_KEEP=1 keeps the trees,
// BENCH_WARM_LINTS (untimed lints before a keystroke row is timed, default 20).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FileAccess } from '../../src/core/types';
import { engine } from '../../src/product';

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'dist', 'cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'audit,gixy,keystroke,startup,sizes').split(','));
/** Untimed lints before the timed ones in each keystroke row (BENCH_WARM_LINTS). */
const WARM_LINTS = Number(process.env.BENCH_WARM_LINTS ?? 20);
const SIZES = (process.env.BENCH_SIZES ?? '500,5000,50000').split(',').map(Number);
const KEYSTROKE_TIMEOUT = Number(process.env.BENCH_KEYSTROKE_TIMEOUT ?? 120) * 1000;
const CORPUS = process.env.BENCH_CORPUS ?? [path.resolve(ROOT, '../shared/corpus'), '/work/shared/corpus'].find((dir) => fs.existsSync(dir))!;
const FIXTURES = path.join(ROOT, 'test-fixtures');
const GIXY_DIR = process.env.GIXY_DIR ?? '/tmp/gixy';
const PYPARSING_DIR = process.env.PYPARSING_DIR ?? '/tmp/pyparsing';

const noFiles: FileAccess = { readFile: async () => undefined, readDirectory: async () => undefined };

// ---------------------------------------------------------------------------------------------- helpers

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function listFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

interface Timed {
  ms: number;
  maxRss?: number;
  /** User + system CPU time of the process (all its threads): on a busy machine it varies less than `ms`. */
  cpu?: number;
  status: number | null;
  stderr: string;
}

/** Runs a process to its end; `maxRss` comes from a preloaded module that writes resourceUsage() at exit. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, rssFile?: string): Timed {
  if (rssFile) fs.rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  const usage = rssFile && fs.existsSync(rssFile) ? (JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRSS: number; cpu: number }) : undefined;
  return {
    ms: elapsed,
    ...(usage ? { maxRss: usage.maxRSS * 1024, cpu: usage.cpu / 1000 } : {}),
    status: result.status,
    stderr: result.stderr?.toString() ?? '',
  };
}

// ---------------------------------------------------------------------------------------------- trees

/** The 10 nginx files of the corpus, 100 times: site-000/nginx/<file> ... site-099/nginx/<file>. */
function buildNginxTree(root: string): number {
  const sources = listFiles(path.join(CORPUS, 'nginx'));
  let count = 0;
  for (let copy = 0; copy < 100; copy++) {
    const folder = path.join(root, `site-${String(copy).padStart(3, '0')}`, 'nginx');
    fs.mkdirSync(folder, { recursive: true });
    for (const file of sources) {
      fs.copyFileSync(file, path.join(folder, path.basename(file)));
      count++;
    }
  }
  return count;
}

/** One fixture of each format the corpus lacks, so that the mixed tree holds every format. */
function missingFormatFixtures(corpusFiles: string[]): string[] {
  const formatOf = (file: string) => engine.detectFormat(file, fs.readFileSync(file, 'utf8').slice(0, 8192))?.id;
  const present = new Set(corpusFiles.map(formatOf));
  const extra = new Map<string, string>();
  for (const file of listFiles(FIXTURES)) {
    if (file.endsWith('.golden') || file.includes('/editor-workspace/')) continue;
    const id = formatOf(file);
    if (id && !present.has(id) && !extra.has(id)) extra.set(id, file);
  }
  return [...extra.values()];
}

/** The corpus (and one fixture per missing format) copied until the tree holds exactly 10,000 files. */
function buildMixedTree(root: string): number {
  const corpusFiles = listFiles(CORPUS).filter((file) => !file.endsWith('.md'));
  const extras = missingFormatFixtures(corpusFiles);
  const unit = [
    ...corpusFiles.map((file) => ({ file, relative: path.relative(CORPUS, file) })),
    ...extras.map((file) => ({ file, relative: path.join('extra', path.relative(FIXTURES, file)) })),
  ];
  let count = 0;
  for (let copy = 0; count < 10_000; copy++)
    for (const item of unit) {
      if (count === 10_000) break;
      const target = path.join(root, `host-${String(copy).padStart(3, '0')}`, item.relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(item.file, target);
      count++;
    }
  return count;
}

// ---------------------------------------------------------------------------------------------- whole-process audits

const FLOOR_SCRIPT = `
const fs = require('fs'), path = require('path');
let lines = 0;
const visit = (folder) => {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) visit(full);
    else if (entry.isFile()) lines += fs.readFileSync(full, 'utf8').split('\\n').length;
  }
};
visit(process.argv[1]);
`;

const RSS_PRELOAD = `
const fs = require('fs');
process.on('exit', () => {
  const usage = process.resourceUsage();
  try { fs.writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime })); } catch {}
});
`;

function auditTree(label: string, tree: string, work: string): { floor: number; audit: number } {
  const preload = path.join(work, 'rss-preload.js');
  const rssFile = path.join(work, 'rss.txt');
  fs.writeFileSync(preload, RSS_PRELOAD);
  const env = { ...process.env, BENCH_RSS_FILE: rssFile };
  const floors: number[] = [];
  const floorCpu: number[] = [];
  const audits: number[] = [];
  const auditCpu: number[] = [];
  const rss: number[] = [];
  let summary = '';
  timed(process.execPath, ['-e', FLOOR_SCRIPT, tree]); // warm the page cache
  for (let run = 0; run < RUNS; run++) {
    const floorRun = timed(process.execPath, ['-r', preload, '-e', FLOOR_SCRIPT, tree], env, rssFile);
    floors.push(floorRun.ms);
    if (floorRun.cpu !== undefined) floorCpu.push(floorRun.cpu);
    const result = timed(process.execPath, ['-r', preload, CLI, 'audit', '--format', 'json', '--fail-on', 'none', tree], env, rssFile);
    if (result.status !== 0) throw new Error(`audit of ${label} exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
    audits.push(result.ms);
    if (result.cpu !== undefined) auditCpu.push(result.cpu);
    if (result.maxRss !== undefined) rss.push(result.maxRss);
    summary = result.stderr.trim().split('\n')[0] ?? '';
  }
  const floor = median(floors);
  const audit = median(audits);
  console.log(
    `${label}: floor ${ms(floor)}, audit ${ms(audit)} (runs ${audits.map((value) => value.toFixed(0)).join(' ')}), ratio ${(audit / floor).toFixed(2)}×, peak RSS ${rss.length ? mib(Math.max(...rss)) : '?'}`,
  );
  if (floorCpu.length && auditCpu.length)
    console.log(
      `  CPU time (user+system, all threads): floor ${ms(median(floorCpu))}, audit ${ms(median(auditCpu))}, ratio ${(median(auditCpu) / median(floorCpu)).toFixed(2)}×`,
    );
  console.log(
    `  ${summary}; load average ${os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
  );
  // `--cache` on an unchanged tree (after one run that fills it): what a repeated audit in CI or the editor costs.
  const cacheFile = path.join(work, `${label.replace(/\W+/g, '-')}.cache`);
  const cachedArgs = ['-r', preload, CLI, 'audit', '--cache', '--cache-location', cacheFile, '--format', 'json', '--fail-on', 'none', tree];
  const filling = timed(process.execPath, cachedArgs, env, rssFile);
  if (filling.status !== 0) {
    console.log(`  with --cache: not measured (this build exits with ${filling.status}: ${filling.stderr.trim().split('\n')[0] ?? ''})`);
    return { floor, audit };
  }
  const cached: Timed[] = [];
  for (let run = 0; run < RUNS; run++) cached.push(timed(process.execPath, cachedArgs, env, rssFile));
  const cachedMs = median(cached.map((run) => run.ms));
  const cachedCpu = cached.flatMap((run) => (run.cpu !== undefined ? [run.cpu] : []));
  const cachedRss = cached.flatMap((run) => (run.maxRss !== undefined ? [run.maxRss] : []));
  console.log(
    `  with --cache, tree unchanged: audit ${ms(cachedMs)}, ratio ${(cachedMs / floor).toFixed(2)}×${cachedCpu.length && floorCpu.length ? `, CPU ${ms(median(cachedCpu))} (ratio ${(median(cachedCpu) / median(floorCpu)).toFixed(2)}×)` : ''}, peak RSS ${cachedRss.length ? mib(Math.max(...cachedRss)) : '?'}; ${cached[0]!.stderr.trim().split('\n')[0] ?? ''}`,
  );
  return { floor, audit };
}

function gixy(tree: string, ours: number): void {
  if (!fs.existsSync(path.join(GIXY_DIR, 'gixy')) || !fs.existsSync(path.join(PYPARSING_DIR, 'pyparsing.py'))) {
    console.log(`gixy: skipped (set GIXY_DIR and PYPARSING_DIR; looked in ${GIXY_DIR} and ${PYPARSING_DIR})`);
    return;
  }
  const files = listFiles(tree);
  const env = { ...process.env, PYTHONPATH: `${PYPARSING_DIR}:${GIXY_DIR}` };
  const result = timed('/usr/bin/python3', ['-m', 'gixy.cli', ...files], env);
  if (result.status === null || /No module named|Traceback/.test(result.stderr)) {
    console.log(`gixy: failed (${result.stderr.trim().split('\n').pop()})`);
    return;
  }
  console.log(
    `gixy on the nginx tree (${files.length} files, one run): ${ms(result.ms)} (exit ${result.status}); ours ${ms(ours)}: ${(result.ms / ours).toFixed(1)}× faster`,
  );
}

// ---------------------------------------------------------------------------------------------- keystrokes

function syntheticMainCf(lines: number): string {
  const out = ['compatibility_level = 3.6', 'mynetworks = 127.0.0.0/8 [::1]/128 $office_networks', 'office_networks = 192.168.10.0/24, 172.0.0.0/8'];
  for (let i = 0; out.length < lines; i++) {
    if (i % 10 === 0) out.push(`# section ${i}`);
    else if (i % 7 === 0) out.push(`smtpd_recipient_restrictions = permit_mynetworks,`, `    permit_sasl_authenticated,`, `    reject_unauth_destination`);
    else out.push(`custom_parameter_${i} = value_${i} $myhostname`);
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function syntheticNginx(lines: number): string {
  const out = ['events {}', 'http {', '  server {', '    listen 80;', '    server_name www.example.jp;', '    root /var/www/site;'];
  for (let i = 0; out.length < lines - 3; i++) {
    if (i % 5 === 0) out.push(`    location ~ ^/app${i}/.*\\.php$ {`, '      fastcgi_pass unix:/run/php.sock;', '    }');
    else out.push(`    location /section${i}/ {`, `      allow 192.168.${i % 250}.0/24;`, '      deny all;', '    }');
  }
  out.push('    location /wp-admin/ { allow 172.0.0.0/8; deny all; }', '  }', '}');
  return out.join('\n') + '\n';
}

function syntheticCompose(lines: number): string {
  const out = ['services:'];
  for (let i = 0; out.length < lines; i++)
    out.push(
      `  svc${i}:`,
      `    image: ${i % 3 ? 'nginx:1.27' : 'redis:7'}`,
      '    ports:',
      `      - "${10000 + i}:${i % 3 ? 80 : 6379}"`,
      '    environment:',
      `      KEY_${i}: value`,
    );
  return out.slice(0, lines).join('\n') + '\n';
}

function syntheticRules(lines: number, ufw: boolean): string {
  const chain = ufw ? 'ufw-user-input' : 'INPUT';
  const out = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]'];
  if (ufw) out.push(':ufw-user-input - [0:0]', '### RULES ###');
  for (let i = 0; out.length < lines - 1; i++) {
    const source = `10.${(i >> 8) % 256}.${i % 256}.0/24`;
    if (ufw) out.push(`### tuple ### allow tcp ${1000 + (i % 60000)} 0.0.0.0/0 any ${source} in`);
    out.push(`-A ${chain} -p tcp -s ${source} --dport ${1000 + (i % 60000)} -j ACCEPT`);
  }
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

function syntheticZone(lines: number): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<zone>', '  <short>Bench</short>', '  <service name="ssh"/>'];
  for (let i = 0; out.length < lines - 1; i++)
    out.push(
      '  <rule family="ipv4">',
      `    <source address="10.${(i >> 8) % 256}.${i % 256}.0/24"/>`,
      `    <port port="${1000 + (i % 60000)}" protocol="tcp"/>`,
      '    <accept/>',
      '  </rule>',
    );
  out.push('</zone>');
  return out.join('\n') + '\n';
}

function syntheticService(lines: number): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<service>', '  <short>Bench</short>'];
  for (let i = 0; out.length < lines - 1; i++) out.push(`  <port protocol="tcp" port="${1000 + (i % 60000)}"/>`);
  out.push('</service>');
  return out.join('\n') + '\n';
}

/** A seed file repeated whole until the text has at least `lines` lines (a block is never cut). */
function repeated(seed: string, lines: number, separator = '', copyOf: (body: string, copy: number) => string = (body) => body): string {
  const body = seed.endsWith('\n') ? seed : seed + '\n';
  const seedLines = Math.max(1, body.split('\n').length - 1);
  return Array.from({ length: Math.max(1, Math.ceil(lines / seedLines)) }, (_, copy) => copyOf(body, copy)).join(separator);
}

/** A YAML mapping file: the seed once, then distinct keys (repeating the seed would duplicate its keys). */
function yamlWithKeys(seed: string, lines: number, key: (i: number) => string): string {
  const out = seed.replace(/\n*$/, '').split('\n');
  for (let i = 0; out.length < lines; i++) out.push(key(i));
  return out.join('\n') + '\n';
}

/**
 * The seed's manifests repeated, each copy with its own names: every `name:` value (metadata names, and labels
 * and selectors keyed `.../name`) gets the copy's number. Copies that kept one name would all select each other
 * (n Services routing to n copies of their workloads: n² routes, which a real file of that size does not have).
 */
function distinctManifests(lines: number, seed: string): string {
  return repeated(seed.replace(/^---\n/, ''), lines, '---\n', (body, copy) =>
    body.replace(/^([ \t]*(?:[\w.-]+\/)?name:[ \t]+)([\w.-]+)[ \t]*$/gm, `$1$2-${copy}`),
  );
}

const GENERATORS: Record<string, (lines: number, seed: string) => string> = {
  'postfix-main': syntheticMainCf,
  nginx: syntheticNginx,
  'docker-compose': syntheticCompose,
  'iptables-save': (lines) => syntheticRules(lines, false),
  'ufw-rules': (lines) => syntheticRules(lines, true),
  'firewalld-zone': syntheticZone,
  'firewalld-service': syntheticService,
  'kubernetes-manifest': distinctManifests,
  'elasticsearch-yml': (lines, seed) => yamlWithKeys(seed, lines, (i) => `bench.setting_${i}: value_${i}`),
  'mongod-conf': (lines, seed) => yamlWithKeys(seed, lines, (i) => `bench_${i}: value_${i}`),
};

/** The largest file (up to 64 KiB) of each format, corpus first, fixtures for the formats it lacks. */
function seeds(): Map<string, string> {
  const found = new Map<string, { file: string; size: number }>();
  for (const folder of [CORPUS, FIXTURES])
    for (const file of listFiles(folder)) {
      if (file.endsWith('.golden') || file.endsWith('.md') || file.includes('/editor-workspace/')) continue;
      const size = fs.statSync(file).size;
      if (size > 64 * 1024) continue;
      const id = engine.detectFormat(file, fs.readFileSync(file, 'utf8').slice(0, 8192))?.id;
      if (!id) continue;
      const known = found.get(id);
      if (!known || (folder === CORPUS && (known.file.startsWith(FIXTURES) || size > known.size))) found.set(id, { file, size });
    }
  return new Map([...found].map(([id, { file }]) => [id, file]));
}

/** In a child process: lints the generated file, then the same file after a one-character edit, many times. */
async function keystrokeChild(format: string, lines: number, seedFile: string): Promise<void> {
  const generate = GENERATORS[format] ?? ((count: number, seed: string) => repeated(seed, count));
  const text = generate(lines, fs.readFileSync(seedFile, 'utf8'));
  const file = path.join('/bench', path.basename(seedFile));
  const lint = (edited: string) => engine.lintFile(file, edited, { files: noFiles, format });
  let start = process.hrtime.bigint();
  const first = await lint(text);
  const warmup = Number(process.hrtime.bigint() - start) / 1e6;
  const parseProblems = first.findings.filter((finding) => finding.ruleId === 'config/parse-problem').length;
  // The extension host lints the same file again and again: untimed keystrokes first (up to WARM_LINTS, within
  // a second), so that the figures are those of a session in progress, not of the JIT compiler's first tiers.
  // Each lint's text differs from the one before it (the first lint was of `text`).
  let edits = 0;
  const keystroke = () => (++edits % 2 ? text.replace('\n', ' \n') : text);
  const warmStart = process.hrtime.bigint();
  for (let i = 0; i < WARM_LINTS && Number(process.hrtime.bigint() - warmStart) / 1e6 < 1000; i++) await lint(keystroke());
  const times: number[] = [];
  const budget = 2000;
  const maxRuns = lines >= 50_000 ? 5 : 30;
  let spent = 0;
  for (let i = 0; i < maxRuns && (i < 3 || spent < budget); i++) {
    // A keystroke: the same document with one character added at the end of its first line, then removed.
    const edited = keystroke();
    start = process.hrtime.bigint();
    await lint(edited);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    times.push(elapsed);
    spent += elapsed;
    if (spent > budget * 10) break;
  }
  const actual = text.split('\n').length - 1;
  process.stdout.write(
    JSON.stringify({
      lines: actual,
      warmup,
      median: median(times),
      p95: percentile(times, 0.95),
      runs: times.length,
      findings: first.findings.length,
      parseProblems,
    }),
  );
}

function keystrokes(): void {
  const only = process.env.BENCH_FORMATS ? new Set(process.env.BENCH_FORMATS.split(',')) : undefined;
  const bySeed = seeds();
  console.log(
    `\nLint per keystroke (one process per row; median / p95 of repeated lints of the file with a 1-character edit, after ${WARM_LINTS} untimed ones or 1 s)`,
  );
  console.log(
    `${'format'.padEnd(24)}${SIZES.map((size) => `${String(size).padStart(7)} lines: median    p95`).join('  ')}   (seed file; findings; parse problems at the largest size)`,
  );
  for (const format of engine.formats.map((handler) => handler.id)) {
    if (only && !only.has(format)) continue;
    const seed = bySeed.get(format);
    if (!seed) {
      console.log(`${format.padEnd(24)}no seed file`);
      continue;
    }
    const cells: string[] = [];
    let tail = '';
    for (const size of SIZES) {
      const child = spawnSync(process.execPath, [process.argv[1]!, 'keystroke', format, String(size), seed], { timeout: KEYSTROKE_TIMEOUT, encoding: 'utf8' });
      if (child.status !== 0 || !child.stdout) {
        cells.push(`${''.padStart(7)} ${child.error ? `> ${KEYSTROKE_TIMEOUT / 1000} s` : 'failed'}`.padEnd(29));
        continue;
      }
      const row = JSON.parse(child.stdout) as { lines: number; median: number; p95: number; findings: number; parseProblems: number };
      cells.push(`${String(row.lines).padStart(7)}: ${ms(row.median).padStart(9)} ${ms(row.p95).padStart(9)}`.padEnd(29));
      tail = `${row.findings} findings, ${row.parseProblems} parse problems`;
    }
    console.log(`${format.padEnd(24)}${cells.join('  ')}   (${path.relative(path.dirname(CORPUS), seed)}; ${tail})`);
  }
}

/** `node dist/bench.js formats TREE`: lint time per format over a tree, in one process (where an audit's CPU goes). */
async function formatsOf(tree: string): Promise<void> {
  const files: FileAccess = {
    readFile: async (file) => (fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined),
    readDirectory: async (folder) => (fs.existsSync(folder) && fs.statSync(folder).isDirectory() ? fs.readdirSync(folder) : undefined),
  };
  const byFormat = new Map<string, { files: number; bytes: number; ms: number }>();
  for (const file of listFiles(tree)) {
    const text = fs.readFileSync(file, 'utf8');
    const start = process.hrtime.bigint();
    const result = await engine.lintFile(file, text, { files });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    const key = result.format ?? '(not a configuration)';
    const row = byFormat.get(key) ?? { files: 0, bytes: 0, ms: 0 };
    row.files++;
    row.bytes += text.length;
    row.ms += elapsed;
    byFormat.set(key, row);
  }
  const total = [...byFormat.values()].reduce((sum, row) => sum + row.ms, 0);
  console.log(`lint time by format over ${tree} (detection included; total ${ms(total)})`);
  for (const [format, row] of [...byFormat].sort((a, b) => b[1].ms - a[1].ms))
    console.log(
      `  ${format.padEnd(24)} ${String(row.files).padStart(6)} files ${kib(row.bytes).padStart(9)} ${ms(row.ms).padStart(9)} ${(row.ms / row.files).toFixed(2).padStart(7)} ms/file ${((row.ms / (row.bytes / 1024 / 1024)) | 0).toString().padStart(6)} ms/MiB`,
    );
}

// ---------------------------------------------------------------------------------------------- start-up, sizes

/** Wall and CPU time (medians of 20) of a command against bare Node; CPU time varies less on a busy machine. */
function startup(work: string): void {
  const preload = path.join(work, 'rss-preload.js');
  const rssFile = path.join(work, 'rss.txt');
  fs.writeFileSync(preload, RSS_PRELOAD);
  const env = { ...process.env, BENCH_RSS_FILE: rssFile };
  const sample = (args: string[], extraEnv: Record<string, string> = {}) => {
    const runEnv = { ...env, ...extraEnv };
    // The first run is not counted: it writes the CLI's V8 code cache (src/cli/entry.ts) when there is none.
    timed(process.execPath, ['-r', preload, ...args], runEnv, rssFile);
    const runs = Array.from({ length: 20 }, () => timed(process.execPath, ['-r', preload, ...args], runEnv, rssFile));
    return { ms: median(runs.map((run) => run.ms)), cpu: median(runs.map((run) => run.cpu ?? 0)), rss: median(runs.map((run) => run.maxRss ?? 0)) };
  };
  const bare = sample(['-e', '0']);
  const nginxConf = path.join(CORPUS, 'nginx', 'debian-nginx.conf');
  console.log(`\nStart-up (median of 20; wall / CPU / peak RSS): node -e 0 ${ms(bare.ms)} / ${ms(bare.cpu)} / ${mib(bare.rss)}`);
  for (const [label, args, extraEnv] of [
    ['cli.js --version', [CLI, '--version'], {}],
    ['cli.js audit <one nginx file>', [CLI, 'audit', '--fail-on', 'none', nginxConf], {}],
    ['  the same, no code cache', [CLI, 'audit', '--fail-on', 'none', nginxConf], { SECURE_CONFIG_REVIEW_CACHE: 'off' }],
  ] as const) {
    const ours = sample([...args], extraEnv);
    console.log(
      `  ${label.padEnd(30)} ${ms(ours.ms)} / ${ms(ours.cpu)} / ${mib(ours.rss)}: over bare Node ${ms(ours.ms - bare.ms)} wall, ${ms(ours.cpu - bare.cpu)} CPU`,
    );
  }
}

function sizes(): void {
  console.log('\nBundle sizes (as built now; `npm run package` builds the production ones)');
  for (const file of ['dist/extension.js', 'dist/cli.js', 'secure-config-review.vsix']) {
    const full = path.join(ROOT, file);
    if (!fs.existsSync(full)) console.log(`  ${file}: absent`);
    else {
      const data = fs.readFileSync(full);
      console.log(
        `  ${file}: ${kib(data.length)}${file.endsWith('.js') ? ` (gzip ${kib(gzipSync(data).length)})` : ''}, built ${fs.statSync(full).mtime.toISOString()}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  if (process.argv[2] === 'keystroke') return keystrokeChild(process.argv[3]!, Number(process.argv[4]), process.argv[5]!);
  if (process.argv[2] === 'formats') return formatsOf(process.argv[3]!);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? ''}; ${new Date().toISOString()}; ${ROOT}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scr-bench-'));
  try {
    if (ONLY.has('audit') || ONLY.has('gixy')) {
      const nginxTree = path.join(work, 'nginx-tree');
      const mixedTree = path.join(work, 'mixed-tree');
      console.log(
        `\nTrees in ${work}: nginx ${buildNginxTree(nginxTree)} files, mixed ${buildMixedTree(mixedTree)} files; whole process, median of ${RUNS} runs`,
      );
      const nginx = auditTree('nginx tree (1,000 files)', nginxTree, work);
      if (ONLY.has('audit')) auditTree('mixed tree (10,000 files)', mixedTree, work);
      if (ONLY.has('gixy')) gixy(nginxTree, nginx.audit);
    }
    if (ONLY.has('keystroke')) keystrokes();
    if (ONLY.has('startup')) startup(work);
    if (ONLY.has('sizes')) sizes();
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
