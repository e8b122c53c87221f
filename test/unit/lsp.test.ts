// The language server (`secure-config-review lsp`) driven over stdio by a real LSP client library, as an editor
// drives it: diagnostics with their documentation link, code actions applied and re-linted, hover, the workspace
// audit command, the watched project file, and unsaved text of an open file used as the sibling of another.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol/node';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from '../lsp/client';
import { pageLinks } from '../../src/lsp/pages';
import { languageOf } from '../../src/lsp/server';

const FIXTURE = path.resolve(__dirname, '../lsp/fixtures/postfix/main.cf');
const RULE = 'postfix/mynetworks-public-range';
/** Where `172.0.0.0/8` stands in the fixture (0-based, as LSP counts). */
const AT = { line: 4, character: 25 };

const uriOf = (file: string) => pathToFileURL(file).href;
const textOf = (diagnostic: Diagnostic): string => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value);
const finding = (params: PublishDiagnosticsParams): Diagnostic | undefined => params.diagnostics.find((diagnostic) => diagnostic.code === RULE);

describe('language server over stdio (vscode-languageserver-protocol client)', function () {
  this.timeout(60_000);
  let folder: string;
  let client: TestClient;
  /** The server of the current test, stopped after it whatever happened. */
  let running: TestClient | undefined;
  let mainCf: string;
  let mainUri: string;

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'scr-lsp-'));
    mkdirSync(path.join(folder, 'mail'));
    mainCf = path.join(folder, 'mail', 'main.cf');
    copyFileSync(FIXTURE, mainCf);
    mainUri = uriOf(mainCf);
  });

  afterEach(async () => {
    const started = running;
    running = undefined;
    const code = started ? await started.stop() : 0;
    rmSync(folder, { recursive: true, force: true });
    assert.equal(code, 0, 'the server ends with 0 after shutdown and exit');
  });

  async function start(locale = 'en', dynamicWatch = true): Promise<void> {
    client = running = new TestClient(folder);
    const result = await client.initialize({
      locale,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: 'project' }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: dynamicWatch }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true }, codeAction: {}, hover: {} },
      },
    });
    assert.equal(result.serverInfo?.name, 'secure-config-review');
    assert.ok(result.capabilities.hoverProvider);
    assert.deepEqual(result.capabilities.executeCommandProvider?.commands, ['secureConfigReview.auditWorkspace']);
  }

  async function open(file: string, text = readFileSync(file, 'utf8'), version = 1): Promise<void> {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uriOf(file), languageId: 'plaintext', version, text },
    });
  }

  it('publishes the 172.0.0.0/8 finding with its documentation link, offers its suggestions, and re-lints the applied edit', async () => {
    await start();
    await open(mainCf);
    const published = await client.diagnosticsFor(mainUri);
    const diagnostic = finding(published);
    assert.ok(diagnostic, `no ${RULE} in ${JSON.stringify(published.diagnostics)}`);
    assert.deepEqual(diagnostic.range, { start: AT, end: { line: AT.line, character: AT.character + '172.0.0.0/8'.length } });
    assert.equal(diagnostic.severity, 1);
    assert.equal(diagnostic.source, 'secure-config-review');
    assert.match(textOf(diagnostic), /172\.0\.0\.0\/8 trusts 15,728,640 public addresses.*172\.16\.0\.0\/12/);
    // The link is the rule's page the build wrote beside the bundle, and it is there.
    const href = diagnostic.codeDescription?.href ?? '';
    assert.match(href, /^file:\/\/.*\/dist\/docs\/rules\/postfix\/mynetworks-public-range\.md$/);
    assert.match(readFileSync(fileURLToPath(href), 'utf8'), /^# .*\n\n`postfix\/mynetworks-public-range`/);

    const actions = (await client.within(
      client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: mainUri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      }),
      'codeAction',
    )) as CodeAction[];
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred ?? false]),
      [
        ['Replace 172.0.0.0/8 with the private block 172.16.0.0/12', 'quickfix', false],
        ['Remove 172.0.0.0/8 from mynetworks', 'quickfix', false],
        [`Suppress ${RULE} on this line with a reason`, 'quickfix', false],
      ],
    );
    for (const action of actions) assert.deepEqual(action.diagnostics, [diagnostic]);
    const suppress = actions[2]!.edit!.changes![mainUri]!;
    assert.deepEqual(suppress, [
      {
        range: { start: { line: AT.line, character: 0 }, end: { line: AT.line, character: 0 } },
        newText: `# secure-config-review-disable-next-line ${RULE} -- \n`,
      },
    ]);

    // Apply the suggestion as an editor would, send the new text, and read the re-lint.
    const edits: TextEdit[] = actions[0]!.edit!.changes![mainUri]!;
    const before = TextDocument.create(mainUri, 'plaintext', 1, readFileSync(mainCf, 'utf8'));
    const after = TextDocument.applyEdits(before, edits);
    assert.match(after, /^mynetworks = 127\.0\.0\.0\/8 172\.16\.0\.0\/12$/m);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version: 2 }, contentChanges: [{ text: after }] });
    const relinted = await client.diagnosticsFor(mainUri, (params) => params.version === 2);
    assert.deepEqual(relinted.diagnostics, [], 'the suggestion removed the finding and added none');

    // A suppression comment with a reason, typed in after the action's comment, hides the finding.
    const suppressed = TextDocument.applyEdits(before, [
      { ...suppress[0]!, newText: suppress[0]!.newText.replace(/ \n$/, ' office network, see ticket 17\n') },
    ]);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version: 3 }, contentChanges: [{ text: suppressed }] });
    assert.deepEqual((await client.diagnosticsFor(mainUri, (params) => params.version === 3)).diagnostics, []);
    // Without a reason it hides nothing, and the comment itself is reported.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: mainUri, version: 4 },
      contentChanges: [{ text: TextDocument.applyEdits(before, suppress) }],
    });
    const unreasoned = await client.diagnosticsFor(mainUri, (params) => params.version === 4);
    assert.deepEqual(unreasoned.diagnostics.map((item) => item.code).sort(), ['config/invalid-suppression', RULE]);
  });

  it('hovers the finding with its incident and threat entries, in English or Japanese by the client locale', async () => {
    await start('ja-JP');
    await open(mainCf);
    const diagnostic = finding(await client.diagnosticsFor(mainUri));
    assert.ok(diagnostic);
    assert.match(textOf(diagnostic), /グローバルアドレス/);
    const hover = (await client.within(
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri: mainUri }, position: { line: AT.line, character: AT.character + 3 } }),
      'hover',
    )) as Hover;
    const markdown = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.deepEqual(hover.range, diagnostic.range);
    assert.match(markdown, /`postfix\/mynetworks-public-range`/);
    assert.match(markdown, /届出事例: .*\(`incident-2020h1-21`\)/);
    assert.match(markdown, /脅威: .*\(`threat-2020-org-10`\)/);
    assert.match(markdown, /\*対策:\*/);
    assert.match(markdown, /dist\/docs\/threats\/incident-2020h1-21\.ja\.md/);
    assert.doesNotMatch(markdown, /Countermeasures|Incident:/);
    const nothing = await client.within(
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri: mainUri }, position: { line: 1, character: 2 } }),
      'hover',
    );
    assert.equal(nothing, null);
  });

  it('re-lints open files when the watched project file changes a setting (registered dynamically)', async () => {
    await start();
    await open(mainCf);
    assert.equal(finding(await client.diagnosticsFor(mainUri))?.severity, 1);
    const registration = await client.until(() => client.registrations[0], 'a watcher registration');
    assert.deepEqual(
      registration.registrations.map((item) => [item.method, item.registerOptions]),
      [['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/.secure-config-review.json' }] }]],
    );
    const projectFile = path.join(folder, '.secure-config-review.json');
    writeFileSync(projectFile, JSON.stringify({ rules: { [RULE]: 'warning' } }));
    const count = client.diagnostics.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(projectFile), type: FileChangeType.Created }] });
    const warned = await client.until(
      () => client.diagnostics.slice(count).find((params) => params.uri === mainUri && finding(params)?.severity === 2),
      'the finding as a warning',
    );
    assert.ok(warned);
    // A mistake in the project file: shown on the file, and the valid part still applies.
    writeFileSync(projectFile, JSON.stringify({ rules: { [RULE]: 'off', 'postfix/no-such-rule': 'off' } }));
    const mark = client.diagnostics.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(projectFile), type: FileChangeType.Changed }] });
    const problems = await client.until(
      () => client.diagnostics.slice(mark).find((params) => params.uri === uriOf(projectFile) && params.diagnostics.length > 0),
      'diagnostics on the project file',
    );
    assert.equal(problems.diagnostics.length, 1);
    assert.match(textOf(problems.diagnostics[0]!), /postfix\/no-such-rule/);
    await client.until(() => client.diagnostics.slice(mark).find((params) => params.uri === mainUri && finding(params) === undefined), 'the rule turned off');
    unlinkSync(projectFile);
    const gone = client.diagnostics.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(projectFile), type: FileChangeType.Deleted }] });
    await client.until(() => client.diagnostics.slice(gone).find((params) => params.uri === mainUri && finding(params)?.severity === 1), 'the default again');
    await client.until(
      () => client.diagnostics.slice(gone).find((params) => params.uri === uriOf(projectFile) && params.diagnostics.length === 0),
      'the project file problems cleared',
    );
  });

  it('audits the workspace folders with the CLI walker and publishes findings of files that are not open', async () => {
    mkdirSync(path.join(folder, 'other', 'postfix'), { recursive: true });
    const other = path.join(folder, 'other', 'postfix', 'main.cf');
    copyFileSync(FIXTURE, other);
    mkdirSync(path.join(folder, 'node_modules', 'x'), { recursive: true });
    copyFileSync(FIXTURE, path.join(folder, 'node_modules', 'x', 'main.cf'));
    await start('en', false);
    const summary = (await client.within(
      client.connection.sendRequest('workspace/executeCommand', { command: 'secureConfigReview.auditWorkspace', arguments: [] }),
      'executeCommand',
    )) as Record<string, number>;
    assert.deepEqual(summary, { files: 2, findings: 2, errors: 2, warnings: 0, infos: 0, suppressed: 0 });
    for (const file of [mainCf, other]) assert.deepEqual(finding(await client.diagnosticsFor(uriOf(file)))?.range.start, AT);
    assert.ok(!client.diagnostics.some((params) => params.uri.includes('node_modules')), 'node_modules is skipped as by the CLI');
    assert.match((await client.until(() => client.messages[0], 'the summary message')).message, /^2 files audited, 2 findings \(2 error/);
    assert.deepEqual(client.registrations, [], 'no dynamic registration for a client that does not support it');
  });

  it('answers requests about unknown documents, positions and commands without ending the session', async () => {
    await start();
    const unknown = uriOf(path.join(folder, 'nowhere', 'main.cf'));
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const request = (method: string, params: unknown) => client.within(client.connection.sendRequest(method, params), method);
    assert.deepEqual(await request('textDocument/codeAction', { textDocument: { uri: unknown }, range, context: { diagnostics: [] } }), []);
    assert.equal(await request('textDocument/hover', { textDocument: { uri: unknown }, position: range.start }), null);
    assert.equal(await request('workspace/executeCommand', { command: 'secureConfigReview.noSuchCommand' }), null);
    // Binary content under a name the engine knows, and a document that is not a file: one notice, no crash.
    await open(mainCf, 'mynetworks = \u0000\u0001\u0002\u0003 172.0.0.0/8\n');
    const binary = await client.diagnosticsFor(mainUri);
    assert.deepEqual(
      binary.diagnostics.map((item) => [item.code, item.severity]),
      [['config/parse-problem', 3]],
    );
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'untitled:main.cf', languageId: 'plaintext', version: 1, text: 'mynetworks = 172.0.0.0/8\n' },
    });
    assert.deepEqual(finding(await client.diagnosticsFor('untitled:main.cf'))?.range.start, { line: 0, character: 13 });
    assert.equal(await request('textDocument/hover', { textDocument: { uri: mainUri }, position: { line: 9999, character: 9999 } }), null);
  });

  it('reads a sibling file from the unsaved text of its open document before the disk', async () => {
    writeFileSync(mainCf, 'myhostname = mail.example.jp\noffice_networks = 172.0.0.0/8\nmynetworks = 127.0.0.0/8\n');
    const masterCf = path.join(folder, 'mail', 'master.cf');
    writeFileSync(masterCf, 'smtp      inet  n       -       y       -       -       smtpd\n');
    await start();
    // On disk master.cf does not use office_networks; in the editor it does, not yet saved.
    const unsaved =
      'smtp      inet  n       -       y       -       -       smtpd\nsubmission inet n       -       y       -       -       smtpd\n  -o mynetworks=127.0.0.0/8,$office_networks\n';
    await open(masterCf, unsaved);
    await open(mainCf);
    const diagnostic = finding(await client.diagnosticsFor(mainUri));
    assert.ok(diagnostic, 'the finding exists only through the unsaved master.cf');
    assert.deepEqual(diagnostic.range.start, { line: 1, character: 18 });
    assert.deepEqual(
      diagnostic.relatedInformation?.map((item) => [item.location.uri, item.location.range.start.line, item.message]),
      [
        [uriOf(masterCf), 2, 'mynetworks takes this value here'],
        [uriOf(masterCf), 1, 'smtpd service submission/inet uses it'],
      ],
    );
    assert.ok(existsSync(masterCf) && !readFileSync(masterCf, 'utf8').includes('office_networks'), 'the disk was not written');
  });
});

