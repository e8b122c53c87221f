// The lint worker (bundled as dist/lint-worker.js): runs the engine off the extension host's main loop. Files
// other than the linted one are read by the host (through the editor's file access, so unsaved text and virtual
// file systems work as on the main thread); this worker never touches the disk.
import { parentPort } from 'node:worker_threads';
import { engine } from '../product';
import type { FileAccess } from '../core/types';
import type { FromWorker, ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('lint-worker.js runs as a worker thread');

const answers = new Map<number, (value: string | string[] | undefined) => void>();
let requests = 0;

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function hostFiles(id: number): FileAccess {
  const ask = (op: 'file' | 'directory', path: string) =>
    new Promise<string | string[] | undefined>((resolve) => {
      const request = ++requests;
      answers.set(request, resolve);
      post({ type: 'read', id, request, op, path });
    });
  return {
    readFile: async (path) => {
      const value = await ask('file', path);
      return typeof value === 'string' ? value : undefined;
    },
    readDirectory: async (path) => {
      const value = await ask('directory', path);
      return Array.isArray(value) ? value : undefined;
    },
  };
}

async function lint(message: Extract<ToWorker, { type: 'lint' }>): Promise<void> {
  const { id, path, text, settings } = message;
  try {
    const handler = engine.detectFormat(path, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, settings.fileAssociations);
    post({ type: 'detected', id, format: handler?.id });
    if (!handler) return post({ type: 'done', id, result: { findings: [], suppressed: [] } });
    const result = await engine.lintFile(path, text, { files: hostFiles(id), settings, format: handler.id });
    post({ type: 'done', id, result });
  } catch (error) {
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'read-result') {
    answers.get(message.request)?.(message.value);
    answers.delete(message.request);
  } else void lint(message);
});
post({ type: 'ready' });
