// Entry point of the desktop and remote extension hosts (Node): large files lint in a worker thread
// (dist/lint-worker.js) with a time budget, small ones on this thread. The extension is a workspace extension
// (package.json extensionKind): over Remote-SSH, WSL or in a container it runs where the files are, reading
// them through vscode.workspace.fs, and needs no binary on either side.
import * as vscode from 'vscode';
import { activateWith } from './activate';
import { RoutingRunner } from './lint-runner';
import { LintWorkerPool } from './worker-pool';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, (log) => {
    const script = new URL(vscode.Uri.joinPath(context.extensionUri, 'dist', 'lint-worker.js').toString());
    return new RoutingRunner(new LintWorkerPool(script, { log: (line) => log.info(line) }));
  });
}

export function deactivate(): void {
  // Everything, the lint worker included, is disposed through context.subscriptions.
}
