// The catalogue view: every threat/incident entry and every rule, each with the number of findings
// currently known in the workspace (open files and the last audit). Selecting one shows its page.
import * as vscode from 'vscode';
import { COMMANDS } from './constants';
import { localize } from './l10n';
import type { Linter } from './linter';
import { engine } from '../product';

type CatalogNode = { kind: 'group'; group: 'entries' | 'rules' } | { kind: 'entry' | 'rule'; id: string };

export class CatalogTreeProvider implements vscode.TreeDataProvider<CatalogNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CatalogNode | undefined>();
  private readonly subscription: vscode.Disposable;
  private cachedCounts: Map<string, number> | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly linter: Linter) {
    this.subscription = linter.onDidChangeResults(() => {
      this.cachedCounts = undefined;
      this.changed.fire(undefined);
    });
  }

  /** Finding counts per rule id and per catalogue entry id. */
  counts(): Map<string, number> {
    if (this.cachedCounts) return this.cachedCounts;
    const counts = new Map<string, number>();
    const add = (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const result of this.linter.allResults())
      for (const finding of result.findings) {
        add(finding.ruleId);
        finding.threats.forEach(add);
      }
    this.cachedCounts = counts;
    return counts;
  }

  getChildren(node?: CatalogNode): CatalogNode[] {
    if (!node)
      return [
        { kind: 'group', group: 'entries' },
        { kind: 'group', group: 'rules' },
      ];
    if (node.kind !== 'group') return [];
    return node.group === 'entries'
      ? engine.catalogue.threats.map((entry) => ({ kind: 'entry', id: entry.id }))
      : engine.catalogue.rules.map((rule) => ({ kind: 'rule', id: rule.id }));
  }

  getTreeItem(node: CatalogNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const label = node.group === 'entries' ? vscode.l10n.t('Threat and incident entries') : vscode.l10n.t('Rules');
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.group}`;
      return item;
    }
    const count = this.counts().get(node.id) ?? 0;
    const entry = node.kind === 'entry' ? engine.catalogue.threats.find((candidate) => candidate.id === node.id) : undefined;
    const rule = node.kind === 'rule' ? engine.catalogue.rules.find((candidate) => candidate.id === node.id) : undefined;
    const title = entry ? localize(entry.title) : rule ? localize(rule.title) : node.id;
    const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.kind}:${node.id}`;
    item.description = count > 0 ? vscode.l10n.t('{0} findings · {1}', count, node.id) : node.id;
    item.tooltip = entry ? localize(entry.summary) : rule ? localize(rule.why) : undefined;
    item.iconPath = new vscode.ThemeIcon(node.kind === 'rule' ? 'checklist' : entry?.kind === 'incident' ? 'report' : 'shield');
    item.contextValue = node.kind;
    item.command = { command: COMMANDS.showEntry, title: vscode.l10n.t('Show documentation'), arguments: [node.id] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
