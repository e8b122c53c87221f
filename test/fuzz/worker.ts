// One fuzz worker thread: takes jobs (a format and a range of input numbers, or a growth series) from the
// pool, lints each input through the engine, and reports statistics, violations and timings back.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { engine } from '../../src/product';
import { inputLength, lintAndCheck, timeBound, type FuzzInput, type Violation } from './check';
import { makeInput } from './inputs';
import { loadSeeds } from './seeds';
import { SPECS } from './generators';
import { clearYamlCache } from '../../src/families/shared/yaml-tree';
import { saveRepro } from './repro';
import type { ChunkStats, GrowthRow, WorkerData, WorkerJob, WorkerMessage } from './protocol';
import { SLOT, emptyStats } from './protocol';

const data = workerData as WorkerData;
const slots = new Float64Array(data.shared);
const base = data.slot * SLOT.size;
const seeds = loadSeeds(engine);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

/** One violation of each kind (the message stays small; the reproducer's sidecar keeps the first 20). */
function firstOfEachKind(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((violation) => !seen.has(violation.kind) && seen.add(violation.kind));
}

async function runChunk(job: Extract<WorkerJob, { type: 'chunk' }>): Promise<ChunkStats> {
  const stats = emptyStats(job.format);
  const formatSeeds = seeds.get(job.format) ?? [];
  for (let index = job.from; index < job.to; index++) {
    if (slots[base + SLOT.stop] === 1) break;
    const began = performance.now();
    const input = makeInput(formatSeeds, job.format, data.seed, index, { big: data.big });
    slots[base + SLOT.index] = index;
    slots[base + SLOT.length] = inputLength(input);
    slots[base + SLOT.started] = Date.now();
    let result = await lintAndCheck(engine, input);
    if (result.ms > timeBound(inputLength(input))) {
      // Confirm an outlier once (a garbage collection or another process may have been in the way).
      const again = await lintAndCheck(engine, input);
      if (again.ms < result.ms) result = again;
    }
    slots[base + SLOT.started] = 0;
    stats.inputs++;
    const family = input.kind.split('+')[0]!;
    stats.timeByKind[family] = (stats.timeByKind[family] ?? 0) + result.ms;
    stats.lintMs += result.ms;
    const violations: Violation[] = [...result.violations];
    const slow = result.ms > timeBound(inputLength(input));
    if (slow) stats.slow++;
    for (const violation of violations) stats.byKind[violation.kind] = (stats.byKind[violation.kind] ?? 0) + 1;
    if (violations.some((v) => v.kind === 'exception')) stats.crashes++;
    if (violations.some((v) => v.kind === 'internal-error')) stats.internal++;
    if (violations.some((v) => v.kind !== 'exception' && v.kind !== 'internal-error')) stats.invariant++;
    stats.maxFindings = Math.max(stats.maxFindings, result.findings);
    if (!stats.slowest || result.ms > stats.slowest.ms) stats.slowest = { ms: result.ms, index, kind: input.kind, length: input.text.length };
    if ((violations.length || slow) && data.repros) {
      const file = saveRepro(
        data.reproRoot,
        data.seed,
        index,
        input,
        slow
          ? [...violations, { kind: 'slow' as const, detail: `${result.ms.toFixed(0)} ms (bound ${timeBound(inputLength(input)).toFixed(0)} ms)` }]
          : violations,
        result.ms,
      );
      post({ type: 'finding', format: job.format, index, kind: input.kind, violations: firstOfEachKind(violations), ms: result.ms, slow, file });
    } else if (violations.length || slow)
      post({ type: 'finding', format: job.format, index, kind: input.kind, violations: firstOfEachKind(violations), ms: result.ms, slow, file: '' });
    stats.otherMs += performance.now() - began - result.ms;
  }
  return stats;
}

/**
 * Lints `input` `runs` times. `ms` is the first lint (cold: the engine keeps parsed YAML pieces and
 * memoised lines from one lint of a path to the next, which is what makes a keystroke cheap, so only the
 * first lint of a text says what a new file costs); `again` is the fastest of the others (a re-lint of the
 * same text, as on a keystroke that changed nothing the engine reads).
 */
async function time(input: FuzzInput, runs: number): Promise<{ ms: number; again: number | undefined; violations: number }> {
  clearYamlCache();
  let first = 0;
  let again: number | undefined;
  let violations = 0;
  for (let i = 0; i < runs; i++) {
    slots[base + SLOT.started] = Date.now();
    slots[base + SLOT.length] = input.text.length;
    const result = await lintAndCheck(engine, input);
    slots[base + SLOT.started] = 0;
    if (i === 0) first = result.ms;
    else again = Math.min(again ?? Infinity, result.ms);
    violations = Math.max(violations, result.violations.length);
  }
  return { ms: first, again, violations };
}

async function runGrowth(format: string, sizes: number[]): Promise<GrowthRow> {
  const spec = SPECS[format]!;
  const input = (text: string): FuzzInput => ({ format, kind: 'growth', origin: 'growth', path: spec.path, text, files: {}, forced: true });
  const lineCount = (text: string) => text.split('\n').length;
  await time(input(spec.grow(200)), 2); // warm up
  const row: GrowthRow = { format, points: [], fourMb: undefined, longLine: undefined, violations: 0 };
  let last = '';
  for (const lines of sizes) {
    const text = spec.grow(lines);
    last = text;
    const { ms, again, violations } = await time(input(text), 2);
    row.violations += violations;
    row.points.push({ lines: lineCount(text), chars: text.length, ms, ...(again !== undefined ? { again } : {}) });
  }
  // About 4 MB (under the engine's 4 MiB limit), from the same generator.
  const target = 4_000_000;
  const estimate = Math.max(1000, Math.floor((sizes[sizes.length - 1]! * target) / Math.max(1, last.length)));
  let big = spec.grow(estimate);
  if (big.length > 4 * 1024 * 1024 - 1) big = big.slice(0, big.lastIndexOf('\n', 4 * 1024 * 1024 - 1));
  const four = await time(input(big), 1);
  row.violations += four.violations;
  row.fourMb = { lines: lineCount(big), chars: big.length, ms: four.ms };
  // One line of about 4 MB.
  const probe = spec.longLine(1000);
  let line = spec.longLine(Math.floor((1000 * target) / Math.max(1, probe.length)));
  if (line.length > 4 * 1024 * 1024 - 1) line = line.slice(0, 4 * 1024 * 1024 - 1);
  const long = await time(input(line), 1);
  row.violations += long.violations;
  row.longLine = { lines: lineCount(line), chars: line.length, ms: long.ms };
  return row;
}

parentPort!.on('message', (job: WorkerJob) => {
  const started = performance.now();
  const work =
    job.type === 'chunk'
      ? runChunk(job).then((stats) => ({ type: 'chunk-done' as const, stats }))
      : runGrowth(job.format, job.sizes).then((row) => ({ type: 'growth-done' as const, row }));
  work
    .then((message) => post({ ...message, ms: performance.now() - started, heapMb: process.memoryUsage().heapUsed / 1048576 }))
    .catch((error: unknown) => post({ type: 'error', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});
post({ type: 'ready' });
