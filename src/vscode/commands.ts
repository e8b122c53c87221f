// "Apply safe fixes in the current file": applies behaviour-preserving fixes only, re-linting
// between passes until nothing is left to fix (fixes that overlapped wait for the next pass).
import * as vscode from 'vscode';
import type { Linter } from './linter';
import { safeFixes } from './fixes';

const MAX_PASSES = 10;

export async function applySafeFixes(linter: Linter): Promise<number> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a config file to fix it.'));
    return 0;
  }
  let applied = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const result = await linter.lintDocument(document);
    if (!result) break;
    const { edit, count } = safeFixes(result);
    if (count === 0 || !(await vscode.workspace.applyEdit(edit))) break;
    applied += count;
  }
  void vscode.window.showInformationMessage(applied === 0 ? vscode.l10n.t('No safe fixes to apply.') : vscode.l10n.t('Applied {0} safe fixes.', applied));
  return applied;
}
