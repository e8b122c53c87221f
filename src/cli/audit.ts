import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AuditedFile } from '../core/report';
import { MAX_FILE_BYTES } from '../core/engine';
import { PROJECT_CONFIG_FILE, type SettingsProblem, normalizeSettings, readProjectFile, vocabularyOf } from '../core/settings';
import { SourceText } from '../core/source';
import { type CachingFileAccess, cachingFileAccess } from '../core/file-cache';
import type { ProjectSettings } from '../core/types';
import { localFiles, readStartSync } from './node-files';
import { type PathProblem, type WalkOptions, type WalkedFile, reasonOf, walk } from './walk';
import { lintInWorkers, workerCount } from './audit-workers';
import { type CacheEntry, RecordingFiles, type ResultCache } from './result-cache';
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

/** At most `limit` bytes of a regular file; never blocks on a FIFO that replaced it since the walk (node-files.ts). */
async function readStart(file: string, limit: number): Promise<{ text: string; size: number } | { error: unknown } | undefined> {
  try {
    return readStartSync(file, limit);
  } catch (error) {
    return { error };
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

export interface AuditRunOptions extends Omit<WalkOptions, 'recognised' | 'onListing'> {
  /**
   * A script that serves audit workers (`serveAuditWorker`): the CLI's own bundle. With it, a large tree is
   * linted on every core; without it (the language server, tests), on this thread only.
   */
  workerScript?: string;
  /** `--cache`: reuse the results of earlier audits for unchanged files (src/cli/result-cache.ts). */
  cache?: ResultCache;
}

/** What auditing one walked file came to; kept in walk order, whichever thread produced it. */
export type FileOutcome =
  /** `entry`: what the result cache keeps of it (when the audit records for `--cache`). */
  | { audited: AuditedFile; entry?: CacheEntry }
  /** The result cache had nothing valid for it (the first pass of a cached audit). */
  | { miss: true }
  | { problem: PathProblem }
  /** Unreadable, in a folder that could not be read, and its name does not say it is a configuration. */
  | { skipped: true }
  /** Not a configuration this product reads. */
  | { none: true };

/** Files read and linted at once on one thread: enough to keep the disk busy while the CPU lints. */
const CONCURRENT_FILES = 8;

/**
 * Lints every supported file below `targets`. Paths are shown as the user gave them; a file that cannot
 * be read is a problem of the outcome, and the audit goes on. Files are read concurrently (a bounded number
 * at a time), each at most once (a caching FileAccess serves the includes and sibling files every lint looks
 * for), and a large tree is spread over worker threads when `workerScript` is given.
 */
export async function audit(targets: readonly string[], settings: ProjectSettings, options: AuditRunOptions): Promise<AuditOutcome> {
  const recognised = (absolute: string) => engine.detectFormat(absolute, undefined, settings.fileAssociations) !== undefined;
  const files = cachingFileAccess(localFiles);
  const listings = new Map<string, string[]>();
  const onListing = (folder: string, names: string[]) => {
    files.knowDirectory(folder, names);
    listings.set(folder, names);
  };
  const { workerScript, cache, ...walkOptions } = options;
  const { files: walked, problems } = await walk(targets, { ...walkOptions, recognised, onListing });
  const workers = workerScript ? { script: workerScript, listings } : undefined;
  const outcomes = cache ? await lintCached(walked, settings, files, workers, cache) : await lintAll(walked, settings, files, workers, undefined);
  return collect(walked, outcomes, problems);
}

/**
 * With `--cache`: every file is read and looked up on this thread first (a hit costs a read and a digest of
 * it and of the files its lint read); the misses are then linted as any audit lints, recording their reads.
 */
async function lintCached(
  walked: readonly WalkedFile[],
  settings: ProjectSettings,
  files: CachingFileAccess,
  workers: { script: string; listings: ReadonlyMap<string, string[]> } | undefined,
  cache: ResultCache,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(walked.length);
  await lintRange(walked, 0, walked.length, settings, files, outcomes, { lookup: cache });
  const missed = walked.flatMap((_file, index) => ('miss' in outcomes[index]! ? [index] : []));
  if (!missed.length) return outcomes;
  const linted = await lintAll(
    missed.map((index) => walked[index]!),
    settings,
    files,
    workers,
    'record',
  );
  linted.forEach((outcome, position) => {
    const index = missed[position]!;
    if ('audited' in outcome && outcome.entry) {
      cache.put(walked[index]!.absolute, outcome.entry);
      outcomes[index] = { audited: outcome.audited };
    } else outcomes[index] = outcome;
  });
  return outcomes;
}

/** The outcomes in walk order, as the report wants them. */
function collect(walked: readonly WalkedFile[], outcomes: readonly FileOutcome[], problems: PathProblem[]): AuditOutcome {
  const files: AuditedFile[] = [];
  let unreadableSkipped = 0;
  walked.forEach((_file, index) => {
    const outcome = outcomes[index]!;
    if ('audited' in outcome) files.push(outcome.audited);
    else if ('problem' in outcome) problems.push(outcome.problem);
    else if ('skipped' in outcome) unreadableSkipped++;
  });
  return { files, problems, unreadableSkipped };
}

/** Audits `walked[from..to)` on this thread, CONCURRENT_FILES at a time, into `outcomes`. */
export async function lintRange(
  walked: readonly WalkedFile[],
  from: number,
  to: number,
  settings: ProjectSettings,
  files: CachingFileAccess,
  outcomes: FileOutcome[],
  caching?: Caching,
): Promise<void> {
  let next = from;
  const lane = async () => {
    while (next < to) {
      const index = next++;
      outcomes[index] = await auditFile(walked[index]!, settings, files, caching);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_FILES, to - from) }, lane));
}

