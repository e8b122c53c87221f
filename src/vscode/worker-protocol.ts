// Messages between the extension host and the lint worker (src/vscode/lint-worker.ts). Plain data only:
// they cross the thread boundary by structured clone.
import type { LintResult } from '../core/engine';
import type { ProjectSettings } from '../core/types';

export type ToWorker =
  | { type: 'lint'; id: number; path: string; text: string; settings: ProjectSettings }
  | { type: 'read-result'; request: number; value: string | string[] | undefined };

export type FromWorker =
  /** The worker loaded the engine and takes jobs. */
  | { type: 'ready' }
  /** Reading another file (include, sibling master.cf): the host answers through the editor's file access. */
  | { type: 'read'; id: number; request: number; op: 'file' | 'directory'; path: string }
  /** Detection finished: `format` is undefined when the file is not one the product reads. */
  | { type: 'detected'; id: number; format: string | undefined }
  | { type: 'done'; id: number; result: LintResult }
  | { type: 'failed'; id: number; message: string };
