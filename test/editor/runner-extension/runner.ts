// Test-only extension for code-server: when the workspace holds `.editor-test-run` (JSON naming a
// results file), it runs the same mocha suite @vscode/test-electron runs and writes the outcome
// there. The driving script (run-code-server.ts) waits for that file.
// With `install` in the marker it instead installs those .vsix files through the running server, as
// "Install from VSIX…" does, so VS Code's own install steps run (a language pack is registered).
import * as fs from 'node:fs';
import * as vscode from 'vscode';

interface Marker {
  resultsFile: string;
  install?: string[];
}

function writeResults(file: string, outcome: unknown): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(outcome, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

export async function activate(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return;
  const marker = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.editor-test-run')))) as Marker;
  if (marker.install) {
    try {
      for (const vsix of marker.install) await vscode.commands.executeCommand('workbench.extensions.installExtension', vscode.Uri.file(vsix));
      writeResults(marker.resultsFile, { installed: marker.install });
    } catch (error) {
      writeResults(marker.resultsFile, { error: String((error as Error).stack ?? error) });
    }
    return;
  }
  let outcome: unknown;
  try {
    // Loaded at run time from the folder next to this file, so the suite is the same build test-electron loads.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- a run-time path, typed by the source it is built from
    const suite = require('./suite/index.js') as typeof import('../suite');
    outcome = await suite.runSuite();
  } catch (error) {
    outcome = {
      passed: 0,
      failed: 1,
      pending: 0,
      durationMs: 0,
      language: vscode.env.language,
      tests: [{ title: 'load the suite', state: 'failed', error: String((error as Error).stack ?? error) }],
    };
  }
  writeResults(marker.resultsFile, outcome);
}
