// What the CLI adds to the SARIF report (src/core/report.ts) for GitHub code scanning: %SRCROOT% (the
// repository root above the audited paths, else the audited folder: the root baselines are keyed on too)
// and the texts the findings were computed from, for their partialFingerprints.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditedFile, SarifOptions } from '../core/report';
import { TextCache, baselineRoot } from './baseline';
import { commonFolder } from './ci';

export async function sarifContext(
  targets: readonly string[],
  files: readonly AuditedFile[],
  cwd: string,
  texts = new TextCache(),
): Promise<Required<Pick<SarifOptions, 'sourceRoot' | 'cwd' | 'textOf'>>> {
  const root = await baselineRoot(commonFolder(targets.length ? targets : ['.'], cwd));
  const known = new Map<string, string>();
  for (const file of files)
    for (const finding of [...file.findings, ...(file.suppressed ?? [])]) {
      if (known.has(finding.file)) continue;
      const content = await texts.get(finding.file);
      if (content !== undefined) known.set(finding.file, content);
    }
  return {
    sourceRoot: { path: root.folder.split(path.sep).join('/'), uri: pathToFileURL(root.folder + path.sep).href },
    cwd: cwd.split(path.sep).join('/'),
    textOf: (file) => known.get(file),
  };
}
