// The threat entry one step away: hovering a flagged range shows the rule, why it matters, and each
// linked threat or incident entry (title, summary, countermeasures, source reference).
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import type { ThreatEntry } from '../core/catalog';
import { COMMANDS } from './constants';
import { showEntryUri, toVscodeRange } from './diagnostics';
import { displayLanguage, escapeMarkdown, localize } from './l10n';
import type { Linter } from './linter';
import { engine } from '../product';

function kindLabel(entry: ThreatEntry): string {
  return entry.kind === 'incident' ? vscode.l10n.t('Incident') : vscode.l10n.t('Threat');
}

/** One line per linked entry, right under the message, so the incident is visible without scrolling. */
function entryLine(entry: ThreatEntry): string {
  return `- ${kindLabel(entry)}: [${escapeMarkdown(entry.title[displayLanguage()])}](${showEntryUri(entry.id).toString()}) (\`${entry.id}\`)`;
}

function entryMarkdown(entry: ThreatEntry): string {
  const language = displayLanguage();
  const { document, section, page } = entry.source;
  const source = [document, section, page ? vscode.l10n.t('page {0}', page) : undefined].filter(Boolean).join(', ');
  const lines = [`**${kindLabel(entry)}: ${escapeMarkdown(entry.title[language])}** (\`${entry.id}\`)`, '', escapeMarkdown(entry.summary[language])];
  const measures = entry.countermeasures[language];
  if (measures.length > 0) lines.push('', `*${vscode.l10n.t('Countermeasures')}:*`, '', ...measures.map((item) => `- ${escapeMarkdown(item)}`));
  lines.push('', `*${vscode.l10n.t('Source')}:* ${escapeMarkdown(source)}`);
  return lines.join('\n');
}

export function findingMarkdown(finding: Finding): vscode.MarkdownString {
  const rule = engine.catalogue.ruleById(finding.ruleId);
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = { enabledCommands: [COMMANDS.showEntry] };
  const title = rule ? ` — ${escapeMarkdown(localize(rule.title))}` : '';
  markdown.appendMarkdown(`**Secure Config Review** · [\`${finding.ruleId}\`](${showEntryUri(finding.ruleId).toString()})${title}\n\n`);
  markdown.appendMarkdown(`${escapeMarkdown(localize(finding.message))}\n\n`);
  const entries = finding.threats.map((id) => engine.catalogue.threatById(id)).filter((entry): entry is ThreatEntry => entry !== undefined);
  if (entries.length > 0) markdown.appendMarkdown(`${entries.map(entryLine).join('\n')}\n\n`);
  if (rule) markdown.appendMarkdown(`*${vscode.l10n.t('Why it matters')}:* ${escapeMarkdown(localize(rule.why))}\n\n`);
  for (const entry of entries) markdown.appendMarkdown(`---\n\n${entryMarkdown(entry)}\n\n`);
  return markdown;
}

export class FindingHoverProvider implements vscode.HoverProvider {
  constructor(private readonly linter: Linter) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const result = await this.linter.currentResult(document);
    if (!result) return undefined;
    const hits = result.findings.filter((finding) => toVscodeRange(finding.range).contains(position));
    if (hits.length === 0) return undefined;
    const range = hits.map((finding) => toVscodeRange(finding.range)).reduce((a, b) => a.union(b));
    return new vscode.Hover(hits.map(findingMarkdown), range);
  }
}
