// `npm run fuzz`: seeded mutation and generation fuzzing of every format through the real engine, on worker
// threads; prints the fuzz table and the growth table. Reproducers go to .cache/fuzz-repro/<format>/.
//
//   npm run fuzz -- [--seed N] [--inputs N per format] [--format ID[,ID]] [--time-budget SECONDS]   (Ctrl-C: stop early, keep the table)
//                   [--workers N] [--small] [--no-growth | --growth-only] [--growth-sizes 1000,10000,100000]
//                   [--out FILE] [--growth-out FILE] [--from N] [--no-repros]
//                   [--stats-out FILE.json]   (the run's counts, to merge runs made in parts)
//   npm run fuzz -- --merge A.json,B.json [--out FILE]   (one table from parts: other index ranges or seeds)
//   npm run fuzz -- --seed N --format ID --index I [--dump FILE]   (one input: what it is and what it gives)
import { readFileSync, writeFileSync } from 'node:fs';
import { engine } from '../../src/product';
import { inputLength, lintAndCheck, timeBound } from './check';
import { makeInput } from './inputs';
import { runFuzz, type FuzzReport } from './pool';
import type { ChunkStats } from './protocol';
import { loadSeeds } from './seeds';

interface Args {
  seed: number;
  inputs: number;
  formats: string[];
  timeBudget?: number;
  workers: number;
  big: boolean;
  growth: boolean;
  fuzz: boolean;
  growthSizes: number[];
  out?: string;
  growthOut?: string;
  index?: number;
  dump?: string;
  from: number;
  repros: boolean;
  statsOut?: string;
  merge?: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seed: 1,
    inputs: 2000,
    formats: engine.formats.map((format) => format.id),
    workers: 2,
    big: true,
    growth: true,
    fuzz: true,
    growthSizes: [1000, 10_000, 100_000],
    from: 0,
    repros: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const number = () => {
      const text = value();
      const parsed = Number(text);
      if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag}: not a number: ${text}`);
      return parsed;
    };
    if (flag === '--seed') args.seed = number();
    else if (flag === '--inputs') args.inputs = number();
    else if (flag === '--format') args.formats = value().split(',');
    else if (flag === '--time-budget') args.timeBudget = number();
    else if (flag === '--workers') args.workers = Math.max(1, number());
    else if (flag === '--small') args.big = false;
    else if (flag === '--no-growth') args.growth = false;
    else if (flag === '--growth-only') args.fuzz = false;
    else if (flag === '--growth-sizes') args.growthSizes = value().split(',').map(Number);
    else if (flag === '--out') args.out = value();
    else if (flag === '--growth-out') args.growthOut = value();
    else if (flag === '--index') args.index = number();
    else if (flag === '--dump') args.dump = value();
    else if (flag === '--from') args.from = number();
    else if (flag === '--no-repros') args.repros = false;
    else if (flag === '--stats-out') args.statsOut = value();
    else if (flag === '--merge') args.merge = value().split(',');
    else throw new Error(`unknown option ${flag}`);
  }
  const known = new Set(engine.formats.map((format) => format.id));
  for (const format of args.formats) if (!known.has(format)) throw new Error(`unknown format ${format} (known: ${[...known].join(', ')})`);
  return args;
}

const pad = (cells: string[][]): string => {
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
};
const ms = (value: number | undefined) =>
  value === undefined ? '-' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/** `seed` is the run's description for the first line ('seed 1', 'seeds 1, 2; indexes 0-40000'). */
export function fuzzTable(report: FuzzReport, args: { seed: string }): string {
  const rows = [
    ['format', 'inputs', 'crashes', 'internal errors', 'invariant violations', 'slow (> bound)', 'max findings', 'lint s', 'ms/input', 'slowest input', 'time'],
  ];
  const sum = { inputs: 0, crashes: 0, internal: 0, invariant: 0, slow: 0, lintMs: 0, otherMs: 0 };
  for (const stats of report.stats.values()) {
    rows.push([
      stats.format,
      String(stats.inputs),
      String(stats.crashes),
      String(stats.internal),
      String(stats.invariant),
      String(stats.slow),
      String(stats.maxFindings),
      (stats.lintMs / 1000).toFixed(0),
      stats.inputs ? (stats.lintMs / stats.inputs).toFixed(2) : '-',
      stats.slowest ? `#${stats.slowest.index} ${stats.slowest.kind.slice(0, 48)} (${stats.slowest.length} chars)` : '-',
      ms(stats.slowest?.ms),
    ]);
    sum.inputs += stats.inputs;
    sum.crashes += stats.crashes;
    sum.internal += stats.internal;
    sum.invariant += stats.invariant;
    sum.slow += stats.slow;
    sum.lintMs += stats.lintMs;
    sum.otherMs += stats.otherMs;
  }
  rows.push([
    'total',
    String(sum.inputs),
    String(sum.crashes),
    String(sum.internal),
    String(sum.invariant),
    String(sum.slow),
    '',
    (sum.lintMs / 1000).toFixed(0),
    sum.inputs ? (sum.lintMs / sum.inputs).toFixed(2) : '-',
    '',
    '',
  ]);
  const kinds = new Map<string, number>();
  for (const stats of report.stats.values()) for (const [kind, count] of Object.entries(stats.byKind)) kinds.set(kind, (kinds.get(kind) ?? 0) + count);
  const time = new Map<string, number>();
  for (const stats of report.stats.values())
    for (const [kind, spent] of Object.entries(stats.timeByKind)) time.set(`${stats.format} ${kind}`, (time.get(`${stats.format} ${kind}`) ?? 0) + spent);
  const costly = [...time].sort((a, b) => b[1] - a[1]).slice(0, 12);
  return [
    `${args.seed}; ${sum.inputs} inputs in ${report.seconds.toFixed(0)} s (${(sum.lintMs / 1000).toFixed(0)} s linting, ${(sum.otherMs / 1000).toFixed(0)} s making and checking inputs, over all workers); largest worker heap after a job ${report.maxHeapMb.toFixed(0)} MB; time bound per input: 250 ms + 2 us per character`,
    pad(rows),
    `violations by kind: ${kinds.size ? [...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ') : 'none'}`,
    `most time spent on: ${costly.map(([kind, spent]) => `${kind} ${ms(spent)}`).join(', ')}`,
    ...(report.hangs.length
      ? ['hangs and crashed workers:', ...report.hangs.map((hang) => `  ${hang.format} #${hang.index}: ${hang.detail} ${hang.file}`)]
      : []),
  ].join('\n');
}

