// When to lint: on open, while typing (debounced, per the `run` setting), on save; when settings or
// the project file change; and when to forget: on close, delete and rename.
import * as vscode from 'vscode';
import { PROJECT_CONFIG_FILE } from '../core/settings';
import { EXTENSION_SECTION } from './constants';
import { editorOptions, type SettingsResolver } from './configuration';
import { Linter } from './linter';
import { decodeBytes } from '../core/encoding';

function folderOf(uri: vscode.Uri): string {
  return uri.with({ path: uri.path.slice(0, uri.path.lastIndexOf('/')) }).toString();
}

/** Files in one folder inform each other (main.cf and master.cf): relint the open neighbours too. */
function openNeighbours(linter: Linter, document: vscode.TextDocument): vscode.TextDocument[] {
  const folder = folderOf(document.uri);
  return vscode.workspace.textDocuments.filter((other) => other !== document && folderOf(other.uri) === folder && linter.resultFor(other) !== undefined);
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
}

/**
 * Documents outlive their tabs (VS Code keeps models around for a while), so a closed tab is the
 * moment to drop its entries, and a reopened tab of a still-loaded document is the moment to relint.
 */
function followTabs(linter: Linter, event: vscode.TabChangeEvent): void {
  const shown = shownUris();
  for (const uri of event.closed.map(tabUri)) if (uri && !shown.has(uri.toString())) linter.forget(uri);
  for (const uri of event.opened.map(tabUri)) {
    const document = uri && vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (document && !linter.resultFor(document)) void linter.lintDocument(document);
  }
}

function shownUris(): Set<string> {
  return new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tabUri(tab)?.toString() ?? '')));
}

/** Relints what is shown or known from an audit (after a settings change); closed tabs stay quiet. */
export async function relintAll(linter: Linter): Promise<void> {
  const wanted = new Set([...shownUris(), ...linter.allResults().map((result) => result.uri.toString())]);
  const loaded = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
  await Promise.all(vscode.workspace.textDocuments.filter((document) => wanted.has(document.uri.toString())).map((document) => linter.lintDocument(document)));
  for (const result of linter.allResults()) {
    if (loaded.has(result.uri.toString())) continue;
    try {
      await linter.lintText(result.uri, decodeBytes(await vscode.workspace.fs.readFile(result.uri)).text);
    } catch {
      linter.forget(result.uri);
    }
  }
}

export function watchDocuments(linter: Linter, settings: SettingsResolver): vscode.Disposable[] {
  const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
  const projectFiles = vscode.workspace.createFileSystemWatcher(`**/${PROJECT_CONFIG_FILE}`);
  const projectChanged = () => {
    // The project file's own diagnostics are refreshed first, so they show even when nothing needs a relint.
    void settings.refresh().then(() => relintAll(linter));
  };
  return [
    deletions,
    projectFiles,
    vscode.workspace.onDidOpenTextDocument((document) => void linter.lintDocument(document)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length === 0 || !Linter.accepts(event.document.uri)) return;
      const options = editorOptions(event.document.uri);
      if (options.run !== 'onType') return;
      linter.schedule(event.document, options.onTypeDelay);
      for (const other of openNeighbours(linter, event.document)) linter.schedule(other, options.onTypeDelay);
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.uri.path.endsWith(`/${PROJECT_CONFIG_FILE}`)) return projectChanged();
      void linter.lintDocument(document);
      for (const other of openNeighbours(linter, document)) void linter.lintDocument(other);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => linter.forget(document.uri)),
    vscode.window.tabGroups.onDidChangeTabs((event) => followTabs(linter, event)),
    vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => linter.forgetUnder(uri))),
    vscode.workspace.onDidRenameFiles((event) => event.files.forEach(({ oldUri }) => linter.forgetUnder(oldUri))),
    deletions.onDidDelete((uri) => linter.forgetUnder(uri)),
    projectFiles.onDidCreate(projectChanged),
    projectFiles.onDidChange(projectChanged),
    projectFiles.onDidDelete(projectChanged),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(EXTENSION_SECTION)) void relintAll(linter);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void settings.refresh().then(() => relintAll(linter))),
  ];
}
