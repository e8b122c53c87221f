// The audit options for CI and hooks, applied around the audit itself (src/cli/audit.ts): standard input,
// --fix / --fix-dry-run, --baseline / --write-baseline, --quiet and the warning count for --max-warnings.
import * as path from 'node:path';
import { text } from '../core/check';
import { decodeBytes } from '../core/encoding';
import { MAX_FILE_BYTES } from '../core/engine';
import { type AuditedFile, type Language, FINGERPRINT_KEY, artifactUri } from '../core/report';
import type { ProjectSettings } from '../core/types';
import type { AuditOutcome } from './audit';
import { type BaselineEntry, type BaselineRoot, TextCache, applyBaseline, baselineRoot, readBaseline, writeBaseline } from './baseline';
import { unifiedDiff } from './diff';
import { fixFile, fixable } from './fix';
import { CliError, say, writeError } from './messages';
import { nodeFiles } from './node-files';
import { shownPath } from './walk';
import { engine } from '../product';

/** Standard input, whole; more than the engine would read is refused rather than buffered without end. */
export async function readStdin(): Promise<string> {
  const limit = 3 * MAX_FILE_BYTES + 4;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw new CliError(text('cli.stdin-too-large', { limit: MAX_FILE_BYTES }));
    chunks.push(buffer);
  }
  return decodeBytes(Buffer.concat(chunks)).text;
}

/** Lints standard input as the file `name` (detection, the project file and the output use that name). */
export async function auditStdin(name: string, content: string, settings: ProjectSettings): Promise<AuditOutcome> {
  const result = await engine.lintFile(path.resolve(name), content, { files: nodeFiles, settings });
  const files: AuditedFile[] = result.format
    ? [{ path: shownPath(name).split(path.sep).join('/'), format: result.format, findings: result.findings, suppressed: result.suppressed }]
    : [];
  return { files, problems: [], unreadableSkipped: 0 };
}

/** The deepest folder holding every target (a file counts as its folder): the audited root outside a repository. */
export function commonFolder(targets: readonly string[], cwd: string): string {
  const [first, ...rest] = targets.map((target) => path.resolve(cwd, target));
  let common = first ?? cwd;
  for (const other of rest)
    while (common !== path.dirname(common) && other !== common && !other.startsWith(common.endsWith(path.sep) ? common : common + path.sep))
      common = path.dirname(common);
  return common;
}

export interface CiOptions {
  targets: readonly string[];
  settings: ProjectSettings;
  language: Language;
  fix: boolean;
  fixDryRun: boolean;
  baseline?: string;
  writeBaseline?: string;
  quiet: boolean;
  /** Standard input: its content and its absolute path (nothing on disk to fix or to read back). */
  stdin?: { absolute: string; content: string };
}

export interface CiOutcome {
  /** What the reports show: after fixes, with baselined findings suppressed, errors only under --quiet. */
  files: AuditedFile[];
  /** Warnings shown before --quiet, for --max-warnings. */
  warnings: number;
  /** Lines for standard error (fix results, baseline outcome). */
  notes: string[];
  /** --fix-dry-run: the unified diff of every file a fix would change. */
  diff: string;
  /** The texts findings point into, after fixes (SARIF fingerprints read them too). */
  texts: TextCache;
  fixes?: { files: number; applied: number; reverted: string[] };
  baseline?: { file: string; root: BaselineRoot; baselined: number; gone: BaselineEntry[]; written?: number };
}

