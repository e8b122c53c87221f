// The engine speaks in file-system paths, LSP in URIs. Files on disk are file: URIs; a document of another
// scheme (untitled:, a remote scheme) is linted under its URI path, so detection by name still works, and the
// files it refers to are looked for on the local disk only when it is a file: document.
import { fileURLToPath, pathToFileURL } from 'node:url';

export function pathOfUri(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.protocol === 'file:') return fileURLToPath(url);
    return decodeURIComponent(url.pathname);
  } catch {
    return uri;
  }
}

export function uriOfPath(path: string): string {
  return pathToFileURL(path).href;
}

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}
