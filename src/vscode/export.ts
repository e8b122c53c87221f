// Export the audit as SARIF or as a readable Markdown report, with the same generators as the CLI
// (src/core/report.ts), so a file exported from the editor matches `secure-config-review audit`.
import * as vscode from 'vscode';
import { engine } from '../product';
import { decodeBytes } from '../core/encoding';
import { toMarkdownReport, toSarif, type AuditedFile, type SarifOptions } from '../core/report';
import type { SettingsResolver } from './configuration';
import type { DocumentationProvider } from './documentation';
import { auditWorkspace } from './audit';
import { displayLanguage } from './l10n';
import { enginePath } from './file-access';
import type { FileResult, Linter } from './linter';

export type ExportKind = 'sarif' | 'markdown';

export interface ExportContext {
  linter: Linter;
  settings: SettingsResolver;
  docs: DocumentationProvider;
  extensionUri: vscode.Uri;
  version: string;
}

function auditedFiles(linter: Linter): AuditedFile[] {
  return linter
    .allResults()
    .map((result) => ({
      path: vscode.workspace.asRelativePath(result.uri, false),
      format: result.format,
      findings: result.findings,
      suppressed: result.suppressed,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * %SRCROOT% is the first workspace folder (URIs of files below it are relative to it, as the CLI's are to the
 * repository root); partialFingerprints come from the texts the findings were computed from.
 */
async function sarifContext(results: readonly FileResult[]): Promise<Pick<SarifOptions, 'sourceRoot' | 'textOf'>> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const texts = new Map<string, string>();
  for (const { uri } of results) {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    try {
      texts.set(enginePath(uri), open ? open.getText() : decodeBytes(await vscode.workspace.fs.readFile(uri)).text);
    } catch {
      // Gone since the audit: its results go without a fingerprint.
    }
  }
  return {
    ...(folder ? { sourceRoot: { path: enginePath(folder), uri: folder.toString() } } : {}),
    textOf: (file) => texts.get(file),
  };
}

/** Audits the workspace, then writes the export to `target` (asked for when not given). Returns where it went. */
export async function exportAudit(kind: ExportKind, context: ExportContext, target?: unknown): Promise<vscode.Uri | undefined> {
  const summary = await auditWorkspace(context.linter, context.settings, context.docs);
  if (summary.cancelled) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const defaultName = kind === 'sarif' ? 'secure-config-review.sarif' : 'secure-config-review-report.md';
  const destination =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
          filters: kind === 'sarif' ? { SARIF: ['sarif', 'json'] } : { Markdown: ['md'] },
          title: kind === 'sarif' ? vscode.l10n.t('Export the audit as SARIF') : vscode.l10n.t('Export the audit as a report'),
        });
  if (!destination) return undefined;
  const files = auditedFiles(context.linter);
  const language = displayLanguage();
  const text =
    kind === 'sarif'
      ? JSON.stringify(
          toSarif(engine.catalogue, files, { toolVersion: context.version, language, ...(await sarifContext(context.linter.allResults())) }),
          null,
          2,
        ) + '\n'
      : toMarkdownReport(engine.catalogue, files, language) + '\n';
  await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(text));
  const open = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0}', vscode.workspace.asRelativePath(destination, true)), open).then((choice) => {
    if (choice === open) void vscode.window.showTextDocument(destination);
  });
  return destination;
}