export async function applyCiOptions(audited: AuditedFile[], options: CiOptions): Promise<CiOutcome> {
  const { language } = options;
  const notes: string[] = [];
  const texts = new TextCache(options.stdin ? new Map([[options.stdin.absolute, options.stdin.content]]) : new Map());
  let files = audited;
  let diff = '';
  let fixes: CiOutcome['fixes'];
  if (options.fix || options.fixDryRun) {
    fixes = { files: 0, applied: 0, reverted: [] };
    for (const file of files) {
      const absolute = options.stdin?.absolute ?? path.resolve(file.path);
      if (!fixable(file, absolute)) continue;
      let outcome: Awaited<ReturnType<typeof fixFile>>;
      try {
        outcome = await fixFile(engine, file, absolute, options.settings, {
          write: options.fix && !options.fixDryRun,
          format: file.format,
          ...(options.stdin ? { content: options.stdin.content } : {}),
        });
      } catch (error) {
        // Unreadable or unwritable now (vanished, read-only): said for this file, the others are still fixed.
        notes.push(say(writeError(file.path, error).detail, language));
        continue;
      }
      if (!outcome) continue;
      if (outcome.kind === 'not-utf8') notes.push(say(text('cli.fix-not-utf8', { path: file.path }), language));
      else if (outcome.kind === 'reverted') {
        fixes.reverted.push(file.path);
        notes.push(say(text('cli.fix-reverted', { path: file.path, rules: outcome.rules.join(', ') }), language));
      } else {
        fixes.files++;
        fixes.applied += outcome.applied;
        file.findings = outcome.findings;
        file.suppressed = outcome.suppressed;
        texts.set(absolute, outcome.after);
        diff += unifiedDiff(file.path, outcome.before, outcome.after);
        const data = { path: file.path, count: outcome.applied };
        notes.push(say(options.fixDryRun ? text('cli.fix-would-apply', data) : text('cli.fix-applied', data), language));
      }
    }
  }
  let baseline: CiOutcome['baseline'];
  if (options.baseline !== undefined || options.writeBaseline !== undefined) {
    // Keys are relative to the repository root; outside a repository, to the baseline file's folder (whatever
    // subset of paths a run audits, the same file gets the same key).
    const found = await baselineRoot(commonFolder(options.stdin ? [options.stdin.absolute] : options.targets, process.cwd()));
    const root: BaselineRoot =
      found.kind === 'repository' ? found : { folder: path.dirname(path.resolve(options.baseline ?? options.writeBaseline!)), kind: 'folder' };
    baseline = { file: shownPath(options.baseline ?? options.writeBaseline!), root, baselined: 0, gone: [] };
    if (options.baseline !== undefined) {
      const entries = await readBaseline(path.resolve(options.baseline), baseline.file);
      const targets = options.stdin ? [] : options.targets;
      const outcome = await applyBaseline(files, entries, root, texts, { shown: baseline.file, targets });
      baseline.baselined = outcome.baselined;
      baseline.gone = outcome.gone;
      for (const entry of outcome.gone) notes.push(say(text('cli.baseline-gone', { path: entry.path, rule: entry.ruleId, line: entry.line ?? '?' }), language));
    }
    if (options.writeBaseline !== undefined) {
      const shown = shownPath(options.writeBaseline);
      baseline.written = await writeBaseline(path.resolve(options.writeBaseline), shown, files, root, texts);
      // What was just written is the baseline from now on: this run's findings are reported as accepted.
      const entries = await readBaseline(path.resolve(options.writeBaseline), shown);
      const outcome = await applyBaseline(files, entries, root, texts, { shown, targets: [] });
      baseline.baselined += outcome.baselined;
      notes.push(say(text('cli.baseline-written', { path: shown, count: baseline.written }), language));
    }
  }
  const warnings = files.reduce((total, file) => total + file.findings.filter((finding) => finding.severity === 'warning').length, 0);
  if (options.quiet)
    files = files.map((file) => ({
      ...file,
      findings: file.findings.filter((finding) => finding.severity === 'error'),
      suppressed: (file.suppressed ?? []).filter((finding) => finding.severity === 'error'),
    }));
  return { files, warnings, notes, diff, texts, ...(fixes ? { fixes } : {}), ...(baseline ? { baseline } : {}) };
}

interface SarifLogShape {
  runs: Array<{ results: Array<Record<string, unknown> & { suppressions?: Array<{ kind?: string }> }> }>;
}

/**
 * SARIF's own words for a baseline comparison: every result is `new` or (accepted by the baseline) `unchanged`,
 * and each entry whose finding is gone becomes a result with `baselineState: absent` and its fingerprint.
 */
export function withBaselineStates(log: object, baseline: NonNullable<CiOutcome['baseline']>, sourceRoot: string | undefined, language: Language): object {
  const shaped = log as SarifLogShape;
  const run = shaped.runs[0];
  if (!run) return log;
  for (const result of run.results) result.baselineState = result.suppressions?.some((entry) => entry.kind === 'external') ? 'unchanged' : 'new';
  for (const entry of baseline.gone) {
    const absolute = path.join(baseline.root.folder, ...entry.path.split('/'));
    const relative = sourceRoot === undefined ? undefined : path.relative(sourceRoot, absolute).split(path.sep).join('/');
    const inside = relative !== undefined && !relative.startsWith('../') && !path.isAbsolute(relative);
    run.results.push({
      ruleId: entry.ruleId,
      level: 'none',
      message: { text: say(text('cli.baseline-gone', { path: entry.path, rule: entry.ruleId, line: entry.line ?? '?' }), language) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: inside ? { uri: artifactUri(relative), uriBaseId: '%SRCROOT%' } : { uri: artifactUri(absolute) },
            ...(entry.line ? { region: { startLine: entry.line } } : {}),
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: entry.fingerprint },
      baselineState: 'absent',
    });
  }
  return log;
}
