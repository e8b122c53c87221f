// Quick fixes for one diagnostic (safe fix preferred, each suggestion, suppress with a reason, show
// documentation) and a source.fixAll kind that applies only safe fixes. Findings are looked up by
// document version + range + rule id, so an action never applies to text it was not computed for.
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import { COMMANDS } from './constants';
import { ruleIdOf, toVscodeRange } from './diagnostics';
import { fixEdit, safeFixes, suppressionEdit } from './fixes';
import { localize } from './l10n';
import type { FileResult, Linter } from './linter';
import { engine } from '../product';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('secureConfigReview');

export class FindingCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly linter: Linter) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const result = await this.linter.currentResult(document);
    if (!result) return [];
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) {
      return context.only.intersects(FIX_ALL_KIND) ? fixAllActions(result) : [];
    }
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const ruleId = ruleIdOf(diagnostic);
      if (!ruleId) continue;
      const finding = result.findings.find((candidate) => candidate.ruleId === ruleId && toVscodeRange(candidate.range).isEqual(diagnostic.range));
      if (finding) actions.push(...findingActions(document, result, finding, diagnostic));
    }
    return actions;
  }
}

function findingActions(document: vscode.TextDocument, result: FileResult, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  if (finding.fix) {
    const action = new vscode.CodeAction(localize(finding.fix.title), vscode.CodeActionKind.QuickFix);
    action.edit = fixEdit(finding.fix, result.uri);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    actions.push(action);
  }
  for (const suggestion of finding.suggestions) {
    const action = new vscode.CodeAction(localize(suggestion.title), vscode.CodeActionKind.QuickFix);
    action.edit = fixEdit(suggestion, result.uri);
    action.diagnostics = [diagnostic];
    actions.push(action);
  }
  const suppress = new vscode.CodeAction(vscode.l10n.t('Suppress {0} on this line with a reason', finding.ruleId), vscode.CodeActionKind.QuickFix);
  suppress.edit = suppressionEdit(document, finding, result.comment);
  suppress.diagnostics = [diagnostic];
  actions.push(suppress);
  const rule = engine.catalogue.ruleById(finding.ruleId);
  const docs = new vscode.CodeAction(vscode.l10n.t('Show documentation for {0}', rule ? localize(rule.title) : finding.ruleId), vscode.CodeActionKind.QuickFix);
  docs.command = { command: COMMANDS.showEntry, title: docs.title, arguments: [finding.ruleId] };
  actions.push(docs);
  return actions;
}

function fixAllActions(result: FileResult): vscode.CodeAction[] {
  const { edit, count } = safeFixes(result);
  if (count === 0) return [];
  const action = new vscode.CodeAction(vscode.l10n.t('Secure Config Review: apply all safe fixes'), FIX_ALL_KIND);
  action.edit = edit;
  return [action];
}
