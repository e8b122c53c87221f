// Lints one input through the real engine and checks what every result must satisfy.
import { performance } from 'node:perf_hooks';
import coreTexts from '../../rules/core.texts.json';
import type { Linter } from '../../src/core/engine';
import { withoutBom } from '../../src/core/limits';
import type { FileAccess, Finding, Position, Range } from '../../src/core/types';

export interface FuzzInput {
  format: string;
  /** What made it: 'seed:<mutations>', 'patho:<generator>', ... */
  kind: string;
  /** The seed file or generator it comes from. */
  origin: string;
  path: string;
  text: string;
  /** Other files the engine can read (includes), by absolute path. */
  files: Record<string, string>;
  /** Lint with the format forced (as a user association does) rather than detected. */
  forced: boolean;
}

export type ViolationKind =
  'exception' | 'internal-error' | 'range' | 'crlf' | 'fix' | 'related' | 'fix-line-ending' | 'message-length' | 'hang' | 'crash' | 'slow';

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

export interface CheckResult {
  ms: number;
  findings: number;
  /** The format the engine used ('' when it took the file for none). */
  format: string;
  violations: Violation[];
}

/** Messages longer than this embed far too much of the user's text. */
export const MAX_MESSAGE_LENGTH = 4000;

/** The start of every "internal error" text the core shows (from rules/core.texts.json). */
const INTERNAL_ERROR_PREFIXES: string[] = Object.entries(coreTexts as Record<string, { en: string; ja: string }>)
  .filter(([key]) => key.startsWith('core.internal-error'))
  .flatMap(([, value]) => [value.en, value.ja].map((template) => template.slice(0, template.indexOf('{') < 0 ? template.length : template.indexOf('{'))))
  .filter((prefix) => prefix.length >= 4);

export function isInternalError(finding: Finding): boolean {
  return (
    INTERNAL_ERROR_PREFIXES.some((prefix) => finding.message.en.startsWith(prefix) || finding.message.ja.startsWith(prefix)) ||
    /^internal error/i.test(finding.message.en)
  );
}

/** Line starts as editors count them: `\n`, `\r\n` and a lone `\r` each end a line. */
class LineIndex {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - this.starts[low]! };
  }
  insideCrlf(offset: number): boolean {
    return offset > 0 && offset < this.text.length && this.text.charCodeAt(offset) === 10 && this.text.charCodeAt(offset - 1) === 13;
  }
  /** A position's offset, or -1 when no offset has that position (past the line's end, or no such line). */
  offset(position: Position): number {
    if (position.line < 0 || position.line >= this.starts.length || position.character < 0) return -1;
    const start = this.starts[position.line]!;
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1]! : this.text.length + 1;
    const offset = start + position.character;
    return offset < next ? offset : -1;
  }
}

