import { promises as fs } from 'node:fs';
import type { FileAccess } from '../core/types';
import { decodeBytes } from '../core/encoding';

/** FileAccess over the local disk; unreadable paths read as absent, never as errors. */
export const nodeFiles: FileAccess = {
  async readFile(path) {
    try {
      const stat = await fs.stat(path);
      if (!stat.isFile()) return undefined;
      // UTF-8 without its BOM, or UTF-16 with one: the text the editor shows (core/encoding.ts).
      return decodeBytes(await fs.readFile(path)).text;
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
