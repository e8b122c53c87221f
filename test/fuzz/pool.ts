// Runs fuzz jobs on worker threads (both cores), with a hang guard: a worker stuck on one input longer than a
// generous bound is terminated, the input saved as a reproducer, and a new worker goes on with the rest.
import { Worker } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';
import * as path from 'node:path';
import type { Violation } from './check';
import { timeBound } from './check';
import { makeInput } from './inputs';
import { saveRepro, DEFAULT_REPRO_ROOT } from './repro';
import { loadSeeds, type Seed } from './seeds';
import { SLOT, emptyStats, type ChunkStats, type GrowthRow, type WorkerData, type WorkerJob, type WorkerMessage } from './protocol';
import { engine } from '../../src/product';

export interface FuzzOptions {
  seed: number;
  /** Inputs per format. */
  inputs: number;
  formats: string[];
  workers: number;
  /** Seconds after which no new input starts (the table then shows the real counts). */
  timeBudget?: number;
  big: boolean;
  repros: boolean;
  reproRoot?: string;
  /** Growth series sizes in lines (the 4 MB file and the 4 MB line are always added); empty for none. */
  growthSizes: number[];
  /** First index (to continue a run). */
  from?: number;
  chunk?: number;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
  /** Called for every input that broke an invariant or was slow. */
  onFinding?: (finding: Extract<WorkerMessage, { type: 'finding' }>) => void;
  /** A stuck input: its hang limit in ms from its length (default: 60 s + 20 x the time bound). */
  hangLimit?: (length: number) => number;
}

export interface FuzzReport {
  stats: Map<string, ChunkStats>;
  growth: GrowthRow[];
  hangs: { format: string; index: number; file: string; detail: string }[];
  seconds: number;
  maxHeapMb: number;
}

const WORKER = path.join(__dirname, 'worker.ts');
/** The worker bundled by esbuild, as the product ships the engine (see workerSource). */
const BUNDLED_WORKER = path.join(__dirname, '..', '..', '.cache', 'fuzz-worker', 'worker.js');

/**
 * The code each worker runs: worker.ts bundled with esbuild into .cache/fuzz-worker/ (two directories below the
 * repository, as test/fuzz is, so paths the fuzzer derives from its own folder stay right); a crash's stack names
 * the bundle's functions (run the reproducer under tsx for source lines). Bundled as the product is built, the engine runs as it does for users: under tsx every
 * function made in a loop is also given its name through Object.defineProperty (esbuild's keepNames), which made
 * closure-heavy parsers a third slower in the fuzzer than in the product. FUZZ_TSX=1, or a failed build, runs
 * worker.ts through tsx as before.
 */
function workerSource(): string {
  const viaTsx = `require('tsx/cjs'); require(${JSON.stringify(WORKER)});`;
  if (process.env.FUZZ_TSX === '1') return viaTsx;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof Esbuild;
    esbuild.buildSync({
      entryPoints: [WORKER],
      outfile: BUNDLED_WORKER,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      logLevel: 'silent',
    });
    return `require(${JSON.stringify(BUNDLED_WORKER)});`;
  } catch {
    return viaTsx;
  }
}

/** A finished chunk's counts; violations are counted from the findings as they arrive (see `count`). */
export function merge(into: ChunkStats, add: ChunkStats): void {
  into.inputs += add.inputs;
  into.lintMs += add.lintMs;
  into.otherMs += add.otherMs;
  into.maxFindings = Math.max(into.maxFindings, add.maxFindings);
  if (add.slowest && (!into.slowest || add.slowest.ms > into.slowest.ms)) into.slowest = add.slowest;
  for (const [kind, ms] of Object.entries(add.timeByKind)) into.timeByKind[kind] = (into.timeByKind[kind] ?? 0) + ms;
}

