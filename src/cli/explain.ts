import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { renderEntry, renderRuleMarkdown, renderThreatMarkdown } from '../core/docs';
import type { Language } from '../core/report';
import { engine } from '../product';

export function explain(id: string, language: Language): string | undefined {
  return renderEntry(engine.catalogue, id, language);
}

/** Writes `rules/<rule-id>.md` and `threats/<id>.md` (English, with `.ja.md` beside) below `folder`. */
export async function writeDocs(folder: string): Promise<number> {
  let written = 0;
  const write = async (file: string, text: string) => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
    written++;
  };
  for (const rule of engine.catalogue.rules) {
    await write(path.join(folder, 'rules', `${rule.id}.md`), renderRuleMarkdown(engine.catalogue, rule, 'en'));
    await write(path.join(folder, 'rules', `${rule.id}.ja.md`), renderRuleMarkdown(engine.catalogue, rule, 'ja'));
  }
  for (const entry of engine.catalogue.threats) {
    await write(path.join(folder, 'threats', `${entry.id}.md`), renderThreatMarkdown(engine.catalogue, entry, 'en'));
    await write(path.join(folder, 'threats', `${entry.id}.ja.md`), renderThreatMarkdown(engine.catalogue, entry, 'ja'));
  }
  return written;
}
