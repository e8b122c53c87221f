import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, readdirSync, promises as fs } from 'node:fs';
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

/**
 * The same reads done synchronously, for the CLI's audit (issue 16): a local file is read in microseconds, while
 * each step of an asynchronous read (open, stat, read, close) is a round trip through libuv's thread pool; on
 * 1,000 nginx files those round trips cost more CPU than the lints. The file is opened non-blocking and checked
 * to be a regular file before it is read, so a FIFO never holds the thread up. Only for the CLI: the language
 * server keeps `nodeFiles` (its event loop serves the editor meanwhile).
 */
export const localFiles: FileAccess = {
  readFile(path) {
    try {
      return Promise.resolve(readRegularFileSync(path));
    } catch {
      return Promise.resolve(undefined);
    }
  },
  readDirectory(path) {
    try {
      return Promise.resolve(readdirSync(path));
    } catch {
      return Promise.resolve(undefined);
    }
  },
};

/** The text of a regular file (undefined for anything else); throws the file system's error. */
function readRegularFileSync(path: string): string | undefined {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    return decodeBytes(readFileSync(fd)).text;
  } finally {
    closeSync(fd);
  }
}

/**
 * At most `limit` bytes of a regular file, decoded, with the file's size; undefined when it is not a regular file.
 * Throws the file system's error.
 */
export function readStartSync(path: string, limit: number): { text: string; size: number } | undefined {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const buffer = Buffer.allocUnsafe(Math.min(limit, stat.size));
    let filled = 0;
    while (filled < buffer.length) {
      const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { text: decodeBytes(buffer.subarray(0, filled)).text, size: stat.size };
  } finally {
    closeSync(fd);
  }
}
