// A large tree is linted on every core: the walk hands out runs of consecutive files (files of one folder stay
// together, so the sibling and include lookups of one run hit the same cache) to worker threads and to this
// thread, whichever is free. Each worker is the CLI's own bundle started again with a marker in its argv;
// it keeps its own caching FileAccess, primed with the walk's listings of the folders it is sent.
// A worker that fails hands its run back to this thread: the audit's outcome never depends on threads.
import * as os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import { type CachingFileAccess, cachingFileAccess } from '../core/file-cache';
import type { ProjectSettings } from '../core/types';
import { type FileOutcome, lintRange } from './audit';
import { localFiles } from './node-files';
import type { WalkedFile } from './walk';

const ROLE = 'secure-config-review/audit-worker';

/** node:worker_threads, loaded when an audit uses workers (loading it costs every CLI run 5 ms of start-up). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const threads = () => require('node:worker_threads') as typeof WorkerThreads;
/** Below this many files a worker costs more than it saves: it loads the bundle and warms its JIT again (~1.5 s CPU measured on 1,000 nginx files). */
const PARALLEL_FROM = 2000;
/** Files per run handed out at once. */
const RUN = 48;
/** Young generation of a worker, in MB (V8's default lets it grow to 3 × 16 MB). */
const WORKER_YOUNG_MB = 8;
/** Workers besides this thread, at most (memory grows with each). */
const MAX_WORKERS = 3;

interface WorkerInput {
  role: typeof ROLE;
  settings: ProjectSettings;
  /** Record each lint's reads for the result cache (`audit --cache`). */
  record: boolean;
}

type ToWorker = { run: number; files: WalkedFile[]; listings: Array<[string, string[]]> } | { stop: true };
type FromWorker = { run: number; outcomes: FileOutcome[] };

/** How many workers to start for `files` files besides this thread (0: this thread alone). */
export function workerCount(files: number): number {
  // For measurements: SECURE_CONFIG_REVIEW_WORKERS=0 keeps an audit on one thread, =N allows N workers.
  const forced = process.env.SECURE_CONFIG_REVIEW_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), Math.ceil(files / RUN));
  if (files < PARALLEL_FROM) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(MAX_WORKERS, cores - 1, Math.floor(files / PARALLEL_FROM)));
}

function parentOf(folder: string): string {
  const slash = folder.lastIndexOf('/');
  return slash <= 0 ? '/' : folder.slice(0, slash);
}

function folderOf(file: string): string {
  return parentOf(file);
}

/** Lints `walked` into `outcomes` on this thread and on `count` workers running `script`. */
export async function lintInWorkers(
  walked: readonly WalkedFile[],
  settings: ProjectSettings,
  files: CachingFileAccess,
  outcomes: FileOutcome[],
  options: { script: string; listings: ReadonlyMap<string, string[]>; count: number; record: boolean },
): Promise<void> {
  const caching = options.record ? { record: true as const } : undefined;
  const runs: Array<[number, number]> = [];
  for (let from = 0; from < walked.length; from += RUN) runs.push([from, Math.min(walked.length, from + RUN)]);
  let nextRun = 0;
  const take = () => (nextRun < runs.length ? nextRun++ : undefined);
  /** Runs a failed worker gave back: this thread lints them. */
  const returned: number[] = [];

  const listingsFor = (from: number, to: number): Array<[string, string[]]> => {
    const folders = new Set<string>();
    for (let index = from; index < to; index++) {
      const folder = folderOf(walked[index]!.absolute);
      folders.add(folder).add(parentOf(folder));
    }
    return [...folders].flatMap((folder) => {
      const names = options.listings.get(folder);
      return names ? [[folder, names] as [string, string[]]] : [];
    });
  };

  const startWorker = () =>
    new Promise<void>((resolve) => {
      let current: number | undefined;
      let finished = false;
      // A small young generation keeps each worker's memory down (the audit's peak is the sum of the threads');
      // a worker that runs out of memory anyway fails, and its run is linted here (`returned`).
      const worker = new (threads().Worker)(options.script, {
        argv: [ROLE],
        workerData: { role: ROLE, settings, record: options.record } satisfies WorkerInput,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      const finish = () => {
        if (finished) return;
        finished = true;
        if (current !== undefined) returned.push(current);
        current = undefined;
        void worker.terminate();
        resolve();
      };
      const sendNext = () => {
        current = take();
        if (current === undefined) {
          worker.postMessage({ stop: true } satisfies ToWorker);
          finished = true;
          resolve();
          return;
        }
        const [from, to] = runs[current]!;
        worker.postMessage({ run: current, files: walked.slice(from, to), listings: listingsFor(from, to) } satisfies ToWorker);
      };
      worker.on('message', (message: FromWorker) => {
        const [from] = runs[message.run]!;
        message.outcomes.forEach((outcome, offset) => (outcomes[from + offset] = outcome));
        sendNext();
      });
      worker.on('error', finish);
      worker.on('exit', finish);
      sendNext();
    });

  const local = async () => {
    for (let run = take(); run !== undefined; run = take()) {
      await lintRange(walked, runs[run]![0], runs[run]![1], settings, files, outcomes, caching);
      // This thread reads files synchronously (node-files.ts localFiles): let the workers' answers in between runs,
      // so that each gets its next run now rather than after this thread has taken all the rest.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  await Promise.all([local(), ...Array.from({ length: options.count }, startWorker)]);
  for (const run of returned) await lintRange(walked, runs[run]![0], runs[run]![1], settings, files, outcomes, caching);
}

/** True in a thread started by lintInWorkers. */
export function isAuditWorker(): boolean {
  // The marker is in argv, so that telling needs no node:worker_threads; the workerData says it too.
  return process.argv.includes(ROLE) && !threads().isMainThread && (threads().workerData as Partial<WorkerInput> | undefined)?.role === ROLE;
}

/** The worker's side: lints each run it is sent and answers with the outcomes, until told to stop. */
export function serveAuditWorker(): void {
  const { workerData, parentPort } = threads();
  const { settings, record } = workerData as WorkerInput;
  const caching = record ? { record: true as const } : undefined;
  const files = cachingFileAccess(localFiles);
  const port = parentPort!;
  port.on('message', (message: ToWorker) => {
    if ('stop' in message) {
      port.close();
      return;
    }
    for (const [folder, names] of message.listings) files.knowDirectory(folder, names);
    const outcomes: FileOutcome[] = new Array(message.files.length);
    void lintRange(message.files, 0, message.files.length, settings, files, outcomes, caching).then(() =>
      port.postMessage({ run: message.run, outcomes } satisfies FromWorker),
    );
  });
}
