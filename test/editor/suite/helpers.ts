// Shared by the in-editor tests: fixture locations, our diagnostics, and waiting on editor events
// (a condition re-checked when diagnostics change, with a deadline) instead of fixed sleeps.
import * as vscode from 'vscode';
import { findingKey } from '../expectations';

export const EXTENSION_ID = 'secure-config-review.secure-config-review';
export const SOURCE = 'Secure Config Review';

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the editor tests need the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export async function readWorkspaceFile(relative: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(relative)));
}

export async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

export function ruleIdOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export function diagnosticKeys(uri: vscode.Uri): string[] {
  return ourDiagnostics(uri)
    .map((diagnostic) => findingKey({ ruleId: ruleIdOf(diagnostic), line: diagnostic.range.start.line, character: diagnostic.range.start.character }))
    .sort();
}

/**
 * Resolves with the probe's first truthy answer; re-probes whenever diagnostics or documents change
 * and every 50 ms, and fails with `what` after the deadline.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 50);
      const subscriptions = [vscode.languages.onDidChangeDiagnostics(done), vscode.workspace.onDidChangeTextDocument(done)];
      function done() {
        clearTimeout(timer);
        subscriptions.forEach((subscription) => subscription.dispose());
        resolve();
      }
    });
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Waits until our diagnostics for `uri` are exactly `keys` (sorted `rule@line:col`). */
export async function waitForKeys(uri: vscode.Uri, keys: string[], timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  const wanted = JSON.stringify([...keys].sort());
  try {
    await waitFor(`diagnostics ${wanted} on ${vscode.workspace.asRelativePath(uri)}`, () => JSON.stringify(diagnosticKeys(uri)) === wanted, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; have ${JSON.stringify(diagnosticKeys(uri))}`);
  }
  return ourDiagnostics(uri);
}

/** Replaces a document's whole text and saves it, so each test starts from the fixture. */
export async function resetDocument(document: vscode.TextDocument, text: string): Promise<void> {
  if (document.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
  }
  if (document.isDirty) await document.save();
}

export function isJapanese(): boolean {
  return vscode.env.language.toLowerCase().startsWith('ja');
}

/** Figures the suite measured (name -> value with unit), reported by the runner next to the results. */
export function recordMeasurement(name: string, value: string): void {
  const store = ((globalThis as Record<string, unknown>).secureConfigReviewMeasurements ??= {}) as Record<string, string>;
  store[name] = value;
}