const samePosition = (a: Position, b: Position) => a.line === b.line && a.character === b.character;
const show = (range: Range) => `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;

/** Checks one result; `texts` holds every file by path (the linted one included). */
export function checkFindings(path: string, texts: Map<string, string>, findings: Finding[]): Violation[] {
  const violations: Violation[] = [];
  const indexes = new Map<string, LineIndex>();
  const indexOf = (file: string) => {
    let index = indexes.get(file);
    // Other files reach the engine through its file access, which drops a byte order mark (as every real file
    // access does when decoding): their offsets are into the text without it. The linted text is taken as given.
    if (!index && texts.has(file)) indexes.set(file, (index = new LineIndex(file === path ? texts.get(file)! : withoutBom(texts.get(file)!))));
    return index;
  };
  const offsets = (what: string, kind: 'range' | 'fix', file: string, start: number, end: number, range: Range | undefined) => {
    const index = indexOf(file);
    if (!index) return violations.push({ kind, detail: `${what}: file ${file} was not part of the input` });
    const length = index.text.length;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= length))
      return violations.push({ kind, detail: `${what}: offsets ${start}-${end} outside 0-${length} or reversed` });
    if (index.insideCrlf(start) || index.insideCrlf(end))
      violations.push({ kind: 'crlf', detail: `${what}: offset ${index.insideCrlf(start) ? start : end} between \\r and \\n` });
    if (range && (!samePosition(range.start, index.position(start)) || !samePosition(range.end, index.position(end))))
      violations.push({
        kind,
        detail: `${what}: range ${show(range)} does not match offsets ${start}-${end} (${show({ start: index.position(start), end: index.position(end) })})`,
      });
    return 0;
  };
  for (const finding of findings) {
    const what = `${finding.ruleId} ${finding.start}-${finding.end}`;
    if (isInternalError(finding)) violations.push({ kind: 'internal-error', detail: finding.message.en.slice(0, 500) });
    if (finding.file !== path) violations.push({ kind: 'range', detail: `${what}: reported on ${finding.file}, not the linted file` });
    offsets(what, 'range', path, finding.start, finding.end, finding.range);
    if (finding.message.en.length > MAX_MESSAGE_LENGTH || finding.message.ja.length > MAX_MESSAGE_LENGTH)
      violations.push({ kind: 'message-length', detail: `${what}: message of ${finding.message.en.length} characters` });
    for (const related of finding.related) {
      const index = indexOf(related.file);
      if (!index) {
        violations.push({ kind: 'related', detail: `${what}: related location in ${related.file}, not part of the input` });
        continue;
      }
      const start = index.offset(related.range.start);
      const end = index.offset(related.range.end);
      if (start < 0 || end < 0 || start > end)
        violations.push({ kind: 'related', detail: `${what}: related range ${show(related.range)} outside ${related.file}` });
      else if (index.insideCrlf(start) || index.insideCrlf(end))
        violations.push({ kind: 'crlf', detail: `${what}: related range ${show(related.range)} between \\r and \\n` });
    }
    for (const fix of [...(finding.fix ? [finding.fix] : []), ...finding.suggestions]) {
      const byFile = new Map<string, { start: number; end: number }[]>();
      for (const edit of fix.edits) {
        offsets(`${what} fix "${fix.title.en}"`, 'fix', edit.file, edit.start, edit.end, edit.range);
        byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
        const target = texts.get(edit.file) ?? '';
        const crlfFile = target.includes('\r\n') && !/(^|[^\r])\n/.test(target);
        const crFile = target.includes('\r') && !target.includes('\n');
        if ((crlfFile && /(^|[^\r])\n/.test(edit.newText)) || (crFile && edit.newText.includes('\n')))
          violations.push({ kind: 'fix-line-ending', detail: `${what} fix "${fix.title.en}": inserts a bare \\n into a ${crlfFile ? 'CRLF' : 'CR'} file` });
      }
      for (const [file, edits] of byFile) {
        const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
        for (let i = 1; i < sorted.length; i++)
          if (sorted[i]!.start < sorted[i - 1]!.end) violations.push({ kind: 'fix', detail: `${what} fix "${fix.title.en}": overlapping edits in ${file}` });
      }
    }
  }
  return violations;
}

/** FileAccess over the input's files (the linted file included), listing folders as a disk would. */
export function inputFiles(texts: Map<string, string>): FileAccess {
  const folders = new Map<string, Set<string>>();
  for (const file of texts.keys()) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/') || '/';
      let names = folders.get(folder);
      if (!names) folders.set(folder, (names = new Set()));
      names.add(parts[i]!);
    }
  }
  return {
    readFile: async (file) => texts.get(file),
    readDirectory: async (folder) => {
      const names = folders.get(folder.length > 1 ? folder.replace(/\/+$/, '') : folder);
      return names ? [...names] : undefined;
    },
  };
}

/** Lints `input` with the engine and checks the result; exceptions are caught and reported. */
export async function lintAndCheck(linter: Linter, input: FuzzInput): Promise<CheckResult> {
  const texts = new Map(Object.entries(input.files));
  texts.set(input.path, input.text);
  const started = performance.now();
  try {
    const result = await linter.lintFile(input.path, input.text, { files: inputFiles(texts), ...(input.forced ? { format: input.format } : {}) });
    const ms = performance.now() - started;
    const all = [...result.findings, ...result.suppressed];
    return { ms, findings: all.length, format: result.format ?? '', violations: checkFindings(input.path, texts, all) };
  } catch (error) {
    const ms = performance.now() - started;
    const detail = error instanceof Error ? `${error.name}: ${error.message}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(error);
    return { ms, findings: 0, format: '', violations: [{ kind: 'exception', detail }] };
  }
}

/** Characters of the input's text and of every other file it can read. */
export function inputLength(input: FuzzInput): number {
  return Object.values(input.files).reduce((sum, text) => sum + text.length, input.text.length);
}

/** The time an input of `length` characters (all its files) may take: generous, proportional to its size. */
export function timeBound(length: number): number {
  return 250 + length / 500;
}
