// Owns the diagnostics: lints documents and unopened files through the core engine, keeps the
// findings (with the document version they were computed for) so hovers and code actions can look
// them up by version + range + rule id, and makes sure a slow result never overwrites a newer one.
// Where a lint runs (this thread, or a worker with a time budget) is the runner's business (lint-runner.ts).
import * as vscode from 'vscode';
import type { FileAccess, Finding } from '../core/types';
import { type CommentSyntax, commentSyntaxOf } from '../core/suppression';
import { IGNORED_SCHEMES } from './constants';
import { editorOptions, type SettingsResolver } from './configuration';
import { editorFileAccess, enginePath } from './file-access';
import { toDiagnostic, tooSlowDiagnostic } from './diagnostics';
import { type LintRunner, mainThreadRunner } from './lint-runner';
import { engine } from '../product';

interface Linted {
  format?: string;
  findings: Finding[];
  suppressed: Finding[];
  /** Set when the analysis was stopped after this many milliseconds (no findings then). */
  stoppedAfterMs?: number;
}

export interface FileResult {
  uri: vscode.Uri;
  /** The document version the findings belong to; undefined when the text was read from disk. */
  version: number | undefined;
  format: string;
  comment: CommentSyntax;
  findings: Finding[];
  /** Findings hidden by suppression comments: not shown, but exported (SARIF `suppressions`). */
  suppressed: Finding[];
  /** The analysis took longer than its budget and was stopped: the file shows that instead of findings. */
  stoppedAfterMs?: number;
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
    private readonly runner: LintRunner = mainThreadRunner,
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
    const linted = await this.lint(document.uri, document.getText());
    if (!linted || this.requests.get(key) !== request || document.isClosed || document.version !== version) return undefined;
    return this.store(document.uri, version, linted);
  }

  /** Lints a file that is not open in an editor (workspace audit). */
  async lintText(uri: vscode.Uri, text: string, files?: FileAccess): Promise<FileResult | undefined> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return this.lintDocument(open);
    const key = uri.toString();
    const request = this.nextRequest(key);
    const linted = await this.lint(uri, text, files);
    if (!linted || this.requests.get(key) !== request) return undefined;
    return this.store(uri, undefined, linted);
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
    this.runner.forget?.(key);
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
    this.runner.dispose();
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

  /**
   * The findings, or undefined when a newer lint of the same file replaced this one before it ran. `files`: how
   * related files are read; a workspace audit passes its caching FileAccess (core/file-cache.ts).
   */
  private async lint(uri: vscode.Uri, text: string, files: FileAccess = editorFileAccess(uri)): Promise<Linted | undefined> {
    const options = editorOptions(uri);
    if (!options.enable) return { findings: [], suppressed: [] };
    const { settings, problems } = await this.settings.resolve(uri);
    for (const problem of problems) this.reportOnce(problem);
    const started = performance.now();
    const job = { key: uri.toString(), path: enginePath(uri), text, settings, files, budgetMs: options.analysisTimeout };
    const outcome = await this.runner.lint(job);
    if (outcome.kind === 'superseded') return undefined;
    if (outcome.kind === 'timeout') {
      this.log.warn(`analysis of ${uri.toString(true)} stopped after ${outcome.budgetMs} ms (secureConfigReview.analysisTimeout)`);
      // Stopped before detection said: the file's own name may still tell (cheap, no content read).
      const format = outcome.format ?? engine.detectFormat(job.path, undefined, settings.fileAssociations)?.id;
      return { ...(format ? { format } : {}), findings: [], suppressed: [], stoppedAfterMs: outcome.budgetMs };
    }
    const { result } = outcome;
    if (result.format)
      this.log.trace(`linted ${uri.toString(true)} (${result.format}) in ${(performance.now() - started).toFixed(1)} ms: ${result.findings.length} findings`);
    return result;
  }

  private store(uri: vscode.Uri, version: number | undefined, linted: Linted): FileResult | undefined {
    if (!linted.format) {
      this.forget(uri);
      return undefined;
    }
    const result: FileResult = {
      uri,
      version,
      format: linted.format,
      comment: commentSyntaxOf(engine.formatById(linted.format)),
      findings: linted.findings,
      suppressed: linted.suppressed,
      ...(linted.stoppedAfterMs !== undefined ? { stoppedAfterMs: linted.stoppedAfterMs } : {}),
    };
    this.results.set(uri.toString(), result);
    this.collection.set(uri, [
      ...(linted.stoppedAfterMs !== undefined ? [tooSlowDiagnostic(linted.stoppedAfterMs)] : []),
      ...linted.findings.map((finding) => toDiagnostic(finding, uri)),
    ]);
    this.changed.fire();
    return result;
  }

  private reportOnce(problem: string): void {
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.log.warn(problem);
  }
}
