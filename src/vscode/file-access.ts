// The engine speaks in '/'-separated paths; the editor in URIs that may be virtual (vscode-vfs:, ...).
// A linted file's path is its URI path, and every other path maps back into the same scheme and
// authority, so sibling files are read through workspace.fs wherever the workspace lives.
import * as vscode from 'vscode';
import type { FileAccess } from '../core/types';
import { decodeBytes } from '../core/encoding';

export function enginePath(uri: vscode.Uri): string {
  return uri.path;
}

export function uriForPath(base: vscode.Uri, path: string): vscode.Uri {
  return base.with({ path, query: '', fragment: '' });
}

/** Reads files next to `base`, preferring the unsaved text of open documents over the disk. */
export function editorFileAccess(base: vscode.Uri): FileAccess {
  return {
    async readFile(path) {
      const uri = uriForPath(base, path);
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
      if (open) return open.getText();
      try {
        return decodeBytes(await vscode.workspace.fs.readFile(uri)).text;
      } catch {
        return undefined;
      }
    },
    async readDirectory(path) {
      try {
        const entries = await vscode.workspace.fs.readDirectory(uriForPath(base, path));
        return entries.map(([name]) => name);
      } catch {
        return undefined;
      }
    },
  };
}
