// Owns the diagnostics: lints documents and unopened files through the core engine, keeps the
// findings (with the document version they were computed for) so hovers and code actions can look
// them up by version + range + rule id, and makes sure a slow result never overwrites a newer one.
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import { IGNORED_SCHEMES } from './constants';
import { editorOptions, type SettingsResolver } from './configuration';
import { editorFileAccess, enginePath } from './file-access';
import { toDiagnostic } from './diagnostics';
import { engine } from '../product';

export interface FileResult {
  uri: vscode.Uri;
  /** The document version the findings belong to; undefined when the text was read from disk. */
  version: number | undefined;
  format: string;
  commentPrefix: string;
  findings: Finding[];
  /** Findings hidden by suppression comments: not shown, but exported (SARIF `suppressions`). */
  suppressed: Finding[];
}

export class Linter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('secure-config-review');
  private readonly results = new Map<string, FileResult>();
  /** The latest request per URI: an answer to an older request is dropped. */
  private readonly requests = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly reported = new Set<string>();
  private counter = 0;
  readonly onDidChangeResults = this.changed.event;

  constructor(
    private readonly settings: SettingsResolver,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  static accepts(uri: vscode.Uri): boolean {
    return !IGNORED_SCHEMES.has(uri.scheme);
  }

  /** Lints an open document now; resolves to its result, or undefined if it is not ours or went stale. */
  async lintDocument(document: vscode.TextDocument): Promise<FileResult | undefined> {
    if (!Linter.accepts(document.uri)) return undefined;
    const key = document.uri.toString();
    this.cancelTimer(key);
    const request = this.nextRequest(key);
    const version = document.version;
    const findings = await this.lint(document.uri, document.getText());
    if (this.requests.get(key) !== request || document.isClosed || document.version !== version) return undefined;
    return this.store(document.uri, version, findings);
  }

  /** Lints a file that is not open in an editor (workspace audit). */
  async lintText(uri: vscode.Uri, text: string): Promise<FileResult | undefined> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return this.lintDocument(open);
    const key = uri.toString();
    const request = this.nextRequest(key);
    const findings = await this.lint(uri, text);
    if (this.requests.get(key) !== request) return undefined;
    return this.store(uri, undefined, findings);
  }

  /** Debounced lint while typing. */
  schedule(document: vscode.TextDocument, delay: number): void {
    const key = document.uri.toString();
    this.cancelTimer(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintDocument(document);
      }, delay),
    );
  }

  /**
   * The findings for exactly this version of the document, linting it now when a debounced lint is still
   * pending (a quick fix or hover asked for right after typing must not come back empty).
   */
  async currentResult(document: vscode.TextDocument): Promise<FileResult | undefined> {
    return this.resultFor(document) ?? (await this.lintDocument(document));
  }

  /** The findings for exactly this version of the document, or undefined. */
  resultFor(document: vscode.TextDocument): FileResult | undefined {
    const result = this.results.get(document.uri.toString());
    return result && result.version === document.version ? result : undefined;
  }

  allResults(): FileResult[] {
    return [...this.results.values()];
  }

  /** Drops everything known about a file (closed, deleted, renamed), including answers in flight. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.cancelTimer(key);
    this.nextRequest(key);
    const had = this.results.delete(key);
    this.collection.delete(uri);
    if (had) this.changed.fire();
  }

  /** Forgets a deleted folder's files too. */
  forgetUnder(folder: vscode.Uri): void {
    const prefix = folder.toString().replace(/\/?$/, '/');
    for (const result of this.allResults()) if (result.uri.toString().startsWith(prefix)) this.forget(result.uri);
    this.forget(folder);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.collection.dispose();
    this.changed.dispose();
  }

  private nextRequest(key: string): number {
    const request = ++this.counter;
    this.requests.set(key, request);
    return request;
  }

  private cancelTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
  }

  private async lint(uri: vscode.Uri, text: string): Promise<{ format?: string; findings: Finding[]; suppressed: Finding[] }> {
    if (!editorOptions(uri).enable) return { findings: [], suppressed: [] };
    const { settings, problems } = await this.settings.resolve(uri);
    for (const problem of problems) this.reportOnce(problem);
    const started = performance.now();
    const result = await engine.lintFile(enginePath(uri), text, { files: editorFileAccess(uri), settings });
    if (result.format)
      this.log.trace(`linted ${uri.toString(true)} (${result.format}) in ${(performance.now() - started).toFixed(1)} ms: ${result.findings.length} findings`);
    return result;
  }

  private store(uri: vscode.Uri, version: number | undefined, linted: { format?: string; findings: Finding[]; suppressed: Finding[] }): FileResult | undefined {
    if (!linted.format) {
      this.forget(uri);
      return undefined;
    }
    const result: FileResult = {
      uri,
      version,
      format: linted.format,
      commentPrefix: engine.formatById(linted.format)?.commentPrefix ?? '#',
      findings: linted.findings,
      suppressed: linted.suppressed,
    };
    this.results.set(uri.toString(), result);
    this.collection.set(
      uri,
      linted.findings.map((finding) => toDiagnostic(finding, uri)),
    );
    this.changed.fire();
    return result;
  }

  private reportOnce(problem: string): void {
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.log.warn(problem);
  }
}
