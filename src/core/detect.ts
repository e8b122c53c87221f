import type { FormatHandler } from './format';
import { formatHandlers } from './registry';
import { globToRegExp } from './glob';

const CONTENT_SNIFF_BYTES = 8192;

function normalisePath(path: string): string {
  return path.replace(/\\/g, '/');
}

/**
 * Decides a file's format: a user association wins, then the file name and path, then the content.
 * Returns undefined for files this product does not read.
 */
export function detectFormat(path: string, text: string | undefined, associations: Record<string, string> = {}): FormatHandler | undefined {
  const normalised = normalisePath(path);
  const baseName = normalised.slice(normalised.lastIndexOf('/') + 1);
  for (const [glob, formatId] of Object.entries(associations)) {
    const pattern = globToRegExp(glob);
    if (pattern.test(normalised) || pattern.test(baseName)) {
      const handler = formatById(formatId);
      if (handler) return handler;
      if (formatId === 'none' || formatId === 'off') return undefined;
    }
  }
  const byName = formatHandlers.find((handler) => handler.detectByName(normalised, baseName));
  if (byName) return byName;
  if (text === undefined || looksBinary(text)) return undefined;
  const head = text.slice(0, CONTENT_SNIFF_BYTES);
  return formatHandlers.find((handler) => handler.detectByContent?.(head));
}

export function formatById(id: string): FormatHandler | undefined {
  return formatHandlers.find((handler) => handler.id === id);
}

/** A NUL in the first kilobytes means this is not a text configuration file. */
export function looksBinary(text: string): boolean {
  return text.slice(0, CONTENT_SNIFF_BYTES).includes('\u0000');
}
