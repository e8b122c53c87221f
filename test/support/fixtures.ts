// Fixture files are real configuration with expectations written as full-line comments under the line
// they describe; carets mark the exact columns:
//   mynetworks = 127.0.0.0/8 172.0.0.0/8
//   #                        ^^^^^^^^^^^ postfix/mynetworks-public-range
// A caret run that touches the '#' starts at the '#' (`#^^^` marks columns 0-3), for tokens at column 0.
// Annotation lines are removed before linting, so positions refer to the file as the daemon sees it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileAccess, Finding, Fix, TextEdit } from '../../src/core/types';

export interface Expectation {
  ruleId: string;
  line: number;
  startCharacter: number;
  endCharacter: number;
  severity?: string;
}

const ANNOTATION = /^(\s*#)(\s*)(\^+)\s+([a-z0-9-]+\/[a-z0-9-]+)(?:\s+(error|warning|info))?\s*$/;

export function isAnnotation(line: string): boolean {
  return ANNOTATION.test(line);
}

/** Splits an annotated fixture into the text to lint and what must be found in it. */
export function parseAnnotated(text: string): { text: string; expectations: Expectation[] } {
  const lines = text.split('\n');
  const kept: string[] = [];
  const expectations: Expectation[] = [];
  for (const line of lines) {
    const match = ANNOTATION.exec(line);
    if (!match) {
      kept.push(line);
      continue;
    }
    if (kept.length === 0) throw new Error(`annotation before any line: ${line}`);
    const touching = match[2]!.length === 0;
    const start = touching ? match[1]!.length - 1 : match[1]!.length + match[2]!.length;
    const end = match[1]!.length + match[2]!.length + match[3]!.length;
    expectations.push({
      ruleId: match[4]!,
      line: kept.length - 1,
      startCharacter: start,
      endCharacter: end,
      ...(match[5] ? { severity: match[5] } : {}),
    });
  }
  return { text: kept.join('\n'), expectations };
}

/** FileAccess over an in-memory map of absolute paths. */
export function memoryFiles(files: Map<string, string>): FileAccess {
  return {
    readFile: async (file) => files.get(file),
    readDirectory: async (folder) => {
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      const names = [...files.keys()].filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length).split('/')[0]!);
      return names.length ? [...new Set(names)] : undefined;
    },
  };
}

/** Applies non-overlapping edits to one file's text (later edits first, so offsets stay valid). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) continue; // overlaps an edit already applied
    out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}

/** A finding's safe fix (when it has one) and then each of its suggestions. */
export function fixCandidates(finding: Finding): Fix[] {
  return finding.fix ? [finding.fix, ...finding.suggestions] : finding.suggestions;
}

/** A case's files (name -> text) with `fix` applied: its edits name each file as `<folder>/<name>`. */
export function applyFixToFiles(files: ReadonlyMap<string, string>, fix: Fix, folder: string): Map<string, string> {
  const out = new Map(files);
  for (const [name, text] of files) {
    const edits = fix.edits.filter((edit) => edit.file === path.join(folder, name));
    if (edits.length) out.set(name, applyEdits(text, edits));
  }
  return out;
}

/** The edits a "fix everything" pass would make: each finding's safe fix, else its first suggestion. */
export function allFixEdits(findings: Finding[]): TextEdit[] {
  return findings.flatMap((finding) => (finding.fix ?? finding.suggestions[0])?.edits ?? []);
}

export interface FixtureCase {
  /** e.g. postfix/mynetworks-public-range */
  name: string;
  folder: string;
  /** File name -> annotated text. */
  files: Map<string, string>;
  /** File name -> expected text after fixes (from `<file>.golden`). */
  golden: Map<string, string>;
}

export async function loadFixtureCases(root: string): Promise<FixtureCase[]> {
  const cases: FixtureCase[] = [];
  const visit = async (folder: string) => {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile());
    if (files.length) {
      const fixture: FixtureCase = { name: path.relative(root, folder).split(path.sep).join('/'), folder, files: new Map(), golden: new Map() };
      for (const file of files) {
        const text = await fs.readFile(path.join(folder, file.name), 'utf8');
        if (file.name.endsWith('.golden')) fixture.golden.set(file.name.slice(0, -'.golden'.length), text);
        else if (file.name !== 'README.md') fixture.files.set(file.name, text);
      }
      cases.push(fixture);
    }
    for (const entry of entries) if (entry.isDirectory()) await visit(path.join(folder, entry.name));
  };
  await visit(root);
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}
