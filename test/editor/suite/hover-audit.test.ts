import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectedFindings, findingKey } from '../expectations';
import { diagnosticKeys, isJapanese, openFixture, readWorkspaceFile, waitForKeys, workspaceUri } from './helpers';
import { engine } from '../../../src/product';

const NEVER_OPENED = ['legacy/etc/postfix/main.cf', 'backups/relay-2019.conf'];

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
}

describe('hover', () => {
  it('shows the rule, why it matters and the incident with countermeasures and source', async () => {
    const text = await readWorkspaceFile('postfix/main.cf');
    const editor = await openFixture('postfix/main.cf');
    await waitForKeys(editor.document.uri, expectedFindings(text).map(findingKey));
    const finding = expectedFindings(text).find((expected) => expected.ruleId === 'postfix/mynetworks-public-range')!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(finding.line, finding.character + 2),
    );
    const shown = hoverText(hovers);
    const incident = engine.catalogue.threatById('incident-2020h1-21')!;
    const language = isJapanese() ? 'ja' : 'en';
    assert.ok(shown.includes('postfix/mynetworks-public-range'), shown);
    // Markdown escapes punctuation; compare the words.
    const plain = shown.replace(/\\(.)/g, '$1');
    assert.ok(plain.includes(incident.title[language]), `hover lacks the incident title:\n${plain}`);
    assert.ok(plain.includes(incident.countermeasures[language][0]!), 'hover lists countermeasures');
    assert.ok(plain.includes(incident.source.document), 'hover names the source document');
  });
});

describe('workspace audit', () => {
  it('reports findings in files that were never opened, found by name and by content', async () => {
    for (const relative of NEVER_OPENED)
      assert.ok(
        !vscode.workspace.textDocuments.some((document) => document.uri.toString() === workspaceUri(relative).toString()),
        `${relative} must not be open`,
      );
    const summary = await vscode.commands.executeCommand<{
      files: unknown[];
      bySeverity: Record<string, number>;
      byThreat: Record<string, number>;
      cancelled: boolean;
    }>('secureConfigReview.auditWorkspace');
    assert.equal(summary.cancelled, false);
    for (const relative of NEVER_OPENED) {
      const expected = expectedFindings(await readWorkspaceFile(relative))
        .map(findingKey)
        .sort();
      assert.ok(expected.length > 0);
      assert.deepEqual(diagnosticKeys(workspaceUri(relative)), expected, relative);
    }
    assert.deepEqual(diagnosticKeys(workspaceUri('docs/notes.txt')), []);
    // The engine's detection, in the editor too: a Dockerfile under nginx/ is not nginx; a Jinja template of
    // an nginx site is read with its tags set aside, without parse problems.
    const formats = new Map((summary.files as { uri: vscode.Uri; format: string }[]).map((file) => [file.uri.toString(), file.format]));
    assert.equal(formats.get(workspaceUri('nginx/Dockerfile').toString()), undefined);
    assert.equal(formats.get(workspaceUri('roles/nginx/templates/site.conf.j2').toString()), 'nginx');
    assert.deepEqual(diagnosticKeys(workspaceUri('nginx/Dockerfile')), []);
    assert.deepEqual(diagnosticKeys(workspaceUri('roles/nginx/templates/site.conf.j2')), []);
    assert.ok(summary.bySeverity.error! >= 3, JSON.stringify(summary.bySeverity));
    assert.ok(summary.byThreat['incident-2020h1-21']! >= 1, JSON.stringify(summary.byThreat));
  });

  it('exports SARIF and a readable report with the same findings', async () => {
    const sarifUri = workspaceUri('exports/audit.sarif');
    const reportUri = workspaceUri('exports/audit.md');
    await vscode.commands.executeCommand('secureConfigReview.exportSarif', sarifUri);
    await vscode.commands.executeCommand('secureConfigReview.exportReport', reportUri);
    const sarif = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(sarifUri)));
    const results = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    const located = results.map((result) => `${result.ruleId} ${result.locations[0]!.physicalLocation.artifactLocation.uri}`);
    assert.ok(located.includes('postfix/mynetworks-public-range postfix/main.cf'), JSON.stringify(located));
    assert.ok(located.includes('postfix/open-relay-permit-before-reject legacy/etc/postfix/main.cf'), JSON.stringify(located));
    // As the CLI's: the rule pages embedded (no link into the extension's install folder), URIs relative to
    // %SRCROOT% (the workspace folder), a fingerprint per result.
    const rule = sarif.runs[0].tool.driver.rules[0] as { helpUri?: string; help: { markdown: string } };
    assert.equal(rule.helpUri, undefined);
    assert.match(rule.help.markdown, /^# /);
    const folder = vscode.workspace.workspaceFolders![0]!.uri.toString();
    assert.equal(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri, folder.endsWith('/') ? folder : `${folder}/`);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.match(sarif.runs[0].results[0].partialFingerprints['secureConfigReview/v1'], /^[0-9a-f]{16}$/);
    const report = new TextDecoder().decode(await vscode.workspace.fs.readFile(reportUri));
    assert.ok(report.includes('incident-2020h1-21'));
    assert.ok(report.includes('legacy/etc/postfix/main.cf'));
    await vscode.workspace.fs.delete(workspaceUri('exports'), { recursive: true });
  });
});
