// Where a lint runs. Small files lint on the extension host's own thread (a worker round trip would cost more
// than the lint); large files, and files whose lint once took long, lint in a worker (src/vscode/worker-pool.ts)
// with a time budget, so that a slow file never holds up the extension host: past the budget the worker is
// stopped and the user is told that the analysis took too long for this file.
// No Node or 'vscode' import: the browser build uses the main-thread runner of this module.
import type { LintResult } from '../core/engine';
import type { FileAccess, ProjectSettings } from '../core/types';
import { engine } from '../product';

export interface LintJob {
  /** Identifies the document: a queued job is superseded by a newer one with the same key. */
  key: string;
  path: string;
  text: string;
  settings: ProjectSettings;
  files: FileAccess;
  /** Milliseconds the analysis may take in a worker before it is stopped. */
  budgetMs: number;
}

export type LintOutcome =
  | { kind: 'done'; result: LintResult }
  /** Stopped after `budgetMs`; `format` is the detected format when detection had finished. */
  | { kind: 'timeout'; format?: string; budgetMs: number }
  /** A newer job for the same key replaced this one before it started. */
  | { kind: 'superseded' };

export interface LintRunner {
  lint(job: LintJob): Promise<LintOutcome>;
  /** Forgets what is known about a file (closed, deleted). */
  forget?(key: string): void;
  dispose(): void;
}

/** Lints on the calling thread: no budget can be enforced there (JavaScript cannot be pre-empted). */
export const mainThreadRunner: LintRunner = {
  async lint(job) {
    return { kind: 'done', result: await engine.lintFile(job.path, job.text, { files: job.files, settings: job.settings }) };
  },
  dispose() {},
};

/** Texts at least this long (UTF-16 units) lint in the worker. */
export const WORKER_MIN_CHARS = 64 * 1024;
/** A main-thread lint that took this long sends its file to the worker from then on. */
export const SLOW_MAIN_THREAD_MS = 100;

/** The worker's side of a runner: undefined outcome = the worker could not run the job (lint on the main thread). */
export interface WorkerBackend {
  run(job: LintJob): Promise<LintOutcome | undefined>;
  dispose(): void;
}

/** Routes each job to the main thread or the worker, and remembers which files were slow on the main thread. */
export class RoutingRunner implements LintRunner {
  private readonly slow = new Set<string>();

  constructor(
    private readonly worker: WorkerBackend,
    private readonly options: { minChars?: number; slowMs?: number; now?: () => number } = {},
  ) {}

  async lint(job: LintJob): Promise<LintOutcome> {
    if (this.usesWorker(job)) {
      const outcome = await this.worker.run(job);
      if (outcome) return outcome;
    }
    const now = this.options.now ?? (() => performance.now());
    const started = now();
    const outcome = await mainThreadRunner.lint(job);
    if (now() - started >= (this.options.slowMs ?? SLOW_MAIN_THREAD_MS)) this.slow.add(job.key);
    return outcome;
  }

  usesWorker(job: Pick<LintJob, 'key' | 'text'>): boolean {
    return job.text.length >= (this.options.minChars ?? WORKER_MIN_CHARS) || this.slow.has(job.key);
  }

  /** Forgets a closed file's history. */
  forget(key: string): void {
    this.slow.delete(key);
  }

  dispose(): void {
    this.worker.dispose();
  }
}
