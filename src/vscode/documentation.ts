// Offline documentation: every rule and threat/incident entry as a read-only Markdown document
// (secure-config-review:/catalogue/<id>.md), shown rendered in the Markdown preview. The latest
// audit summary lives at secure-config-review:/audit/summary.md.
import * as vscode from 'vscode';
import { engine } from '../product';
import { renderEntry } from '../core/docs';
import { DOCS_SCHEME } from './constants';
import { displayLanguage, localize } from './l10n';

const CATALOGUE_PREFIX = '/catalogue/';
export const AUDIT_SUMMARY_URI = vscode.Uri.from({ scheme: DOCS_SCHEME, path: '/audit/summary.md' });

export function entryDocumentUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `${CATALOGUE_PREFIX}${id}.md` });
}

export class DocumentationProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private auditSummary: string | undefined;
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.path === AUDIT_SUMMARY_URI.path) return this.auditSummary ?? vscode.l10n.t('No audit has run yet.');
    if (uri.path.startsWith(CATALOGUE_PREFIX) && uri.path.endsWith('.md')) {
      const id = uri.path.slice(CATALOGUE_PREFIX.length, -'.md'.length);
      const markdown = renderEntry(engine.catalogue, id, displayLanguage());
      if (markdown) return markdown;
    }
    return vscode.l10n.t('Unknown catalogue entry: {0}', uri.path);
  }

  setAuditSummary(markdown: string): void {
    this.auditSummary = markdown;
    this.changed.fire(AUDIT_SUMMARY_URI);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Shows a document of ours rendered; falls back to the Markdown source if the preview is unavailable. */
export async function showRendered(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}

/** Command: show a rule or entry by id, or pick one from the whole catalogue. */
export async function showEntry(id?: unknown): Promise<void> {
  let chosen = typeof id === 'string' ? id : undefined;
  if (!chosen) {
    const items: (vscode.QuickPickItem & { id?: string })[] = [
      { label: vscode.l10n.t('Threat and incident entries'), kind: vscode.QuickPickItemKind.Separator },
      ...engine.catalogue.threats.map((entry) => ({ label: localize(entry.title), description: entry.id, id: entry.id })),
      { label: vscode.l10n.t('Rules'), kind: vscode.QuickPickItemKind.Separator },
      ...engine.catalogue.rules.map((rule) => ({ label: localize(rule.title), description: rule.id, id: rule.id })),
    ];
    const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Show a rule or a threat/incident entry'), matchOnDescription: true });
    chosen = picked?.id;
  }
  if (chosen) await showRendered(entryDocumentUri(chosen));
}