async function lintAll(
  walked: readonly WalkedFile[],
  settings: ProjectSettings,
  files: CachingFileAccess,
  workers: { script: string; listings: ReadonlyMap<string, string[]> } | undefined,
  record: 'record' | undefined,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(walked.length);
  const extra = workers ? workerCount(walked.length) : 0;
  const caching = record ? { record: true as const } : undefined;
  if (extra === 0) await lintRange(walked, 0, walked.length, settings, files, outcomes, caching);
  else await lintInWorkers(walked, settings, files, outcomes, { ...workers!, count: extra, record: Boolean(record) });
  return outcomes;
}

/** What an audit does with the result cache: answer from it only (`lookup`), or lint and record the reads. */
export type Caching = { lookup: ResultCache } | { record: true };

/** Name first, so that unrelated files are read only as far as content detection needs. */
export async function auditFile(file: WalkedFile, settings: ProjectSettings, files: CachingFileAccess, caching?: Caching): Promise<FileOutcome> {
  const byName = engine.detectFormat(file.absolute, undefined, settings.fileAssociations);
  const unreadable = (error: unknown): FileOutcome => {
    const found = reasonOf(error);
    if (!file.explicit && !byName) return { skipped: true };
    return {
      problem: {
        shown: file.shown,
        ...(found.reason === 'not-found' && !file.explicit ? { reason: 'vanished' as const } : found),
        explicit: file.explicit,
      },
    };
  };
  let read = await readStart(file.absolute, byName ? READ_LIMIT : SNIFF_BYTES);
  if (read === undefined) return { none: true };
  if ('error' in read) return unreadable(read.error);
  /** Set when the content decided: the engine need not detect the format a second time. */
  let byContent: string | undefined;
  if (!byName) {
    // With --cache, what the content said last time about the same first SNIFF_BYTES is known without detecting.
    const cache = caching && 'lookup' in caching ? caching.lookup : undefined;
    const known = cache?.detected(file.absolute, read.text);
    byContent = known !== undefined ? (known ?? undefined) : engine.detectFormat(file.absolute, read.text, settings.fileAssociations)?.id;
    if (known === undefined) cache?.rememberDetected(file.absolute, read.text, byContent);
    if (!byContent) return { none: true };
    if (read.size > SNIFF_BYTES) read = await readStart(file.absolute, READ_LIMIT);
    if (read === undefined) return { none: true };
    if ('error' in read) return unreadable(read.error);
  }
  // Lints of the files beside this one (master.cf beside main.cf, sites beside nginx.conf) read it from here.
  if (read.size <= READ_LIMIT) files.knowFile(file.absolute, read.text);
  const shown = file.shown.split(path.sep).join('/');
  if (caching && 'lookup' in caching) {
    const hit = read.size <= READ_LIMIT ? await caching.lookup.lookup(file.absolute, read.text, byContent, files) : undefined;
    return hit ? { audited: { path: shown, format: hit.format, findings: hit.findings, suppressed: hit.suppressed } } : { miss: true };
  }
  const recording = caching?.record && read.size <= READ_LIMIT ? new RecordingFiles(files) : undefined;
  const result = await engine.lintFile(file.absolute, read.text, { files: recording ?? files, settings, ...(byContent ? { format: byContent } : {}) });
  if (!result.format) return { none: true };
  const audited = { path: shown, format: result.format, findings: result.findings, suppressed: result.suppressed };
  return recording ? { audited, entry: recording.entry(read.text, byContent, result.format, result.findings, result.suppressed) } : { audited };
}