export function growthTable(report: FuzzReport): string {
  const sizes = report.growth[0]?.points.map((point) => point.lines) ?? [];
  const header = [
    'format',
    ...sizes.map((_, i) => `~${[1, 10, 100][i] ?? i}k lines`),
    'x10 ratios',
    'us/line (largest)',
    're-lint (largest)',
    '4 MB file',
    '4 MB one line',
    'violations',
  ];
  const rows = [header];
  const order = new Map(engine.formats.map((format, i) => [format.id, i]));
  // A file over the engine's 4 MiB limit is refused with one notice, not parsed: its time says nothing.
  const refused = (point: { chars: number }) => point.chars > 4 * 1024 * 1024;
  for (const row of [...report.growth].sort((a, b) => (order.get(a.format) ?? 0) - (order.get(b.format) ?? 0))) {
    const ratios = row.points
      .slice(1)
      .map((point, i) => (refused(point) ? NaN : (point.ms / Math.max(0.01, row.points[i]!.ms) / (point.lines / row.points[i]!.lines)) * 10));
    const last = row.points[row.points.length - 1];
    rows.push([
      row.format,
      ...row.points.map((point) => (refused(point) ? `refused (${(point.chars / 1048576).toFixed(1)} MiB)` : ms(point.ms))),
      ratios.map((ratio) => (Number.isNaN(ratio) ? '-' : ratio.toFixed(1))).join(' / '),
      last && !refused(last) ? ((last.ms * 1000) / last.lines).toFixed(1) : '-',
      last && !refused(last) ? ms(last.again) : '-',
      row.fourMb ? `${ms(row.fourMb.ms)} (${row.fourMb.lines} lines)` : '-',
      row.longLine ? ms(row.longLine.ms) : '-',
      String(row.violations),
    ]);
  }
  return [
    'lint time per size (the first lint of each text: cold, after a warm-up on a small file); "x10 ratios": time ratio between consecutive sizes, scaled to a',
    'tenfold size (10 = linear, 100 = quadratic); re-lint: a second lint of the largest text (what reuse between keystrokes saves);',
    '4 MB file: the same generator up to ~4,000,000 characters; 4 MB one line: one list line.',
    pad(rows),
  ].join('\n');
}

interface SavedRun {
  seed: number;
  from: number;
  to: number;
  commit: string;
  report: { stats: ChunkStats[]; hangs: FuzzReport['hangs']; seconds: number; maxHeapMb: number };
}

const describe = (runs: readonly SavedRun[]) =>
  `${runs.length === 1 ? 'seed' : 'runs: seed'} ${runs.map((run) => `${run.seed} inputs ${run.from}-${run.to}${run.commit ? ` at ${run.commit}` : ''}`).join('; seed ')}`;

