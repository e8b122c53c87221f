import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectedFindings, findingKey } from '../expectations';
import {
  EXTENSION_ID,
  diagnosticKeys,
  isJapanese,
  openFixture,
  ourDiagnostics,
  readWorkspaceFile,
  resetDocument,
  ruleIdOf,
  waitFor,
  waitForKeys,
  workspaceUri,
} from './helpers';

const MAIN_CF = 'postfix/main.cf';

describe('diagnostics', () => {
  let original: string;
  let expectedKeys: string[];

  before(async () => {
    original = await readWorkspaceFile(MAIN_CF);
    expectedKeys = expectedFindings(original).map(findingKey);
    assert.ok(expectedKeys.length > 0, 'the fixture states at least one finding');
  });

  afterEach(async () => {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === workspaceUri(MAIN_CF).toString());
    if (document) await resetDocument(document, original);
  });

  it('activates on main.cf and lists the findings the fixture states, whatever the language id', async () => {
    const editor = await openFixture(MAIN_CF);
    const diagnostics = await waitForKeys(editor.document.uri, expectedKeys);
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const publicRange = diagnostics.find((diagnostic) => ruleIdOf(diagnostic) === 'postfix/mynetworks-public-range');
    assert.ok(publicRange, 'the 172.0.0.0/8 finding is listed');
    assert.equal(publicRange.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(publicRange.range), '172.0.0.0/8');
    assert.match(publicRange.message, /172\.0\.0\.0\/8/);
    assert.equal(/[\u3040-\u30ff\u4e00-\u9fff]/.test(publicRange.message), isJapanese(), 'the message follows the display language');
  });

  it('links the rule id to its offline documentation', async () => {
    const editor = await openFixture(MAIN_CF);
    const [first] = await waitForKeys(editor.document.uri, expectedKeys);
    const code = first!.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, 'secureConfigReview.showEntry');
    assert.deepEqual(JSON.parse(decodeURIComponent(code.target.query)), [code.value]);
  });

  it('updates while typing and keeps the newest result when edits come quickly', async () => {
    const editor = await openFixture(MAIN_CF);
    const uri = editor.document.uri;
    await waitForKeys(uri, expectedKeys);
    const line = expectedFindings(original).find((finding) => finding.ruleId === 'postfix/mynetworks-public-range')!.line;
    const tokenRange = new vscode.Range(
      line,
      editor.document.lineAt(line).text.indexOf('172.0.0.0/8'),
      line,
      editor.document.lineAt(line).text.indexOf('172.0.0.0/8') + 11,
    );
    // Fix, then immediately break it again in another way: only the last text's findings may remain.
    await editor.edit((builder) => builder.replace(tokenRange, '172.16.0.0/12'));
    await editor.edit((builder) => builder.replace(new vscode.Range(tokenRange.start, tokenRange.start.translate(0, 13)), '8.8.8.0/24'));
    const diagnostics = await waitFor('a finding on 8.8.8.0/24', () => {
      const current = ourDiagnostics(uri);
      return current.length === 1 && editor.document.getText(current[0]!.range) === '8.8.8.0/24' ? current : undefined;
    });
    assert.equal(ruleIdOf(diagnostics[0]!), 'postfix/mynetworks-public-range');
    await editor.edit((builder) => builder.replace(new vscode.Range(tokenRange.start, tokenRange.start.translate(0, 10)), '172.16.0.0/12'));
    await waitForKeys(uri, []);
  });

  it('relints main.cf when settings change: the project file decides over editor settings', async () => {
    const editor = await openFixture(MAIN_CF);
    const uri = editor.document.uri;
    await waitForKeys(uri, expectedKeys);
    const config = vscode.workspace.getConfiguration('secureConfigReview', uri);
    await config.update('rules', { 'postfix/mynetworks-public-range': 'warning' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the severity override', () => ourDiagnostics(uri).some((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Warning));
      const projectFile = workspaceUri('.secure-config-review.json');
      await vscode.workspace.fs.writeFile(projectFile, new TextEncoder().encode('{ "rules": { "postfix/mynetworks-public-range": "off" } }\n'));
      try {
        await waitForKeys(
          uri,
          expectedKeys.filter((key) => !key.startsWith('postfix/mynetworks-public-range@')),
        );
      } finally {
        await vscode.workspace.fs.delete(projectFile);
      }
      await waitFor('the finding back after the project file is gone', () =>
        ourDiagnostics(uri).some((diagnostic) => ruleIdOf(diagnostic) === 'postfix/mynetworks-public-range'),
      );
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the catalogue severity again', () => ourDiagnostics(uri).some((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error));
  });

  it("shows the project file's mistakes on the file itself, and goes on with its valid part", async () => {
    const editor = await openFixture(MAIN_CF);
    const uri = editor.document.uri;
    await waitForKeys(uri, expectedKeys);
    const projectFile = workspaceUri('.secure-config-review.json');
    const content = '{\n  "rules": { "postfix/mynetworks-public-range": "off", "postfix/mynetwork-host-bits": "off" },\n  "trustedNetworks": ["banana"]\n}\n';
    await vscode.workspace.fs.writeFile(projectFile, new TextEncoder().encode(content));
    try {
      const diagnostics = await waitFor('two diagnostics on the project file', () => {
        const found = ourDiagnostics(projectFile);
        return found.length === 2 && found;
      });
      const sorted = diagnostics.sort((a, b) => a.range.start.compareTo(b.range.start));
      assert.deepEqual(
        sorted.map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.severity]),
        [
          [1, 55, vscode.DiagnosticSeverity.Error],
          [2, 22, vscode.DiagnosticSeverity.Error],
        ],
      );
      assert.match(sorted[0]!.message, /postfix\/mynetworks-host-bits/, 'the misspelt rule id comes with the one meant');
      assert.match(sorted[1]!.message, /banana/);
      await waitForKeys(
        uri,
        expectedKeys.filter((key) => !key.startsWith('postfix/mynetworks-public-range@')),
      );
    } finally {
      await vscode.workspace.fs.delete(projectFile);
    }
    await waitFor('no diagnostics once the project file is gone', () => ourDiagnostics(projectFile).length === 0);
  });

  it('leaves no entries after the file is closed or deleted', async () => {
    const copy = workspaceUri('scratch/closing/main.cf');
    await vscode.workspace.fs.writeFile(copy, new TextEncoder().encode(original));
    let editor = await vscode.window.showTextDocument(copy, { preview: false });
    await waitForKeys(copy, expectedKeys);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitForKeys(copy, []);

    editor = await vscode.window.showTextDocument(copy, { preview: false });
    await waitForKeys(editor.document.uri, expectedKeys);
    const removal = new vscode.WorkspaceEdit();
    removal.deleteFile(workspaceUri('scratch'), { recursive: true });
    assert.ok(await vscode.workspace.applyEdit(removal));
    await waitForKeys(copy, []);
    assert.deepEqual(diagnosticKeys(copy), []);
  });
});
