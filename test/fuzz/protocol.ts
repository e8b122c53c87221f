// Messages between the fuzz pool (test/fuzz/pool.ts) and its workers (test/fuzz/worker.ts).
import type { Violation } from './check';

/** Layout of each worker's slot in the shared Float64Array (what it is doing now, for the hang guard). */
export const SLOT = { size: 4, index: 0, length: 1, started: 2, stop: 3 } as const;

export interface WorkerData {
  seed: number;
  big: boolean;
  repros: boolean;
  reproRoot: string;
  shared: SharedArrayBuffer;
  slot: number;
}

export type WorkerJob = { type: 'chunk'; format: string; from: number; to: number } | { type: 'growth'; format: string; sizes: number[] };

export interface ChunkStats {
  format: string;
  inputs: number;
  crashes: number;
  internal: number;
  invariant: number;
  slow: number;
  slowest: { ms: number; index: number; kind: string; length: number } | undefined;
  maxFindings: number;
  byKind: Record<string, number>;
  /** Milliseconds spent per input kind ('patho:includeFan', 'seed:truncate', ...). */
  timeByKind: Record<string, number>;
  /** Milliseconds spent linting (first runs only) and making and checking inputs (confirmation runs included). */
  lintMs: number;
  otherMs: number;
}

export interface GrowthPoint {
  lines: number;
  chars: number;
  /** The first lint of the text (cold). */
  ms: number;
  /** A second lint of the same text (what a keystroke that changed nothing costs), when measured. */
  again?: number;
}

export interface GrowthRow {
  format: string;
  points: GrowthPoint[];
  fourMb: GrowthPoint | undefined;
  longLine: GrowthPoint | undefined;
  violations: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'finding'; format: string; index: number; kind: string; violations: Violation[]; ms: number; slow: boolean; file: string }
  | { type: 'chunk-done'; stats: ChunkStats; ms: number; heapMb: number }
  | { type: 'growth-done'; row: GrowthRow; ms: number; heapMb: number }
  | { type: 'error'; detail: string };

/** Counts of no inputs yet, for one format. */
export function emptyStats(format: string): ChunkStats {
  return {
    format,
    inputs: 0,
    crashes: 0,
    internal: 0,
    invariant: 0,
    slow: 0,
    slowest: undefined,
    maxFindings: 0,
    byKind: {},
    timeByKind: {},
    lintMs: 0,
    otherMs: 0,
  };
}
