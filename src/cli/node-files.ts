import { promises as fs } from 'node:fs';
import type { FileAccess } from '../core/types';

/** FileAccess over the local disk; unreadable paths read as absent, never as errors. */
export const nodeFiles: FileAccess = {
  async readFile(path) {
    try {
      const stat = await fs.stat(path);
      if (!stat.isFile()) return undefined;
      return await fs.readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  async readDirectory(path) {
    try {
      return await fs.readdir(path);
    } catch {
      return undefined;
    }
  },
};
