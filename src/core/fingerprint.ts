// A fingerprint of what a finding flags that does not depend on where it sits: baselines (CLI) and SARIF
// partialFingerprints use it to recognise the same finding after lines were inserted or removed above it.
// Pure TypeScript (no Node import) so the core still runs in a browser build.

import { SourceText } from './source';
import type { Finding } from './types';

/** Lines of a multi-line range that take part in the fingerprint (a whole-file range must not make it fragile). */
const MAX_BLOCK_LINES = 8;

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a, 64 bits, over the UTF-16 code units of `text` (two bytes each, low byte first). */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    hash = ((hash ^ BigInt(unit & 0xff)) * FNV_PRIME) & MASK_64;
    hash = ((hash ^ BigInt(unit >> 8)) * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Whitespace runs become one space, ends trimmed: re-indenting or re-aligning a line keeps its fingerprint. */
function normalise(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

interface IndexedText {
  source: SourceText;
  lines: string[];
  /** Normalised line -> the 0-based lines that read so, ascending. */
  byLine: Map<string, number[]>;
}

let cached: { text: string; indexed: IndexedText } | undefined;

function indexText(text: string): IndexedText {
  if (cached && cached.text === text) return cached.indexed;
  const source = new SourceText('', text);
  const lines: string[] = [];
  const byLine = new Map<string, number[]>();
  for (let line = 0; line < source.lineCount; line++) {
    const normalised = normalise(source.lineText(line));
    lines.push(normalised);
    const list = byLine.get(normalised);
    if (list) list.push(line);
    else byLine.set(normalised, [line]);
  }
  const indexed = { source, lines, byLine };
  cached = { text, indexed };
  return indexed;
}

function countOccurrences(haystack: string, needle: string, before: number): number {
  if (needle === '') return 0;
  let count = 0;
  let at = haystack.indexOf(needle);
  while (at >= 0 && at < before) {
    count++;
    at = haystack.indexOf(needle, at + 1);
  }
  return count;
}

/**
 * A stable fingerprint (16 hex digits) of the text `finding` flags in `text` (the text of `finding.file`):
 * FNV-1a 64 of the rule id, the flagged line(s) with whitespace normalised, the flagged text and which of the
 * identical flagged texts on those lines it is, and which of the identical line blocks of the file it sits in.
 * No line numbers or offsets go in, so moving the lines keeps the fingerprint; editing them changes it.
 */
export function fingerprintFinding(text: string, finding: Finding): string {
  const { source, lines, byLine } = indexText(text);
  const last = source.lineCount - 1;
  const startLine = Math.max(0, Math.min(finding.range.start.line, last));
  let endLine = Math.max(startLine, Math.min(finding.range.end.line, last));
  if (endLine > startLine && finding.range.end.character === 0) endLine--;
  endLine = Math.min(endLine, startLine + MAX_BLOCK_LINES - 1);
  const block = lines.slice(startLine, endLine + 1);

  // Which of the identical blocks of this file (first occurrence 0), counted from the top.
  let blockIndex = 0;
  for (const candidate of byLine.get(block[0]!) ?? []) {
    if (candidate >= startLine) break;
    let same = true;
    for (let k = 1; k < block.length && same; k++) same = lines[candidate + k] === block[k];
    if (same) blockIndex++;
  }

  // The flagged text itself, and which of its identical copies within the block's raw text it is.
  const blockStart = source.lineStarts[startLine]!;
  const blockRaw = text.slice(blockStart, source.lineEnd(endLine));
  const start = Math.max(blockStart, source.offsetAt(finding.range.start));
  const end = Math.max(start, Math.min(source.offsetAt(finding.range.end), blockStart + blockRaw.length));
  const flagged = text.slice(start, end);
  const flaggedIndex = countOccurrences(blockRaw, flagged, start - blockStart);

  const key = ['scr-fp-1', finding.ruleId, block.join('\n'), normalise(flagged), String(flaggedIndex), String(blockIndex)].join('\u0000');
  return fnv1a64(key);
}
