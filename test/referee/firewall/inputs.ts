// What the firewall referees hand the engine: a case's files, in memory, below one folder.
import type { FileAccess } from '../../../src/core/types';
import { memoryFiles } from '../../support/fixtures';

/** `files` (path relative to the case folder -> text) as a FileAccess rooted at `base`. */
export function caseFiles(files: ReadonlyMap<string, string>, base: string): FileAccess {
  return memoryFiles(new Map([...files].map(([name, content]) => [`${base}/${name}`, content])));
}
