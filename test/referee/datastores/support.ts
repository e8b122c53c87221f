// Shared by the datastore referees: which files to judge, temporary copies, and the summary table.
// Every program runs against a copy in a fresh temporary folder that is removed whatever happens.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAnnotated } from '../../support/fixtures';
import { engine } from '../../../src/product';

export const ROOT = path.resolve(__dirname, '../../..');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');

export interface Input {
  /** Shown in the table and in disagreements. */
  name: string;
  /** The linted file, annotations stripped. */
  text: string;
  /** Its folder's other files (annotations stripped), for include directives. */
  siblings: Map<string, string>;
  baseName: string;
}

const read = (file: string) => {
  const text = readFileSync(file, 'utf8');
  return file.startsWith(CORPUS) ? text : parseAnnotated(text).text;
};

/** Fixtures anywhere under test-fixtures and the corpus folders whose detected format is one of `formats`. */
export function inputs(formats: readonly string[], corpusFolders: readonly string[]): Input[] {
  const out: Input[] = [];
  const visit = (folder: string, recurse: boolean) => {
    if (!existsSync(folder)) return;
    const entries = readdirSync(folder).sort();
    const files = entries.filter((entry) => statSync(path.join(folder, entry)).isFile() && !entry.endsWith('.golden') && entry !== 'README.md');
    for (const entry of files) {
      const full = path.join(folder, entry);
      const text = read(full);
      if (!formats.includes(engine.detectFormat(full, text)?.id ?? '')) continue;
      const siblings = new Map(files.filter((other) => other !== entry).map((other) => [other, read(path.join(folder, other))]));
      out.push({ name: path.relative(path.dirname(ROOT), full), text, siblings, baseName: entry });
    }
    if (recurse) for (const entry of entries) if (statSync(path.join(folder, entry)).isDirectory()) visit(path.join(folder, entry), true);
  };
  visit(path.join(ROOT, 'test-fixtures'), true);
  for (const folder of corpusFolders) visit(path.join(CORPUS, folder), false);
  return out;
}

/** A program the referee needs: undefined means skip loudly, except under CI=true where it is a failure. */
export function requireProgram(context: Mocha.Context, label: string, candidates: readonly string[]): string {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  const message = `${label} is not installed (looked for ${candidates.join(', ')})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI must install it`);
  console.warn(`\n  !!! SKIPPED: ${message}. This referee did not run.\n`);
  context.skip();
  throw new Error('unreachable');
}

export function withTempDir<T>(prefix: string, body: (folder: string) => T): T {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return body(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface Tally {
  files: number;
  values: number;
  disagreements: string[];
}

export function printTable(title: string, tally: Tally): void {
  console.log(
    `\n  ${title}\n    files checked  values compared  disagreements\n    ${String(tally.files).padStart(13)}  ${String(tally.values).padStart(15)}  ${String(tally.disagreements.length).padStart(13)}`,
  );
  for (const line of tally.disagreements) console.log(`    - ${line}`);
}

export async function withTempDirAsync<T>(prefix: string, body: (folder: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return await body(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