/** One input that broke an invariant or was slow, counted into its format's statistics. */
function count(into: ChunkStats, finding: Extract<WorkerMessage, { type: 'finding' }>): void {
  const kinds = finding.violations.map((violation) => violation.kind);
  if (finding.slow) into.slow++;
  if (kinds.some((kind) => kind === 'exception' || kind === 'hang' || kind === 'crash')) into.crashes++;
  if (kinds.includes('internal-error')) into.internal++;
  if (kinds.some((kind) => !['exception', 'hang', 'crash', 'internal-error', 'slow'].includes(kind))) into.invariant++;
  for (const kind of new Set(kinds)) into.byKind[kind] = (into.byKind[kind] ?? 0) + 1;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const chunk = options.chunk ?? 250;
  const from = options.from ?? 0;
  const reproRoot = options.reproRoot ?? DEFAULT_REPRO_ROOT;
  const hangLimit = options.hangLimit ?? ((length: number) => 60_000 + 20 * timeBound(length));
  const shared = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * SLOT.size * (options.workers + 1));
  const slots = new Float64Array(shared);
  let stopAt = options.timeBudget ? started + options.timeBudget * 1000 : Infinity;
  // Ctrl-C or `kill` ends the run as its time budget does: the inputs in progress finish, the table is printed
  // and --stats-out is written (a second signal ends the process at once).
  const stopNow = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping after the inputs in progress; again to quit at once\n`);
    stopAt = Date.now();
    process.removeListener('SIGINT', stopNow).removeListener('SIGTERM', stopNow);
  };
  process.once('SIGINT', stopNow).once('SIGTERM', stopNow);
  let seeds: Map<string, Seed[]> | undefined;

  // Jobs interleave formats, so a run cut short by its time budget has tested every format about equally.
  const queue: WorkerJob[] = [];
  for (let start = from; start < from + options.inputs; start += chunk)
    for (const format of options.formats) queue.push({ type: 'chunk', format, from: start, to: Math.min(from + options.inputs, start + chunk) });
  const growthQueue: WorkerJob[] = options.growthSizes.length ? options.formats.map((format) => ({ type: 'growth', format, sizes: options.growthSizes })) : [];

  const report: FuzzReport = { stats: new Map(options.formats.map((f) => [f, emptyStats(f)])), growth: [], hangs: [], seconds: 0, maxHeapMb: 0 };
  let done = 0;
  const total = queue.length + growthQueue.length;

  const source = workerSource();
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    const start = (slot: number) => {
      slots[slot * SLOT.size + SLOT.stop] = 0;
      slots[slot * SLOT.size + SLOT.started] = 0;
      const data: WorkerData = { seed: options.seed, big: options.big, repros: options.repros, reproRoot, shared, slot };
      const worker = new Worker(source, {
        eval: true,
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: 3072 },
      });
      running++;
      let current: WorkerJob | undefined;
      let finished = false;
      const next = () => {
        const job = (Date.now() < stopAt ? queue.shift() : undefined) ?? growthQueue.shift();
        if (!job) {
          finished = true;
          void worker.terminate();
          return;
        }
        current = job;
        worker.postMessage(job);
      };
      // The job a broken worker was on, minus the inputs it finished: the rest goes back to the queue.
      const requeueAfter = (index: number) => {
        if (current?.type === 'chunk' && index + 1 < current.to) queue.unshift({ ...current, from: index + 1 });
      };
      const guard = setInterval(() => {
        if (Date.now() >= stopAt) slots[slot * SLOT.size + SLOT.stop] = 1;
        const since = slots[slot * SLOT.size + SLOT.started]!;
        const length = slots[slot * SLOT.size + SLOT.length]!;
        if (since && Date.now() - since > hangLimit(length)) {
          clearInterval(guard);
          const index = slots[slot * SLOT.size + SLOT.index]!;
          lost(`hang: no result after ${Math.round((Date.now() - since) / 1000)} s`, index);
          void worker.terminate();
        }
      }, 500);
      const lost = (detail: string, index: number) => {
        if (finished) return;
        finished = true;
        if (current?.type === 'chunk') {
          seeds ??= loadSeeds(engine);
          const input = makeInput(seeds.get(current.format) ?? [], current.format, options.seed, index, { big: options.big });
          const violation: Violation = { kind: detail.startsWith('hang') ? 'hang' : 'crash', detail: detail.replace(/^(hang|crash): /, '') };
          const file = options.repros ? saveRepro(reproRoot, options.seed, index, input, [violation], 0) : '';
          report.hangs.push({ format: current.format, index, file, detail });
          const stats = report.stats.get(current.format)!;
          // The inputs of the chunk finished before this one (their findings were reported as they came), and this one.
          stats.inputs += index - current.from + 1;
          const finding = { type: 'finding' as const, format: current.format, index, kind: input.kind, violations: [violation], ms: 0, slow: false, file };
          count(stats, finding);
          options.onFinding?.(finding);
          requeueAfter(index);
        } else if (current) log(`growth ${current.format}: ${detail}`);
        start(slot);
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') next();
        else if (message.type === 'finding') {
          count(report.stats.get(message.format)!, message);
          options.onFinding?.(message);
        } else if (message.type === 'chunk-done') {
          merge(report.stats.get(message.stats.format)!, message.stats);
          report.maxHeapMb = Math.max(report.maxHeapMb, message.heapMb);
          done++;
          if (done % 20 === 0) log(`${done}/${total} jobs, ${Math.round((Date.now() - started) / 1000)} s`);
          next();
        } else if (message.type === 'growth-done') {
          report.growth.push(message.row);
          log(
            `growth ${message.row.format}: ${message.row.points.map((p) => `${p.lines}:${p.ms.toFixed(0)}ms`).join(' ')} 4MB:${message.row.fourMb?.ms.toFixed(0)}ms line:${message.row.longLine?.ms.toFixed(0)}ms`,
          );
          done++;
          next();
        } else if (message.type === 'error') {
          clearInterval(guard);
          finished = true;
          void worker.terminate();
          reject(new Error(message.detail));
        }
      });
      worker.on('error', (error) => {
        clearInterval(guard);
        lost(`crash: ${error.message}`, slots[slot * SLOT.size + SLOT.index]!);
      });
      worker.on('exit', () => {
        clearInterval(guard);
        running--;
        if (!finished) lost('crash: the worker exited', slots[slot * SLOT.size + SLOT.index]!);
        if (running === 0) resolve();
      });
    };
    for (let slot = 0; slot < options.workers; slot++) start(slot);
  });
  process.removeListener('SIGINT', stopNow).removeListener('SIGTERM', stopNow);
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
