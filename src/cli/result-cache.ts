// `audit --cache`: results of earlier audits, kept in one file, reused for a file whose text, format and every
// other file its lint read (includes, the main.cf beside a master.cf, a folder's listing, a lookup that found
// nothing) are unchanged, under the same build and the same project settings. The lint of a file depends on
// nothing else: the engine reaches other files only through its FileAccess, which is recorded here.
//
// The file is JSON: { version, identity, entries }. An entry is keyed by the file's path, relative to the cache
// file's folder when it lies below it (a checkout moved or restored by a CI cache still hits), else absolute.
// A cache that cannot be read, is damaged, or was written by another build or with other settings is started
// afresh; the audit never depends on it. It is written atomically (a temporary file renamed over it).
import type * as Crypto from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FileAccess, Finding } from '../core/types';

const CACHE_VERSION = 2;

/** What one other file read came to: [path, 'f' (a file) or 'd' (a folder's listing), digest or null (absent)]. */
export type CacheDependency = [string, 'f' | 'd', string | null];

export interface CacheEntry {
  /** Digest of the linted text. */
  text: string;
  /** The format the content decided (files whose name does not); absent when the name decided. */
  byContent?: string;
  format: string;
  findings: Finding[];
  suppressed: Finding[];
  dependencies: CacheDependency[];
}

interface CacheFile {
  version: number;
  identity: string;
  entries: Record<string, CacheEntry>;
  /**
   * Files whose name does not decide their format: the digest of the start the audit reads to recognise them
   * and what their content was recognised as (null: not a configuration), so an unchanged one is not looked at
   * again.
   */
  detected: Record<string, [string, string | null]>;
}

/** node:crypto, loaded with the first digest (only `--cache` needs it; loading it costs a CLI run 4 ms). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = () => require('node:crypto') as typeof Crypto;

export function digest(text: string | Buffer): string {
  return crypto().createHash('sha1').update(text).digest('base64');
}

/** What a cache hit needs the audit's file access for: the same reads the lint made, served once per audit. */
export class ResultCache {
  private readonly base: string;
  private readonly entries: Map<string, CacheEntry>;
  /** Digests of other files this audit has checked already (an nginx.conf read by 200 sites is digested once). */
  private readonly checked = new Map<string, string | null>();
  private changed = false;
  /** Entries reused this run, and entries written this run. */
  hits = 0;
  stored = 0;

  private constructor(
    readonly file: string,
    private readonly identity: string,
    entries: Record<string, CacheEntry>,
    /** Why an existing cache file was not used (it is replaced when the audit ends). */
    readonly discarded: 'unreadable' | 'damaged' | 'other-build' | undefined,
    detected: Record<string, [string, string | null]> = {},
  ) {
    this.base = path.dirname(file);
    this.entries = new Map(Object.entries(entries));
    this.detections = new Map(Object.entries(detected));
  }

  private readonly detections: Map<string, [string, string | null]>;

  /**
   * The format the content of `absolute` was recognised as when it started with `start` (null: none), or
   * undefined when that is not known.
   */
  detected(absolute: string, start: string): string | null | undefined {
    const known = this.detections.get(this.key(absolute));
    return known && known[0] === digest(start) ? known[1] : undefined;
  }

  rememberDetected(absolute: string, start: string, format: string | undefined): void {
    this.detections.set(this.key(absolute), [digest(start), format ?? null]);
    this.changed = true;
  }

