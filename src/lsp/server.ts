// `secure-config-review lsp`: the engine as a language server over standard input and output, for any editor
// that speaks LSP (Neovim, Vim with ALE or vim-lsp, Helix, Emacs with eglot, ...). The same engine, project file
// and file access as the CLI: documents are linted on open, change and save; files they refer to (includes, the
// sibling master.cf) are read from disk through the CLI's FileAccess, unless they are open, when the editor's
// unsaved text counts. Messages come from the catalogue in the client's language (initialize `locale`).
import * as path from 'node:path';
import {
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { text } from '../core/check';
import type { Language } from '../core/report';
import { PROJECT_CONFIG_FILE } from '../core/settings';
import { SourceText } from '../core/source';
import { type CommentSyntax, commentSyntaxOf } from '../core/suppression';
import type { FileAccess, Finding } from '../core/types';
import { audit } from '../cli/audit';
import { nodeFiles } from '../cli/node-files';
import { VERSION } from '../cli/version';
import { engine } from '../product';
import { bundledDocsRoot, pageLinks } from './pages';
import { isFileUri, pathOfUri, uriOfPath } from './paths';
import { DIAGNOSTIC_SOURCE, type Presentation, type SuppressTarget, findingActions, findingMarkdown, isDiagnosticOf, toDiagnostic, touches } from './present';
import { type ProjectState, ProjectFiles, readProject } from './project';

export const AUDIT_WORKSPACE_COMMAND = 'secureConfigReview.auditWorkspace';
/** Files whose change makes the server re-read settings and re-lint the open documents. */
const WATCHED = `**/${PROJECT_CONFIG_FILE}`;

/** 'ja' for a Japanese client (ja, ja-JP); without a locale, the environment the server was started in decides. */
export function languageOf(locale: string | undefined, env: NodeJS.ProcessEnv = process.env): Language {
  const chosen = locale ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return chosen.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

interface DocumentResult {
  version: number;
  comment: CommentSyntax;
  findings: Finding[];
}

export interface AuditSummary {
  files: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
}

class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly results = new Map<string, DocumentResult>();
  private readonly latest = new Map<string, number>();
  private readonly projects: ProjectFiles;
  /** Project files whose mistakes have been published (so they can be cleared when the file changes). */
  private readonly publishedProjects = new Set<string>();
  /** Files published by the last workspace audit that are not open. */
  private auditedUris = new Set<string>();
  private folders: string[] = [];
  private counter = 0;
  private view: Presentation;
  /** What the client said it supports (initialize). */
  private watchDynamically = false;
  private foldersSupported = false;
  /** Open documents first, then the disk through the CLI's FileAccess. */
  private readonly files: FileAccess;
  private readonly openFiles: FileAccess;

  constructor(private readonly connection: Connection) {
    this.files = {
      readFile: async (file) => this.openDocumentAt(file)?.getText() ?? nodeFiles.readFile(file),
      readDirectory: (folder) => nodeFiles.readDirectory(folder),
    };
    this.openFiles = {
      readFile: async (file) => this.openDocumentAt(file)?.getText(),
      readDirectory: async () => undefined,
    };
    this.projects = new ProjectFiles(nodeFiles);
    this.view = this.presentation('en');
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    documents.onDidChangeContent((event) => void this.lint(event.document));
    documents.onDidSave((event) => void this.saved(event.document));
    documents.onDidClose((event) => this.closed(event.document.uri));
    connection.onDidChangeWatchedFiles((params) => {
      if (params.changes.some((change) => path.basename(pathOfUri(change.uri)) === PROJECT_CONFIG_FILE)) this.projects.invalidate();
      void this.relintAll();
    });
    connection.onCodeAction((params) => this.codeActions(params));
    connection.onHover((params) => this.hover(params.textDocument.uri, params.position));
    connection.onExecuteCommand(async (params) => {
      if (params.command === AUDIT_WORKSPACE_COMMAND) return this.auditWorkspace();
      return undefined;
    });
    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.view = this.presentation(languageOf(params.locale ?? undefined));
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    this.folders = folders.filter((folder) => isFileUri(folder.uri)).map((folder) => pathOfUri(folder.uri));
    this.watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.foldersSupported = params.capabilities.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        hoverProvider: true,
        executeCommandProvider: { commands: [AUDIT_WORKSPACE_COMMAND] },
        ...(this.foldersSupported ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'secure-config-review', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    // Only a client that said it supports workspace folders may be asked for their changes.
    if (this.foldersSupported)
      this.connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((folder) => pathOfUri(folder.uri)));
        const added = event.added.filter((folder) => isFileUri(folder.uri)).map((folder) => pathOfUri(folder.uri));
        this.folders = [...this.folders.filter((folder) => !removed.has(folder)), ...added];
      });
    if (this.watchDynamically)
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED }] }).catch(() => undefined);
  }

  private presentation(language: Language): Presentation {
    const links = pageLinks(bundledDocsRoot(), language, (id) => engine.catalogue.ruleById(id) !== undefined);
    return { catalogue: engine.catalogue, language, uriOf: (file) => this.uriOf(file), pageOf: links };
  }

  private openDocumentAt(file: string): TextDocument | undefined {
    return this.documents.all().find((document) => pathOfUri(document.uri) === file);
  }

  private uriOf(file: string): string {
    return this.openDocumentAt(file)?.uri ?? uriOfPath(file);
  }

  /** Lints an open document; a result for an older version or an older request is dropped. */
  private async lint(document: TextDocument): Promise<DocumentResult | undefined> {
    const uri = document.uri;
    const request = ++this.counter;
    this.latest.set(uri, request);
    const version = document.version;
    const file = pathOfUri(uri);
    try {
      if (path.basename(file) === PROJECT_CONFIG_FILE) {
        this.publishProject(readProject(file, document.getText()));
        return undefined;
      }
      // A document that is not a file (untitled:, a remote scheme) has no folder on this disk: default settings,
      // and only open documents to read beside it.
      const onDisk = isFileUri(uri);
      const project = onDisk ? await this.projects.forFile(file) : readProject(undefined, undefined);
      this.announceProject(project);
      const linted = await engine.lintFile(file, document.getText(), { files: onDisk ? this.files : this.openFiles, settings: project.settings });
      if (this.latest.get(uri) !== request || this.documents.get(uri)?.version !== version) return undefined;
      const result: DocumentResult = {
        version,
        comment: commentSyntaxOf(linted.format ? engine.formatById(linted.format) : undefined),
        findings: linted.findings,
      };
      this.results.set(uri, result);
      this.auditedUris.delete(uri);
      await this.connection.sendDiagnostics({ uri, version, diagnostics: linted.findings.map((finding) => toDiagnostic(finding, this.view)) });
      return result;
    } catch (error) {
      this.connection.console.error(`${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
  }

  /** The findings for the document's current version, linting it now if they are not there yet. */
  private async current(uri: string): Promise<{ document: TextDocument; result: DocumentResult } | undefined> {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const fresh = () => {
      const known = this.results.get(uri);
      return known && known.version === document.version ? known : undefined;
    };
    // A lint of the same version started meanwhile (a save, a watched file) may have answered instead of this one.
    const result = fresh() ?? (await this.lint(document)) ?? fresh();
    return result ? { document, result } : undefined;
  }

  private async saved(document: TextDocument): Promise<void> {
    if (path.basename(pathOfUri(document.uri)) === PROJECT_CONFIG_FILE) this.projects.invalidate();
    // Another open file may include this one, or read it as its sibling: everything open is linted again.
    await this.relintAll();
  }

  private closed(uri: string): void {
    this.results.delete(uri);
    this.latest.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    // A closed project file: its saved text applies again, and its mistakes on disk are shown again.
    if (path.basename(pathOfUri(uri)) === PROJECT_CONFIG_FILE) {
      this.projects.invalidate();
      void this.relintAll();
    }
  }

  /** Lints every open document again; a project file no longer read (deleted, moved) loses its diagnostics. */
  private async relintAll(): Promise<void> {
    const previous = [...this.publishedProjects];
    this.publishedProjects.clear();
    await Promise.all(this.documents.all().map((document) => this.lint(document)));
    for (const file of previous)
      if (!this.publishedProjects.has(file) && !this.openDocumentAt(file)) await this.connection.sendDiagnostics({ uri: uriOfPath(file), diagnostics: [] });
  }

  /** Shows a project file's mistakes on it once per reading (an open project file shows its own text's). */
  private announceProject(project: ProjectState): void {
    if (project.file === undefined || this.publishedProjects.has(project.file) || this.openDocumentAt(project.file)) return;
    this.publishProject(project);
  }

  private publishProject(project: ProjectState): void {
    if (project.file === undefined) return;
    this.publishedProjects.add(project.file);
    const lines = new SourceText(project.file, project.source ?? '');
    const diagnostics: Diagnostic[] = project.problems.map((problem) => ({
      range: lines.rangeOf(problem.start, problem.end),
      severity: DiagnosticSeverity.Error,
      source: DIAGNOSTIC_SOURCE,
      message: engine.catalogue.resolve(problem.message)[this.view.language],
    }));
    void this.connection.sendDiagnostics({ uri: this.uriOf(project.file), diagnostics });
  }

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const only = params.context.only;
    if (only && !only.some((kind) => kind === '' || kind === 'quickfix')) return [];
    const current = await this.current(params.textDocument.uri);
    if (!current) return [];
    const { document, result } = current;
    const ours = params.context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    // Clients that send the diagnostics under the cursor get the actions of exactly those; others (or a request
    // for a bare range) get the actions of every finding the range touches.
    const chosen: Array<{ finding: Finding; diagnostic: Diagnostic }> = [];
    for (const finding of result.findings) {
      const sent = ours.find((diagnostic) => isDiagnosticOf(diagnostic, finding));
      if (sent) chosen.push({ finding, diagnostic: sent });
      else if (ours.length === 0 && touches(finding.range, params.range)) chosen.push({ finding, diagnostic: toDiagnostic(finding, this.view) });
    }
    const text = document.getText();
    const target: SuppressTarget = {
      uri: document.uri,
      lineText: (line) => document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, ''),
      eol: /\r\n/.test(text) ? '\r\n' : '\n',
      comment: result.comment,
    };
    return chosen.flatMap(({ finding, diagnostic }) => findingActions(finding, diagnostic, target, this.view));
  }

  private async hover(uri: string, position: { line: number; character: number }): Promise<Hover | undefined> {
    const current = await this.current(uri);
    if (!current) return undefined;
    const at = { start: position, end: position };
    const hits = current.result.findings.filter((finding) => touches(finding.range, at));
    if (hits.length === 0) return undefined;
    const first = hits[0]!.range;
    const range = hits.reduce(
      (union, finding) => ({
        start: before(finding.range.start, union.start) ? finding.range.start : union.start,
        end: before(union.end, finding.range.end) ? finding.range.end : union.end,
      }),
      first,
    );
    return { contents: { kind: 'markdown', value: hits.map((finding) => findingMarkdown(finding, this.view)).join('\n\n---\n\n') }, range };
  }

  /**
   * Audits every workspace folder as `secure-config-review audit <folder>` would (the CLI's walker, ignore files
   * and project file) and publishes the findings of files that are not open; open files keep their live results.
   */
  private async auditWorkspace(): Promise<AuditSummary> {
    const summary: AuditSummary = { files: 0, findings: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0 };
    const published = new Set<string>();
    for (const folder of this.folders) {
      const project = await this.projects.forFolder(folder);
      this.announceProject(project);
      const outcome = await audit([folder], project.settings, {
        ignore: true,
        exclude: [],
        projectFolder: project.file ? path.dirname(project.file) : folder,
        cwd: folder,
      });
      for (const file of outcome.files) {
        const absolute = path.resolve(folder, file.path);
        const open = this.openDocumentAt(absolute);
        const findings = open ? ((await this.current(open.uri))?.result.findings ?? []) : file.findings;
        summary.files++;
        summary.findings += findings.length;
        summary.suppressed += file.suppressed?.length ?? 0;
        for (const finding of findings)
          if (finding.severity === 'error') summary.errors++;
          else if (finding.severity === 'warning') summary.warnings++;
          else summary.infos++;
        if (open) continue;
        const uri = uriOfPath(absolute);
        published.add(uri);
        await this.connection.sendDiagnostics({ uri, diagnostics: findings.map((finding) => toDiagnostic(finding, this.view)) });
      }
    }
    for (const uri of this.auditedUris) if (!published.has(uri) && !this.documents.get(uri)) await this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.auditedUris = published;
    const message = text('cli.summary', {
      files: summary.files,
      findings: summary.findings,
      errors: summary.errors,
      warnings: summary.warnings,
      infos: summary.infos,
    });
    // A notification, not window/showMessageRequest: the summary needs no answer, and some clients cannot give one.
    await this.connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Info,
      message: engine.catalogue.resolve(message)[this.view.language],
    });
    return summary;
  }
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * Runs the server on standard input and output until the client ends the session (`exit`, or the input
 * closes). `--stdio` is accepted and ignored, since some clients add it to every server they start.
 */
export function runLanguageServer(): Promise<number> {
  // Standard output carries the protocol: anything printed by mistake goes to standard error instead.
  console.log = console.info = console.debug = (...items: unknown[]) => void process.stderr.write(`${items.map(String).join(' ')}\n`);
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // One failed request must not end the session the editor depends on: it is logged, and the server goes on.
  process.on('unhandledRejection', (reason) => connection.console.error(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)));
  new Server(connection).listen();
  // The library ends the process on `exit` or when the input closes.
  return new Promise<number>(() => undefined);
}
