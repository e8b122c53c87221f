// Finds the supported config files of a workspace with the core's detection (name, path, content),
// reading through workspace.fs only, so it works in virtual workspaces and in Restricted Mode.
// It leaves out what the CLI leaves out: the default folders (.git, node_modules, ...) and the patterns of
// .secure-config-reviewignore files, so the editor and CI audit the same files.
import * as vscode from 'vscode';
import { DEFAULT_SKIPPED_FOLDERS, IGNORE_FILE, IgnoreRules, type ScopedRules, isIgnoredBelow } from '../core/ignore';
import type { SettingsResolver } from './configuration';
import { enginePath } from './file-access';
import { engine } from '../product';
import { decodeBytes } from '../core/encoding';

/** Files the audit never opens to sniff: code, data, media and archives. */
const NOT_CONFIG =
  /\.(?:[cm]?[jt]sx?|json|md|markdown|png|jpe?g|gif|svg|ico|webp|pdf|zip|gz|tgz|bz2|xz|7z|jar|class|exe|dll|so|o|a|pyc|lock|map|css|scss|less|html?|woff2?|ttf|eot|mp[34]|wav|wasm|vsix|sqlite|db)$/i;
const SNIFF_MAX_BYTES = 256 * 1024;
const MAX_FILES = 20_000;
const EXCLUDE = `{${DEFAULT_SKIPPED_FOLDERS.map((name) => `**/${name}/**`).join(',')}}`;
/** Links to folders are followed (as the CLI does) down to this depth: a link loop ends there. */
const MAX_DEPTH = 40;

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
  const queue = [{ folder: root, depth: 0 }];
  while (queue.length > 0 && found.length < MAX_FILES && !token.isCancellationRequested) {
    const { folder, depth } = queue.shift()!;
    let entries: [string, vscode.FileType][] = [];
    try {
      entries = await vscode.workspace.fs.readDirectory(folder);
    } catch {
      continue;
    }
    for (const [name, type] of entries) {
      const uri = vscode.Uri.joinPath(folder, name);
      if (type & vscode.FileType.Directory) {
        if (!DEFAULT_SKIPPED_FOLDERS.includes(name) && depth < MAX_DEPTH) queue.push({ folder: uri, depth: depth + 1 });
      } else if (type & vscode.FileType.File) found.push(uri);
    }
  }
  return found;
}

/** The rules of every ignore file among `uris`, each relative to its own folder. */
async function ignoreScopes(uris: readonly vscode.Uri[]): Promise<ScopedRules[]> {
  const scopes: ScopedRules[] = [];
  for (const uri of uris.filter((candidate) => candidate.path.endsWith(`/${IGNORE_FILE}`))) {
    try {
      const rules = IgnoreRules.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      scopes.push({ folder: uri.path.slice(0, uri.path.lastIndexOf('/')) || '/', rules });
    } catch {
      // Unreadable: it cannot be honoured, as in the CLI.
    }
  }
  // Outer folders first, so that a deeper file decides over a shallower one.
  return scopes.sort((a, b) => a.folder.split('/').length - b.folder.split('/').length);
}

async function sniff(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > SNIFF_MAX_BYTES) return undefined;
    return decodeBytes(await vscode.workspace.fs.readFile(uri)).text;
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
    const listed = await listFiles(folder, token);
    const scopes = await ignoreScopes(listed);
    const uris = listed.filter((uri) => !isIgnoredBelow(scopes, folder.uri.path, uri.path));
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
