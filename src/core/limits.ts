// Budgets on hostile or runaway input: how deep includes and expansions may go, how many files one lint may
// read, how many findings one file may show and how much of the user's text a message may quote. A limit that
// stops the work is never silent: it is reported as a parse problem that names the limit and its value
// (`limit exceeded: include depth 16`), in both languages, so that every family reports budgets alike.
import type { FileAccess, Severity, Span } from './types';
import { type TextRef, text } from './check';
import type { ParseProblem } from './format';

/** The limits the core knows by name; a family with a limit of its own names it with a catalogue text. */
export type LimitName = 'include-depth' | 'included-files' | 'file-reads' | 'nesting-depth' | 'expansion-depth' | 'expansion-size' | 'findings-per-file';

/**
 * Default values. A family whose daemon has a limit of its own (PostgreSQL stops at include depth 10)
 * passes that value instead; otherwise it uses these, so that the product behaves alike across formats.
 */
export const LIMITS: Readonly<Record<LimitName, number>> = {
  /** Files included from included files, counting the linted file's own includes as depth 1. */
  'include-depth': 16,
  /** Distinct files a single lint may read through includes (each counted once). */
  'included-files': 1000,
  /** Calls to FileAccess (readFile and readDirectory) in one lint: includes, globs, sibling files. */
  'file-reads': 5000,
  /** Blocks, sections or values inside one another. */
  'nesting-depth': 500,
  /** Variables and macros expanding into one another ($name, ${name}, macros, YAML aliases). */
  'expansion-depth': 64,
  /** Characters one expansion may produce (a value, a merged mapping). */
  'expansion-size': 1_000_000,
  /** Findings shown for one file; the rest are counted in one summary finding. */
  'findings-per-file': 500,
};

/**
 * Characters of one placeholder value (user text: a value, a path, a parse error's token) that a message quotes;
 * longer values are cut with an ellipsis. Applies to finding messages, fix titles and related messages.
 */
export const MAX_EMBEDDED_TEXT = 200;

const LIMIT_TEXTS: Record<LimitName, TextRef> = {
  'include-depth': text('core.limit.include-depth'),
  'included-files': text('core.limit.included-files'),
  'file-reads': text('core.limit.file-reads'),
  'nesting-depth': text('core.limit.nesting-depth'),
  'expansion-depth': text('core.limit.expansion-depth'),
  'expansion-size': text('core.limit.expansion-size'),
  'findings-per-file': text('core.limit.findings-per-file'),
};

/** The name of a limit as users read it (both languages). */
export function limitLabel(limit: LimitName | TextRef): TextRef {
  return typeof limit === 'string' ? LIMIT_TEXTS[limit] : limit;
}

/**
 * The message of a parse problem for a limit that stopped the reading: "limit exceeded: include depth 16 (the
 * part beyond it was not read)". `value` defaults to the core's value for a named limit.
 */
export function limitExceeded(limit: LimitName | TextRef, value?: number): TextRef {
  const shown = value ?? (typeof limit === 'string' ? LIMITS[limit] : 0);
  return text('core.limit-exceeded', { limit: limitLabel(limit), value: shown });
}

/** A parse problem at `span` saying that `limit` (at `value`) stopped the reading there. */
export function limitProblem(span: Span, limit: LimitName | TextRef, value?: number, severity?: Severity): ParseProblem {
  return { span, message: limitExceeded(limit, value), ...(severity ? { severity } : {}) };
}

/**
 * Include bookkeeping for a family's loader: depth and total files, each limit reported once per lint.
 *   const budget = new IncludeBudget();            // once per load, shared by nested includes
 *   if (!budget.admit(depth, directive.span, problems)) continue;   // do not read that file
 */
export class IncludeBudget {
  private files = 0;
  private readonly reported = new Set<string>();

  constructor(
    readonly maxDepth: number = LIMITS['include-depth'],
    readonly maxFiles: number = LIMITS['included-files'],
  ) {}

  /** Files admitted so far. */
  get admitted(): number {
    return this.files;
  }

  /**
   * Whether one more file may be read at `depth` (1: included by the linted file itself). When not, the limit
   * is pushed onto `problems` at `span` (the include directive) the first time it stops a file.
   */
  admit(depth: number, span: Span, problems: ParseProblem[]): boolean {
    if (depth > this.maxDepth) return this.refuse('include-depth', this.maxDepth, span, problems);
    if (this.files >= this.maxFiles) return this.refuse('included-files', this.maxFiles, span, problems);
    this.files++;
    return true;
  }

  private refuse(limit: LimitName, value: number, span: Span, problems: ParseProblem[]): false {
    if (!this.reported.has(limit)) {
      this.reported.add(limit);
      problems.push(limitProblem(span, limit, value));
    }
    return false;
  }
}

/**
 * The FileAccess one lint reads through: at most `limit` reads (files and folders), after which every read
 * answers "absent" and `exceeded` is set (the engine then reports the limit); a UTF-8 byte order mark at the
 * start of a file is dropped, as the daemons and the editor drop it. Each path is read once per lint: a file
 * that includes the same file (or itself) thousands of times costs one read (each still counts).
 */
export class BudgetedFiles implements FileAccess {
  private count = 0;
  private readonly files = new Map<string, Promise<string | undefined>>();
  private readonly folders = new Map<string, Promise<string[] | undefined>>();

  constructor(
    private readonly inner: FileAccess,
    readonly limit: number = LIMITS['file-reads'],
  ) {}

  /** Reads asked for so far, including refused ones. */
  get reads(): number {
    return this.count;
  }

  get exceeded(): boolean {
    return this.count > this.limit;
  }

  readFile(path: string): Promise<string | undefined> {
    // Every read counts, repeated ones too: the budget is what stops an include fan-out that reads the same
    // few files over and over. A repeated read costs no second read of the file.
    if (++this.count > this.limit) return Promise.resolve(undefined);
    let read = this.files.get(path);
    if (!read) {
      read = this.inner.readFile(path).then((text) => (text === undefined ? undefined : withoutBom(text)));
      this.files.set(path, read);
    }
    return read;
  }

  async readDirectory(path: string): Promise<string[] | undefined> {
    if (++this.count > this.limit) return undefined;
    let listing = this.folders.get(path);
    if (!listing) {
      listing = this.inner.readDirectory(path);
      this.folders.set(path, listing);
    }
    const names = await listing;
    return names && [...names];
  }

  /** Shared parses (core/file-cache.ts) read nothing: they pass through without counting. */
  parsed<T>(kind: string, path: string, text: string, parse: () => T): T {
    return this.inner.parsed ? this.inner.parsed(kind, path, text, parse) : parse();
  }
}

/** `text` without a leading byte order mark (U+FEFF). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `value` cut to at most `max` characters (never inside a surrogate pair), with an ellipsis when cut. */
export function truncateText(value: string, max: number = MAX_EMBEDDED_TEXT): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - 1);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}\u2026`;
}
