// Reads the project's own TypeScript sources, for tests about how the code is put together.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Every .ts file below `folder` (relative to the repository root), '/'-separated, sorted. */
export function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts')) out.push(child);
    }
  };
  walk(folder);
  return out.sort();
}

export function readSource(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

/** Module specifiers of the file's import and export-from statements and of its require() calls. */
export function importsOf(text: string): string[] {
  const imports = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((match) => match[1]!);
  // Modules loaded when first needed (start-up, issue 16) are dependencies too.
  const required = [...text.matchAll(/\brequire\('([^']+)'\)/g)].map((match) => match[1]!);
  return [...imports, ...required];
}

/** Resolves a relative specifier against the importing file ('src/a/b.ts' + '../c' -> 'src/c'). */
export function resolveSpecifier(from: string, specifier: string): string {
  return specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)) : specifier;
}
