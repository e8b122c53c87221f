import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isJapanese, ourDiagnostics, recordMeasurement, waitFor, workspaceUri } from './helpers';

const LINES = 5000;

/** A 5,000-line main.cf (about 150 KB: linted in the worker) with one public range on line 2. */
function largeMainCf(): string {
  const lines = ['compatibility_level = 3.6', 'mynetworks = 127.0.0.0/8 172.0.0.0/8'];
  for (let i = 0; lines.length < LINES; i++) lines.push(i % 10 === 0 ? `# section ${i}` : `custom_parameter_${i} = value_${i} $myhostname`);
  return lines.join('\n') + '\n';
}

const setting = () => vscode.workspace.getConfiguration('secureConfigReview');

/** Longest pause of this extension host's event loop while `action` runs (a 10 ms ticker measures it). */
async function longestPause(action: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await action();
  } finally {
    clearInterval(ticker);
  }
  return Math.max(longest, performance.now() - last);
}

describe('a large file in the lint worker, with a time budget', () => {
  const uri = workspaceUri('scratch-budget/main.cf');

  before(async () => {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(largeMainCf()));
  });

  after(async () => {
    await setting().update('analysisTimeout', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(uri, '..'), { recursive: true });
  });

  it('says "analysis took too long" instead of findings when the budget runs out', async () => {
    // No file is slow enough on its own to exhaust the default budget: the setting makes the budget 1 ms.
    await setting().update('analysisTimeout', 1, vscode.ConfigurationTarget.Workspace);
    await vscode.window.showTextDocument(uri, { preview: false });
    const [diagnostic] = await waitFor(
      'the analysis-too-long diagnostic',
      () => {
        const shown = ourDiagnostics(uri);
        return shown.length === 1 && shown[0]!.code === 'analysis-too-long' && shown;
      },
      30_000,
    );
    assert.match(
      diagnostic!.message,
      isJapanese() ? /解析に時間がかかりすぎたため 0\.001 秒で中止しました/ : /analysis took too long for this file and was stopped after 0\.001 s/,
    );
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual([diagnostic!.range.start.line, diagnostic!.range.start.character], [0, 0]);
  });

  it('lints it in full within the default budget, without pausing the extension host', async () => {
    const pause = await longestPause(async () => {
      await setting().update('analysisTimeout', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor(
        'the finding on line 2',
        () => {
          const shown = ourDiagnostics(uri);
          return shown.length === 1 && shown[0]!.range.start.line === 1 && shown[0]!.message.includes('172.0.0.0/8');
        },
        30_000,
      );
    });
    recordMeasurement('longest extension-host pause while a 5,000-line main.cf lints in the worker', `${pause.toFixed(0)} ms`);
    assert.ok(pause < 1000, `the extension host paused ${pause.toFixed(0)} ms`);
  });
});
