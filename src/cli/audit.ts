import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AuditedFile } from '../core/report';
import { PROJECT_CONFIG_FILE, normalizeSettings } from '../core/settings';
import type { ProjectSettings } from '../core/types';
import { nodeFiles } from './node-files';
import { engine } from '../product';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Every regular file below the given paths, in a stable order, skipping VCS and dependency folders. */
export async function walk(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (target: string): Promise<void> => {
    const stat = await fs.lstat(target);
    if (stat.isSymbolicLink()) return;
    if (stat.isFile()) {
      out.push(target);
      return;
    }
    if (!stat.isDirectory()) return;
    const entries = (await fs.readdir(target)).sort();
    for (const entry of entries) {
      if (SKIPPED_FOLDERS.has(entry)) continue;
      await visit(path.join(target, entry));
    }
  };
  for (const target of paths) await visit(target);
  return out;
}

/** The project configuration file nearest above `start` (inclusive), if any. */
export async function findProjectConfig(start: string): Promise<string | undefined> {
  let folder = path.resolve(start);
  try {
    if ((await fs.stat(folder)).isFile()) folder = path.dirname(folder);
  } catch {
    return undefined;
  }
  for (;;) {
    const candidate = path.join(folder, PROJECT_CONFIG_FILE);
    try {
      await fs.access(candidate);
      return candidate;
    } catch {
      const parent = path.dirname(folder);
      if (parent === folder) return undefined;
      folder = parent;
    }
  }
}

export async function loadSettings(configPath: string | undefined): Promise<{ settings: ProjectSettings; problems: string[] }> {
  if (!configPath) return normalizeSettings();
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(configPath, 'utf8'));
  } catch (error) {
    return { ...normalizeSettings(), problems: [`${configPath}: ${(error as Error).message}`] };
  }
  const result = normalizeSettings(raw);
  return { settings: result.settings, problems: result.problems.map((problem) => `${configPath}: ${problem}`) };
}

const MAX_READ_BYTES = 64 * 1024 * 1024;

/** Lints every supported file below `paths`; paths in the result are relative to the current folder. */
export async function audit(paths: string[], settings: ProjectSettings): Promise<AuditedFile[]> {
  const results: AuditedFile[] = [];
  for (const file of await walk(paths)) {
    const size = (await fs.stat(file)).size;
    // Name-based detection first, so huge unrelated files are never read.
    const byName = engine.detectFormat(file, undefined, settings.fileAssociations);
    if (!byName && size > MAX_READ_BYTES) continue;
    const text = await nodeFiles.readFile(file);
    if (text === undefined) continue;
    const result = await engine.lintFile(path.resolve(file), text, { files: nodeFiles, settings });
    if (!result.format) continue;
    results.push({
      path: path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/') || file,
      format: result.format,
      findings: result.findings,
    });
  }
  return results;
}
