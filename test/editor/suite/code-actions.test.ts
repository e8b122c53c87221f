import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectedFindings, findingKey } from '../expectations';
import { isJapanese, openFixture, readWorkspaceFile, resetDocument, ruleIdOf, waitFor, waitForKeys, workspaceUri } from './helpers';
import { engine } from '../../../src/product';

const MAIN_CF = 'postfix/main.cf';
const RULE = 'postfix/mynetworks-public-range';

function quickFixes(uri: vscode.Uri, range: vscode.Range): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
}

describe('code actions', () => {
  let original: string;
  let editor: vscode.TextEditor;
  let diagnostic: vscode.Diagnostic;

  before(async () => {
    original = await readWorkspaceFile(MAIN_CF);
  });

  beforeEach(async () => {
    editor = await openFixture(MAIN_CF);
    await resetDocument(editor.document, original);
    const diagnostics = await waitForKeys(editor.document.uri, expectedFindings(original).map(findingKey));
    diagnostic = diagnostics.find((candidate) => ruleIdOf(candidate) === RULE)!;
  });

  after(async () => {
    await resetDocument(editor.document, original);
  });

  it('offers the suggestion (not preferred), suppression and documentation for 172.0.0.0/8', async () => {
    const actions = await quickFixes(editor.document.uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    const replaceTitle = engine.catalogue
      .ruleById(RULE)!
      .fixTitles!.replace![isJapanese() ? 'ja' : 'en'].replace('{token}', '172.0.0.0/8')
      .replace('{intended}', '172.16.0.0/12');
    assert.ok(titles.includes(replaceTitle), `expected "${replaceTitle}" among ${JSON.stringify(titles)}`);
    assert.ok(!actions.find((action) => action.title === replaceTitle)!.isPreferred, 'a change of who may relay is never the preferred fix');
    assert.ok(
      titles.some((title) => title.includes(RULE) && (title.startsWith('Suppress') || title.includes('抑制'))),
      JSON.stringify(titles),
    );
    assert.ok(actions.some((action) => action.command?.command === 'secureConfigReview.showEntry'));
  });

  it('applies the suggestion: only the token changes and the finding goes away', async () => {
    const actions = await quickFixes(editor.document.uri, diagnostic.range);
    const replace = actions.find((action) => action.title.includes('172.16.0.0/12'));
    assert.ok(replace?.edit, 'a replacement suggestion');
    assert.ok(await vscode.workspace.applyEdit(replace.edit));
    assert.equal(editor.document.getText(), original.replace('[::1]/128 172.0.0.0/8', '[::1]/128 172.16.0.0/12'));
    await waitFor('the finding to go away', () => !vscode.languages.getDiagnostics(editor.document.uri).some((item) => ruleIdOf(item) === RULE));
  });

  it("suppresses with a reason in the file's comment syntax", async () => {
    const actions = await quickFixes(editor.document.uri, diagnostic.range);
    const suppress = actions.find((action) => action.title.includes(RULE) && !action.command);
    assert.ok(suppress?.edit);
    assert.ok(await vscode.workspace.applyEdit(suppress.edit));
    const line = diagnostic.range.start.line;
    assert.match(editor.document.lineAt(line).text, new RegExp(`^# secure-config-review-disable-next-line ${RULE} -- (reason|理由)$`));
    assert.equal(editor.document.lineAt(line + 1).text, original.split('\n')[line]);
    await waitFor('the suppressed finding to go away', () => !vscode.languages.getDiagnostics(editor.document.uri).some((item) => ruleIdOf(item) === RULE));
  });

  it('fix-all and "apply safe fixes" never apply a suggestion', async () => {
    const fixAll = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(0, 0, editor.document.lineCount, 0),
      vscode.CodeActionKind.SourceFixAll.value,
    );
    const ours = fixAll.filter((action) => action.kind?.value.startsWith('source.fixAll.secureConfigReview'));
    for (const action of ours) {
      const entries = action.edit?.entries() ?? [];
      assert.ok(
        entries.every(([, edits]) => edits.every((edit) => !edit.newText.includes('172.16.0.0/12'))),
        'no suggestion inside fix-all',
      );
    }
    const applied = await vscode.commands.executeCommand<number>('secureConfigReview.applySafeFixes');
    assert.equal(applied, 0);
    assert.equal(editor.document.getText(), original);
  });

  it('shows the documentation page of the rule', async () => {
    const uri = vscode.Uri.from({ scheme: 'secure-config-review', path: `/catalogue/${RULE}.md` });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.ok(document.getText().includes(RULE));
    await vscode.commands.executeCommand('secureConfigReview.showEntry', RULE);
    await vscode.commands.executeCommand('secureConfigReview.showEntry', 'incident-2020h1-21');
    assert.ok(vscode.workspace.textDocuments.some((candidate) => candidate.uri.toString() === uri.toString()));
    await vscode.window.showTextDocument(workspaceUri(MAIN_CF));
  });
});
