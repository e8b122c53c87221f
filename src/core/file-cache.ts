// One audit's view of the file system: every file and folder is read at most once, failed lookups are
// remembered, and what a walk already listed answers "is there a nginx.conf here?" without a system call.
// Parsed models of files that several lints read (the main.cf beside every master.cf, the other manifests of
// a Kubernetes folder) are shared through `sharedParse`, keyed by format, path and text.
// The cache lives for one audit (the files may change between audits) and holds a bounded amount of text.
import type { FileAccess } from './types';

export interface CachingFileAccess extends FileAccess {
  /** A folder's entry names, as a walk found them: names not among them read as absent without asking. */
  knowDirectory(path: string, names: readonly string[]): void;
  /** A file's text, as the audit read it to lint it: a later lint that reads it as a sibling takes it from here. */
  knowFile(path: string, text: string): void;
  parsed<T>(kind: string, path: string, text: string, parse: () => T): T;
}

export interface CacheLimits {
  /** UTF-16 units of file text kept (the oldest go first); absent files and listings are always kept. */
  maxTextUnits?: number;
  /** Parsed models kept (the oldest go first). */
  maxParsed?: number;
}

const DEFAULT_TEXT_UNITS = 4 * 1024 * 1024;
const DEFAULT_PARSED = 64;

function parentAndName(path: string): [string, string] | undefined {
  const slash = path.lastIndexOf('/');
  if (slash < 0 || slash === path.length - 1) return undefined;
  return [path.slice(0, slash) || '/', path.slice(slash + 1)];
}

/** A FileAccess over `base` that reads each path once per audit (see the module comment). */
export function cachingFileAccess(base: FileAccess, limits: CacheLimits = {}): CachingFileAccess {
  const maxText = limits.maxTextUnits ?? DEFAULT_TEXT_UNITS;
  const maxParsed = limits.maxParsed ?? DEFAULT_PARSED;
  /** Texts in the order they were last used (a Map iterates in insertion order). */
  const texts = new Map<string, string>();
  let textUnits = 0;
  const absent = new Set<string>();
  const pending = new Map<string, Promise<string | undefined>>();
  const listings = new Map<string, Promise<string[] | undefined> | Set<string> | undefined>();
  const lowered = new WeakMap<Set<string>, Set<string>>();
  const parsedModels = new Map<string, { text: string; value: unknown }>();

  const keepText = (path: string, text: string) => {
    const old = texts.get(path);
    if (old !== undefined) {
      textUnits -= old.length;
      texts.delete(path);
    }
    if (text.length > maxText) return;
    texts.set(path, text);
    textUnits += text.length;
    for (const [oldest, value] of texts) {
      if (textUnits <= maxText) break;
      texts.delete(oldest);
      textUnits -= value.length;
    }
  };

  /**
   * True when the file's folder was listed and does not name it. Only a listing proves absence: a folder that
   * cannot be listed (mode 0711) may still hold readable files. Names are compared without case as well, so
   * a case-insensitive file system is asked rather than answered wrongly.
   */
  const listedAbsent = (path: string): boolean => {
    const parts = parentAndName(path);
    const listing = parts && listings.get(parts[0]);
    if (!(listing instanceof Set)) return false;
    return !listing.has(parts![1]) && !lowered.get(listing)!.has(parts![1].toLowerCase());
  };

  const setListing = (path: string, names: readonly string[]) => {
    const set = new Set(names);
    lowered.set(set, new Set(names.map((name) => name.toLowerCase())));
    listings.set(path, set);
  };

  return {
    readFile(path) {
      const text = texts.get(path);
      if (text !== undefined) {
        texts.delete(path);
        texts.set(path, text);
        return Promise.resolve(text);
      }
      if (absent.has(path) || listedAbsent(path)) return Promise.resolve(undefined);
      const inFlight = pending.get(path);
      if (inFlight) return inFlight;
      const read = base.readFile(path).then(
        (value) => {
          pending.delete(path);
          if (value === undefined) absent.add(path);
          else keepText(path, value);
          return value;
        },
        () => {
          pending.delete(path);
          absent.add(path);
          return undefined;
        },
      );
      pending.set(path, read);
      return read;
    },
    readDirectory(path) {
      const known = listings.get(path);
      if (known instanceof Set) return Promise.resolve([...known]);
      if (known !== undefined) return known.then((names) => (names ? [...names] : undefined));
      if (listings.has(path)) return Promise.resolve(undefined);
      const read = base.readDirectory(path).then(
        (names) => {
          if (names) setListing(path, names);
          else listings.set(path, undefined);
          return names ? [...names] : undefined;
        },
        () => {
          listings.set(path, undefined);
          return undefined;
        },
      );
      listings.set(path, read);
      return read;
    },
    knowDirectory(path, names) {
      setListing(path, names);
    },
    knowFile(path, text) {
      absent.delete(path);
      keepText(path, text);
    },
    parsed<T>(kind: string, path: string, text: string, parse: () => T): T {
      const key = `${kind}\0${path}`;
      const known = parsedModels.get(key);
      if (known && known.text === text) {
        parsedModels.delete(key);
        parsedModels.set(key, known);
        return known.value as T;
      }
      const value = parse();
      parsedModels.delete(key);
      parsedModels.set(key, { text, value });
      if (parsedModels.size > maxParsed) parsedModels.delete(parsedModels.keys().next().value!);
      return value;
    },
  };
}

/**
 * For loaders: the model `parse()` builds from a file other than the linted one, shared with the other lints
 * of the same audit when `files` can share (FileAccess.parsed). The model must not be changed by its users.
 */
export function sharedParse<T>(files: FileAccess, kind: string, path: string, text: string, parse: () => T): T {
  return files.parsed ? files.parsed(kind, path, text, parse) : parse();
}
