import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AuditedFile } from '../core/report';
import { MAX_FILE_BYTES } from '../core/engine';
import { PROJECT_CONFIG_FILE, type SettingsProblem, normalizeSettings, readProjectFile, vocabularyOf } from '../core/settings';
import { SourceText } from '../core/source';
import type { ProjectSettings } from '../core/types';
import { nodeFiles } from './node-files';
import { type PathProblem, type WalkOptions, reasonOf, walk } from './walk';
import { engine } from '../product';

/** Enough of a file to recognise it by content (detection looks at the first few kilobytes). */
const SNIFF_BYTES = 64 * 1024;
/**
 * The engine refuses texts longer than MAX_FILE_BYTES UTF-16 units; a UTF-8 byte sequence of 3 × that many
 * bytes (plus one character) is always longer, so reading further could never change the outcome.
 */
const READ_LIMIT = 3 * MAX_FILE_BYTES + 4;

/** The project configuration file nearest above `start` (inclusive), if any. */
export async function findProjectConfig(start: string): Promise<string | undefined> {
  let folder = path.resolve(start);
  try {
    if (!(await fs.stat(folder)).isDirectory()) folder = path.dirname(folder);
  } catch {
    folder = path.dirname(folder);
  }
  for (;;) {
    const candidate = path.join(folder, PROJECT_CONFIG_FILE);
    // lstat: a project file that exists but cannot be read must be reported, not passed over.
    if (
      await fs.lstat(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

export type SettingsOutcome =
  { settings: ProjectSettings } | { unreadable: PathProblem } | { problems: Array<SettingsProblem & { line: number; column: number }> };

/** Reads and validates the project file; any mistake in it is returned, never passed over. */
export async function loadSettings(configPath: string | undefined, shown: string): Promise<SettingsOutcome> {
  if (!configPath) return { settings: normalizeSettings().settings };
  let source: string;
  try {
    const stat = await fs.stat(configPath);
    if (!stat.isFile()) return { unreadable: { shown, reason: stat.isDirectory() ? 'other' : 'device', code: 'EISDIR', explicit: true } };
    source = await fs.readFile(configPath, 'utf8');
  } catch (error) {
    return { unreadable: { shown, ...reasonOf(error), explicit: true } };
  }
  const { layer, problems } = readProjectFile(source, vocabularyOf(engine));
  if (problems.length) {
    const lines = new SourceText(configPath, source);
    return {
      problems: problems.map((problem) => {
        const position = lines.positionAt(problem.start);
        return { ...problem, line: position.line + 1, column: position.character + 1 };
      }),
    };
  }
  return { settings: normalizeSettings(layer).settings };
}

/** At most `limit` bytes of a regular file; never blocks on a FIFO that replaced it since the walk. */
async function readStart(file: string, limit: number): Promise<{ text: string; size: number } | { error: unknown } | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(limit, stat.size));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { text: buffer.subarray(0, filled).toString('utf8'), size: stat.size };
  } catch (error) {
    return { error };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export interface AuditOutcome {
  files: AuditedFile[];
  problems: PathProblem[];
  /**
   * Files found in folders that could not be read and whose name does not tell whether they are configurations
   * (/etc/shadow for a normal user): counted, not listed one by one.
   */
  unreadableSkipped: number;
}

/**
 * Lints every supported file below `targets`. Paths are shown as the user gave them; a file that cannot
 * be read is a problem of the outcome, and the audit goes on.
 */
export async function audit(targets: readonly string[], settings: ProjectSettings, options: Omit<WalkOptions, 'recognised'>): Promise<AuditOutcome> {
  const recognised = (absolute: string) => engine.detectFormat(absolute, undefined, settings.fileAssociations) !== undefined;
  const { files: walked, problems } = await walk(targets, { ...options, recognised });
  const files: AuditedFile[] = [];
  let unreadableSkipped = 0;
  for (const file of walked) {
    // Name first, so that unrelated files are read only as far as content detection needs.
    const byName = engine.detectFormat(file.absolute, undefined, settings.fileAssociations);
    const unreadable = (error: unknown) => {
      const found = reasonOf(error);
      if (!file.explicit && !byName) unreadableSkipped++;
      else
        problems.push({
          shown: file.shown,
          ...(found.reason === 'not-found' && !file.explicit ? { reason: 'vanished' as const } : found),
          explicit: file.explicit,
        });
    };
    let read = await readStart(file.absolute, byName ? READ_LIMIT : SNIFF_BYTES);
    if (read === undefined) continue;
    if ('error' in read) {
      unreadable(read.error);
      continue;
    }
    if (!byName) {
      if (!engine.detectFormat(file.absolute, read.text, settings.fileAssociations)) continue;
      if (read.size > SNIFF_BYTES) read = await readStart(file.absolute, READ_LIMIT);
      if (read === undefined) continue;
      if ('error' in read) {
        unreadable(read.error);
        continue;
      }
    }
    const result = await engine.lintFile(file.absolute, read.text, { files: nodeFiles, settings });
    if (!result.format) continue;
    files.push({
      path: file.shown.split(path.sep).join('/'),
      format: result.format,
      findings: result.findings,
      suppressed: result.suppressed,
    });
  }
  return { files, problems, unreadableSkipped };
}
