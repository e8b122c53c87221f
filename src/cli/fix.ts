// --fix and --fix-dry-run: safe fixes only (never suggestions), each pass proven by a re-lint before anything
// is written. A pass must remove the finding of every fix it applied and add none; otherwise the file is left
// exactly as it was and the CLI says why. The file keeps its line endings (and its BOM: it is part of the text).
import { promises as fs } from 'node:fs';
import type { Linter } from '../core/engine';
import { type DecodedText, decodeBytes, encodeText } from '../core/encoding';
import type { AuditedFile } from '../core/report';
import type { Finding, Fix, ProjectSettings, TextEdit } from '../core/types';
import { nodeFiles } from './node-files';

/** Overlapping fixes wait for the next pass; a fix that keeps producing fixes stops here. */
const MAX_PASSES = 10;

export type FixOutcome =
  | { kind: 'fixed'; file: AuditedFile; absolute: string; before: string; after: string; applied: number; findings: Finding[]; suppressed: Finding[] }
  | { kind: 'reverted'; file: AuditedFile; absolute: string; rules: string[] }
  | { kind: 'not-utf8'; file: AuditedFile; absolute: string };

/** The line break a file mostly uses: edits that insert lines use it too. */
export function lineBreakOf(content: string): '\r\n' | '\n' {
  const crlf = content.split('\r\n').length - 1;
  const lf = content.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

function hasSafeFix(finding: Finding, absolute: string): finding is Finding & { fix: Fix } {
  return finding.fix !== undefined && finding.fix.edits.length > 0 && finding.fix.edits.every((edit) => edit.file === absolute);
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => (a.start < b.end && b.start < a.end) || a.start === b.start;

interface Pass {
  text: string;
  chosen: Array<Finding & { fix: Fix }>;
  /** Where each chosen fix's edits landed in the new text. */
  landed: Map<Finding, Array<{ start: number; end: number }>>;
}

/** Every safe fix that does not overlap an earlier one, applied in one go (line breaks as the file's). */
function applyPass(content: string, findings: Finding[], absolute: string): Pass {
  const eol = lineBreakOf(content);
  const chosen: Array<Finding & { fix: Fix }> = [];
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    if (!hasSafeFix(finding, absolute)) continue;
    if (finding.fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
    if (finding.fix.edits.some((edit, index) => finding.fix.edits.some((other, j) => j !== index && overlaps(edit, other)))) continue;
    chosen.push(finding);
    taken.push(...finding.fix.edits);
  }
  const edits = chosen
    .flatMap((finding) => finding.fix.edits.map((edit) => ({ finding, edit, newText: edit.newText.replace(/\r\n|\n|\r/g, eol) })))
    .sort((a, b) => a.edit.start - b.edit.start);
  let out = '';
  let at = 0;
  const landed = new Map<Finding, Array<{ start: number; end: number }>>();
  for (const { finding, edit, newText } of edits) {
    out += content.slice(at, edit.start);
    const start = out.length;
    out += newText;
    landed.set(finding, [...(landed.get(finding) ?? []), { start, end: out.length }]);
    at = edit.end;
  }
  out += content.slice(at);
  return { text: out, chosen, landed };
}

function countByRule(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  return counts;
}

/**
 * Rules whose findings the pass did not remove or added: for every rule, no more findings than before less the
 * ones fixed, and no finding of a fixed rule on the text a fix wrote. Empty when the pass is proven.
 */
function unproven(before: readonly Finding[], after: readonly Finding[], pass: Pass): string[] {
  const wrong = new Set<string>();
  const expected = countByRule(before);
  for (const finding of pass.chosen) expected.set(finding.ruleId, (expected.get(finding.ruleId) ?? 0) - 1);
  for (const [rule, count] of countByRule(after)) if (count > (expected.get(rule) ?? 0)) wrong.add(rule);
  for (const [finding, spans] of pass.landed)
    for (const later of after)
      if (later.ruleId === finding.ruleId && spans.some((span) => later.start <= span.end && span.start <= later.end)) wrong.add(later.ruleId);
  return [...wrong].sort();
}

/** Applies the safe fixes of one audited file in passes, each proven by a re-lint; writes only when `write`. */
export async function fixFile(
  linter: Linter,
  file: AuditedFile,
  absolute: string,
  settings: ProjectSettings,
  options: { write: boolean; format: string; content?: string },
): Promise<FixOutcome | undefined> {
  let original: string;
  let encoding: DecodedText | undefined;
  if (options.content !== undefined) original = options.content;
  else {
    const bytes = await fs.readFile(absolute);
    encoding = decodeBytes(bytes);
    original = encoding.text;
    // Only a file that reads back byte for byte may be rewritten (UTF-8 or UTF-16 with its BOM, no invalid sequence).
    if (!Buffer.from(encodeText(original, encoding)).equals(bytes)) return { kind: 'not-utf8', file, absolute };
  }
  const lint = (content: string) => linter.lintFile(absolute, content, { files: nodeFiles, settings, format: options.format });
  let content = original;
  let result = await lint(content);
  let applied = 0;
  for (let round = 0; round < MAX_PASSES; round++) {
    const pass = applyPass(content, result.findings, absolute);
    if (pass.chosen.length === 0) break;
    const next = await lint(pass.text);
    const rules = unproven([...result.findings, ...result.suppressed], [...next.findings, ...next.suppressed], pass);
    if (rules.length) return { kind: 'reverted', file, absolute, rules };
    applied += pass.chosen.length;
    content = pass.text;
    result = next;
  }
  if (applied === 0) return undefined;
  if (options.write && encoding) await fs.writeFile(absolute, encodeText(content, encoding));
  return { kind: 'fixed', file, absolute, before: original, after: content, applied, findings: result.findings, suppressed: result.suppressed };
}

/** Whether an audited file has anything --fix could apply. */
export function fixable(file: AuditedFile, absolute: string): boolean {
  return file.findings.some((finding) => hasSafeFix(finding, absolute));
}
