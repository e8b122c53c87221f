import type { FormatHandler } from './format';
import { globToRegExp } from './glob';

const CONTENT_SNIFF_BYTES = 8192;

function normalisePath(path: string): string {
  return path.replace(/\\/g, '/');
}

/**
 * Decides a file's format among `formats`: a user association wins, then the file name and path, then the
 * content. Returns undefined for files this product does not read.
 */
export function detectFormatIn(
  formats: readonly FormatHandler<unknown>[],
  path: string,
  text: string | undefined,
  associations: Record<string, string> = {},
): FormatHandler<unknown> | undefined {
  const normalised = normalisePath(path);
  const baseName = normalised.slice(normalised.lastIndexOf('/') + 1);
  for (const [glob, formatId] of Object.entries(associations)) {
    const pattern = globToRegExp(glob);
    if (pattern.test(normalised) || pattern.test(baseName)) {
      const handler = formats.find((format) => format.id === formatId);
      if (handler) return handler;
      if (formatId === 'none' || formatId === 'off') return undefined;
    }
  }
  const byName = formats.find((handler) => handler.detectByName(normalised, baseName));
  if (byName) return byName;
  if (text === undefined || looksBinary(text)) return undefined;
  const head = text.slice(0, CONTENT_SNIFF_BYTES);
  return formats.find((handler) => handler.detectByContent?.(head));
}

/** A NUL in the first kilobytes means this is not a text configuration file. */
export function looksBinary(text: string): boolean {
  return text.slice(0, CONTENT_SNIFF_BYTES).includes('\u0000');
}