describe('language server pieces', () => {
  it('speaks Japanese to a Japanese client, else by the environment it was started in', () => {
    assert.equal(languageOf('ja'), 'ja');
    assert.equal(languageOf('ja-JP', { LANG: 'C.UTF-8' }), 'ja');
    assert.equal(languageOf('en-US', { LANG: 'ja_JP.UTF-8' }), 'en');
    assert.equal(languageOf(undefined, { LANG: 'ja_JP.UTF-8' }), 'ja');
    assert.equal(languageOf(undefined, { LC_ALL: 'C', LANG: 'ja_JP.UTF-8' }), 'en');
    assert.equal(languageOf(undefined, {}), 'en');
  });

  it('links only to pages that exist, in the client language when there is one, never outside the folder', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'scr-lsp-pages-'));
    try {
      mkdirSync(path.join(root, 'rules', 'postfix'), { recursive: true });
      mkdirSync(path.join(root, 'threats'));
      writeFileSync(path.join(root, 'rules', 'postfix', 'a.md'), '# a');
      writeFileSync(path.join(root, 'rules', 'postfix', 'a.ja.md'), '# a');
      writeFileSync(path.join(root, 'threats', 't.md'), '# t');
      writeFileSync(path.join(root, 'secret.md'), '# not a page');
      const isRule = (id: string) => id.includes('/');
      const ja = pageLinks(root, 'ja', isRule);
      assert.equal(ja('postfix/a'), uriOf(path.join(root, 'rules', 'postfix', 'a.ja.md')));
      assert.equal(ja('t'), uriOf(path.join(root, 'threats', 't.md')), 'English when there is no Japanese page');
      assert.equal(pageLinks(root, 'en', isRule)('postfix/a'), uriOf(path.join(root, 'rules', 'postfix', 'a.md')));
      assert.equal(ja('postfix/missing'), undefined);
      assert.equal(ja('../secret'), undefined);
      assert.equal(ja('x/../../secret'), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
