// Reproducers: the input text, a JSON sidecar (how it was made, what went wrong, how to run it again) and,
// when the input has other files (includes), those files.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FuzzInput, Violation } from './check';
import { digest } from './random';
import { REPO_ROOT } from './seeds';

export const DEFAULT_REPRO_ROOT = path.join(REPO_ROOT, '.cache', 'fuzz-repro');

/** Saves one reproducer; returns the path of its text file (repository-relative). */
export function saveRepro(root: string, seed: number, index: number, input: FuzzInput, violations: Violation[], ms: number): string {
  const folder = path.join(root, input.format);
  const name = digest(`${input.path}\u0000${input.text}\u0000${JSON.stringify(input.files)}`);
  const file = path.join(folder, `${name}.txt`);
  const shown = path.relative(REPO_ROOT, file);
  if (existsSync(file)) return shown;
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, input.text);
  const others = Object.keys(input.files);
  if (others.length) writeFileSync(path.join(folder, `${name}.files.json`), JSON.stringify(input.files));
  writeFileSync(
    path.join(folder, `${name}.json`),
    JSON.stringify(
      {
        format: input.format,
        seed,
        index,
        kind: input.kind,
        origin: input.origin,
        lintedAs: input.path,
        forcedFormat: input.forced,
        length: input.text.length,
        ms: Math.round(ms),
        otherFiles: others.length ? `${name}.files.json (${others.length} files)` : undefined,
        violations: violations.slice(0, 20),
        reproduce: `npm run fuzz -- --seed ${seed} --format ${input.format} --index ${index}`,
      },
      null,
      2,
    ),
  );
  return shown;
}
