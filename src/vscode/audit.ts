// Command-palette audits: the whole workspace (progress with counts, cancellable, results in the
// Problems panel for unopened files too, then a summary by severity and by threat entry) and the
// current file.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../core/types';
import type { SettingsResolver } from './configuration';
import { AUDIT_SUMMARY_URI, showRendered, type DocumentationProvider } from './documentation';
import { escapeMarkdown, localize } from './l10n';
import type { FileResult, Linter } from './linter';
import { findConfigFiles } from './workspace-files';
import { editorFileAccess, enginePath } from './file-access';
import { type CachingFileAccess, cachingFileAccess } from '../core/file-cache';
import { engine } from '../product';
import { decodeBytes } from '../core/encoding';

/** Files read and linted at once during a workspace audit. */
const CONCURRENT_FILES = 4;

export interface AuditSummary {
  cancelled: boolean;
  files: FileResult[];
  bySeverity: Record<Severity, number>;
  /** Findings per threat/incident entry id. */
  byThreat: Record<string, number>;
}

export function summarize(files: FileResult[], cancelled = false): AuditSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byThreat: Record<string, number> = {};
  for (const finding of files.flatMap((file) => file.findings)) {
    bySeverity[finding.severity]++;
    for (const id of finding.threats) byThreat[id] = (byThreat[id] ?? 0) + 1;
  }
  return { cancelled, files, bySeverity, byThreat };
}

function relative(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, true);
}

export function summaryMarkdown(summary: AuditSummary): string {
  const { bySeverity } = summary;
  const lines = [`# ${vscode.l10n.t('Secure Config Review: audit summary')}`, ''];
  if (summary.cancelled) lines.push(`*${vscode.l10n.t('The audit was cancelled; these are partial results.')}*`, '');
  lines.push(
    vscode.l10n.t('{0} files checked: {1} errors, {2} warnings, {3} information.', summary.files.length, bySeverity.error, bySeverity.warning, bySeverity.info),
    '',
    `## ${vscode.l10n.t('By threat and incident entry')}`,
    '',
  );
  const threats = Object.entries(summary.byThreat).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (threats.length === 0) lines.push(vscode.l10n.t('No findings.'));
  else {
    lines.push(`| ${vscode.l10n.t('Entry')} | ${vscode.l10n.t('Title')} | ${vscode.l10n.t('Findings')} |`, '|---|---|---:|');
    for (const [id, count] of threats) {
      const entry = engine.catalogue.threatById(id);
      lines.push(`| \`${id}\` | ${entry ? escapeMarkdown(localize(entry.title)) : ''} | ${count} |`);
    }
  }
  lines.push('', `## ${vscode.l10n.t('By file')}`, '');
  for (const file of summary.files) {
    lines.push(`### ${escapeMarkdown(relative(file.uri))}`, '');
    if (file.findings.length === 0) lines.push(vscode.l10n.t('No findings.'), '');
    for (const finding of file.findings) lines.push(`- ${findingLine(finding)}`);
    lines.push('');
  }
  return lines.join('\n');
}

function findingLine(finding: Finding): string {
  return `${vscode.l10n.t('line {0}', finding.range.start.line + 1)}: **${finding.severity}** \`${finding.ruleId}\` ${escapeMarkdown(localize(finding.message))}`;
}

export async function auditWorkspace(linter: Linter, settings: SettingsResolver, docs: DocumentationProvider): Promise<AuditSummary> {
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Secure Config Review: auditing the workspace'), cancellable: true },
    async (progress, token) => {
      progress.report({ message: vscode.l10n.t('Looking for config files…') });
      const candidates = await findConfigFiles(settings, token, (seen, total) => {
        if (seen % 200 === 0) progress.report({ message: vscode.l10n.t('Looking for config files… {0}/{1}', seen, total) });
      });
      // The CLI's pipeline (src/cli/audit.ts): a few files read and linted at once, every related file read at
      // most once per audit through a caching FileAccess (one per scheme and authority), results in order.
      const caches = new Map<string, CachingFileAccess>();
      const cacheFor = (uri: vscode.Uri) => {
        const key = `${uri.scheme}://${uri.authority}`;
        let cache = caches.get(key);
        if (!cache) caches.set(key, (cache = cachingFileAccess(editorFileAccess(uri))));
        return cache;
      };
      const results: Array<FileResult | undefined> = new Array(candidates.length);
      let findings = 0;
      let done = 0;
      let next = 0;
      const lane = async () => {
        while (next < candidates.length && !token.isCancellationRequested) {
          const index = next++;
          const candidate = candidates[index]!;
          const text = candidate.text ?? (await readText(candidate.uri));
          if (text !== undefined) {
            const files = cacheFor(candidate.uri);
            // An open document's lints read its unsaved text (editorFileAccess), never the disk's.
            const open = vscode.workspace.textDocuments.some((document) => document.uri.toString() === candidate.uri.toString());
            if (!open) files.knowFile(enginePath(candidate.uri), text);
            const result = await linter.lintText(candidate.uri, text, files);
            results[index] = result;
            findings += result?.findings.length ?? 0;
          }
          progress.report({
            message: vscode.l10n.t('{0}/{1} files, {2} findings', ++done, candidates.length, findings),
            increment: 100 / Math.max(1, candidates.length),
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENT_FILES, candidates.length) }, lane));
      const files = results.filter((result): result is FileResult => result !== undefined);
      return summarize(files, token.isCancellationRequested);
    },
  );
  docs.setAuditSummary(summaryMarkdown(summary));
  announce(summary);
  return summary;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return decodeBytes(await vscode.workspace.fs.readFile(uri)).text;
  } catch {
    return undefined;
  }
}

/** Tells the user the totals without blocking the command (tests and keybindings await it). */
function announce(summary: AuditSummary): void {
  const { bySeverity } = summary;
  const text = summary.cancelled
    ? vscode.l10n.t(
        'Audit cancelled after {0} files: {1} errors, {2} warnings, {3} information.',
        summary.files.length,
        bySeverity.error,
        bySeverity.warning,
        bySeverity.info,
      )
    : vscode.l10n.t(
        'Audit finished: {0} files checked, {1} errors, {2} warnings, {3} information.',
        summary.files.length,
        bySeverity.error,
        bySeverity.warning,
        bySeverity.info,
      );
  const showProblems = vscode.l10n.t('Show Problems');
  const showSummary = vscode.l10n.t('Show Summary');
  void vscode.window.showInformationMessage(text, showProblems, showSummary).then((choice) => {
    if (choice === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice === showSummary) void showRendered(AUDIT_SUMMARY_URI);
  });
}

export async function auditCurrentFile(linter: Linter): Promise<FileResult | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a config file to audit it.'));
    return undefined;
  }
  const result = await linter.lintDocument(document);
  if (!result) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not a config file Secure Config Review reads.', relative(document.uri)));
    return undefined;
  }
  const counts = summarize([result]).bySeverity;
  void vscode.window.showInformationMessage(
    vscode.l10n.t('{0}: {1} errors, {2} warnings, {3} information.', relative(result.uri), counts.error, counts.warning, counts.info),
  );
  return result;
}
