// Settings for one resource: the editor's settings (read per resource, so folder settings apply),
// layered under the project file `.secure-config-review.json` that the CLI reads too.
// Precedence: the project file decides rule settings, trusted networks and associations it names;
// the editor's settings fill in what the project file leaves out. So the editor and CI never disagree.
// The project file is validated as the CLI validates it; its mistakes are diagnostics on the file itself
// (the CLI refuses to run with them, the editor goes on with the part that is valid).
import * as vscode from 'vscode';
import type { ProjectSettings } from '../core/types';
import { PROJECT_CONFIG_FILE, type SettingsProblem, normalizeSettings, readProjectFile, vocabularyOf } from '../core/settings';
import { SourceText } from '../core/source';
import { DIAGNOSTIC_SOURCE, EXTENSION_SECTION } from './constants';
import { localize } from './l10n';
import { engine } from '../product';

export type RunMode = 'onType' | 'onSave';

export interface EditorOptions {
  enable: boolean;
  run: RunMode;
  /** Milliseconds of quiet typing before a lint starts. */
  onTypeDelay: number;
  /** Milliseconds a lint in the worker may take before it is stopped and the file says so. */
  analysisTimeout: number;
}

export const DEFAULT_ANALYSIS_TIMEOUT_MS = 5000;

export function editorOptions(resource: vscode.Uri | undefined): EditorOptions {
  const config = vscode.workspace.getConfiguration(EXTENSION_SECTION, resource);
  const run = config.get<string>('run');
  const delay = config.get<number>('onTypeDelay');
  const timeout = config.get<number>('analysisTimeout');
  return {
    enable: config.get<boolean>('enable') !== false,
    run: run === 'onSave' ? 'onSave' : 'onType',
    onTypeDelay: typeof delay === 'number' && delay >= 0 ? Math.min(delay, 10_000) : 300,
    analysisTimeout: typeof timeout === 'number' && timeout >= 1 ? Math.min(timeout, 600_000) : DEFAULT_ANALYSIS_TIMEOUT_MS,
  };
}

/** The editor's own layer, in the shape the project file uses. */
function editorLayer(resource: vscode.Uri | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(EXTENSION_SECTION, resource);
  return {
    rules: config.get('rules') ?? {},
    trustedNetworks: config.get('trustedNetworks') ?? [],
    fileAssociations: config.get('fileAssociations') ?? {},
  };
}

export interface ResolvedSettings {
  settings: ProjectSettings;
  problems: string[];
}

interface ProjectLayer {
  layer: unknown;
  problems: string[];
}

/**
 * Reads and caches the project file per workspace folder, and shows its mistakes as diagnostics on it;
 * call `invalidate()` when it changes.
 */
export class SettingsResolver implements vscode.Disposable {
  private readonly projectFiles = new Map<string, Promise<ProjectLayer>>();
  readonly diagnostics = vscode.languages.createDiagnosticCollection('secure-config-review-settings');

  invalidate(): void {
    this.projectFiles.clear();
  }

  /** Re-reads every workspace folder's project file now, so that its diagnostics are current without a lint. */
  async refresh(): Promise<void> {
    this.invalidate();
    this.diagnostics.clear();
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((folder) => this.projectFile(folder.uri)));
  }

  async resolve(resource: vscode.Uri | undefined): Promise<ResolvedSettings> {
    const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : vscode.workspace.workspaceFolders?.[0];
    const project = folder ? await this.projectFile(folder.uri) : { layer: undefined, problems: [] };
    const { settings, problems } = normalizeSettings(editorLayer(resource), project.layer);
    return { settings, problems: [...project.problems, ...problems] };
  }

  dispose(): void {
    this.diagnostics.dispose();
  }

  private projectFile(folder: vscode.Uri): Promise<ProjectLayer> {
    const key = folder.toString();
    let pending = this.projectFiles.get(key);
    if (!pending) {
      const uri = vscode.Uri.joinPath(folder, PROJECT_CONFIG_FILE);
      pending = readProjectLayer(uri).then((read) => {
        this.diagnostics.set(uri, read.diagnostics);
        return { layer: read.layer, problems: read.problems };
      });
      this.projectFiles.set(key, pending);
    }
    return pending;
  }
}

async function readProjectLayer(uri: vscode.Uri): Promise<ProjectLayer & { diagnostics: vscode.Diagnostic[] }> {
  let source: string;
  try {
    source = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return { layer: undefined, problems: [], diagnostics: [] };
  }
  const { layer, problems } = readProjectFile(source, vocabularyOf(engine));
  const lines = new SourceText(uri.path, source);
  const diagnostics = problems.map((problem) => toDiagnostic(problem, lines));
  return {
    layer,
    problems: diagnostics.map(
      (diagnostic) => `${PROJECT_CONFIG_FILE}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}: ${diagnostic.message}`,
    ),
    diagnostics,
  };
}

function toDiagnostic(problem: SettingsProblem, lines: SourceText): vscode.Diagnostic {
  const range = lines.rangeOf(problem.start, problem.end);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
    localize(engine.catalogue.resolve(problem.message)),
    vscode.DiagnosticSeverity.Error,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}
