// Finds the supported config files of a workspace with the core's detection (name, path, content),
// reading through workspace.fs only, so it works in virtual workspaces and in Restricted Mode.
import * as vscode from 'vscode';
import type { SettingsResolver } from './configuration';
import { enginePath } from './file-access';
import { engine } from '../product';

/** Files the audit never opens to sniff: code, data, media and archives. */
const NOT_CONFIG =
  /\.(?:[cm]?[jt]sx?|json|md|markdown|png|jpe?g|gif|svg|ico|webp|pdf|zip|gz|tgz|bz2|xz|7z|jar|class|exe|dll|so|o|a|pyc|lock|map|css|scss|less|html?|woff2?|ttf|eot|mp[34]|wav|wasm|vsix|sqlite|db)$/i;
const SNIFF_MAX_BYTES = 256 * 1024;
const MAX_FILES = 20_000;
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.cache/**}';

export interface Candidate {
  uri: vscode.Uri;
  /** Present when the content had to be read to recognise the file. */
  text?: string;
}

async function listFiles(folder: vscode.WorkspaceFolder, token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  try {
    return await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), EXCLUDE, MAX_FILES, token);
  } catch {
    return walk(folder.uri, token);
  }
}

/** Fallback for file systems without a search provider. */
async function walk(root: vscode.Uri, token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found: vscode.Uri[] = [];
  const queue = [root];
  while (queue.length > 0 && found.length < MAX_FILES && !token.isCancellationRequested) {
    const folder = queue.shift()!;
    let entries: [string, vscode.FileType][] = [];
    try {
      entries = await vscode.workspace.fs.readDirectory(folder);
    } catch {
      continue;
    }
    for (const [name, type] of entries) {
      if (name === 'node_modules' || name === '.git') continue;
      const uri = vscode.Uri.joinPath(folder, name);
      if (type & vscode.FileType.Directory) queue.push(uri);
      else if (type & vscode.FileType.File) found.push(uri);
    }
  }
  return found;
}

async function sniff(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > SNIFF_MAX_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export async function findConfigFiles(
  settings: SettingsResolver,
  token: vscode.CancellationToken,
  onProgress: (seen: number, total: number) => void,
): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uris = await listFiles(folder, token);
    const { settings: resolved } = await settings.resolve(folder.uri);
    let seen = 0;
    for (const uri of uris) {
      if (token.isCancellationRequested) return candidates;
      onProgress(++seen, uris.length);
      const path = enginePath(uri);
      if (engine.detectFormat(path, undefined, resolved.fileAssociations)) {
        candidates.push({ uri });
        continue;
      }
      if (NOT_CONFIG.test(path)) continue;
      const text = await sniff(uri);
      if (text !== undefined && engine.detectFormat(path, text, resolved.fileAssociations)) candidates.push({ uri, text });
    }
  }
  return candidates.sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
}
