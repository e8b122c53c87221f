// Identifiers shared by the editor wiring; contributed names must match package.json.
export const EXTENSION_SECTION = 'secureConfigReview';
export const DIAGNOSTIC_SOURCE = 'Secure Config Review';
/** Scheme of the read-only documentation documents (rules, entries, audit summaries). */
export const DOCS_SCHEME = 'secure-config-review';

export const COMMANDS = {
  auditWorkspace: 'secureConfigReview.auditWorkspace',
  auditFile: 'secureConfigReview.auditFile',
  exportSarif: 'secureConfigReview.exportSarif',
  exportReport: 'secureConfigReview.exportReport',
  applySafeFixes: 'secureConfigReview.applySafeFixes',
  showEntry: 'secureConfigReview.showEntry',
} as const;

export const CATALOG_VIEW = 'secureConfigReview.catalog';

/** Schemes whose documents are views of something else (diffs, output, our own docs): never linted. */
export const IGNORED_SCHEMES = new Set([
  'git',
  'output',
  'vscode-scm',
  'debug',
  'walkThrough',
  'comment',
  DOCS_SCHEME,
  'vscode-notebook-cell',
  'vscode-chat-code-block',
]);
