// Node worker threads for lints (desktop and remote extension hosts). One worker by default: the extension host
// shares the machine with the editor and the language servers. A job runs against a time budget; past it the
// worker is terminated (a synchronous loop cannot be interrupted any other way) and a fresh one serves the next
// job. Files the engine reads besides the linted one are read here, through the job's FileAccess.
// No 'vscode' import, so the unit tests drive it directly; no file-system access of its own.
import { Worker } from 'node:worker_threads';
import type { LintJob, LintOutcome, WorkerBackend } from './lint-runner';
import type { FromWorker, ToWorker } from './worker-protocol';

/** What the pool needs of a worker (node's Worker; a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
  unref?(): void;
}

export interface PoolOptions {
  /** Workers at most (default 1). */
  size?: number;
  /** A worker idle this long is stopped, to give its memory back (default 60 s). */
  idleMs?: number;
  /** Heap limit of a worker in MB: a lint that would exhaust it ends the worker, not the extension host. */
  maxHeapMb?: number;
  /** Creates a worker (default: node's Worker on `script`). */
  spawn?: () => WorkerLike;
  /** Told about workers that failed or were stopped (for the extension's log). */
  log?: (line: string) => void;
}

interface Queued {
  job: LintJob;
  resolve: (outcome: LintOutcome | undefined) => void;
}

interface Running extends Queued {
  id: number;
  format?: string;
  timer: ReturnType<typeof setTimeout>;
}

interface Slot {
  worker: WorkerLike;
  ready: boolean;
  current?: Running;
  idle?: ReturnType<typeof setTimeout>;
}

/** Workers that fail to start this many times in a row: the pool gives up and every job runs on the main thread. */
const MAX_START_FAILURES = 3;

export class LintWorkerPool implements WorkerBackend {
  private readonly queue: Queued[] = [];
  private readonly slots: Slot[] = [];
  private ids = 0;
  private startFailures = 0;
  private disposed = false;

  constructor(
    script: string | URL,
    private readonly options: PoolOptions = {},
  ) {
    this.spawnWorker =
      options.spawn ?? (() => new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 1024 } }) as unknown as WorkerLike);
  }

  private readonly spawnWorker: () => WorkerLike;

  /** True once workers keep failing to start: callers lint on their own thread. */
  get broken(): boolean {
    return this.startFailures >= MAX_START_FAILURES;
  }

  /** Runs a job in a worker; undefined when no worker can run it (the caller lints on its own thread). */
  run(job: LintJob): Promise<LintOutcome | undefined> {
    if (this.disposed || this.broken) return Promise.resolve(undefined);
    for (let index = this.queue.length - 1; index >= 0; index--) {
      if (this.queue[index]!.job.key !== job.key) continue;
      this.queue[index]!.resolve({ kind: 'superseded' });
      this.queue.splice(index, 1);
    }
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const queued of this.queue.splice(0)) queued.resolve(undefined);
    for (const slot of this.slots.splice(0)) this.stop(slot, undefined);
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      const slot = this.freeSlot();
      if (!slot) return;
      if (!slot.ready) return; // it takes the first job once it says it is ready
      this.start(slot, this.queue.shift()!);
    }
  }

  private freeSlot(): Slot | undefined {
    const free = this.slots.find((slot) => !slot.current);
    if (free) return free;
    if (this.slots.length >= Math.max(1, this.options.size ?? 1)) return undefined;
    return this.createSlot();
  }

  private createSlot(): Slot | undefined {
    let worker: WorkerLike;
    try {
      worker = this.spawnWorker();
    } catch (error) {
      this.startFailed(String(error));
      return undefined;
    }
    const slot: Slot = { worker, ready: false };
    worker.unref?.();
    worker.on('message', (message) => this.receive(slot, message));
    worker.on('error', (error) => this.crashed(slot, error.message));
    worker.on('exit', (code) => this.crashed(slot, `exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, queued: Queued): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = undefined;
    const id = ++this.ids;
    const timer = setTimeout(() => this.timedOut(slot), Math.max(1, queued.job.budgetMs));
    slot.current = { ...queued, id, timer };
    const { path, text, settings } = queued.job;
    slot.worker.postMessage({ type: 'lint', id, path, text, settings });
  }

  private receive(slot: Slot, message: FromWorker): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      return this.pump();
    }
    const running = slot.current;
    if (!running || message.id !== running.id) return;
    switch (message.type) {
      case 'read':
        return void this.read(slot, running, message);
      case 'detected':
        running.format = message.format;
        return;
      case 'done':
        return this.finish(slot, { kind: 'done', result: message.result });
      case 'failed':
        this.options.log?.(`lint worker: ${message.message}`);
        return this.finish(slot, undefined);
    }
  }

  private async read(slot: Slot, running: Running, message: Extract<FromWorker, { type: 'read' }>): Promise<void> {
    const { files } = running.job;
    let value: string | string[] | undefined;
    try {
      value = message.op === 'file' ? await files.readFile(message.path) : await files.readDirectory(message.path);
    } catch {
      value = undefined;
    }
    // The job may have been stopped meanwhile; its worker is gone then.
    if (slot.current === running) slot.worker.postMessage({ type: 'read-result', request: message.request, value });
  }

  private finish(slot: Slot, outcome: LintOutcome | undefined): void {
    const running = slot.current;
    if (!running) return;
    clearTimeout(running.timer);
    slot.current = undefined;
    running.resolve(outcome);
    this.pump();
    if (!slot.current && this.slots.includes(slot)) {
      slot.idle = setTimeout(() => this.retire(slot), this.options.idleMs ?? 60_000);
      (slot.idle as { unref?: () => void }).unref?.();
    }
  }

  private timedOut(slot: Slot): void {
    const running = slot.current;
    if (!running) return;
    this.options.log?.(`lint worker stopped after ${running.job.budgetMs} ms on ${running.job.path}`);
    this.remove(slot);
    this.stop(slot, { kind: 'timeout', ...(running.format ? { format: running.format } : {}), budgetMs: running.job.budgetMs });
    this.pump();
  }

  /** A worker that died: before it was ready it counts towards giving up; a job it ran is answered as stopped. */
  private crashed(slot: Slot, detail: string): void {
    if (!this.slots.includes(slot)) return;
    this.remove(slot);
    if (!slot.ready) this.startFailed(detail);
    else this.options.log?.(`lint worker ended: ${detail}`);
    const running = slot.current;
    this.stop(slot, running ? { kind: 'timeout', ...(running.format ? { format: running.format } : {}), budgetMs: running.job.budgetMs } : undefined);
    if (this.broken) for (const queued of this.queue.splice(0)) queued.resolve(undefined);
    this.pump();
  }

  private startFailed(detail: string): void {
    this.startFailures++;
    this.options.log?.(`lint worker failed to start: ${detail}`);
  }

  private retire(slot: Slot): void {
    if (slot.current) return;
    this.remove(slot);
    this.stop(slot, undefined);
  }

  private remove(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  /** Ends a worker; its running job (if any) is answered with `outcome`. */
  private stop(slot: Slot, outcome: LintOutcome | undefined): void {
    if (slot.idle) clearTimeout(slot.idle);
    const running = slot.current;
    slot.current = undefined;
    if (running) {
      clearTimeout(running.timer);
      running.resolve(outcome);
    }
    void slot.worker.terminate().catch(() => undefined);
  }
}
