import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { renderEntry, renderRuleMarkdown, renderThreatMarkdown } from '../core/docs';
import { rules, threats } from '../core/catalog';
import type { Language } from '../core/report';

export function explain(id: string, language: Language): string | undefined {
  return renderEntry(id, language);
}

/** Writes `rules/<rule-id>.md` and `threats/<id>.md` (English, with `.ja.md` beside) below `folder`. */
export async function writeDocs(folder: string): Promise<number> {
  let written = 0;
  const write = async (file: string, text: string) => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
    written++;
  };
  for (const rule of rules) {
    await write(path.join(folder, 'rules', `${rule.id}.md`), renderRuleMarkdown(rule, 'en'));
    await write(path.join(folder, 'rules', `${rule.id}.ja.md`), renderRuleMarkdown(rule, 'ja'));
  }
  for (const entry of threats) {
    await write(path.join(folder, 'threats', `${entry.id}.md`), renderThreatMarkdown(entry, 'en'));
    await write(path.join(folder, 'threats', `${entry.id}.ja.md`), renderThreatMarkdown(entry, 'ja'));
  }
  return written;
}
