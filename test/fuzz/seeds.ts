// The files the fuzzer starts from: every fixture (annotations removed) and every corpus file, by format.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseAnnotated } from '../support/fixtures';
import type { Linter } from '../../src/core/engine';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const FIXTURE_ROOT = path.join(REPO_ROOT, 'test-fixtures');
export const CORPUS_ROOT = path.resolve(REPO_ROOT, '../shared/corpus');

export interface Seed {
  format: string;
  /** Where the file comes from (repository-relative fixture path or corpus path), for reports. */
  origin: string;
  /** The path it is linted at (fixture folders keep their layout, so includes between them resolve). */
  path: string;
  text: string;
  /** Other files reachable while linting it (its fixture folder), by absolute path. */
  files: Record<string, string>;
}

function walk(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const out: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** Corpus folders named after something other than a family. */
const FOLDER_FAMILY: Record<string, string> = { apache: 'web', nginx: 'web', pg: 'postgresql' };

/**
 * Every seed file by format id. A file is given the format detection finds for its own path (a `.golden`
 * file the one of the file it is the fixed version of); otherwise, when its folder names a family, the first
 * format of that family whose content judgement says it fits. Anything else (data files, READMEs) is left out.
 */
export function loadSeeds(linter: Linter, roots = { fixtures: FIXTURE_ROOT, corpus: CORPUS_ROOT }): Map<string, Seed[]> {
  const byFormat = new Map<string, Seed[]>(linter.formats.map((format) => [format.id, []]));
  const add = (seed: Seed) => byFormat.get(seed.format)?.push(seed);
  const familyFormats = (folder: string) => linter.families.find((family) => family.id === (FOLDER_FAMILY[folder] ?? folder))?.formats ?? [];
  const formatOf = (filePath: string, text: string, folder: string): string | undefined => {
    const named = linter.detectFormat(filePath.replace(/\.golden$/, ''), text);
    if (named) return named.id;
    return familyFormats(folder).find((format) => format.judgeContent?.(text.slice(0, 8192)) === 'fits')?.id;
  };

  const fixtureTexts = new Map<string, string>();
  for (const file of walk(roots.fixtures)) {
    const relative = path.relative(roots.fixtures, file).split(path.sep).join('/');
    if (relative.endsWith('README.md')) continue;
    const raw = readFileSync(file, 'utf8');
    fixtureTexts.set(`/fixtures/${relative}`, file.endsWith('.golden') ? raw : parseAnnotated(raw).text);
  }
  for (const [virtualPath, text] of fixtureTexts) {
    const parts = virtualPath.split('/'); // '', 'fixtures', family, rule, ...
    const format = formatOf(virtualPath, text, parts[2] ?? '');
    if (!format) continue;
    const caseRoot = parts.slice(0, 4).join('/') + '/';
    const files: Record<string, string> = {};
    for (const [other, otherText] of fixtureTexts) if (other.startsWith(caseRoot) && other !== virtualPath) files[other] = otherText;
    add({ format, origin: `test-fixtures/${parts.slice(2).join('/')}`, path: virtualPath.replace(/\.golden$/, ''), text, files });
  }
  for (const file of walk(roots.corpus)) {
    const relative = path.relative(roots.corpus, file).split(path.sep).join('/');
    if (!relative.includes('/')) continue; // SOURCES.md
    const text = readFileSync(file, 'utf8');
    const format = formatOf(`/corpus/${relative}`, text, relative.split('/')[0]!);
    if (format) add({ format, origin: `corpus/${relative}`, path: `/corpus/${relative}`, text, files: {} });
  }
  return byFormat;
}
