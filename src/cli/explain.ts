import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { text } from '../core/check';
import { closestName } from '../core/did-you-mean';
import { renderEntry, renderRuleMarkdown, renderThreatMarkdown } from '../core/docs';
import type { Language } from '../core/report';
import { CliError, writeError } from './messages';
import { engine } from '../product';

export function explain(id: string, language: Language): string {
  const rendered = renderEntry(engine.catalogue, id, language);
  if (rendered !== undefined) return rendered;
  const known = [...engine.catalogue.rules.map((rule) => rule.id), ...engine.catalogue.threats.map((entry) => entry.id)];
  const name = closestName(id, known);
  throw new CliError(text('cli.unknown-entry', { id, hint: name ? text('settings.did-you-mean', { name }) : '' }));
}

/**
 * Creates `folder` if needed, one level at a time: Node's recursive mkdir can spin forever where the file
 * system answers "not found" for a folder it will not create (/proc), and its errors name no level.
 */
async function ensureFolder(folder: string, shown: string): Promise<void> {
  const stat = await fs.stat(folder).catch(() => undefined);
  if (stat?.isDirectory()) return;
  if (stat) throw new CliError(text('cli.write-failed', { path: shown, reason: text('cli.reason.not-a-folder') }));
  try {
    await fs.mkdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(shown, error);
    if (!(await fs.stat(folder)).isDirectory()) throw new CliError(text('cli.write-failed', { path: shown, reason: text('cli.reason.not-a-folder') }));
  }
}

/** Writes `rules/<rule-id>.md` and `threats/<id>.md` (English, with `.ja.md` beside) below `folder`. */
export async function writeDocs(folder: string): Promise<number> {
  await ensureFolder(folder, folder);
  let written = 0;
  const ready = new Set<string>();
  const write = async (relative: string, content: string) => {
    const parts = relative.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const inner = path.join(folder, ...parts.slice(0, depth));
      if (!ready.has(inner)) await ensureFolder(inner, inner);
      ready.add(inner);
    }
    const file = path.join(folder, ...parts);
    try {
      await fs.writeFile(file, content);
    } catch (error) {
      throw writeError(file, error);
    }
    written++;
  };
  for (const rule of engine.catalogue.rules) {
    await write(`rules/${rule.id}.md`, renderRuleMarkdown(engine.catalogue, rule, 'en'));
    await write(`rules/${rule.id}.ja.md`, renderRuleMarkdown(engine.catalogue, rule, 'ja'));
  }
  for (const entry of engine.catalogue.threats) {
    await write(`threats/${entry.id}.md`, renderThreatMarkdown(engine.catalogue, entry, 'en'));
    await write(`threats/${entry.id}.ja.md`, renderThreatMarkdown(engine.catalogue, entry, 'ja'));
  }
  return written;
}
