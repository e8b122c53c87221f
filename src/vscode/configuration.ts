// Settings for one resource: the editor's settings (read per resource, so folder settings apply),
// layered under the project file `.secure-config-review.json` that the CLI reads too.
// Precedence: the project file decides rule settings, trusted networks and associations it names;
// the editor's settings fill in what the project file leaves out. So the editor and CI never disagree.
import * as vscode from 'vscode';
import type { ProjectSettings } from '../core/types';
import { PROJECT_CONFIG_FILE, normalizeSettings } from '../core/settings';
import { EXTENSION_SECTION } from './constants';

export type RunMode = 'onType' | 'onSave';

export interface EditorOptions {
  enable: boolean;
  run: RunMode;
  /** Milliseconds of quiet typing before a lint starts. */
  onTypeDelay: number;
}

export function editorOptions(resource: vscode.Uri | undefined): EditorOptions {
  const config = vscode.workspace.getConfiguration(EXTENSION_SECTION, resource);
  const run = config.get<string>('run');
  const delay = config.get<number>('onTypeDelay');
  return {
    enable: config.get<boolean>('enable') !== false,
    run: run === 'onSave' ? 'onSave' : 'onType',
    onTypeDelay: typeof delay === 'number' && delay >= 0 ? Math.min(delay, 10_000) : 300,
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

/** Reads and caches the project file per workspace folder; call `invalidate()` when it changes. */
export class SettingsResolver {
  private readonly projectFiles = new Map<string, Promise<{ layer: unknown; problems: string[] }>>();

  invalidate(): void {
    this.projectFiles.clear();
  }

  async resolve(resource: vscode.Uri | undefined): Promise<ResolvedSettings> {
    const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : vscode.workspace.workspaceFolders?.[0];
    const project = folder ? await this.projectFile(folder.uri) : { layer: undefined, problems: [] };
    const { settings, problems } = normalizeSettings(editorLayer(resource), project.layer);
    return { settings, problems: [...project.problems, ...problems] };
  }

  private projectFile(folder: vscode.Uri): Promise<{ layer: unknown; problems: string[] }> {
    const key = folder.toString();
    let pending = this.projectFiles.get(key);
    if (!pending) {
      pending = readProjectFile(vscode.Uri.joinPath(folder, PROJECT_CONFIG_FILE));
      this.projectFiles.set(key, pending);
    }
    return pending;
  }
}

async function readProjectFile(uri: vscode.Uri): Promise<{ layer: unknown; problems: string[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return { layer: undefined, problems: [] };
  }
  try {
    return { layer: JSON.parse(new TextDecoder().decode(bytes)), problems: [] };
  } catch (error) {
    return { layer: undefined, problems: [`${PROJECT_CONFIG_FILE}: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