  /**
   * The cache in `file` for this build and these settings. `identity` names the build and the settings: entries
   * written under another identity are not used.
   */
  static open(file: string, identity: string): ResultCache {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return new ResultCache(file, identity, {}, missing ? undefined : 'unreadable');
    }
    let parsed: CacheFile;
    try {
      parsed = JSON.parse(raw) as CacheFile;
    } catch {
      return new ResultCache(file, identity, {}, 'damaged');
    }
    if (!isCacheFile(parsed)) return new ResultCache(file, identity, {}, 'damaged');
    if (parsed.version !== CACHE_VERSION || parsed.identity !== identity) return new ResultCache(file, identity, {}, 'other-build');
    return new ResultCache(file, identity, parsed.entries, undefined, parsed.detected);
  }

  private key(absolute: string): string {
    const relative = path.relative(this.base, absolute);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : absolute;
  }

  private resolve(key: string): string {
    return path.isAbsolute(key) ? key : path.join(this.base, key);
  }

  /**
   * The stored result for `absolute` with this text and content-decided format, when every file its lint read
   * is as it was; otherwise undefined.
   */
  async lookup(absolute: string, text: string, byContent: string | undefined, files: FileAccess): Promise<CacheEntry | undefined> {
    const entry = this.entries.get(this.key(absolute));
    if (!entry || entry.byContent !== byContent || entry.text !== digest(text)) return undefined;
    for (const [key, kind, expected] of entry.dependencies) {
      const other = this.resolve(key);
      const memo = `${kind}\u0000${other}`;
      let found = this.checked.get(memo);
      if (found === undefined) {
        found = kind === 'f' ? digestOrNull(await files.readFile(other)) : listingDigest(await files.readDirectory(other));
        this.checked.set(memo, found);
      }
      if (found !== expected) return undefined;
    }
    this.hits++;
    return entry;
  }

  /** Stores what a lint gave, with the reads a `RecordingFiles` made (by absolute path, on any thread). */
  put(absolute: string, entry: CacheEntry): void {
    const dependencies = entry.dependencies.map(([file, kind, found]): CacheDependency => [this.key(file), kind, found]);
    this.entries.set(this.key(absolute), { ...entry, dependencies });
    this.changed = true;
    this.stored++;
  }

  /** Writes the cache when this audit changed it (or the old file was not usable). Throws the file system's error. */
  save(): void {
    if (!this.changed && !this.discarded) return;
    const data: CacheFile = {
      version: CACHE_VERSION,
      identity: this.identity,
      entries: Object.fromEntries(this.entries),
      detected: Object.fromEntries(this.detections),
    };
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify(data));
      renameSync(temporary, this.file);
    } catch (error) {
      try {
        unlinkSync(temporary);
      } catch {
        // nothing was written
      }
      throw error;
    }
  }
}

/** Records every read of the lint it is given to, with the digest of what it found. */
export class RecordingFiles implements FileAccess {
  private readonly reads = new Map<string, CacheDependency>();

  constructor(private readonly files: FileAccess) {
    if (files.parsed) this.parsed = (kind, file, text, parse) => files.parsed!(kind, file, text, parse);
  }

  parsed?<T>(kind: string, path: string, text: string, parse: () => T): T;

  async readFile(file: string): Promise<string | undefined> {
    const text = await this.files.readFile(file);
    this.reads.set(`f\u0000${file}`, [file, 'f', digestOrNull(text)]);
    return text;
  }

  async readDirectory(folder: string): Promise<string[] | undefined> {
    const names = await this.files.readDirectory(folder);
    this.reads.set(`d\u0000${folder}`, [folder, 'd', listingDigest(names)]);
    return names;
  }

  entry(text: string, byContent: string | undefined, format: string, findings: Finding[], suppressed: Finding[]): CacheEntry {
    return { text: digest(text), ...(byContent ? { byContent } : {}), format, findings, suppressed, dependencies: [...this.reads.values()] };
  }
}

function digestOrNull(text: string | undefined): string | null {
  return text === undefined ? null : digest(text);
}

/** A listing in the order the file system gave it (an include's order can follow it). */
function listingDigest(names: readonly string[] | undefined): string | null {
  return names === undefined ? null : digest(names.join('\u0000'));
}

function isCacheFile(value: unknown): value is CacheFile {
  if (!value || typeof value !== 'object') return false;
  const file = value as Partial<CacheFile>;
  if (typeof file.version !== 'number' || typeof file.identity !== 'string' || !file.entries || typeof file.entries !== 'object') return false;
  if (
    file.version === CACHE_VERSION &&
    (!file.detected ||
      typeof file.detected !== 'object' ||
      !Object.values(file.detected).every((item) => Array.isArray(item) && typeof item[0] === 'string' && (typeof item[1] === 'string' || item[1] === null)))
  )
    return false;
  return Object.values(file.entries).every(
    (entry) =>
      entry &&
      typeof entry === 'object' &&
      typeof entry.text === 'string' &&
      typeof entry.format === 'string' &&
      Array.isArray(entry.findings) &&
      Array.isArray(entry.suppressed) &&
      Array.isArray(entry.dependencies),
  );
}

/** The identity of this build and these settings: the running script's bytes, the version and the settings. */
export function cacheIdentity(script: string, version: string, settings: unknown): string {
  let build: string;
  try {
    build = digest(readFileSync(script));
  } catch {
    build = 'unknown';
  }
  return digest(`${version}\u0000${build}\u0000${JSON.stringify(settings)}`);
}
