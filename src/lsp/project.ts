// The project file (.secure-config-review.json) for each document: the nearest one above it, found and
// validated the way the CLI does (findProjectConfig, readProjectFile). Unlike the CLI, the server goes on with
// the valid part of a file that has mistakes and shows the mistakes as diagnostics on the file itself.
// Answers are cached until the file changes (watched-files notifications, a save in the editor).
import * as path from 'node:path';
import { type SettingsProblem, normalizeSettings, readProjectFile, vocabularyOf } from '../core/settings';
import type { FileAccess, ProjectSettings } from '../core/types';
import { findProjectConfig } from '../cli/audit';
import { engine } from '../product';

export interface ProjectState {
  /** The project file that applies, if any. */
  file?: string;
  settings: ProjectSettings;
  /** The project file's text as read, and its mistakes (offsets into that text). */
  source?: string;
  problems: SettingsProblem[];
}

/** Validates a project file's text: the settings from its valid part, and its mistakes. */
export function readProject(file: string | undefined, source: string | undefined): ProjectState {
  if (file === undefined || source === undefined) return { ...(file !== undefined ? { file } : {}), settings: normalizeSettings().settings, problems: [] };
  const { layer, problems } = readProjectFile(source, vocabularyOf(engine));
  return { file, source, settings: normalizeSettings(layer).settings, problems };
}

export class ProjectFiles {
  private readonly configOfFolder = new Map<string, Promise<string | undefined>>();
  private readonly projects = new Map<string, Promise<ProjectState>>();

  constructor(private readonly disk: FileAccess) {}

  /** The project that applies to the file at `file` (which need not exist on disk). */
  async forFile(file: string): Promise<ProjectState> {
    return this.forFolder(path.dirname(file));
  }

  async forFolder(folder: string): Promise<ProjectState> {
    let config = this.configOfFolder.get(folder);
    if (!config) {
      config = findProjectConfig(folder);
      this.configOfFolder.set(folder, config);
    }
    const file = await config;
    if (file === undefined) return readProject(undefined, undefined);
    let project = this.projects.get(file);
    if (!project) {
      project = this.disk.readFile(file).then((source) => readProject(file, source));
      this.projects.set(file, project);
    }
    return project;
  }

  /** Every project file read so far, as last read. */
  async known(): Promise<ProjectState[]> {
    return Promise.all(this.projects.values());
  }

  /** Forgets everything: a project file was created, changed or deleted somewhere. */
  invalidate(): void {
    this.configOfFolder.clear();
    this.projects.clear();
  }
}
