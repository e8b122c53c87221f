// Baselines: the findings a team has accepted for now, so that CI fails on new ones only. An entry is keyed
// on the file (relative to the repository root, else the audited folder), the rule id and the fingerprint of
// the flagged text (src/core/fingerprint.ts: no line numbers, so moving lines keeps it). A baselined finding
// stays in every report as suppressed (kind 'baseline'); an entry whose finding is no longer there is "gone".
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { text } from '../core/check';
import { fingerprintFinding } from '../core/fingerprint';
import type { AuditedFile } from '../core/report';
import type { Finding } from '../core/types';
import { CliError, writeError } from './messages';
import { reasonOf } from './walk';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  /** '/'-separated, relative to the baseline root. */
  path: string;
  ruleId: string;
  fingerprint: string;
  /** 1-based line when the entry was written: for people reading the file, never used for matching. */
  line?: number;
  /** Why the finding is accepted, when someone wrote it into the file. */
  reason?: string;
}

export interface BaselineRoot {
  folder: string;
  kind: 'repository' | 'folder';
}

/** The repository root above `start` (a folder holding .git), else the audited folder itself. */
export async function baselineRoot(start: string): Promise<BaselineRoot> {
  let folder = path.resolve(start);
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) folder = path.dirname(folder);
  const audited = folder;
  for (;;) {
    if (
      await fs.lstat(path.join(folder, '.git')).then(
        () => true,
        () => false,
      )
    )
      return { folder, kind: 'repository' };
    const parent = path.dirname(folder);
    if (parent === folder) return { folder: audited, kind: 'folder' };
    folder = parent;
  }
}

export function keyPath(root: BaselineRoot, absolute: string): string {
  return path.relative(root.folder, absolute).split(path.sep).join('/');
}

