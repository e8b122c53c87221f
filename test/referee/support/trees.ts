// Configuration trees for referees that read a whole folder (Dovecot's conf.d, Squid's conf.d): the fixture
// trees below a family's fixture folder, each with and without its golden files, and a way to write a case to a
// scratch folder laid out as the daemon's /etc folder.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAnnotated } from '../../support/fixtures';

export interface TreeCase<Kind extends string = string> {
  name: string;
  kind: Kind;
  /** Path below the case folder -> text. */
  files: Map<string, string>;
  /** Planted syntax: the daemon must refuse it and we must report an error (true), or both accept it (false). */
  refused?: boolean;
}

/** Every file below `folder` as [relative path, full path], sorted; a sub-folder holding its own `marker` file is a tree of its own and left out. */
export function walkTree(folder: string, marker: string, prefix = ''): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const entry of readdirSync(folder).sort()) {
    const full = path.join(folder, entry);
    const relative = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(full).isDirectory()) {
      if (!existsSync(path.join(full, marker))) out.push(...walkTree(full, marker, relative));
    } else out.push([relative, full]);
  }
  return out;
}

/** Every file below `folder`, sorted, depth first; nothing when the folder does not exist. */
export function listFiles(folder: string, out: string[] = []): string[] {
  if (!existsSync(folder)) return out;
  for (const entry of readdirSync(folder).sort()) {
    const full = path.join(folder, entry);
    if (statSync(full).isDirectory()) listFiles(full, out);
    else out.push(full);
  }
  return out;
}

/**
 * One `fixture:` case per folder below `fixtures` that holds `marker` (annotations stripped, README.md left out),
 * and one `golden:` case beside it when the tree has `.golden` files (each replacing the file it is named after).
 */
export function fixtureTrees(fixtures: string, marker: string): Array<TreeCase<'fixture' | 'golden'>> {
  const out: Array<TreeCase<'fixture' | 'golden'>> = [];
  const visit = (folder: string) => {
    if (existsSync(path.join(folder, marker))) {
      const name = path.relative(fixtures, folder) || '.';
      const entries = walkTree(folder, marker).filter(([relative]) => relative !== 'README.md');
      const plain = new Map(
        entries.filter(([relative]) => !relative.endsWith('.golden')).map(([relative, full]) => [relative, parseAnnotated(readFileSync(full, 'utf8')).text]),
      );
      out.push({ name: `fixture:${name}`, kind: 'fixture', files: plain });
      const golden = entries.filter(([relative]) => relative.endsWith('.golden'));
      if (golden.length) {
        const files = new Map(plain);
        for (const [relative, full] of golden) files.set(relative.slice(0, -'.golden'.length), readFileSync(full, 'utf8'));
        out.push({ name: `golden:${name}`, kind: 'golden', files });
      }
    }
    for (const entry of readdirSync(folder).sort()) if (statSync(path.join(folder, entry)).isDirectory()) visit(path.join(folder, entry));
  };
  visit(fixtures);
  return out;
}

/**
 * Writes files into a fresh folder `…/<leaf>` below the system's temporary folder and returns it; `removeTree`
 * deletes it. `files` may depend on the folder (texts that name their own location).
 */
export function writeTree(files: Iterable<[string, string]> | ((folder: string) => Iterable<[string, string]>), leaf: string, prefix: string): string {
  const folder = path.join(mkdtempSync(path.join(tmpdir(), prefix)), leaf);
  mkdirSync(folder, { recursive: true });
  for (const [relative, text] of typeof files === 'function' ? files(folder) : files) {
    const target = path.join(folder, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return folder;
}

export function removeTree(folder: string): void {
  rmSync(path.dirname(folder), { recursive: true, force: true });
}
