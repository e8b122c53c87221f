// Findings -> vscode.Diagnostic: severity mapping, source, the rule id with a link to its offline
// documentation, and related locations in this or another file (e.g. the master.cf override).
import * as vscode from 'vscode';
import type { Finding, Range, Severity } from '../core/types';
import { text } from '../core/check';
import { engine } from '../product';
import { COMMANDS, DIAGNOSTIC_SOURCE } from './constants';
import { uriForPath } from './file-access';
import { localize } from './l10n';

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVscodeRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** A command URI that opens a catalogue entry; the Problems panel and hovers open it offline. */
export function showEntryUri(id: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMANDS.showEntry}?${encodeURIComponent(JSON.stringify([id]))}`);
}

export function toDiagnostic(finding: Finding, base: vscode.Uri): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVscodeRange(finding.range), localize(finding.message), SEVERITIES[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: showEntryUri(finding.ruleId) };
  if (finding.related.length > 0)
    diagnostic.relatedInformation = finding.related.map(
      (item) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uriForPath(base, item.file), toVscodeRange(item.range)), localize(item.message)),
    );
  return diagnostic;
}

/** Code of the diagnostic shown instead of findings when the analysis of a file was stopped. */
export const TOO_SLOW_CODE = 'analysis-too-long';

/** "Analysis took too long for this file", at the top of the file, in place of its findings. */
export function tooSlowDiagnostic(budgetMs: number): vscode.Diagnostic {
  const seconds = budgetMs >= 10_000 ? String(Math.round(budgetMs / 1000)) : (budgetMs / 1000).toFixed(budgetMs < 100 ? 3 : 1);
  const message = localize(engine.catalogue.resolve(text('core.analysis-too-long', { seconds })));
  const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Warning);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = TOO_SLOW_CODE;
  return diagnostic;
}

/** The rule id of one of our diagnostics, or undefined for other sources. */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined || code === TOO_SLOW_CODE ? undefined : String(code);
}