/** Reads and checks a baseline file; anything wrong with it is a CliError naming the file. */
export async function readBaseline(file: string, shown: string): Promise<BaselineEntry[]> {
  let source: string;
  try {
    source = await fs.readFile(file, 'utf8');
  } catch (error) {
    const { reason, code } = reasonOf(error);
    throw new CliError(text('cli.baseline-unreadable', { path: shown, reason: reason === 'not-found' ? text('cli.reason.not-found') : (code ?? reason) }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    throw new CliError(text('cli.baseline-invalid', { path: shown, detail: 'JSON' }));
  }
  const top = parsed as { version?: unknown; findings?: unknown } | null;
  if (typeof top !== 'object' || top === null || top.version !== BASELINE_VERSION || !Array.isArray(top.findings))
    throw new CliError(text('cli.baseline-invalid', { path: shown, detail: `version ${BASELINE_VERSION}, findings[]` }));
  return top.findings.map((item: unknown, index: number) => {
    const entry = item as Partial<Record<keyof BaselineEntry, unknown>> | null;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.path !== 'string' ||
      typeof entry.ruleId !== 'string' ||
      typeof entry.fingerprint !== 'string' ||
      (entry.reason !== undefined && typeof entry.reason !== 'string')
    )
      throw new CliError(text('cli.baseline-invalid', { path: shown, detail: `findings[${index}]` }));
    return {
      path: entry.path,
      ruleId: entry.ruleId,
      fingerprint: entry.fingerprint,
      ...(typeof entry.line === 'number' ? { line: entry.line } : {}),
      ...(entry.reason ? { reason: entry.reason } : {}),
    };
  });
}

/** Reads the texts findings point into (a file once), for their fingerprints; texts already known are given. */
export class TextCache {
  private readonly texts = new Map<string, Promise<string | undefined>>();

  constructor(known: ReadonlyMap<string, string> = new Map()) {
    for (const [file, content] of known) this.texts.set(file, Promise.resolve(content));
  }

  get(file: string): Promise<string | undefined> {
    let found = this.texts.get(file);
    if (!found) {
      found = fs.readFile(file, 'utf8').catch(() => undefined);
      this.texts.set(file, found);
    }
    return found;
  }

  set(file: string, content: string): void {
    this.texts.set(file, Promise.resolve(content));
  }
}

export interface KeyedFinding {
  file: AuditedFile;
  finding: Finding;
  entry: BaselineEntry;
}

async function keyOf(root: BaselineRoot, file: AuditedFile, finding: Finding, texts: TextCache): Promise<BaselineEntry> {
  const content = await texts.get(finding.file);
  const fingerprint = content === undefined ? `line:${finding.range.start.line}` : fingerprintFinding(content, finding);
  return { path: keyPath(root, path.resolve(file.path)), ruleId: finding.ruleId, fingerprint, line: finding.range.start.line + 1 };
}

/** The entry that accepted a baselined finding (its reason, if any, is kept when the baseline is rewritten). */
const acceptedBy = new WeakMap<Finding, BaselineEntry>();

const entryKey = (entry: BaselineEntry) => `${entry.path}\u0000${entry.ruleId}\u0000${entry.fingerprint}`;

export interface BaselineOutcome {
  /** Findings the baseline accepts (moved to their file's `suppressed`). */
  baselined: number;
  /** Entries whose finding is no longer reported (fixed, or its file gone). */
  gone: BaselineEntry[];
}

/**
 * Moves every finding the baseline lists to its file's `suppressed` list (kind 'baseline'). An entry matches
 * one finding of the same file, rule and fingerprint only, so it can never absorb a finding in another file.
 */
export async function applyBaseline(
  files: AuditedFile[],
  entries: readonly BaselineEntry[],
  root: BaselineRoot,
  texts: TextCache,
  options: { shown: string; targets: readonly string[] },
): Promise<BaselineOutcome> {
  const open = new Map<string, BaselineEntry[]>();
  for (const entry of entries) open.set(entryKey(entry), [...(open.get(entryKey(entry)) ?? []), entry]);
  const audited = new Set<string>();
  let baselined = 0;
  for (const file of files) {
    audited.add(keyPath(root, path.resolve(file.path)));
    const kept: Finding[] = [];
    const accepted: Finding[] = [];
    for (const finding of file.findings) {
      const key = entryKey(await keyOf(root, file, finding, texts));
      const match = open.get(key)?.shift();
      if (!match) {
        kept.push(finding);
        continue;
      }
      const moved: Finding = { ...finding, suppression: { kind: 'baseline', reason: match.reason ?? options.shown, line: finding.range.start.line } };
      acceptedBy.set(moved, match);
      accepted.push(moved);
    }
    if (accepted.length) {
      file.findings = kept;
      file.suppressed = [...(file.suppressed ?? []), ...accepted];
      baselined += accepted.length;
    }
  }
  // Gone: entries of a file audited now, or of a file below an audited path that is no longer there.
  const scopes = options.targets.map((target) => keyPath(root, path.resolve(target)));
  const inScope = (entryPath: string) =>
    scopes.some((scope) => scope === '' || entryPath === scope || entryPath.startsWith(scope.endsWith('/') ? scope : `${scope}/`));
  const gone: BaselineEntry[] = [];
  for (const left of open.values())
    for (const entry of left) {
      if (audited.has(entry.path)) gone.push(entry);
      else if (
        inScope(entry.path) &&
        !(await fs.stat(path.join(root.folder, entry.path)).then(
          (stat) => stat.isFile(),
          () => false,
        ))
      )
        gone.push(entry);
    }
  return { baselined, gone };
}

/** Writes every finding shown now (and those a baseline already accepts) as the new baseline. */
export async function writeBaseline(file: string, shown: string, files: AuditedFile[], root: BaselineRoot, texts: TextCache): Promise<number> {
  const entries: BaselineEntry[] = [];
  for (const audited of files) {
    for (const finding of audited.findings) entries.push(await keyOf(root, audited, finding, texts));
    for (const finding of audited.suppressed ?? [])
      if (finding.suppression?.kind === 'baseline') {
        const entry = await keyOf(root, audited, finding, texts);
        const reason = acceptedBy.get(finding)?.reason;
        entries.push(reason ? { ...entry, reason } : entry);
      }
  }
  entries.sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0) || a.ruleId.localeCompare(b.ruleId));
  const content = { version: BASELINE_VERSION, root: root.kind, findings: entries };
  try {
    await fs.writeFile(file, JSON.stringify(content, null, 2) + '\n');
  } catch (error) {
    throw writeError(shown, error);
  }
  return entries.length;
}
