// Entry point of the web extension host (vscode.dev, github.dev; bundled as dist/extension.browser.js with no
// Node built-in): the same extension, reading files through vscode.workspace.fs. Lints run on the web extension
// host's thread, which is already a Web Worker apart from the editor's UI thread, so typing never waits for a
// lint. A nested worker per lint with a time budget, as on the desktop, is not built (see README, "Remote and web").
import type * as vscode from 'vscode';
import { activateWith } from './activate';
import { mainThreadRunner } from './lint-runner';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, () => mainThreadRunner);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
