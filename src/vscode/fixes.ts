// Turning the engine's fixes into workspace edits. Only safe fixes (behaviour-preserving) are
// applied in bulk; suggestions change who may connect or relay and are offered one at a time.
import * as vscode from 'vscode';
import type { Finding, Fix } from '../core/types';
import { type CommentSyntax, suppressionCommentParts } from '../core/suppression';
import { toVscodeRange } from './diagnostics';
import { uriForPath } from './file-access';
import type { FileResult } from './linter';

export function fixEdit(fix: Fix, base: vscode.Uri): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const item of fix.edits) edit.replace(uriForPath(base, item.file), toVscodeRange(item.range), item.newText);
  return edit;
}

/** Every safe fix of a file that does not overlap an earlier one (a second pass picks up the rest). */
export function safeFixes(result: FileResult): { edit: vscode.WorkspaceEdit; count: number } {
  const edit = new vscode.WorkspaceEdit();
  const taken = new Map<string, { start: number; end: number }[]>();
  let count = 0;
  const fixable = result.findings.filter((finding): finding is Finding & { fix: Fix } => finding.fix !== undefined);
  for (const finding of fixable) {
    const overlaps = finding.fix.edits.some((item) => (taken.get(item.file) ?? []).some((span) => intersects(item, span)));
    if (overlaps) continue;
    for (const item of finding.fix.edits) {
      edit.replace(uriForPath(result.uri, item.file), toVscodeRange(item.range), item.newText);
      taken.set(item.file, [...(taken.get(item.file) ?? []), { start: item.start, end: item.end }]);
    }
    count++;
  }
  return { edit, count };
}

/** Two edits collide when their spans overlap or both insert at the same offset. */
function intersects(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

/**
 * The "suppress with a reason" edit: a full-line comment in the file's own syntax just above the
 * finding's first line, indented like it, with the reason as a snippet placeholder to type over.
 */
export function suppressionEdit(document: vscode.TextDocument, finding: Finding, comment: CommentSyntax): vscode.WorkspaceEdit {
  const line = document.lineAt(finding.range.start.line);
  const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
  const { lead, tail } = suppressionCommentParts(comment, finding.ruleId);
  const snippet = new vscode.SnippetString().appendText(`${indent}${lead} `).appendPlaceholder(vscode.l10n.t('reason')).appendText(`${tail}\n`);
  const edit = new vscode.WorkspaceEdit();
  edit.set(document.uri, [new vscode.SnippetTextEdit(new vscode.Range(line.range.start, line.range.start), snippet)]);
  return edit;
}
