// Findings -> vscode.Diagnostic: severity mapping, source, the rule id with a link to its offline
// documentation, and related locations in this or another file (e.g. the master.cf override).
import * as vscode from 'vscode';
import type { Finding, Range, Severity } from '../core/types';
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

/** The rule id of one of our diagnostics, or undefined for other sources. */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}
