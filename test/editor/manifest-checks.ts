// Checks of the manifest against the code. Every string a user reads exists in English and Japanese: the vscode.l10n.t() messages in
// src/vscode against l10n/bundle.l10n.ja.json, and package.json's %keys% against both nls files.
// Pure node; run first by `npm run test:editor`.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function l10nProblems(root: string): string[] {
  const problems: string[] = [];
  const read = (relative: string) => fs.readFileSync(path.join(root, relative), 'utf8');
  const sourceDir = path.join(root, 'src', 'vscode');
  const messages = new Set<string>();
  for (const file of fs.readdirSync(sourceDir).filter((name) => name.endsWith('.ts'))) {
    for (const match of read(path.join('src', 'vscode', file)).matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) messages.add(match[1]!.replace(/\\'/g, "'"));
  }
  const bundle = JSON.parse(read('l10n/bundle.l10n.ja.json')) as Record<string, string>;
  for (const message of messages) if (!(message in bundle)) problems.push(`l10n/bundle.l10n.ja.json lacks "${message}"`);
  for (const key of Object.keys(bundle)) if (!messages.has(key)) problems.push(`l10n/bundle.l10n.ja.json has unused "${key}"`);
  for (const [key, value] of Object.entries(bundle)) {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\d+\}/g)]
        .map((match) => match[0])
        .sort()
        .join();
    if (placeholders(key) !== placeholders(value)) problems.push(`"${key}": the translation's placeholders differ`);
  }
  const manifestKeys = new Set([...read('package.json').matchAll(/"%([\w.]+)%"/g)].map((match) => match[1]!));
  const english = JSON.parse(read('package.nls.json')) as Record<string, string>;
  const japanese = JSON.parse(read('package.nls.ja.json')) as Record<string, string>;
  for (const key of manifestKeys) {
    if (!(key in english)) problems.push(`package.nls.json lacks ${key}`);
    if (!(key in japanese)) problems.push(`package.nls.ja.json lacks ${key}`);
  }
  for (const key of Object.keys(english)) if (!(key in japanese)) problems.push(`package.nls.ja.json lacks ${key}`);
  for (const key of Object.keys(japanese)) if (!(key in english)) problems.push(`package.nls.json lacks ${key}`);
  return problems;
}

/** The fileAssociations setting offers exactly the formats the core registers (plus 'none'). */
export function formatSettingProblems(root: string, formatIds: string[]): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const offered: string[] = manifest.contributes.configuration.properties['secureConfigReview.fileAssociations'].additionalProperties.enum;
  const problems = formatIds.filter((id) => !offered.includes(id)).map((id) => `fileAssociations does not offer format ${id}`);
  problems.push(...offered.filter((id) => id !== 'none' && !formatIds.includes(id)).map((id) => `fileAssociations offers unknown format ${id}`));
  return problems;
}
