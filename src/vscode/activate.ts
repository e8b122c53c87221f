// Activation, shared by the two entry points (extension.node.ts for desktop and remote extension hosts,
// extension.browser.ts for vscode.dev / github.dev): only the lint runner differs. activate() only wires
// listeners and providers; nothing is linted until a document of ours is open, and the catalogue is rendered
// only when asked for.
import * as vscode from 'vscode';
import { CATALOG_VIEW, COMMANDS, DOCS_SCHEME } from './constants';
import { SettingsResolver } from './configuration';
import { Linter } from './linter';
import { DocumentationProvider, showEntry } from './documentation';
import { FindingHoverProvider } from './hover';
import { FindingCodeActionProvider } from './code-actions';
import { CatalogTreeProvider } from './catalog-view';
import { auditCurrentFile, auditWorkspace } from './audit';
import { applySafeFixes } from './commands';
import { exportAudit } from './export';
import { watchDocuments } from './events';
import type { LintRunner } from './lint-runner';

/** Our files open as plain text, properties, ini, ... so providers apply to every document. */
const ALL_DOCUMENTS: vscode.DocumentSelector = { pattern: '**' };

export function activateWith(context: vscode.ExtensionContext, createRunner: (log: vscode.LogOutputChannel) => LintRunner): void {
  const log = vscode.window.createOutputChannel('Secure Config Review', { log: true });
  const settings = new SettingsResolver();
  const linter = new Linter(settings, log, createRunner(log));
  const docs = new DocumentationProvider();
  const catalog = new CatalogTreeProvider(linter);
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '');
  const exportContext = { linter, settings, docs, extensionUri: context.extensionUri, version };
  context.subscriptions.push(
    log,
    settings,
    linter,
    docs,
    catalog,
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, docs),
    vscode.languages.registerHoverProvider(ALL_DOCUMENTS, new FindingHoverProvider(linter)),
    vscode.languages.registerCodeActionsProvider(ALL_DOCUMENTS, new FindingCodeActionProvider(linter), FindingCodeActionProvider.metadata),
    vscode.window.registerTreeDataProvider(CATALOG_VIEW, catalog),
    vscode.commands.registerCommand(COMMANDS.auditWorkspace, () => auditWorkspace(linter, settings, docs)),
    vscode.commands.registerCommand(COMMANDS.auditFile, () => auditCurrentFile(linter)),
    vscode.commands.registerCommand(COMMANDS.exportSarif, (target?: unknown) => exportAudit('sarif', exportContext, target)),
    vscode.commands.registerCommand(COMMANDS.exportReport, (target?: unknown) => exportAudit('markdown', exportContext, target)),
    vscode.commands.registerCommand(COMMANDS.applySafeFixes, () => applySafeFixes(linter)),
    vscode.commands.registerCommand(COMMANDS.showEntry, (id?: unknown) => showEntry(id)),
    ...watchDocuments(linter, settings),
  );
  // The project file's mistakes show as soon as the extension starts (it activates on that file too).
  void settings.refresh();
  for (const document of vscode.workspace.textDocuments) void linter.lintDocument(document);
  // The catalogue view appears once a config file (or the project file) has activated the extension.
  void vscode.commands.executeCommand('setContext', 'secureConfigReview.active', true);
}