/** Several runs' counts as one report (parts of one index range, or other seeds). */
function mergeRuns(runs: readonly SavedRun[]): FuzzReport {
  const stats = new Map<string, ChunkStats>();
  for (const run of runs)
    for (const part of run.report.stats) {
      const into = stats.get(part.format);
      if (!into) {
        stats.set(part.format, { ...part, byKind: { ...part.byKind }, timeByKind: { ...part.timeByKind } });
        continue;
      }
      for (const key of ['inputs', 'crashes', 'internal', 'invariant', 'slow', 'lintMs', 'otherMs'] as const) into[key] += part[key];
      into.maxFindings = Math.max(into.maxFindings, part.maxFindings);
      if (part.slowest && (!into.slowest || part.slowest.ms > into.slowest.ms)) into.slowest = part.slowest;
      for (const [kind, count] of Object.entries(part.byKind)) into.byKind[kind] = (into.byKind[kind] ?? 0) + count;
      for (const [kind, ms] of Object.entries(part.timeByKind)) into.timeByKind[kind] = (into.timeByKind[kind] ?? 0) + ms;
    }
  return {
    stats,
    growth: [],
    hangs: runs.flatMap((run) => run.report.hangs),
    seconds: runs.reduce((sum, run) => sum + run.report.seconds, 0),
    maxHeapMb: Math.max(0, ...runs.map((run) => run.report.maxHeapMb)),
  };
}

function commitOfCheckout(): string {
  try {
    const head = readFileSync('.git/HEAD', 'utf8').trim();
    const ref = head.startsWith('ref: ') ? readFileSync(`.git/${head.slice(5)}`, 'utf8').trim() : head;
    return ref.slice(0, 7);
  } catch {
    return '';
  }
}

async function one(args: Args): Promise<void> {
  const format = args.formats[0]!;
  const seeds = loadSeeds(engine);
  const input = makeInput(seeds.get(format) ?? [], format, args.seed, args.index!, { big: args.big });
  if (args.dump) writeFileSync(args.dump, input.text);
  const result = await lintAndCheck(engine, input);
  console.log(
    JSON.stringify(
      {
        format,
        index: args.index,
        kind: input.kind,
        origin: input.origin,
        path: input.path,
        forced: input.forced,
        length: input.text.length,
        otherFiles: Object.keys(input.files).length,
        ms: Math.round(result.ms),
        bound: Math.round(timeBound(inputLength(input))),
        findings: result.findings,
        violations: result.violations,
      },
      null,
      2,
    ),
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.index !== undefined) return one(args);
  if (args.merge) {
    const runs = args.merge.map((file) => JSON.parse(readFileSync(file, 'utf8')) as SavedRun);
    const merged = mergeRuns(runs);
    const table = fuzzTable(merged, { seed: describe(runs) });
    console.log(table);
    if (args.out) writeFileSync(args.out, `${table}\n`);
    const bad = [...merged.stats.values()].reduce((sum, stats) => sum + stats.crashes + stats.internal + stats.invariant, 0);
    process.exitCode = bad ? 1 : 0;
    return;
  }
  // The code the workers run is the checkout's at the start (a commit made while the run goes on is not in it).
  const commit = commitOfCheckout();
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const report = await runFuzz({
    seed: args.seed,
    inputs: args.fuzz ? args.inputs : 0,
    formats: args.formats,
    workers: args.workers,
    ...(args.timeBudget !== undefined ? { timeBudget: args.timeBudget } : {}),
    big: args.big,
    repros: args.repros,
    growthSizes: args.growth ? args.growthSizes.filter((size) => size > 0) : [],
    from: args.from,
    log,
    onFinding: (finding) =>
      log(
        `${finding.format} #${finding.index} ${finding.kind}: ${finding.slow ? `slow ${Math.round(finding.ms)} ms ` : ''}${finding.violations.map((v) => `${v.kind}: ${v.detail.split('\n')[0]!.slice(0, 160)}`).join('; ')} ${finding.file}`,
      ),
  });
  if (args.fuzz) {
    const inputs = [...report.stats.values()].reduce((max, stats) => Math.max(max, stats.inputs), 0);
    const run: SavedRun = {
      seed: args.seed,
      from: args.from,
      to: args.from + inputs,
      commit,
      report: { stats: [...report.stats.values()], hangs: report.hangs, seconds: report.seconds, maxHeapMb: report.maxHeapMb },
    };
    if (args.statsOut) writeFileSync(args.statsOut, `${JSON.stringify(run)}\n`);
    const table = fuzzTable(report, { seed: describe([run]) });
    console.log(`\n${table}`);
    if (args.out) writeFileSync(args.out, `${table}\n`);
  }
  if (args.growth) {
    const table = growthTable(report);
    console.log(`\n${table}`);
    if (args.growthOut) writeFileSync(args.growthOut, `${table}\n`);
  }
  const bad = [...report.stats.values()].reduce((sum, stats) => sum + stats.crashes + stats.internal + stats.invariant, 0);
  process.exitCode = bad ? 1 : 0;
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
