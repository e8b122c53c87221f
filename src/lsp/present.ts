// What the language server shows, built from the engine's findings and the catalogue: diagnostics, the
// code actions of a finding (the safe fix, each suggestion, suppress with a reason) and the hover text.
// Plain functions over plain data (no connection, no editor API), so any front end can use them.
import { CodeActionKind, DiagnosticSeverity } from 'vscode-languageserver';
import type { CodeAction, Diagnostic, Range as LspRange, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { Catalogue, ThreatEntry } from '../core/catalog';
import { type TextRef, text } from '../core/check';
import type { Language } from '../core/report';
import { type CommentSyntax, suppressionCommentParts } from '../core/suppression';
import type { Finding, Fix, Localized, Range, Severity } from '../core/types';

/** `source` of every diagnostic this server publishes. */
export const DIAGNOSTIC_SOURCE = 'secure-config-review';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** How paths become URIs and ids become documentation links, decided by the server. */
export interface Presentation {
  catalogue: Catalogue;
  language: Language;
  /** The URI a client knows a file by (an open document's own URI, else a file: URI). */
  uriOf(path: string): string;
  /** A link to the page of a rule or catalogue entry, or undefined when there is none to link to. */
  pageOf(id: string): string | undefined;
}

function say(value: Localized, language: Language): string {
  return value[language] || value.en;
}

function toLspRange(range: Range): LspRange {
  return { start: { ...range.start }, end: { ...range.end } };
}

export function toDiagnostic(finding: Finding, view: Presentation): Diagnostic {
  const page = view.pageOf(finding.ruleId);
  const diagnostic: Diagnostic = {
    range: toLspRange(finding.range),
    severity: SEVERITIES[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    message: say(finding.message, view.language),
  };
  if (page) diagnostic.codeDescription = { href: page };
  if (finding.related.length > 0)
    diagnostic.relatedInformation = finding.related.map((item) => ({
      location: { uri: view.uriOf(item.file), range: toLspRange(item.range) },
      message: say(item.message, view.language),
    }));
  return diagnostic;
}

/** Whether a client's diagnostic is the one this finding was published as. */
export function isDiagnosticOf(diagnostic: Diagnostic, finding: Finding): boolean {
  return diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code === finding.ruleId && sameRange(diagnostic.range, finding.range);
}

function sameRange(a: LspRange, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Ranges that touch or overlap (an empty range at a finding's edge counts, as a cursor there does). */
export function touches(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function fixEdit(fix: Fix, view: Presentation): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of fix.edits) (changes[view.uriOf(edit.file)] ??= []).push({ range: toLspRange(edit.range), newText: edit.newText });
  return { changes };
}

/** The document a suppression comment goes into: its URI, text and the comment syntax of its format. */
export interface SuppressTarget {
  uri: string;
  lineText(line: number): string;
  /** The document's line break ("\n" or "\r\n"). */
  eol: string;
  comment: CommentSyntax;
}

/**
 * The suppression comment line above the finding, indented like its line, ending in ` -- ` for the reason: until
 * one is written the engine reports the comment (config/invalid-suppression) and hides nothing, so the user is
 * asked for the reason by the next lint instead of a placeholder passing for one.
 */
export function suppressionEdit(finding: Finding, target: SuppressTarget): WorkspaceEdit {
  const line = finding.range.start.line;
  const indent = /^\s*/.exec(target.lineText(line))?.[0] ?? '';
  const { lead, tail } = suppressionCommentParts(target.comment, finding.ruleId);
  const comment = `${lead} ${tail}`;
  const at = { line, character: 0 };
  return { changes: { [target.uri]: [{ range: { start: at, end: at }, newText: `${indent}${comment}${target.eol}` }] } };
}

/** The actions of one finding: the safe fix (preferred), each suggestion, then suppress with a reason. */
export function findingActions(finding: Finding, diagnostic: Diagnostic, target: SuppressTarget, view: Presentation): CodeAction[] {
  const actions: CodeAction[] = [];
  if (finding.fix)
    actions.push({
      title: say(finding.fix.title, view.language),
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: fixEdit(finding.fix, view),
    });
  for (const suggestion of finding.suggestions)
    actions.push({ title: say(suggestion.title, view.language), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: fixEdit(suggestion, view) });
  actions.push({
    title: say(view.catalogue.resolve(text('lsp.suppress', { rule: finding.ruleId })), view.language),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: suppressionEdit(finding, target),
  });
  return actions;
}

/** Escapes what Markdown would read as markup in catalogue prose and ids. */
export function escapeMarkdown(value: string): string {
  return value.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}

function label(view: Presentation, ref: TextRef): string {
  return say(view.catalogue.resolve(ref), view.language);
}

function linked(title: string, id: string, view: Presentation): string {
  const page = view.pageOf(id);
  return page ? `[${title}](${page})` : title;
}

function kindOf(entry: ThreatEntry, view: Presentation): string {
  return entry.kind === 'incident' ? label(view, text('lsp.incident')) : label(view, text('lsp.threat'));
}

function entryMarkdown(entry: ThreatEntry, view: Presentation): string {
  const { language } = view;
  const { document, section, page } = entry.source;
  const pageText = page ? say(view.catalogue.resolve(text('lsp.page', { page })), language) : undefined;
  const source = [document, section, pageText].filter(Boolean).join(', ');
  const lines = [
    `**${kindOf(entry, view)}: ${escapeMarkdown(say(entry.title, language))}** (\`${entry.id}\`)`,
    '',
    escapeMarkdown(say(entry.summary, language)),
  ];
  const measures = entry.countermeasures[language];
  if (measures.length > 0) lines.push('', `*${label(view, text('docs.countermeasures'))}:*`, '', ...measures.map((item) => `- ${escapeMarkdown(item)}`));
  lines.push('', `*${label(view, text('docs.source'))}:* ${escapeMarkdown(source)}`);
  return lines.join('\n');
}

/** The hover of one finding: rule and message, the linked threat and incident entries, why it matters, each entry in full. */
export function findingMarkdown(finding: Finding, view: Presentation): string {
  const { catalogue, language } = view;
  const rule = catalogue.ruleById(finding.ruleId);
  const parts: string[] = [];
  const title = rule ? ` — ${escapeMarkdown(say(rule.title, language))}` : '';
  parts.push(`**Secure Config Review** · ${linked(`\`${finding.ruleId}\``, finding.ruleId, view)}${title}`);
  parts.push(escapeMarkdown(say(finding.message, language)));
  const entries = finding.threats.map((id) => catalogue.threatById(id)).filter((entry): entry is ThreatEntry => entry !== undefined);
  if (entries.length > 0)
    parts.push(
      entries.map((entry) => `- ${kindOf(entry, view)}: ${linked(escapeMarkdown(say(entry.title, language)), entry.id, view)} (\`${entry.id}\`)`).join('\n'),
    );
  if (rule) parts.push(`*${label(view, text('docs.why'))}:* ${escapeMarkdown(say(rule.why, language))}`);
  for (const entry of entries) parts.push(`---\n\n${entryMarkdown(entry, view)}`);
  return parts.join('\n\n');
}
